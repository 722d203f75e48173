"""JSON errors: every failure a client sees is ``{"error", "message"}``, never an HTML page.

Handlers raise :class:`ApiError` with a stable code and words that tell the operator what to
fix; the middleware also converts aiohttp's own HTTP exceptions (unknown route, wrong method,
body too large) and turns anything unexpected into a logged 500 without a traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger("kitchenwatch.central.errors")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiError(Exception):
    """An error with an HTTP status, a stable code and words for the operator.

    ``extra`` keys are added to the body (``current`` for 409, ``retry_after`` for 429, ...).
    """

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.extra}

    def response(self) -> web.Response:
        headers = {}
        if "retry_after" in self.extra:
            headers["Retry-After"] = str(max(1, int(self.extra["retry_after"])))
        return web.json_response(self.body(), status=self.status, headers=headers)


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
        return f"request body too large for {request.path}"
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


async def read_json(request: web.Request, max_bytes: int) -> Any:
    """The request body as JSON; size and syntax errors become clear 4xx answers."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "too_large", f"body of {request.content_length} bytes exceeds "
                                         f"the limit of {max_bytes} bytes")
    raw = await request.content.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ApiError(413, "too_large", f"body exceeds the limit of {max_bytes} bytes")
    if not raw.strip():
        raise malformed("body is empty; expected a JSON object")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise malformed(f"body is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise malformed(f"body is not valid JSON: {exc.msg} at line {exc.lineno} "
                        f"column {exc.colno}") from exc


def _reject_constant(name: str) -> Any:
    # json.loads accepts NaN and Infinity by default; a NaN temperature must not reach a rule.
    raise json.JSONDecodeError(f"{name} is not a number JSON allows", name, 0)


async def read_object(request: web.Request, max_bytes: int, shape: str) -> dict[str, Any]:
    """The body as a JSON object (``shape`` describes the expected keys in the error)."""
    body = await read_json(request, max_bytes)
    if not isinstance(body, dict):
        raise invalid(f"body: expected a JSON object {shape}, got {type(body).__name__}")
    return body
