"""Masking of personal data for demonstration screens and viewer accounts.

This is a Qt-free zone. The server already masks rows for the ``viewer`` role; the console
masks again when a big screen is switched to "hide personal details", so the same rules are
applied on both sides: names keep their first character (``张**``), phone numbers their first
three and last four digits (``138****0000``). Masking an already masked value is harmless.
"""

from __future__ import annotations


def mask_name(name: str) -> str:
    name = name.strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_phone(phone: str) -> str:
    phone = phone.strip()
    if not phone:
        return phone
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * (len(phone) - 2) + phone[-2:] if len(phone) > 2 else "*" * len(phone)
