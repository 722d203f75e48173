"""The registry's places and natural keys as a ledger check needs them (``ledger.known``).

One reader for both sides of an import: central checks a ledger against its database, and the
console's dry run checks it against the synced local copy, so both see the same keys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Business, Camera, District, Grid, Street
from ledger.known import Known

__all__ = ["load_known"]


def load_known(session: Session) -> Known:
    """The registry's places and natural keys, for a ledger check (ledger.check)."""
    known = Known()
    for d in session.execute(select(District.id, District.name, District.name_en)):
        known.add_district(d.id, d.name, d.name_en)
    for s in session.execute(select(Street.id, Street.district_id, Street.name)):
        known.streets[(s.district_id, s.name)] = s.id
    for g in session.execute(select(Grid.id, Grid.district_id, Grid.name)):
        known.grids[(g.district_id, g.name)] = g.id
    for b in session.execute(select(Business.id, Business.district_id, Business.credit_code,
                                    Business.licence_no)):
        if b.credit_code:
            known.credit_codes[b.credit_code] = (b.id, b.district_id)
        if b.licence_no:
            known.licences[b.licence_no] = (b.id, b.district_id)
    for c in session.execute(select(Camera.id, Camera.business_id, Camera.gb_code,
                                    Camera.name)):
        if c.gb_code:
            known.gb_codes[c.gb_code] = (c.id, c.business_id)
        known.camera_names[(c.business_id, c.name)] = c.id
    return known
