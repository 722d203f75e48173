"""Signed playback addresses: what a player that cannot send ``Authorization`` (libVLC) opens.

The console asks ``POST /api/recordings/links`` with its bearer token for one camera and time
range; central checks the scope (another district's camera: 404, as everywhere) and answers an
address of ``GET /api/recordings/signed/clip.ts`` carrying the range, an expiry at most
:data:`LINK_LIFETIME` ahead, the user's id and ``sig``, an HMAC-SHA256 of all of them keyed with
the digest of the session's token. The address is therefore:

- **short-lived**: refused after ``exp``, and refused when ``exp`` lies more than
  :data:`MAX_LIFETIME` in the future — even a client that computes a signature itself (it knows
  its own token) cannot make a long-lived address;
- **scoped**: one camera, one range, re-checked against the user's scope when it is opened;
- **tied to the session**: the key is the session's token digest, looked up among the user's
  live sessions when the address is opened, so after logout (or a revoked session, a disabled
  account, a changed district) the address is refused (401) at once;
- **no credential**: the token itself never appears in it; ``sig`` is masked in logs by
  :func:`common.masking.mask_url` (a credential parameter name).

Nothing is stored: every worker verifies with the database alone.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.auth import token_hash
from central.context import DB, bearer_token, parse_time, principal_of
from central.errors import ApiError, read_object
from central.recordings import WATCHES_RECORDINGS, Found, find, stream_ts
from central.schemas import recordings as schema
from central.schemas.common import validate
from central.scope import Principal
from central.sessions import verdicts
from db.models import AuthToken
from domain.clock import utcnow

routes = web.RouteTableDef()

#: How long a minted address stays valid: enough for a player to open it (and re-open after a
#: network hiccup); a seek mints a new one.
LINK_LIFETIME = timedelta(minutes=2)
#: The furthest expiry any address may carry when it is opened, signed by whomever.
MAX_LIFETIME = timedelta(minutes=5)
SIGNED_PATH = "/api/recordings/signed/clip.ts"
_DOMAIN = b"kw-playback-link|v1"


def _stamp(ts: datetime) -> str:
    return ts.isoformat().replace("+00:00", "Z")


def signature(digest: str, user_id: str, camera_id: str, start: str, end: str,
              exp: int) -> str:
    """The HMAC of one address's fields keyed with the session's token digest (hex)."""
    message = b"|".join([_DOMAIN, user_id.encode(), camera_id.encode(), start.encode(),
                         end.encode(), str(exp).encode()])
    return hmac.new(digest.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Link:
    """A minted address (path and query, relative to central's base) and its expiry."""

    path: str
    expires_at: datetime


def mint(digest: str, principal: Principal, camera_id: str, start: datetime, end: datetime,
         now: datetime) -> Link:
    exp_at = now + LINK_LIFETIME
    exp = int(exp_at.timestamp())
    a, b = _stamp(start), _stamp(end)
    query = {"camera": camera_id, "from": a, "to": b, "exp": str(exp),
             "uid": principal.user_id,
             "sig": signature(digest, principal.user_id, camera_id, a, b, exp)}
    return Link(f"{SIGNED_PATH}?{urlencode(query)}", exp_at)


def _refused(message: str) -> ApiError:
    return ApiError(401, "link_refused", message)


@routes.post("/api/recordings/links")
async def post_link(request: web.Request) -> web.Response:
    """Mint a signed address for one camera and range (404 outside the scope or when nothing
    was recorded there, so a player is never handed an address that plays nothing)."""
    principal = await principal_of(request, WATCHES_RECORDINGS, "watch recordings")
    body = await read_object(request, 64 * 1024, '{"camera", "from", "to"}')
    parsed: schema.LinkBody = validate(schema.LinkBody, body)
    camera, start, end = parsed.camera, parsed.from_, parsed.to
    found: Found = await request.app[DB].read(lambda s: find(s, principal, camera, start, end))
    if not found.segments:
        raise ApiError(404, "not_found", f"no recording of camera {camera} between "
                                         f"{_stamp(start)} and {_stamp(end)}")
    link = mint(token_hash(bearer_token(request)), principal, camera, start, end, utcnow())
    first = found.segments[0].start
    return web.json_response({"path": link.path, "expires_at": _stamp(link.expires_at),
                              "first_segment_start": _stamp(first)})


def _field(query: Any, name: str) -> str:
    value = query.get(name, "")
    if not isinstance(value, str) or not value or len(value) > 128:
        raise _refused(f"playback address refused: {name} is missing")
    return value


@routes.get(SIGNED_PATH)
async def open_signed(request: web.Request) -> web.StreamResponse:
    """Play a signed address: expiry, signature and session checked, then the scope again."""
    q = request.query
    camera, a, b, uid, sig = (_field(q, n) for n in ("camera", "from", "to", "uid", "sig"))
    try:
        exp = int(_field(q, "exp"))
    except ValueError:
        raise _refused("playback address refused: exp is not a number") from None
    now = utcnow()
    if exp <= now.timestamp():
        raise _refused("playback address expired: ask for a new one")
    if exp > (now + MAX_LIFETIME).timestamp():
        raise _refused(f"playback address refused: it may live at most "
                       f"{int(MAX_LIFETIME.total_seconds())} s")
    start, end = parse_time(a, "from", status=400), parse_time(b, "to", status=400)

    def work(session: Session) -> Found:
        digests = list(session.scalars(select(AuthToken.token_hash)
                                       .where(AuthToken.user_id == uid,
                                              AuthToken.expires_at > now)))
        for digest, verdict in verdicts(session, digests, now).items():
            if verdict.principal is not None and hmac.compare_digest(
                    sig, signature(digest, uid, camera, a, b, exp)):
                if verdict.principal.role not in WATCHES_RECORDINGS:
                    break
                return find(session, verdict.principal, camera, start, end)
        raise _refused("playback address refused: its session has ended or the signature "
                       "is wrong")

    found = await request.app[DB].read(work)
    if not found.segments:
        raise ApiError(404, "not_found", f"no recording of camera {camera} in this range")
    return await stream_ts(request, found.segments)
