"""JSON errors: every failure a client sees is ``{"error", "message"}``, never an HTML page.

Handlers raise :class:`ApiError` with a stable code and words that tell the operator what to
fix; the middleware also converts aiohttp's own HTTP exceptions (unknown route, wrong method,
body too large) and turns anything unexpected into a logged 500 without a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from central.config import CONFIG

log = logging.getLogger("kitchenwatch.central.errors")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiError(Exception):
    """An error with an HTTP status, a stable code and words for the operator.

    ``extra`` keys are added to the body (``current`` for 409, ``retry_after`` for 429, ...).
    """

    def __init__(self, status: int, code: str, message: str, *,
                 close_connection: bool = False, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.close_connection = close_connection  # the rest of the request cannot be trusted
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.extra}

    def response(self) -> web.Response:
        headers = {}
        if "retry_after" in self.extra:
            headers["Retry-After"] = str(max(1, int(self.extra["retry_after"])))
        response = web.json_response(self.body(), status=self.status, headers=headers)
        if self.close_connection:
            response.force_close()
        return response


def invalid(message: str) -> ApiError:
    """422: well-formed JSON whose content does not fit (names the offending field)."""
    return ApiError(422, "invalid_payload", message)


def malformed(message: str) -> ApiError:
    """400: the request itself cannot be understood (bad JSON, bad query parameter)."""
    return ApiError(400, "bad_request", message)


def not_found(what: str, ident: object) -> ApiError:
    return ApiError(404, "not_found", f"{what} {ident!s} not found")


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large",
               415: "unsupported_media", 400: "bad_request"}


def _http_message(request: web.Request, exc: web.HTTPException) -> str:
    if exc.status == 404:
        return f"no such route: {request.method} {request.path}"
    if exc.status == 405:
        return f"method {request.method} is not allowed on {request.path}"
    if exc.status == 413:
        return f"request body too large for {request.path}: {exc.text}"
    text = exc.text or ""
    prefix = f"{exc.status}: "
    return text[len(prefix):] if text.startswith(prefix) else (text or exc.reason)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        if exc.status >= 500:
            log.error("%s %s: %s", request.method, request.path, exc.message)
        return exc.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_CODES.get(exc.status, "http_error")
        return web.json_response({"error": code, "message": _http_message(request, exc)},
                                 status=exc.status)
    except ConnectionResetError:
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response(
            {"error": "internal", "message": "internal server error; see the central log"},
            status=500)


MAX_JSON_DEPTH = 64  # objects and lists; real payloads nest 4 deep, a fuzzer 5000 deep


def too_large(what: str, limit: int, size: int | None = None) -> ApiError:
    """413 naming the limit, so a client knows how much to split or shrink."""
    got = f" of {size} bytes" if size is not None else ""
    return ApiError(413, "too_large", f"{what}{got} exceeds the limit of {limit} bytes",
                    limit=limit)


async def read_body(request: web.Request, max_bytes: int, what: str = "body") -> bytes:
    """The whole request body, or 413 if it is longer than ``max_bytes``.

    A bounded read of the stream returns only what has *arrived* so far: a body that came in
    two TCP segments was cut at the first. This is ``request.read()``'s loop (read until the
    end of the body: Content-Length reached or the last chunk of a chunked body) with two
    guards: it stops as soon as the body passes this route's limit, even without
    Content-Length or when it expands on decompression; and it gives up (408) when nothing
    arrives for ``body_idle_timeout_s``: a client that stalls, or a malformed chunk in
    mid-body, after which aiohttp would wait for the rest for ever.
    """
    length = request.content_length
    if length is not None and length > max_bytes:
        raise too_large(what, max_bytes, length)
    config = request.app.get(CONFIG)
    idle = config.body_idle_timeout_s if config is not None else 30.0
    body = bytearray()
    while True:
        try:
            async with asyncio.timeout(idle):
                chunk = await request.content.readany()
        except TimeoutError as exc:
            raise ApiError(408, "timeout", f"{what}: nothing arrived for {idle:g} s after "
                                           f"{len(body)} bytes; send the whole body again",
                           close_connection=True) from exc
        if not chunk:
            return bytes(body)
        body.extend(chunk)
        if len(body) > max_bytes:
            raise too_large(what, max_bytes)


async def read_json(request: web.Request, max_bytes: int) -> Any:
    """The whole request body as JSON; size, syntax and nesting errors become clear 4xx."""
    raw = await read_body(request, max_bytes)
    if not raw.strip():
        raise malformed("body is empty; expected a JSON object")
    return parse_json(raw)


def parse_json(raw: bytes) -> Any:
    """``raw`` as JSON without NaN/Infinity and nested at most :data:`MAX_JSON_DEPTH` deep."""
    encoding = json.detect_encoding(raw)  # UTF-8, or UTF-16/32 as RFC 8259's predecessors allowed
    try:
        text = raw.decode(encoding, "surrogatepass")
    except UnicodeDecodeError as exc:
        raise malformed(f"body is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise malformed(f"body is not valid JSON: {exc.msg} at line {exc.lineno} "
                        f"column {exc.colno}") from exc
    except ValueError as exc:  # from _bounded_int: Python's own limit would be a 500
        raise malformed(f"body is not valid JSON: {exc}") from exc
    except RecursionError as exc:  # json gives up near 1000 levels, with a 500 if uncaught
        raise _too_deep() from exc
    utf8 = raw if encoding == "utf-8" else text.encode("utf-8", "surrogatepass")
    if json_depth_exceeds(utf8, MAX_JSON_DEPTH):
        raise _too_deep()
    return value


def _too_deep() -> ApiError:
    return malformed(f"body is nested too deeply: objects and lists may nest at most "
                     f"{MAX_JSON_DEPTH} levels")


_NOT_STRUCTURE = bytes(range(256)).translate(None, b'"[]{}')
_ONE_KIND = bytes.maketrans(b"{}", b"[]")


def json_depth_exceeds(data: bytes, limit: int) -> bool:
    """Whether the *valid* UTF-8 JSON document ``data`` nests objects/lists deeper than ``limit``.

    Works on bytes at C speed (a few ms for a 2 MB batch, against walking every parsed object
    in Python): drop escaped backslashes and quotes, keep only quotes and brackets, drop what
    lies between quote pairs (brackets inside strings), then peel innermost ``[]`` pairs
    ``limit`` times; anything left was deeper. Sound only for a document that parsed (every
    string closed) in UTF-8, where no byte of a multi-byte character is ASCII.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    skeleton = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    skeleton = b"".join(skeleton.split(b'"')[::2]).translate(_ONE_KIND)
    for _ in range(limit):
        if not skeleton:
            return False
        skeleton = skeleton.replace(b"[]", b"")
    return bool(skeleton)


MAX_INT_DIGITS = 40  # beyond any id, count or 64-bit value a client may send


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a number with {len(digits.lstrip('-'))} digits is longer than the "
                         f"{MAX_INT_DIGITS} digits any field allows")
    return int(digits)


def _reject_constant(name: str) -> Any:
    # json.loads accepts NaN and Infinity by default; a NaN temperature must not reach a rule.
    raise json.JSONDecodeError(f"{name} is not a number JSON allows", name, 0)


async def read_object(request: web.Request, max_bytes: int, shape: str) -> dict[str, Any]:
    """The body as a JSON object (``shape`` describes the expected keys in the error)."""
    body = await read_json(request, max_bytes)
    if not isinstance(body, dict):
        raise invalid(f"body: expected a JSON object {shape}, got {type(body).__name__}")
    return body
