"""The registry as this console last synced it, in the plain shapes ``ledger`` works with:
:class:`ledger.known.Known` for the dry run, :class:`ledger.export.Registry` for the export
and the template's drop-down lists. Qt-free (runs on the store's thread)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Base, Business, Camera, District, Grid, Sensor, Street
from ledger.export import Registry
from ledger.known import Known


def known(session: Session) -> Known:
    """Places and natural keys of the synced registry (what central's check will see)."""
    out = Known()
    for d in session.execute(select(District.id, District.name, District.name_en)):
        out.add_district(d.id, d.name, d.name_en)
    for s in session.execute(select(Street.id, Street.district_id, Street.name)):
        out.streets[(s.district_id, s.name)] = s.id
    for g in session.execute(select(Grid.id, Grid.district_id, Grid.name)):
        out.grids[(g.district_id, g.name)] = g.id
    for b in session.execute(select(Business.id, Business.district_id, Business.credit_code,
                                    Business.licence_no)):
        if b.credit_code:
            out.credit_codes[b.credit_code] = (b.id, b.district_id)
        if b.licence_no:
            out.licences[b.licence_no] = (b.id, b.district_id)
    for c in session.execute(select(Camera.id, Camera.business_id, Camera.gb_code, Camera.name)):
        if c.gb_code:
            out.gb_codes[c.gb_code] = (c.id, c.business_id)
        out.camera_names[(c.business_id, c.name)] = c.id
    return out


def _rows(session: Session, model: type[Base]) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in session.execute(select(model.__table__))]


def registry(session: Session) -> Registry:
    return Registry(districts=_rows(session, District), streets=_rows(session, Street),
                    grids=_rows(session, Grid), businesses=_rows(session, Business),
                    cameras=_rows(session, Camera), sensors=_rows(session, Sensor))
