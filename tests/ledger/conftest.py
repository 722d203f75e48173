"""Real ledger files as bureaus keep them, written into tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ledger.fields import credit_check_char


def credit(seed: int) -> str:
    body = f"911506{seed:011d}"
    return body + credit_check_char(body)


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]],
               merged: dict[str, list[str]] | None = None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in (merged or {}).get(title, []):
            sheet.merge_cells(cells)
    workbook.save(path)
    return path
