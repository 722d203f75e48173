"""Shared pieces of central's payload models: the base model, field types and error words.

Every body and query central accepts is declared here (``central.schemas``) as a pydantic v2
model, and ``/api/openapi.json`` is generated from the same models, so the description a client
reads and the validation the server runs cannot drift apart. The models are *strict* (a number
in quotes, ``true`` for an integer or ``NaN`` is refused, not coerced), refuse unknown keys
where a typo would otherwise be silently ignored, and give every string a maximum length and
every number a range.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

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


class Model(BaseModel):
    """Strict, finite and closed: what a client sends must be exactly what is declared."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid",
                              populate_by_name=True)


class Reply(BaseModel):
    """A response body (described, not validated on the way out)."""

    model_config = ConfigDict(extra="allow")


Id = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=ID_PATTERN),
               Field(description="a row id (letters, digits, '_', ':' and '-')")]
DeviceId = Annotated[str, StringConstraints(min_length=1, max_length=48, pattern=ID_PATTERN),
                     Field(description="a camera or sensor id (letters, digits, '_', ':' and "
                                       "'-')")]
USERNAME_PATTERN = r"^\S+$"
Username = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                            pattern=USERNAME_PATTERN)]


def text(max_length: int) -> StringConstraints:
    """Free text up to ``max_length`` characters (may be empty): ``Annotated[str, text(n)]``,
    a type the checker reads as ``str``."""
    return StringConstraints(max_length=max_length)


def required_text(max_length: int) -> StringConstraints:
    """Text that must say something: at least one character that is not white space
    (``Annotated[str, required_text(n)]``)."""
    return StringConstraints(min_length=1, max_length=max_length, pattern=NOT_BLANK)


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


# A camera's health words (central.evaluator.CAMERA_HEALTH, sorted), written out so that the type
# checker reads a closed set; tests/central/test_vocabularies.py keeps the two equal.
CameraHealthWord = Literal["black", "frozen", "offline", "online", "playing", "stalled", "unknown"]


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


_EXPECTED = {"string_type": "a string", "int_type": "an integer", "float_type": "a number",
             "bool_type": "true or false", "dict_type": "an object", "list_type": "an array",
             "model_type": "an object", "model_attributes_type": "an object",
             "none_required": "null", "datetime_type": "a timestamp",
             "int_parsing": "an integer", "float_parsing": "a number",
             "bool_parsing": "true or false"}
