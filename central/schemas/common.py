"""Shared pieces of central's payload models: the base model, field types and error words.

Every body and query central accepts is declared here (``central.schemas``) as a pydantic v2
model, and ``/api/openapi.json`` is generated from the same models, so the description a client
reads and the validation the server runs cannot drift apart. The models are *strict* (a number
in quotes, ``true`` for an integer or ``NaN`` is refused, not coerced), refuse unknown keys
where a typo would otherwise be silently ignored, and give every string a maximum length and
every number a range.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)

from central.errors import ApiError, invalid

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_:-]*$"
NOT_BLANK = r"\S"  # JSON Schema patterns search: at least one character that is not a space
MEDIA_PATTERN = r"^(/media/[0-9a-f]{64}\.(jpg|png))?$"
_MEDIA = re.compile(MEDIA_PATTERN)


class Model(BaseModel):
    """Strict, finite and closed: what a client sends must be exactly what is declared."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid",
                              populate_by_name=True)


class Reply(BaseModel):
    """A response body (described, not validated on the way out)."""

    model_config = ConfigDict(extra="allow")


def _id(max_length: int, description: str) -> Any:
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length,
                                            pattern=ID_PATTERN),
                     Field(description=description)]


Id = _id(32, "a row id (letters, digits, '_', ':' and '-')")
DeviceId = _id(48, "a camera or sensor id (letters, digits, '_', ':' and '-')")
Username = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^\S+$")]


def text(max_length: int, description: str = "") -> Any:
    """Free text up to ``max_length`` characters (may be empty)."""
    return Annotated[str, StringConstraints(max_length=max_length),
                     Field(description=description or None)]


def required_text(max_length: int, description: str = "") -> Any:
    """Text that must say something: at least one character that is not white space."""
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length,
                                            pattern=NOT_BLANK),
                     Field(description=description or None)]


def _timestamp(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO-8601 timestamp with a UTC offset, "
                         f"got {kind_of(value)}")
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:64]!r} is not an ISO-8601 timestamp") from None
    if ts.tzinfo is None:
        raise ValueError(f"timestamp {value[:64]!r} lacks a UTC offset (add +00:00 or Z)")
    if not YEARS[0] <= ts.year <= YEARS[1]:
        raise ValueError(f"{value[:64]!r} is outside the years {YEARS[0]}..{YEARS[1]}")
    return ts


YEARS = (1970, 2199)  # arithmetic near year 1 or 9999 overflows; no kitchen lives there
Timestamp = Annotated[datetime, BeforeValidator(_timestamp),
                      WithJsonSchema({"type": "string", "format": "date-time",
                                      "pattern": r"^(19[7-9][0-9]|2[01][0-9][0-9])-",
                                      "maxLength": 40,
                                      "description": "ISO-8601 with a UTC offset"})]

MediaRef = Annotated[str, StringConstraints(max_length=76, pattern=MEDIA_PATTERN),
                     Field(description="a link to central's own stored evidence: "
                                       "'/media/<sha256>.jpg|png' as POST /api/media answered "
                                       "(the file must be stored), or empty")]


def kind_of(value: Any) -> str:
    """The JSON name of a value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _location(loc: tuple[Any, ...], prefix: str) -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.startswith(("function-", "lax-", "json-")):
            continue  # pydantic's internal union branch names
        else:
            out += f".{part}" if out else str(part)
    return out or "body"


_GENERIC = {"string_type": "expected a string", "int_type": "expected an integer",
            "float_type": "expected a number", "bool_type": "expected true or false",
            "dict_type": "expected an object", "list_type": "expected an array",
            "model_type": "expected an object", "missing": "required",
            "extra_forbidden": "unknown field (check its spelling)",
            "finite_number": "expected a finite number"}


def describe_error(exc: ValidationError, prefix: str = "") -> str:
    """``payload.task.severity: ...`` from the first error of a pydantic ValidationError."""
    errors = exc.errors(include_url=False)
    if not errors:
        return f"{prefix or 'body'}: invalid"
    error = errors[0]
    where = _location(tuple(error.get("loc", ())), prefix)
    kind = error.get("type", "")
    message = error.get("msg", "invalid")
    if kind in _GENERIC:
        message = _GENERIC[kind]
        if kind not in ("missing", "extra_forbidden"):
            message += f", got {kind_of(error.get('input'))}"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        message = _pattern_words(pattern, error.get("input"))
    elif kind == "union_tag_invalid":
        ctx = error.get("ctx") or {}
        message = (f"unknown {ctx.get('discriminator', 'kind').strip(chr(39))} "
                   f"{ctx.get('tag')!r}; one of {ctx.get('expected_tags')}")
    elif kind == "literal_error":
        message = f"{message[0].lower()}{message[1:]}, got {error.get('input')!r}"
    return f"{where}: {message}"


def _pattern_words(pattern: str, value: Any) -> str:
    shown = repr(value)[:80]
    if pattern == NOT_BLANK:
        return "required non-empty text"
    if pattern == ID_PATTERN:
        return f"{shown} is not an id (letters, digits, '_', ':' and '-')"
    if pattern == MEDIA_PATTERN:
        return (f"{shown} is not a link to central's stored media "
                f"(expected /media/<64 hex digits>.jpg or .png from POST /api/media)")
    return f"{shown} does not match {pattern}"


def validate(model: type[Model], data: Any, prefix: str = "") -> Any:
    """``model`` from parsed JSON, or a 422 ``invalid_payload`` naming the first problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(describe_error(exc, prefix)) from None


def validate_query(model: type[Model], query: Any) -> Any:
    """Query parameters (text) into ``model``; a problem is a 400 naming the parameter."""
    try:
        return model.model_validate(dict(query), strict=False)
    except ValidationError as exc:
        raise ApiError(400, "bad_request",
                       "query parameter " + describe_error(exc)) from None


def stored_media(media_dir: Path, url: str, where: str) -> str:
    """``url`` if it names a file central stored (or is empty); else a refusal.

    The shape (``/media/<sha256>.jpg|png``) is the models' business; this is the second half of
    the rule: the console may send a link before its image arrived (the media spool uploads
    independently), so a missing file is a 409 ``media_missing`` that is *not* remembered with
    the idempotency key; the console retries the action after the upload.
    """
    if not url:
        return ""
    if not _MEDIA.match(url):
        raise invalid(f"{where}: {_pattern_words(MEDIA_PATTERN, url)}")
    if not (media_dir / url.removeprefix("/media/")).is_file():
        raise ApiError(409, "media_missing",
                       f"{where}: {url} is not stored on central; upload it with "
                       f"POST /api/media first, then send this action again")
    return url
