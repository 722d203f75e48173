"""``GET /api/changes``: the change feed, paged and filtered to the caller's scope.

The head sequence is read *before* the rows and the rows are limited to it. On SQLite each
statement sees its own snapshot, so reading the head afterwards could name a sequence whose row
committed between the two statements and was never returned; with the head first, a cursor of
``head_seq`` always means "everything in my scope up to here has been delivered".
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string

from aiohttp import web
from sqlalchemy.orm import Session

from central import changes
from central.context import CONFIG, DB, principal_of
from central.errors import ApiError
from central.schemas.common import validate_query
from central.schemas.reads import ChangesQuery
from central.scope import Principal, present, shown_as_stored

routes = web.RouteTableDef()


def page(session: Session, principal: Principal, since: int, limit: int) -> bytes:
    """One page of the feed after ``since`` for ``principal``: the /api/changes body, encoded.

    Each change is ``{"seq", "entity", "id", "district_id", "deleted", "payload"}``. A payload
    the caller may see as stored (:func:`central.scope.shown_as_stored`) is sent as the JSON
    text in the database; only the others are decoded and passed through
    :func:`central.scope.present` (a province's snapshot would otherwise cost central a
    decode and an encode of 325,000 payloads)."""
    head = changes.head_seq(session)
    if since > head:
        raise ApiError(409, "cursor_ahead",
                       f"cursor {since} is ahead of this server's newest change {head}: the "
                       f"server's database was replaced; sync again from 0",
                       head_seq=head, feed_id=changes.feed_id(session))
    rows = changes.read_wire(session, since, limit + 1, upto=head,
                             district_id=principal.district_scope, entities=principal.entities)
    more = len(rows) > limit
    rows = rows[:limit]
    as_stored: dict[str, bool] = {}
    out = []
    for row in rows:
        entity = row.entity
        stored = as_stored.get(entity)
        if stored is None:
            stored = as_stored[entity] = shown_as_stored(principal, entity)
        payload = row.payload_json or "null"
        if not stored:
            payload = json.dumps(present(principal, entity, json.loads(payload)),
                                 ensure_ascii=False)
        district = "null" if row.district_id is None else _string(row.district_id)
        out.append(f'{{"seq":{int(row.seq)},"entity":{_string(entity)},'
                   f'"id":{_string(row.entity_id)},"district_id":{district},'
                   f'"deleted":{"true" if row.deleted else "false"},"payload":{payload}}}')
    # Without more rows the caller has everything in its scope up to head, so its cursor may
    # move past rows of other districts (they would only be filtered out again).
    last = rows[-1].seq if more else head
    tail = json.dumps({"last_seq": last, "head_seq": head, "more": more,
                       "feed_id": changes.feed_id(session)}, ensure_ascii=False)
    return f'{{"changes":[{",".join(out)}],{tail[1:]}'.encode()


@routes.get("/api/changes")
async def get_changes(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    cfg = request.app[CONFIG]
    query = validate_query(ChangesQuery, {k: v for k, v in request.query.items() if v})
    since = query.since
    limit = min(query.limit if "limit" in query.model_fields_set else cfg.feed_page_default,
                cfg.feed_page_max)
    body = await request.app[DB].read(lambda s: page(s, principal, since, limit))
    return web.Response(body=body, content_type="application/json", charset="utf-8")
