"""CSV export of what a table shows, readable by Excel and WPS with Chinese text.

Written as UTF-8 with a byte-order mark (without it Excel on Chinese Windows guesses GBK and
shows mojibake), through a temporary file renamed into place so a failed export never leaves
a half-written file under the chosen name.
"""

from __future__ import annotations

import csv
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from db.masking import mask_text

log = logging.getLogger("kitchenwatch.widgets.export")


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
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
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
