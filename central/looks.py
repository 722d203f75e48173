"""Has anyone looked at a camera since a moment? The narrow interface the second-look closure
(:mod:`domain.second_look`) needs from the look records (痕迹化, issue 18 item 9).

The records are the 包保 work's ``view_records`` table (who watched which camera, when, for how
long), written by another part of the project; this module reads only the two columns it
needs, and answers None while the table does not exist in a database, so a task can then not
be closed by a look — never closed on a look nobody recorded.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, inspect, text
from sqlalchemy.orm import Session

from db.models import UTCDateTime

VIEW_TABLE = "view_records"
_LATEST = text(f"SELECT max(started_at) AS started FROM {VIEW_TABLE} "
               "WHERE camera_id = :camera AND started_at >= :after").bindparams(
    bindparam("after", type_=UTCDateTime())).columns(started=UTCDateTime())


def latest_look(session: Session, camera_id: str, after: datetime) -> datetime | None:
    """The start of the latest recorded look at ``camera_id`` that began at or after ``after``."""
    if not inspect(session.connection()).has_table(VIEW_TABLE):
        return None
    value = session.execute(_LATEST, {"camera": camera_id, "after": after}).scalar()
    return value if isinstance(value, datetime) else None
