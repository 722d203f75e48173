"""``POST /api/registry/import``: a ledger file from the console, checked and imported.

The body is the file itself (``Content-Type`` names .xlsx or .csv), read whole up to
``max_ledger_bytes``. An administrator imports city-wide; a district administrator (admin
with a district) only rows of their own district: rows of other districts are errors. The
answer is the command line's JSON; a real import reaches every console through the change
feed like any other registry change.
"""

from __future__ import annotations

import re

from aiohttp import web

from central.context import CONFIG, DB, principal_of
from central.errors import ApiError, read_body
from central.importer import ImportOptions, run_import_async
from central.schemas.common import validate_query
from central.schemas.ledger import ImportQuery
from domain.roles import Role

routes = web.RouteTableDef()
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {XLSX_TYPE: ".xlsx", "text/csv": ".csv", "application/csv": ".csv",
                 "text/plain": ".csv"}
IMPORTS = frozenset({Role.ADMIN})
_SAFE_NAME = re.compile(r"[^\w.\- ()\u3400-\u9fff]")


def _file_name(query_name: str, content_type: str) -> str:
    suffix = CONTENT_TYPES[content_type]
    name = _SAFE_NAME.sub("_", query_name.replace("\\", "/").rsplit("/", 1)[-1])[:120]
    if not name:
        return f"ledger{suffix}"
    return name if name.lower().endswith(suffix) else f"{name}{suffix}"


@routes.post("/api/registry/import")
async def import_ledger(request: web.Request) -> web.Response:
    principal = await principal_of(request, IMPORTS, "import ledgers")
    query: ImportQuery = validate_query(ImportQuery, {k: v for k, v in request.query.items()})
    content_type = request.content_type.lower()
    if content_type not in CONTENT_TYPES:
        raise ApiError(415, "unsupported_media",
                       f"Content-Type {content_type!r}: send the file as {XLSX_TYPE} (.xlsx) "
                       f"or text/csv (.csv)")
    limit = request.app[CONFIG].max_ledger_bytes
    data = await read_body(request, limit, "ledger file")
    if not data:
        raise ApiError(422, "invalid_payload", "body: expected the ledger file, got nothing")
    options = ImportOptions(actor=principal.username,
                            dry_run=query.dry_run in ("1", "true"),
                            skip_invalid=query.skip_invalid in ("1", "true"),
                            district_scope=principal.district_id or None)
    name = _file_name(query.name, content_type)
    result = await run_import_async(request.app[DB], [(name, data)], options)
    return web.json_response(result)
