"""Identifiers for rows created at the edge.

Identifiers are strings so that a console working offline can create tasks, task events and
patrol records without asking the server for a number, while the registry keeps readable codes
(``D01``, ``D01-B0001``, ``D01-B0001-C1``).
"""

from __future__ import annotations

import uuid


def new_id() -> str:
    """Client- or server-generated identifier (uuid4 hex): unique without a round trip."""
    return uuid.uuid4().hex
