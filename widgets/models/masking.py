"""Masking of personal data for demonstration screens and viewer accounts.

The server already masks rows for the ``viewer`` role; the console masks again when a big
screen is switched to "hide personal details". Both use the one rule set in
:mod:`common.masking` (names keep their first character, ``张**``; phone numbers their first
three and last four digits, ``138****0000``, and always hide at least four), so the two never
disagree. Masking an already masked value is harmless.
"""

from __future__ import annotations

from common.masking import mask_name, mask_phone

__all__ = ["mask_name", "mask_phone"]
