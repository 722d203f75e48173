"""Reading ledger files: .xlsx workbooks (every sheet) and .csv text in UTF-8 or GB18030.

A sheet comes back as its raw cell values with the row numbers Excel shows, so every problem
found later can name the row a person will scroll to. Workbooks are streamed straight from
their XML by :mod:`ledger.xlsx_rows` (values only, no cell object model of 30,000 rows); a
sheet's declared dimensions are ignored because some generators write them wrong.
"""

from __future__ import annotations

import csv
import io
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.fields import FieldError

MAX_ROWS = 200_000  # per sheet: a bigger "ledger" is a mistake (a whole export of logs)
ProgressFn = Callable[[int], None]  # rows read so far


class Cancelled(Exception):
    """The user cancelled: nothing further is read or checked."""


@dataclass
class Sheet:
    file: str  # the file's name as the user chose it
    name: str  # the sheet's name (a CSV file: its name without the extension)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (Excel row, cells)
    hidden: bool = False  # a hidden sheet holds helpers (the template's drop-down lists)


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


def detect_kind(name: str, data: bytes) -> str:
    """``xlsx`` or ``csv`` by the content first (a workbook is a zip file), then the name."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"  # the old binary format: not read (save as .xlsx)
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    return "csv"


def read_xlsx(name: str, data: bytes, *, cancel: threading.Event | None = None,
              progress: ProgressFn | None = None) -> list[Sheet]:
    """Every sheet's values, streamed from the workbook's XML (:mod:`ledger.xlsx_rows`: a
    sheet's declared dimensions are never trusted, and a hidden sheet is listed unread)."""
    from xml.etree.ElementTree import ParseError

    from ledger import xlsx_rows

    sheets: list[Sheet] = []
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count % 2000 == 0:
            _check_cancel(cancel)
            if progress is not None:
                progress(count)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            refs, date1904 = xlsx_rows.sheets_of(archive)
            strings = xlsx_rows.shared_strings(archive)
            dates = xlsx_rows.date_styles(archive)
            epoch = xlsx_rows.epoch_of(date1904)
            for ref in refs:
                sheet = Sheet(name, ref.title, hidden=ref.hidden)
                sheets.append(sheet)
                if sheet.hidden:
                    continue
                try:
                    source = archive.open(ref.path)
                except KeyError:
                    continue  # a sheet the workbook names but does not contain: nothing
                with source:
                    for number, values in xlsx_rows.rows_of(source, strings, dates, epoch,
                                                            tick):
                        if number > MAX_ROWS:
                            raise FieldError("too_many_rows", {"limit": MAX_ROWS})
                        sheet.rows.append((number, values))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, ParseError,
            EOFError) as exc:
        raise FieldError("file_unreadable", {"detail": str(exc)[:200]}) from None
    return sheets


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else GB18030 (which covers GBK and GB2312): what
    Chinese Excel writes when it saves a CSV."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FieldError("encoding")


def read_csv(name: str, data: bytes, *, cancel: threading.Event | None = None,
             progress: ProgressFn | None = None) -> list[Sheet]:
    content = decode_text(data)
    sample = content[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    sheet = Sheet(name, Path(name).stem)
    reader = csv.reader(io.StringIO(content, newline=""), dialect)
    for count, cells in enumerate(reader, 1):
        if count > MAX_ROWS:
            raise FieldError("too_many_rows", {"limit": MAX_ROWS})
        values: list[Any] = [c if c.strip() else None for c in cells]
        while values and values[-1] is None:
            values.pop()
        if values:
            sheet.rows.append((count, values))  # a record is one row in Excel
        if count % 2000 == 0:
            _check_cancel(cancel)
            if progress is not None:
                progress(count)
    return [sheet]


def read_file(name: str, data: bytes, *, cancel: threading.Event | None = None,
              progress: ProgressFn | None = None) -> list[Sheet]:
    """Every sheet of one ledger file (raises :class:`FieldError` when it cannot be read)."""
    kind = detect_kind(name, data)
    if kind == "xls":
        raise FieldError("file_format")
    if kind == "xlsx":
        return read_xlsx(name, data, cancel=cancel, progress=progress)
    return read_csv(name, data, cancel=cancel, progress=progress)