_RANGE = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def shown(value: Any) -> str:
    """A value as JSON would write it, cut short (for "got ..." in messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value[:40] + ("…" if len(value) > 40 else ""))
    if isinstance(value, int | float):
        return repr(value) if abs(value) < 1e15 else f"{value:.3g}"
    return kind_of(value)


def describe_error(exc: ValidationError, prefix: str = "",
                   model: type[BaseModel] | None = None) -> str:
    """``payload.task.severity: ...`` from the first error of a pydantic ValidationError.

    ``model`` (when given) lets a range error name both bounds and the unit of the field.
    """
    errors = exc.errors(include_url=False)
    if not errors:
        return f"{prefix or 'body'}: invalid"
    error = errors[0]
    loc = tuple(part for part in error.get("loc", ())
                if not (isinstance(part, str) and _internal(part)))
    where = _location(loc, prefix)
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    message = error.get("msg", "invalid")
    if kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, got {shown(value)}"
    elif kind == "missing":
        message = "required"
    elif kind == "extra_forbidden":
        message = "unknown field (check its spelling)"
    elif kind == "finite_number":
        message = "expected a finite number"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
        if ": " in message and message.split(": ", 1)[0].isidentifier():
            field, message = message.split(": ", 1)  # a model check names its own field
            where = f"{where}.{field}" if where != "body" else field
    elif kind in _RANGE:
        message = _range_words(value, ctx, _field_schema(model, loc) if model else {})
    elif kind == "string_too_short":
        message = ("required non-empty text" if value == "" else
                   f"shorter than {ctx.get('min_length')} characters")
    elif kind == "string_too_long":
        message = f"longer than {ctx.get('max_length')} characters"
    elif kind == "too_long":
        message = f"more than {ctx.get('max_length')} items"
    elif kind == "string_pattern_mismatch":
        message = _pattern_words(ctx.get("pattern", ""), value)
    elif kind == "union_tag_invalid":
        message = (f"unknown {str(ctx.get('discriminator', 'kind')).strip(chr(39))} "
                   f"{ctx.get('tag')!r}; one of {ctx.get('expected_tags')}")
    elif kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        message = (f"expected {'one of ' if ', ' in expected else ''}{expected}, "
                   f"got {shown(value)}")
    return f"{where}: {message}"


def _internal(part: str) -> bool:
    # pydantic's names for union branches and wrapped validators, not field names
    return part.startswith(("function-", "lax-", "json-")) or part in (
        "constrained-float", "constrained-int", "constrained-str", "float", "int", "str",
        "list[...]", "str-pattern")


def _field_schema(model: type[BaseModel], loc: tuple[Any, ...]) -> dict[str, Any]:
    """The JSON Schema of the field at ``loc`` in ``model`` (empty if it cannot be found)."""
    root = model.model_json_schema()
    defs = root.get("$defs", {})

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = defs.get(node["$ref"].rsplit("/", 1)[-1], {})
        return node

    def branch(node: dict[str, Any]) -> dict[str, Any]:
        node = resolve(node)
        for option in node.get("anyOf", ()):
            if resolve(option).get("type") != "null":
                return resolve(option)
        return node

    node = root
    for part in loc:
        node = branch(node)
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part, {})
    return branch(node)


def _range_words(value: Any, ctx: dict[str, Any], field: dict[str, Any]) -> str:
    lo = field.get("minimum", ctx.get("ge", ctx.get("gt")))
    hi = field.get("maximum", ctx.get("le", ctx.get("lt")))
    unit = field.get("x-unit", "")
    if lo is not None and hi is not None:
        return f"{shown(value)} is outside {lo:g}..{hi:g}{' ' + unit if unit else ''}"
    if lo is not None:
        return f"{shown(value)} is below the minimum {lo:g}{' ' + unit if unit else ''}"
    return f"{shown(value)} is above the maximum {hi:g}{' ' + unit if unit else ''}"


# Words for a pattern mismatch, by pattern (modules add their own, e.g. base64).
PATTERN_WORDS: dict[str, str] = {USERNAME_PATTERN: "a username (no spaces)"}


def _pattern_words(pattern: str, value: Any) -> str:
    shown = repr(value)[:80]
    if pattern in PATTERN_WORDS:
        return f"{shown} is not {PATTERN_WORDS[pattern]}"
    if pattern == NOT_BLANK:
        return "required non-empty text"
    if pattern == ID_PATTERN:
        return f"{shown} is not an id (letters, digits, '_', ':' and '-')"
    if pattern == MEDIA_PATTERN:
        return (f"{shown} is not a link to central's stored media "
                f"(expected /media/<64 hex digits>.jpg or .png from POST /api/media)")
    return f"{shown} does not match {pattern}"


def _integral(data: Any) -> Any:
    """``109.0`` → ``109``: JSON (and so the API description) does not tell the two apart, but
    strict models would refuse a float where an integer is declared. A float field still
    takes the int. Bodies nest at most 64 levels (``read_json``), so recursion is bounded."""
    if isinstance(data, float) and data.is_integer() and abs(data) < 2**63:
        return int(data)
    if isinstance(data, dict):
        return {key: _integral(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_integral(value) for value in data]
    return data


def validate(model: type[Model], data: Any, prefix: str = "") -> Any:
    """``model`` from parsed JSON, or a 422 ``invalid_payload`` naming the first problem."""
    try:
        return model.model_validate(_integral(data))
    except ValidationError as exc:
        raise invalid(describe_error(exc, prefix, model)) from None


def validate_query(model: type[Model], query: Any) -> Any:
    """Query parameters (text) into ``model``; a problem is a 400 naming the parameter."""
    try:
        return model.model_validate(dict(query), strict=False)
    except ValidationError as exc:
        raise ApiError(400, "bad_request",
                       "query parameter " + describe_error(exc, "", model)) from None


def stored_media(media_dir: Path, url: str, where: str) -> str:
    """``url`` if it names a file central stored (or is empty); else a refusal.

    The shape (``/media/<sha256>.jpg|png``) is the models' business; this is the second half of
    the rule: the console may send a link before its image arrived (the media spool uploads
    independently), so a missing file is a 409 ``media_missing`` that is *not* remembered with
    the idempotency key; the console retries the action after the upload.
    """
    if not url:
        return ""
    from central.media import media_reference  # the one definition of a media link

    name = media_reference(url)
    if name is None:
        raise invalid(f"{where}: {_pattern_words(MEDIA_PATTERN, url)}")
    if not (media_dir / name).is_file():
        raise ApiError(409, "media_missing",
                       f"{where}: {url} is not stored on central; upload it with "
                       f"POST /api/media first, then send this action again")
    return url
