"""``GET /api/changes``: the change feed, paged and filtered to the caller's scope.

The head sequence is read *before* the rows and the rows are limited to it. On SQLite each
statement sees its own snapshot, so reading the head afterwards could name a sequence whose row
committed between the two statements and was never returned; with the head first, a cursor of
``head_seq`` always means "everything in my scope up to here has been delivered".
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from central import changes
from central.context import CONFIG, DB, principal_of
from central.errors import ApiError
from central.schemas.common import validate_query
from central.schemas.reads import ChangesQuery
from central.scope import Principal, present

routes = web.RouteTableDef()


def page(session: Session, principal: Principal, since: int, limit: int) -> dict[str, Any]:
    """One page of the feed after ``since`` for ``principal`` (the /api/changes body)."""
    head = changes.head_seq(session)
    if since > head:
        raise ApiError(409, "cursor_ahead",
                       f"cursor {since} is ahead of this server's newest change {head}: the "
                       f"server's database was replaced; sync again from 0",
                       head_seq=head, feed_id=changes.feed_id(session))
    rows = changes.read(session, since, limit + 1, upto=head,
                        district_id=principal.district_scope, entities=principal.entities)
    more = len(rows) > limit
    rows = rows[:limit]
    out = []
    for row in rows:
        message = changes.as_message(row)
        message["payload"] = present(principal, row.entity, message["payload"])
        out.append(message)
    # Without more rows the caller has everything in its scope up to head, so its cursor may
    # move past rows of other districts (they would only be filtered out again).
    last = rows[-1].seq if more else head
    return {"changes": out, "last_seq": last, "head_seq": head, "more": more,
            "feed_id": changes.feed_id(session)}


@routes.get("/api/changes")
async def get_changes(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    cfg = request.app[CONFIG]
    query = validate_query(ChangesQuery, {k: v for k, v in request.query.items() if v})
    since = query.since
    limit = min(query.limit if "limit" in query.model_fields_set else cfg.feed_page_default,
                cfg.feed_page_max)
    body = await request.app[DB].read(lambda s: page(s, principal, since, limit))
    return web.json_response(body)
