"""The registry as this console last synced it, in the plain shapes ``ledger`` works with:
:class:`ledger.known.Known` for the dry run, :class:`ledger.export.Registry` for the export
and the template's drop-down lists. Qt-free (runs on the store's thread)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Base, Business, Camera, District, Grid, Sensor, Street
from db.registry_keys import load_known
from ledger.export import Registry

#: Places and natural keys of the synced registry (what central's check will see).
known = load_known


def _rows(session: Session, model: type[Base]) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in session.execute(select(model.__table__))]


def registry(session: Session) -> Registry:
    return Registry(districts=_rows(session, District), streets=_rows(session, Street),
                    grids=_rows(session, Grid), businesses=_rows(session, Business),
                    cameras=_rows(session, Camera), sensors=_rows(session, Sensor))
