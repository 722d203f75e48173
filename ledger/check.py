"""The dry run: every row of every sheet checked, every problem with its place and reason.

:func:`check_files` reads the files (ledger.read), finds each sheet's header and kind
(ledger.headers), normalises each cell (ledger.fields) and checks each row against the file
itself (a licence number twice) and the registry (:class:`ledger.known.Known`: an unknown
district, a camera whose business exists nowhere). Its result holds the valid rows in the
shape ``central.registry_write.write`` takes, and the errors and warnings in the shape the
command line prints and the console shows: file, sheet, the row number Excel shows, the
column (letter and header), a reason code and its English message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from domain.rules import PARAM_RANGES
from ledger import fields as f
from ledger.fields import FieldError, reason_message
from ledger.headers import BUSINESSES, CAMERAS, KINDS, SENSORS, Header, column_letter, find_header
from ledger.known import Known
from ledger.read import Cancelled, Sheet, read_file

ProgressFn = Callable[[str, int, int], None]  # stage ("read", "check"), done, total
ERROR, WARNING = "error", "warning"

# Lengths of the registry's columns (db/models.py).
LIMITS = {"name": 128, "address": 256, "official_name": 32, "director_name": 32,
          "contact_name": 32, "street": 64, "grid": 64, "camera_name": 64, "location": 64}
EXAMPLE_MARK = "示例"  # the template's example rows start their name with it
SENSOR_PARAMS = ("max_temp", "min_temp", "max_humidity", "target_temp", "hold_min")


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None  # as Excel shows it; None for a problem of the whole sheet or file
    column: str  # "C 统一社会信用代码", or "" for the whole row
    code: str
    message: str
    severity: str = ERROR
    params: dict[str, Any] = field(default_factory=dict)  # for the console's translation

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row,
                "column": self.column, "reason": self.message, "code": self.code,
                "params": {k: v if isinstance(v, int | float) else str(v)
                           for k, v in self.params.items()}}


@dataclass
class CheckResult:
    #: valid rows per kind, ready for central.registry_write.write (plus "_where")
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {k: [] for k in KINDS})
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: rows read per kind (valid or not)
    read: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def ok(self) -> bool:
        return not self.errors

    def valid_rows(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def write_args(self) -> dict[str, list[dict[str, Any]]]:
        """The rows as ``registry_write.write`` keyword arguments (``_where`` dropped)."""
        return {kind: [{k: v for k, v in row.items() if k != "_where"} for row in rows]
                for kind, rows in self.rows.items()}


@dataclass
class _Context:
    file: str
    sheet: str
    header: Header

    def column(self, name: str) -> str:
        index = self.header.columns.get(name)
        if index is None:
            return ""
        return f"{column_letter(index)} {self.header.titles.get(name, '')}".strip()


class _Checker:
    def __init__(self, known: Known, today: date, district_scope: str | None) -> None:
        self.known = known
        self.today = today
        self.scope = district_scope
        self.result = CheckResult()
        # In-file natural keys: key → (file, sheet, row) of their first appearance.
        self.seen: dict[tuple[str, str], tuple[str, str, int]] = {}
        # Businesses of this file by key → district (valid rows) or None (rows with errors).
        self.file_businesses: dict[str, str | None] = {}
        self.new_places: set[tuple[str, str, str]] = set()
        self.row_errors = 0

    # ------------------------------------------------------------------ problems
    def problem(self, ctx: _Context, row: int | None, column: str, code: str,
                params: dict[str, Any] | None = None, severity: str = ERROR) -> None:
        item = Problem(ctx.file, ctx.sheet, row, ctx.column(column) if column else "",
                       code, reason_message(code, params), severity, dict(params or {}))
        (self.result.errors if severity == ERROR else self.result.warnings).append(item)

    def sheet_problem(self, file: str, sheet: str, code: str, params: dict[str, Any],
                      severity: str = ERROR) -> None:
        item = Problem(file, sheet, None, "", code, reason_message(code, params), severity,
                       dict(params))
        (self.result.errors if severity == ERROR else self.result.warnings).append(item)

    # ------------------------------------------------------------------ cells
    def cell(self, ctx: _Context, cells: list[Any], name: str) -> Any:
        index = ctx.header.columns.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def value(self, ctx: _Context, number: int, cells: list[Any], name: str,
              convert: Callable[[Any], Any], errors: list[int]) -> Any:
        try:
            return convert(self.cell(ctx, cells, name))
        except FieldError as exc:
            self.problem(ctx, number, name, exc.code, exc.params)
            errors.append(1)
            return None

    def duplicate(self, ctx: _Context, number: int, kind: str, column: str, label: str,
                  value: str, errors: list[int]) -> None:
        key = (kind + ":" + column, value)
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = (ctx.file, ctx.sheet, number)
            return
        where = first[2] if first[:2] == (ctx.file, ctx.sheet) else \
            f"{first[2]} ({first[0]} / {first[1]})"
        self.problem(ctx, number, column, "duplicate_in_file",
                     {"key": label, "value": value, "first_row": where})
        errors.append(1)

    # ------------------------------------------------------------------ businesses
    def business(self, ctx: _Context, number: int, cells: list[Any]) -> None:
        errors: list[int] = []
        present = ctx.header.columns
        row: dict[str, Any] = {"_where": (ctx.file, ctx.sheet, number)}
        row["name"] = self.value(ctx, number, cells, "name",
                                 lambda v: f.text(v, limit=LIMITS["name"], required=True),
                                 errors)
        credit = self.value(ctx, number, cells, "credit_code", f.credit_code, errors) or ""
        licence = self.value(ctx, number, cells, "licence_no", f.licence_no, errors) or ""
        if "credit_code" in present:
            row["credit_code"] = credit
        if "licence_no" in present:
            row["licence_no"] = licence
        if not credit and not licence and not errors:
            self.problem(ctx, number, "credit_code" if "credit_code" in present
                         else "licence_no", "business_key_missing")
            errors.append(1)
        if credit:
            self.duplicate(ctx, number, BUSINESSES, "credit_code", "统一社会信用代码", credit,
                           errors)
        if licence:
            self.duplicate(ctx, number, BUSINESSES, "licence_no", "许可证编号", licence, errors)
        district_name = self.value(ctx, number, cells, "district",
                                   lambda v: f.text(v, required=True), errors)
        district_id = None
        if district_name:
            district_id = self.known.district_id(district_name)
            if district_id is None:
                self.problem(ctx, number, "district", "district_unknown",
                             {"value": district_name})
                errors.append(1)
            elif self.scope is not None and district_id != self.scope:
                self.problem(ctx, number, "district", "district_forbidden",
                             {"value": district_name})
                errors.append(1)
        existing = self.known.business(credit, licence)
        if credit and licence and credit in self.known.credit_codes \
                and licence in self.known.licences \
                and self.known.credit_codes[credit][0] != self.known.licences[licence][0]:
            self.problem(ctx, number, "licence_no", "key_conflict", {"value": licence})
            errors.append(1)
        if existing and self.scope is not None and existing[1] != self.scope:
            self.problem(ctx, number, "credit_code" if credit else "licence_no",
                         "district_forbidden", {"value": existing[1]})
            errors.append(1)
        if district_id:
            row["district_id"] = district_id
        for place, known_places, code in (("street", self.known.streets, "street_new"),
                                          ("grid", self.known.grids, "grid_new")):
            if place not in present:
                continue
            name = self.value(ctx, number, cells, place,
                              lambda v: f.text(v, limit=LIMITS["street"]), errors) or ""
            row[place] = name
            if name and district_id and (district_id, name) not in known_places \
                    and (place, district_id, name) not in self.new_places:
                self.new_places.add((place, district_id, name))
                self.problem(ctx, number, place, code,
                             {"value": name, "district": self.known.districts[district_id]},
                             WARNING)
        if "category" in present:
            row["category"] = self.value(ctx, number, cells, "category", f.category, errors)
        if "address" in present:
            row["address"] = self.value(ctx, number, cells, "address",
                                        lambda v: f.text(v, limit=LIMITS["address"]), errors)
        if "licence_expiry" in present:
            expiry = self.value(ctx, number, cells, "licence_expiry", f.date_value, errors)
            row["licence_expiry"] = expiry
            if expiry is not None and expiry < self.today:
                self.problem(ctx, number, "licence_expiry", "licence_expired",
                             {"value": expiry.isoformat()}, WARNING)
        if "latitude" in present or "longitude" in present:
            try:
                lat, lon = f.coordinates(self.cell(ctx, cells, "latitude"),
                                         self.cell(ctx, cells, "longitude"))
                row["latitude"], row["longitude"] = lat, lon
            except FieldError as exc:
                self.problem(ctx, number, "latitude", exc.code, exc.params)
                errors.append(1)
        for name in ("official_name", "director_name", "contact_name"):
            if name in present:
                row[name] = self.value(ctx, number, cells, name,
                                       partial(f.text, limit=LIMITS[name]), errors)
        for name in ("official_phone", "director_phone", "contact_phone"):
            if name in present:
                row[name] = self.value(ctx, number, cells, name, f.phone, errors)
        for key in (credit, licence):
            if key:
                self.file_businesses[key] = None if errors else district_id
        if errors:
            self.row_errors += 1
        else:
            self.result.rows[BUSINESSES].append(row)

    # ------------------------------------------------------------------ cameras, sensors
    def owner(self, ctx: _Context, number: int, cells: list[Any], row: dict[str, Any],
              errors: list[int]) -> str | None:
        """The business a camera or sensor row names (its district), checked."""
        credit = self.value(ctx, number, cells, "business_credit_code", f.credit_code,
                            errors) or ""
        licence = self.value(ctx, number, cells, "business_licence_no", f.licence_no,
                             errors) or ""
        if errors:
            return None
        column = "business_credit_code" if credit or "business_licence_no" not in \
            ctx.header.columns else "business_licence_no"
        if not credit and not licence:
            self.problem(ctx, number, column, "business_key_missing")
            errors.append(1)
            return None
        if credit:
            row["business_credit_code"] = credit
        if licence:
            row["business_licence_no"] = licence
        district: str | None = None
        in_file = [k for k in (credit, licence) if k and k in self.file_businesses]
        if in_file:
            district = self.file_businesses[in_file[0]]
            if district is None:
                self.problem(ctx, number, column, "business_invalid",
                             {"value": credit or licence})
                errors.append(1)
                return None
        else:
            existing = self.known.business(credit, licence)
            if existing is None:
                self.problem(ctx, number, column, "business_unknown",
                             {"value": credit or licence})
                errors.append(1)
                return None
            district = existing[1]
        if self.scope is not None and district != self.scope:
            self.problem(ctx, number, column, "district_forbidden", {"value": district})
            errors.append(1)
            return None
        return district

    def camera(self, ctx: _Context, number: int, cells: list[Any]) -> None:
        errors: list[int] = []
        present = ctx.header.columns
        row: dict[str, Any] = {"_where": (ctx.file, ctx.sheet, number)}
        self.owner(ctx, number, cells, row, errors)
        code = self.value(ctx, number, cells, "gb_code", f.gb_code, errors) or ""
        if "gb_code" in present:
            row["gb_code"] = code
        name = self.value(ctx, number, cells, "name",
                          lambda v: f.text(v, limit=LIMITS["camera_name"]), errors) or ""
        location = self.value(ctx, number, cells, "location",
                              lambda v: f.text(v, limit=LIMITS["location"]), errors) or ""
        name = name or location
        if name:
            row["name"] = name
        if "location" in present or name:
            row["location"] = location or name
        if code:
            self.duplicate(ctx, number, CAMERAS, "gb_code", "设备编码", code, errors)
            current = self.known.gb_codes.get(code)
            owner = self.known.business(row.get("business_credit_code", ""),
                                        row.get("business_licence_no", ""))
            if current and not errors and (owner is None or owner[0] != current[1]):
                self.problem(ctx, number, "gb_code", "camera_moves", {"value": code}, WARNING)
        elif name and not errors:
            owner = row.get("business_credit_code") or row.get("business_licence_no", "")
            self.duplicate(ctx, number, CAMERAS, "name", "通道名称", f"{owner} {name}", errors)
        if not code and not name and not errors:
            self.problem(ctx, number, "gb_code" if "gb_code" in present else "name",
                         "camera_key_missing")
            errors.append(1)
        for url in ("main_url", "sub_url", "playback_url"):
            if url in present:
                row[url] = self.value(ctx, number, cells, url, f.stream_url, errors) or ""
        if not errors and not row.get("main_url") and not row.get("sub_url") \
                and not (code and code in self.known.gb_codes):
            self.problem(ctx, number, "main_url" if "main_url" in present else "sub_url",
                         "url_missing")
            errors.append(1)
        if "public" in present:
            row["public"] = self.value(ctx, number, cells, "public", f.yes_no, errors)
        if errors:
            self.row_errors += 1
        else:
            self.result.rows[CAMERAS].append(row)

    def sensor(self, ctx: _Context, number: int, cells: list[Any]) -> None:
        errors: list[int] = []
        present = ctx.header.columns
        row: dict[str, Any] = {"_where": (ctx.file, ctx.sheet, number)}
        self.owner(ctx, number, cells, row, errors)
        kind = self.value(ctx, number, cells, "kind", f.sensor_kind, errors)
        row["kind"] = kind
        row["location"] = self.value(ctx, number, cells, "location",
                                     lambda v: f.text(v, limit=LIMITS["location"]),
                                     errors) or ""
        if "camera_gb_code" in present:
            code = self.value(ctx, number, cells, "camera_gb_code", f.gb_code, errors)
            if code:
                row["camera_gb_code"] = code
        if "camera_name" in present:
            name = self.value(ctx, number, cells, "camera_name", f.text, errors)
            if name:
                row["camera_name"] = name
        params: dict[str, float] = {}
        for name in SENSOR_PARAMS:
            if name not in present:
                continue
            value = self.value(ctx, number, cells, name, f.number, errors)
            if value is None or kind is None:
                continue
            limits = PARAM_RANGES.get(kind, {}).get(name)
            if limits is None:
                continue  # a cabinet's humidity column left over from another row: ignored
            if not limits.lo <= value <= limits.hi:
                self.problem(ctx, number, name, "param_range",
                             {"lo": f"{limits.lo:g}", "hi": f"{limits.hi:g}",
                              "unit": limits.unit})
                errors.append(1)
            params[name] = value
        if any(n in present for n in SENSOR_PARAMS):
            row["params"] = params
        if "interval_s" in present:
            interval = self.value(ctx, number, cells, "interval_s", f.number, errors)
            if interval is not None:
                if not 5 <= interval <= 3600:
                    self.problem(ctx, number, "interval_s", "interval_range")
                    errors.append(1)
                row["interval_s"] = int(interval)
        if not errors and kind:
            owner = row.get("business_credit_code") or row.get("business_licence_no", "")
            self.duplicate(ctx, number, SENSORS, "location", "传感器",
                           f"{owner} {kind} {row['location']}", errors)
        if errors:
            self.row_errors += 1
        else:
            self.result.rows[SENSORS].append(row)


def _required_columns(kind: str, header: Header) -> list[str]:
    """Columns a sheet of ``kind`` cannot do without."""
    missing = []
    columns = header.columns
    if kind == BUSINESSES:
        for name in ("name", "district"):
            if name not in columns:
                missing.append(name)
        if "credit_code" not in columns and "licence_no" not in columns:
            missing.append("credit_code")
    else:
        if "business_credit_code" not in columns and "business_licence_no" not in columns:
            missing.append("business_credit_code")
        if kind == SENSORS and "kind" not in columns:
            missing.append("kind")
        if kind == CAMERAS and "gb_code" not in columns and "name" not in columns \
                and "location" not in columns:
            missing.append("gb_code")
    return missing


def check_sheets(sheets: Sequence[Sheet], known: Known, *, today: date | None = None,
                 district_scope: str | None = None, progress: ProgressFn | None = None,
                 cancel: threading.Event | None = None) -> CheckResult:
    """Check read sheets: businesses first (cameras and sensors refer to them), then cameras,
    then sensors, whatever order the sheets and files come in."""
    checker = _Checker(known, today or date.today(), district_scope)
    by_kind: dict[str, list[tuple[Sheet, Header]]] = {k: [] for k in KINDS}
    for sheet in sheets:
        if not sheet.rows or sheet.hidden:
            continue  # an empty sheet (the second and third of a new workbook)
        header = find_header([cells for _, cells in sheet.rows], sheet.name)
        if header is None:
            checker.sheet_problem(sheet.file, sheet.name, "header_missing",
                                  {"expected": "商户名称, 统一社会信用代码, 设备编码"})
            continue
        missing = _required_columns(header.kind, header)
        if missing:
            from ledger.headers import HEADERS

            for name in missing:
                checker.sheet_problem(sheet.file, sheet.name, "column_missing",
                                      {"column": HEADERS[header.kind][name][0]})
            continue
        by_kind[header.kind].append((sheet, header))
    total = sum(len(s.rows) - h.row - 1 for k in KINDS for s, h in by_kind[k])
    done = 0
    for kind in KINDS:
        method = {BUSINESSES: checker.business, CAMERAS: checker.camera,
                  SENSORS: checker.sensor}[kind]
        for sheet, header in by_kind[kind]:
            ctx = _Context(sheet.file, sheet.name, header)
            for number, cells in sheet.rows[header.row + 1:]:
                done += 1
                if done % 1000 == 0:
                    if cancel is not None and cancel.is_set():
                        raise Cancelled
                    if progress is not None:
                        progress("check", done, total)
                if not any(c is not None and str(c).strip() for c in cells):
                    continue  # a blank row (spaces only)
                checker.result.read[kind] += 1
                label = checker.cell(ctx, cells, "name" if kind == BUSINESSES
                                     else "business_name")
                if isinstance(label, str) and label.strip().startswith(EXAMPLE_MARK):
                    checker.problem(ctx, number, "", "example_row", None, WARNING)
                    continue  # the template's example, left in: not imported
                method(ctx, number, cells)
    if progress is not None:
        progress("check", total, total)
    return checker.result


def check_files(files: Sequence[tuple[str, bytes]], known: Known, *, today: date | None = None,
                district_scope: str | None = None, progress: ProgressFn | None = None,
                cancel: threading.Event | None = None) -> CheckResult:
    """Read and check ledger files given as ``(name, content)``; a file that cannot be read
    is one error (the others are still checked, and nothing is imported)."""
    sheets: list[Sheet] = []
    unreadable: list[Problem] = []
    for index, (name, data) in enumerate(files):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        if progress is not None:
            progress("read", index, len(files))
        try:
            sheets += read_file(name, data, cancel=cancel)
        except FieldError as exc:
            unreadable.append(Problem(name, "", None, "", exc.code, exc.message,
                                      params=dict(exc.params)))
    result = check_sheets(sheets, known, today=today, district_scope=district_scope,
                          progress=progress, cancel=cancel)
    result.errors[:0] = unreadable
    return result
