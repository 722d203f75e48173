"""Several ledger files as one workbook, so they are checked and imported together in one
transaction (a camera sheet may name a business of another file).

Each sheet keeps its rows at the row numbers the user saw, so a problem found in the bundle
points at the same row of the original; :func:`combine` returns which bundle sheet came from
which file and sheet, to name the original in every message.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from ledger.read import Sheet

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def combine(sheets: Sequence[Sheet]) -> tuple[bytes, dict[str, tuple[str, str]]]:
    """The sheets in one .xlsx, and bundle sheet name → (file, sheet)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    origin: dict[str, tuple[str, str]] = {}
    for index, sheet in enumerate(s for s in sheets if not s.hidden):
        title = _FORBIDDEN.sub("_", f"{index + 1}-{sheet.name}")[:31]
        target = workbook.create_sheet(title)
        origin[title] = (sheet.file, sheet.name)
        last = 0
        for number, cells in sheet.rows:
            for _ in range(number - last - 1):
                target.append([])
            target.append(list(cells))
            last = number
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue(), origin
