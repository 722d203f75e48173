"""Onboarding progress from the local cache (Qt-free): how far each district and street is in
connecting its kitchens, and which businesses still have no working camera.

"Ever online" is ``first_online_at``, which central stamps on a camera's first online or
playing report: a camera whose only reports said "offline" (or frozen, or black) was never
seen online, and one that has gone offline since still was. "Online now" is a healthy
verdict (online or playing). A business counts as connected when one of its cameras was ever
online; the share of target is connected businesses over the target the administrator set
(no target: none).

Exports write the same table to CSV (UTF-8 with BOM, so Excel opens it in Chinese) or to an
.xlsx workbook with openpyxl: one sheet of progress, one of the businesses still waiting.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Business, Camera, District, OnboardingTarget, Street
from domain.health import HEALTHY, CameraHealth

NEVER_REPORTED = CameraHealth.UNKNOWN.value
HEALTHY_WORDS = frozenset(h.value for h in HEALTHY)


@dataclass
class ProgressRow:
    """One district (``street_id`` "") or one street of it."""

    district_id: str
    district: str
    street_id: str
    street: str
    target: int | None = None
    target_version: int | None = None
    businesses: int = 0
    with_camera: int = 0
    cameras: int = 0
    cameras_ever_online: int = 0
    cameras_online: int = 0
    connected: int = 0  # businesses with a camera that was ever online
    level: str = "district"  # or "street" (street_id "" there: businesses without a street)

    @property
    def share(self) -> float | None:
        """Connected businesses over the target (None without a target)."""
        if not self.target:
            return None
        return self.connected / self.target


@dataclass
class Waiting:
    """A business with no working camera yet (none, or none ever seen online)."""

    business_id: str
    name: str
    district: str
    street: str
    cameras: int
    official: str
    phone: str


@dataclass
class Progress:
    rows: list[ProgressRow] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)


NO_STREET = ""


def compute(session: Session) -> Progress:
    """Progress per district, then per street of it (businesses without a street are in a
    row of their own under the district, street id "" and name "")."""
    districts = {d.id: d.name for d in session.execute(select(District.id, District.name))}
    streets = {s.id: (s.district_id, s.name) for s in session.execute(
        select(Street.id, Street.district_id, Street.name))}
    targets = {(t.district_id, t.street_id): (t.businesses, t.version) for t in
               session.execute(select(OnboardingTarget.district_id, OnboardingTarget.street_id,
                                      OnboardingTarget.businesses, OnboardingTarget.version))}
    cams: dict[str, list[tuple[str, bool]]] = {}
    for business_id, health, first_online in session.execute(
            select(Camera.business_id, Camera.health, Camera.first_online_at)):
        cams.setdefault(business_id, []).append((health or NEVER_REPORTED,
                                                 first_online is not None))
    district_rows: dict[str, ProgressRow] = {}
    street_rows: dict[tuple[str, str], ProgressRow] = {}
    for did, name in districts.items():
        district_rows[did] = ProgressRow(did, name, "", "")
    for sid, (did, name) in streets.items():
        street_rows[(did, sid)] = ProgressRow(did, districts.get(did, did), sid, name,
                                              level="street")
    waiting: list[Waiting] = []
    for b in session.execute(select(Business.id, Business.name, Business.district_id,
                                    Business.street_id, Business.official_name,
                                    Business.official_phone).order_by(Business.id)):
        healths = cams.get(b.id, [])
        ever = sum(1 for _, was_online in healths if was_online)
        now = sum(1 for h, _ in healths if h in HEALTHY_WORDS)
        district = district_rows.setdefault(
            b.district_id, ProgressRow(b.district_id, b.district_id, "", ""))
        street = street_rows.setdefault(
            (b.district_id, b.street_id or NO_STREET),
            ProgressRow(b.district_id, district.district, b.street_id or NO_STREET,
                        streets.get(b.street_id or "", ("", ""))[1], level="street"))
        for row in (district, street):
            row.businesses += 1
            row.with_camera += bool(healths)
            row.cameras += len(healths)
            row.cameras_ever_online += ever
            row.cameras_online += now
            row.connected += bool(ever)
        if not ever:
            waiting.append(Waiting(b.id, b.name, district.district, street.street,
                                   len(healths), b.official_name, b.official_phone))
    for (did, sid), (target, version) in targets.items():
        found = district_rows.get(did) if not sid else street_rows.get((did, sid))
        if found is not None:
            found.target, found.target_version = target, version
    rows: list[ProgressRow] = []
    for did in sorted(district_rows):
        rows.append(district_rows[did])
        own = [street_rows[key] for key in sorted(street_rows) if key[0] == did]
        if all(not r.street_id for r in own):
            continue  # no streets yet: the district's row says it all
        rows.extend(own)
    return Progress(rows, waiting)


# --------------------------------------------------------------------------- export


def table(progress: Progress, headers: Sequence[str]) -> list[list[Any]]:
    """The progress rows as cells under ``headers`` (the caller's translated words):
    district, street, target, businesses, with a camera, cameras, ever online, online now,
    connected, share of target (a fraction, or "")."""
    out: list[list[Any]] = [list(headers)]
    for r in progress.rows:
        out.append([r.district, r.street, "" if r.target is None else r.target, r.businesses,
                    r.with_camera, r.cameras, r.cameras_ever_online, r.cameras_online,
                    r.connected, "" if r.share is None else round(r.share, 4)])
    return out


def waiting_table(progress: Progress, headers: Sequence[str]) -> list[list[Any]]:
    out: list[list[Any]] = [list(headers)]
    out.extend([w.business_id, w.name, w.district, w.street, w.cameras, w.official, w.phone]
               for w in progress.waiting)
    return out


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    """UTF-8 with a byte-order mark: Excel on a Chinese Windows reads it as UTF-8."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    """One sheet per entry (first row bold as the header), with readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title[:31]
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(zip(*rows, strict=False), 1):
            width = max(len(str(v)) for v in column) if column else 8
            sheet.column_dimensions[get_column_letter(index)].width = \
                min(60, max(8, width * 2 + 2))
        sheet.freeze_panes = "A2"
    book.save(path)
