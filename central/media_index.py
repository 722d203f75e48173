"""Who may fetch which evidence image: the uploads register and the reference check.

An image's name is the SHA-256 of its bytes, which is unguessable but not a secret: it travels
in the change feed, in exported evidence packs and in logs. So ``GET /media/<name>`` decides
from the caller's scope (see :mod:`central.scope`): city-wide roles may fetch any stored image;
a district-scoped caller only an image that a row of their district refers to (an alarm's
evidence or AI clip, a task's evidence, a task event's attachment, a patrol record's snapshot:
the rows of entities their role may see) or one they uploaded themselves (a field user's
photo before the action that attaches it has arrived).

``central_media`` records every upload: name, size, hash, uploader and the uploader's district.
Like :mod:`central.rule_state` it is central-internal, not part of the synced model, so it has
its own metadata; migration 0004 makes it. The reference check must stay cheap in a city with
100 000 alarms (a task board asks for dozens of thumbnails at once), so migration 0004 also
makes an index on each referring column with its district, ``ix_central_<table>_<col>``: each
check is then a handful of index look-ups, whatever the size of the tables. (The migrations
are shared, so a console's local database gets these small indexes too.)
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    or_,
    select,
)
from sqlalchemy.orm import Session

from central.scope import Principal
from db.models import Alarm, PatrolRecord, Task, TaskEvent
from domain.clock import utcnow

metadata = MetaData()
uploads = Table(
    "central_media", metadata,
    Column("name", String(72), primary_key=True),  # <sha256>.<ext>
    Column("uploaded_by", String(32), primary_key=True),  # the uploader's user id
    Column("uploader_district", String(32), nullable=True),  # None: a city-wide account
    Column("bytes", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# (model, column holding a media URL, the entity a role must be allowed to see)
REFERENCES = (
    (Alarm, "evidence_url", "alarm"),
    (Alarm, "evidence_clip_url", "alarm"),
    (Task, "evidence_url", "task"),
    (TaskEvent, "attachment_url", "task_event"),
    (PatrolRecord, "snapshot_url", "patrol_record"),
)


def record_upload(session: Session, name: str, size: int, sha256: str,
                  principal: Principal) -> None:
    """Remember that ``principal`` stored ``name`` (once per uploader; repeats are no-ops).

    Runs as an ordinary write: one writer at a time, so select-then-insert cannot race.
    """
    known = session.execute(select(uploads.c.name).where(
        uploads.c.name == name, uploads.c.uploaded_by == principal.user_id)).first()
    if known is None:
        session.execute(uploads.insert().values(
            name=name, uploaded_by=principal.user_id, uploader_district=principal.district_id,
            bytes=size, sha256=sha256, created_at=utcnow().replace(tzinfo=None)))


def may_fetch(session: Session, principal: Principal, name: str) -> bool:
    """Whether ``principal``'s scope covers the stored image ``name``.

    The caller still checks that the file exists; this only answers "may they see it".
    """
    query = access_query(principal, name)
    return query is None or bool(session.execute(query).scalar())


def access_query(principal: Principal, name: str) -> Select[tuple[bool]] | None:
    """One ``SELECT EXISTS(...) OR EXISTS(...)`` answering :func:`may_fetch` for a
    district-scoped caller (``None``: a city-wide caller, who may fetch any stored image).

    Each branch is a look-up in ``central_media``'s key or in an ``ix_central_*`` index.
    """
    scope = principal.district_scope
    if scope is None:
        return None
    url = f"/media/{name}"
    checks = [select(uploads.c.name).where(uploads.c.name == name,
                                           uploads.c.uploaded_by == principal.user_id).exists()]
    for model, column, entity in REFERENCES:
        if entity in principal.entities:
            checks.append(select(model.id).where(getattr(model, column) == url,
                                                 model.district_id == scope).exists())
    return select(or_(*checks))
