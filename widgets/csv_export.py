"""CSV export of what a table shows, readable by Excel and WPS with Chinese text.

Written as UTF-8 with a byte-order mark (without it Excel on Chinese Windows guesses GBK and
shows mojibake), through a temporary file renamed into place so a failed export never leaves
a half-written file under the chosen name.

Every cell goes through :func:`safe_cell` (CSV formula injection, OWASP): a business name,
note or task title is typed by someone else, and ``=HYPERLINK("http://evil","x")`` in a cell
would run as a formula when the export is opened in Excel or WPS. Text that a spreadsheet would
read as the start of a formula gets a leading ``'``; real numbers (and text that is exactly a
plain decimal number, such as a temperature ``-5.2`` as a table shows it) stay as they are, so
they remain numbers in the spreadsheet. A plain number cannot call a function.
"""

from __future__ import annotations

import csv
import logging
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from common.masking import mask_text

log = logging.getLogger("kitchenwatch.widgets.export")


# What a spreadsheet may take as the start of a formula (OWASP "CSV Injection"), with the
# full-width forms a Chinese input method types and some spreadsheets accept as well.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """One cell as it may go into a CSV file: ``None`` → empty, numbers as they are, text
    starting like a formula prefixed with ``'`` so it stays text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class ExportError(OSError):
    """The export file could not be written; the message names the file and the cause."""


def _masked(row: Sequence[object]) -> list[object]:
    """A file leaves the building: no address in it carries a password or a token."""
    return [mask_text(v) if isinstance(v, str) else v for v in row]


def write_csv(path: str | os.PathLike[str], header: Sequence[str],
              rows: Iterable[Sequence[object]]) -> int:
    """Write ``header`` and ``rows``; returns the number of data rows written."""
    target = Path(path)
    count = 0
    rows = (_masked(row) for row in rows)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".csv", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"cannot write to {target.parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([safe_cell(v) for v in header])
            for row in rows:
                writer.writerow([safe_cell(v) for v in row])
                count += 1
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info("exported %d rows to %s", count, target)
    return count
