"""JSON error responses: every failure a client sees is ``{"error", "message"}``, never HTML."""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

log = logging.getLogger("kitchenwatch.central.errors")


class ApiError(Exception):
    """An error with an HTTP status, a stable code and words for the operator."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def response(self) -> web.Response:
        body = {"error": self.code, "message": self.message, **self.extra}
        return web.json_response(body, status=self.status)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "invalid_payload", message)


@web.middleware
async def error_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return exc.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = exc.reason.lower().replace(" ", "_") if exc.reason else "http_error"
        message = exc.text if exc.text and not exc.text.startswith(str(exc.status)) else exc.reason
        return web.json_response({"error": code, "message": message}, status=exc.status)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response(
            {"error": "internal", "message": "internal server error; see the server log"},
            status=500)


async def read_json(request: web.Request, max_bytes: int) -> Any:
    """The request body as JSON, with size and syntax errors turned into clear 4xx."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "too_large", f"body of {request.content_length} bytes exceeds "
                                         f"the limit of {max_bytes}")
    raw = await request.content.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ApiError(413, "too_large", f"body exceeds the limit of {max_bytes} bytes")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_request(f"body is not valid JSON: {exc}") from exc
