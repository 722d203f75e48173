"""The fuzzing harness: requests generated from central's own OpenAPI description.

Nothing here knows central's routes. ``operations(doc)`` reads ``GET /api/openapi.json`` and
turns every path and method into an :class:`Operation`; ``valid_requests`` draws requests that
the description allows (Schemathesis's positive mode: it reads OpenAPI 3.0 and 3.1 and is
maintained; hypothesis-jsonschema no longer works with current Hypothesis), and
``hostile_requests`` draws our mutations of them (wrong types, huge numbers, NaN and Infinity,
deep nesting, unknown fields, control characters, cut and garbage bodies, bad tokens) mixed
with Schemathesis's negative mode. So when the description changes (it is about to be
generated from pydantic models), the fuzzer follows. Schemathesis only generates: requests
are sent by :func:`send` here, with a timeout, on a new loopback connection each.

The server runs in a thread with its own event loop (:class:`LiveCentral`) and is called over
real loopback sockets with a blocking client and a timeout, so a hang in the server shows as
a timeout in the test instead of stalling the test's own loop; the tracebacks the server logs
are kept so a 5xx can be reported with its cause.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import itertools
import json
import logging
import math
import shutil
import socket
import struct
import threading
import time
import traceback
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import schemathesis
from aiohttp import web
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.core import NotSet
from schemathesis.transport.serialization import Binary

from central.app import create_app
from central.config import CentralConfig

ANSWER_TIMEOUT_S = 15.0  # every request must be answered within this (loaded CI machine)
JSON_TYPES = ("application/json",)
IMAGE_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAZABkAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERX"
    "RTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj"
    "Y2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAIDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAA"
    "AAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAk"
    "M2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKT"
    "lJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QA"
    "HwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdh"
    "cRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hp"
    "anN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk"
    "5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDHooorhPqD/9k=")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- the description


@dataclass(frozen=True)
class Operation:
    """One path and method of the description, with Schemathesis's generator for it."""

    method: str
    path: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    body_type: str | None  # the first media type of the request body, if it has one
    secured: bool
    responses: tuple[str, ...]
    generator: Any = field(compare=False, repr=False)  # schemathesis APIOperation

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def json_body(self) -> bool:
        kind = (self.body_type or "").split(";")[0].strip()
        return kind in JSON_TYPES or kind.endswith("+json")

    @property
    def upgrades(self) -> bool:
        """A WebSocket (or other upgrade) route says so by describing a 101 answer."""
        return "101" in self.responses


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations(doc: dict[str, Any]) -> list[Operation]:
    """Every operation of an OpenAPI document, in the document's order."""
    schema = schemathesis.openapi.from_dict(doc)
    generators = {}
    for result in schema.get_all_operations():
        api_op = result.ok()
        generators[(api_op.method.upper(), api_op.path)] = api_op
    default_security = doc.get("security", [])
    found: list[Operation] = []
    for path, item in doc.get("paths", {}).items():
        for method, raw in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            params = [_resolve(doc, p) for p in [*item.get("parameters", []),
                                                 *raw.get("parameters", [])]]
            body = _resolve(doc, raw["requestBody"]) if raw.get("requestBody") else {}
            found.append(Operation(
                method.upper(), path,
                tuple(p["name"] for p in params if p.get("in") == "path"),
                tuple(p["name"] for p in params if p.get("in") == "query"),
                next(iter(body.get("content", {})), None),
                any(requirement for requirement in raw.get("security", default_security)),
                tuple(str(code) for code in raw.get("responses", {})),
                generators[(method.upper(), path)]))
    return found


# --------------------------------------------------------------------------- requests


class Request:
    """One HTTP request as sent; its repr is what Hypothesis prints for a failing example."""

    def __init__(self, method: str, target: str, headers: dict[str, str] | None = None,
                 body: bytes | None = None, how: str = "valid") -> None:
        self.method = method
        self.target = target  # path and query, already encoded
        self.headers = headers or {}
        self.body = body
        self.how = how  # which mutation made it

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    def json(self) -> Any:
        """The body as JSON (lone surrogates kept), or None."""
        try:
            return json.loads(self.body or b"")
        except ValueError:
            return None

    def __repr__(self) -> str:
        body = self.body if self.body is None or len(self.body) <= 300 \
            else self.body[:300] + f"...({len(self.body)} bytes)".encode()
        headers = {k: (v if k.lower() != "authorization" or len(v) < 30 else v[:20] + "...")
                   for k, v in self.headers.items()}
        return (f"Request({self.method} {self.target[:300]!r}, how={self.how!r}, "
                f"headers={headers!r}, body={body!r})")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))  # Hypothesis prints failing examples with this


class Raw:
    """A JSON fragment written verbatim (NaN, 1e400, an unpaired surrogate, deep nesting)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 40 else f"{self.text[:20]}...{self.text[-10:]}"
        return f"Raw({shown!r}, {len(self.text)} chars)"


def dumps(value: Any) -> str:
    """JSON text of ``value``; floats NaN/inf become the bare tokens a lenient parser takes."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return json.dumps(value, ensure_ascii=False)


def nested(depth: int, leaf: str = "1") -> Raw:
    """JSON nested ``depth`` levels (arrays and objects alternating)."""
    opening = "".join('{"a":' if i % 2 else "[" for i in range(depth))
    closing = "".join("}" if i % 2 else "]" for i in reversed(range(depth)))
    return Raw(opening + leaf + closing)


def _control_text() -> st.SearchStrategy[str]:
    return st.text(st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Zl", "Co")),
                   min_size=1, max_size=20)


HOSTILE_STRINGS = st.one_of(
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "Infinity", "-Infinity", "9" * 40,
                     "true", "null", "\x00", "\x00\x01\x1f\x7f", "\u202e\u200b", "\ufeff",
                     "熊猫", "../../etc/passwd", "' OR 1=1 --", "%s%n%x", "${jndi:ldap://x}",
                     "<script>alert(1)</script>", "2026-02-30T25:61:00Z",
                     "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00",
                     "2026-01-01T00:00:00", "1970-01-01T00:00:00Z", "x" * 3000]),
    _control_text(),
    st.text(max_size=30),
)
HOSTILE_NUMBERS = st.one_of(
    st.sampled_from([0, -1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, -(2**63) - 1, 2**64,
                     10**30, -(10**30), 10**300, 1e308, -1e308, 5e-324, -0.0, 0.5]),
    st.sampled_from([Raw("1e400"), Raw("-1e400"), Raw("1e-400"), Raw("-0"), Raw("1E+2"),
                     Raw("9" * 4000)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
)
NAN_INF = st.sampled_from([math.nan, math.inf, -math.inf, Raw("NaN"), Raw("Infinity"),
                           Raw("-Infinity")])
HOSTILE_VALUES = st.one_of(
    st.sampled_from([None, True, False, [], {}, [None], {"": None}, [[[]]], {"a": {"b": {}}}]),
    st.sampled_from([Raw('"\\ud800"'), Raw('"\\udfff\\ud800x"'), Raw('"\\u0000"'),
                     Raw('"a\\u0000b"')]),
    HOSTILE_STRINGS, HOSTILE_NUMBERS, NAN_INF,
    st.integers(2, 200).map(nested),
    st.lists(st.one_of(HOSTILE_STRINGS, HOSTILE_NUMBERS), max_size=5),
)
# Keys of objects to add: unknown ones, empty, control characters, prototype pollution bait.
UNKNOWN_KEYS = st.one_of(st.sampled_from(["", "__proto__", "constructor", "\x00", "x" * 500,
                                          "熊猫", "id", "extra", "$where"]),
                         st.text(max_size=12))


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


def _get(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


@st.composite
def mutated_json(draw: st.DrawFn, value: Any) -> tuple[Any, str]:
    """``value`` with one to three hostile changes; returns it and what was done."""
    done: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(value))
        path = draw(st.sampled_from(paths))
        node = _get(value, path)
        objects = [p for p in paths if isinstance(_get(value, p), dict)]
        how = draw(st.sampled_from(["replace", "replace", "nan", "number", "unknown_field",
                                    "drop_field", "nest", "string"]))
        if how == "unknown_field" and objects:
            where = draw(st.sampled_from(objects))
            extra = draw(st.dictionaries(UNKNOWN_KEYS, HOSTILE_VALUES, min_size=1, max_size=3))
            value = _replace(value, where, {**_get(value, where), **extra})
            done.append(f"unknown fields at {where!r}")
        elif how == "drop_field" and objects:
            where = draw(st.sampled_from(objects))
            obj = _get(value, where)
            if obj:
                gone = draw(st.sampled_from(sorted(obj, key=str)))
                value = _replace(value, where, {k: v for k, v in obj.items() if k != gone})
                done.append(f"dropped {gone!r} at {where!r}")
        elif how == "nest":
            value = _replace(value, path, nested(draw(st.integers(2, 200)),
                                                 dumps(node)[:1000]))
            done.append(f"nested at {path!r}")
        elif how == "nan":
            value = _replace(value, path, draw(NAN_INF))
            done.append(f"NaN/Infinity at {path!r}")
        elif how == "number":
            value = _replace(value, path, draw(HOSTILE_NUMBERS))
            done.append(f"hostile number at {path!r}")
        elif how == "string":
            value = _replace(value, path, draw(HOSTILE_STRINGS))
            done.append(f"hostile string at {path!r}")
        else:
            value = _replace(value, path, draw(HOSTILE_VALUES))
            done.append(f"wrong value at {path!r}")
    return value, "; ".join(done) or "unchanged"


def png_image(width: int, height: int, seed: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + bytes((seed + x * 7 + y * 13) % 256 for x in range(width * 3))
                    for y in range(height))
    return (PNG_SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg_image(comment: bytes) -> bytes:
    """The tiny JPEG with a comment segment, so each drawn image is distinct."""
    comment = comment[:60000]
    return IMAGE_JPEG[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment \
        + IMAGE_JPEG[2:]


HOSTILE_BINARY = st.one_of(
    st.just(b""),
    st.binary(max_size=4000),
    st.integers(0, len(IMAGE_JPEG)).map(lambda n: IMAGE_JPEG[:n]),  # truncated JPEG
    st.integers(0, 40).map(lambda n: png_image(4, 4, 1)[:n]),  # truncated PNG header
    st.binary(max_size=500).map(lambda b: b"\xff\xd8\xff" + b),  # JPEG magic, then junk
    st.binary(max_size=500).map(lambda b: PNG_SIGNATURE + b),
    st.sampled_from([b"GIF89a\x01\x00\x01\x00", b"<svg onload=alert(1)>", b"%PDF-1.4",
                     b"\x00" * 1000, b"\xff\xd8", PNG_SIGNATURE[:7]]),
)


def _query_value(value: Any) -> list[str]:
    """OpenAPI's default form/explode serialisation of one query value."""
    if value is None:
        return [""]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list):
        return [v for item in value for v in _query_value(item)]
    if isinstance(value, dict):
        return [dumps(value)]
    return [dumps(value) if isinstance(value, Raw | float) else str(value)]


def safe_header(value: str) -> str:
    # A header value cannot carry CR/LF (that would be a new header), nor non-Latin-1 text.
    return value.replace("\r", "").replace("\n", "").encode("latin-1", "replace") \
        .decode("latin-1")


def request_from_case(case: Case, op: Operation, token: str | None, how: str) -> Request:
    """Schemathesis's test case as bytes on the wire, authenticated as the role under test.

    The generated ``Authorization`` header is replaced by the role's token (or dropped for an
    anonymous caller): the description only says that a bearer token is needed.
    """
    headers = {str(k): safe_header(str(v)) for k, v in (case.headers or {}).items()
               if str(k).lower() != "authorization"}
    if op.secured and token:
        headers["Authorization"] = f"Bearer {token}"
    query = [(str(k), v) for k, value in (case.query or {}).items() for v in _query_value(value)]
    target = case.formatted_path + (f"?{urlencode(query, quote_via=quote)}" if query else "")
    body: bytes | None = None
    if not isinstance(case.body, NotSet):
        if isinstance(case.body, Binary):
            body = case.body.data
        elif isinstance(case.body, bytes):
            body = case.body
        elif op.json_body or not isinstance(case.body, str):
            body = dumps(case.body).encode("utf-8", "surrogatepass")
        else:
            body = case.body.encode("utf-8", "surrogatepass")
        headers["Content-Type"] = case.media_type or op.body_type or "application/json"
    if op.upgrades:
        headers.update({"Connection": "Upgrade", "Upgrade": "websocket",
                        "Sec-WebSocket-Version": "13",
                        "Sec-WebSocket-Key": base64.b64encode(b"fuzz-key-16bytes").decode()})
    return Request(op.method, target, headers, body, how)


_ACTION_KEYS = itertools.count(1)


def _fresh_idem_key(case: Case) -> Case:
    """A client makes a new idempotency key for every action (docs/protocol.md). A key the
    generator happens to draw twice is a repeat, answered from central's idempotency ledger
    with the first request's answer, not a new request of its own shape: each generated action
    gets a key never used before."""
    if isinstance(case.body, dict) and "idem_key" in case.body:
        case.body = {**case.body, "idem_key": f"fuzz-{next(_ACTION_KEYS):012d}"}
    return case


def valid_requests(op: Operation, token: str | None) -> st.SearchStrategy[Request]:
    """Requests the description allows (Schemathesis's positive mode), as ``token``'s role."""
    return op.generator.as_strategy(generation_mode=GenerationMode.POSITIVE).map(
        lambda case: request_from_case(_fresh_idem_key(case), op, token, "valid"))


def _has_negative(op: Operation) -> bool:
    """Whether the description leaves anything to violate (no inputs: nothing)."""
    return bool(op.path_params or op.query_params or op.body_type)


def violating_requests(op: Operation, token: str | None) -> st.SearchStrategy[Request]:
    """Requests that break the description (Schemathesis's negative mode)."""
    return op.generator.as_strategy(generation_mode=GenerationMode.NEGATIVE).map(
        lambda case: request_from_case(case, op, token, "violates the description"))


BAD_TOKENS = st.one_of(
    st.sampled_from(["", "null", "undefined", "x" * 5000, "Bearer", "\x00", "' OR 1=1 --",
                     "eyJhbGciOiJub25lIn0.e30.", "../../token"]),
    st.text(max_size=60).map(safe_header),
)


@st.composite
def mutated_requests(draw: st.DrawFn, op: Operation, token: str | None) -> Request:
    """A request the description allows, then broken in one or two ways."""
    base = draw(valid_requests(op, token))
    how: list[str] = []
    target_path, _, target_query = base.target.partition("?")
    headers = dict(base.headers)
    body = base.body
    kinds = ["body", "body", "body", "raw_body", "query", "path", "auth", "content_type"]
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(kinds))
        if kind == "body" and op.json_body and body is not None:
            try:
                value = json.loads(body)
            except ValueError:
                value = body.decode("utf-8", "replace")
            value, done = draw(mutated_json(value))
            body = dumps(value).encode("utf-8", "surrogatepass")
            how.append(f"body: {done}")
        elif kind == "body" and op.body_type is not None and not op.json_body:
            body = draw(HOSTILE_BINARY)
            how.append("hostile bytes")
        elif kind in ("raw_body", "body"):
            choice = draw(st.sampled_from(["garbage", "truncated", "bom", "latin1", "empty",
                                           "top_level", "not_utf8"]))
            text = body or b'{"a": 1}'
            if choice == "garbage":
                body = draw(st.binary(max_size=300))
            elif choice == "truncated":
                body = text[:draw(st.integers(0, max(0, len(text) - 1)))]
            elif choice == "bom":
                body = b"\xef\xbb\xbf" + text
            elif choice == "latin1":
                body = text.replace(b'"', b'"\xe9', 1)
            elif choice == "empty":
                body = b""
            elif choice == "not_utf8":
                body = b'{"\xff\xfe": "\xc3\x28"}'
            else:
                body = dumps(draw(HOSTILE_VALUES)).encode("utf-8", "surrogatepass")
            headers.setdefault("Content-Type", "application/json")
            how.append(f"raw body: {choice}")
        elif kind == "query":
            name = draw(st.sampled_from([*op.query_params, "since", "limit"]) | UNKNOWN_KEYS)
            pairs = [(name, _query_value(draw(HOSTILE_STRINGS | HOSTILE_NUMBERS))[0])
                     for _ in range(draw(st.integers(1, 2)))]
            extra = urlencode(pairs, quote_via=quote)
            target_query = f"{target_query}&{extra}" if target_query else extra
            how.append(f"query {name!r}")
        elif kind == "path" and op.path_params:
            name = draw(st.sampled_from(op.path_params))
            value = draw(HOSTILE_STRINGS)[:2000]
            path = op.path
            for other in op.path_params:
                filler = value if other == name else "x"
                path = path.replace("{" + other + "}", quote(filler, safe="") or "%20")
            target_path = path
            how.append(f"path {name!r}")
        elif kind == "auth":
            choice = draw(st.sampled_from(["none", "bad", "scheme", "lower", "twice"]))
            if choice == "none":
                headers.pop("Authorization", None)
            elif choice == "bad":
                headers["Authorization"] = "Bearer " + draw(BAD_TOKENS)
            elif choice == "scheme":
                headers["Authorization"] = "Basic " + base64.b64encode(b"admin:x").decode()
            elif choice == "lower" and token:
                headers["Authorization"] = f"bearer   {token}  "
            elif token:
                headers["Authorization"] = f"Bearer {token} {token}"
            how.append(f"auth: {choice}")
        elif kind == "content_type":
            headers["Content-Type"] = draw(st.sampled_from(
                ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                 "application/json; charset=latin-1", "image/png", "", "application/json;;;"]))
            if body is None:
                body = b'{"a": 1}'
            how.append(f"content type {headers['Content-Type']!r}")
    target = target_path + (f"?{target_query}" if target_query else "")
    return Request(op.method, target, headers, body, "; ".join(how) or "none")


def hostile_requests(op: Operation, token: str | None) -> st.SearchStrategy[Request]:
    """Our mutations of valid requests, and Schemathesis's violations where there are any."""
    mutated = mutated_requests(op, token)
    return st.one_of(mutated, mutated, violating_requests(op, token)) if _has_negative(op) \
        else mutated


# --------------------------------------------------------------------------- the server


class ServerLog(logging.Handler):
    """Keeps the tracebacks central logs (500s, aiohttp's own request errors)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
        self.records.append(text)


class LiveCentral:
    """Central on a loopback port, served by its own event loop in a thread."""

    def __init__(self, config: CentralConfig) -> None:
        self.config = config
        self.port = 0
        self.log = ServerLog()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="live-central",
                                        daemon=True)
        self._runner: web.AppRunner | None = None

    def __enter__(self) -> LiveCentral:
        for name in ("kitchenwatch", "aiohttp"):
            logging.getLogger(name).addHandler(self.log)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(60)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop.is_closed():
            return  # already stopped
        try:
            if self._runner is not None:
                asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(60)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)
            self._loop.close()
            for name in ("kitchenwatch", "aiohttp"):
                logging.getLogger(name).removeHandler(self.log)

    async def _start(self) -> None:
        self._runner = web.AppRunner(create_app(self.config), access_log=None,
                                     handle_signals=False, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]

    def run(self, coro: Any, timeout: float = 60.0) -> Any:
        """Run a coroutine on the server's loop (to look at its state)."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class NoAnswer(AssertionError):
    """The server did not answer within the timeout (or dropped the connection)."""


def send(port: int, request: Request, timeout: float = ANSWER_TIMEOUT_S) -> Answer:
    """Send ``request`` on a new connection; the whole answer must arrive within ``timeout``."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(request.method, request.target, skip_accept_encoding=True)
        for name, value in request.headers.items():
            conn.putheader(name, value)
        if request.body is not None:
            conn.putheader("Content-Length", str(len(request.body)))
        conn.endheaders(request.body)
        resp = conn.getresponse()
        body = b"" if resp.status == 101 else resp.read()
        seconds = time.monotonic() - started
        answer = Answer(resp.status, dict(resp.getheaders()), body, seconds)
    except TimeoutError as exc:
        raise NoAnswer(f"no answer within {timeout:.0f} s to {request!r}") from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise NoAnswer(f"connection broken without an answer ({exc!r}) to {request!r}") \
            from exc
    finally:
        conn.close()
    if answer.seconds > timeout:
        raise NoAnswer(f"answer took {answer.seconds:.1f} s (limit {timeout:.0f} s) to "
                       f"{request!r}")
    return answer


def login(port: int, username: str, password: str) -> str:
    reply = send(port, Request("POST", "/api/login", {"Content-Type": "application/json"},
                               json.dumps({"username": username,
                                           "password": password}).encode()))
    assert reply.status == 200, (reply.status, reply.body)
    return reply.json()["token"]


def copy_database(source: Path, target_dir: Path) -> str:
    """A copy of a SQLite database (and its write-ahead log, if any); returns its URL."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    shutil.copyfile(source, target)
    for suffix in ("-wal",):
        extra = source.with_name(source.name + suffix)
        if extra.exists():
            shutil.copyfile(extra, target.with_name(target.name + suffix))
    return f"sqlite:///{target}"


@contextlib.contextmanager
def quiet(*names: str) -> Iterator[None]:
    """Silence loggers that report every refused request (fuzzing makes thousands)."""
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


# --------------------------------------------------------------------------- raw sockets


def _parse_answer(raw: bytes, seconds: float) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().title()] = value.strip()
    if headers.get("Transfer-Encoding", "").lower() == "chunked":
        decoded, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            decoded, rest = decoded + rest[:size], rest[size + 2:]
        body = decoded
    return Answer(status, headers, body, seconds)


async def exchange_in_pieces(port: int, head: bytes, pieces: list[bytes], pause_s: float,
                             timeout: float = ANSWER_TIMEOUT_S) -> Answer:
    """Write the request head, then each piece after a pause (a slow or segmented client),
    and read the whole answer (the server closes: ``Connection: close`` in ``head``)."""
    started = time.monotonic()

    async def talk() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(head)
            await writer.drain()
            with contextlib.suppress(ConnectionError):  # refused early (413): read why
                for piece in pieces:
                    if pause_s:
                        await asyncio.sleep(pause_s)
                    writer.write(piece)
                    await writer.drain()
            return await reader.read()
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    try:
        raw = await asyncio.wait_for(talk(), timeout + pause_s * len(pieces))
    except TimeoutError as exc:
        raise NoAnswer(f"no answer within {timeout:.0f} s after the last piece") from exc
    return _parse_answer(raw, time.monotonic() - started)


def request_head(method: str, target: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunked(body: bytes, size: int) -> list[bytes]:
    """``body`` in Transfer-Encoding: chunked pieces of ``size`` bytes, then the last chunk."""
    return [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size])
            for i in range(0, len(body), size)] + [b"0\r\n\r\n"]


def ws_connect(port: int, target: str, token: str | None = None, *,
               recv_buffer: int | None = None,
               timeout: float = ANSWER_TIMEOUT_S) -> tuple[socket.socket, int, bytes]:
    """A WebSocket handshake by hand: returns the socket, the HTTP status and what followed
    the answer's head (frames already sent, or an error body)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if recv_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, recv_buffer)
    sock.settimeout(timeout)
    sock.connect(("127.0.0.1", port))
    headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": base64.b64encode(b"0123456789abcdef").decode()}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}"
                                                           for k, v in headers.items())]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    raw = b""
    try:
        while b"\r\n\r\n" not in raw:
            chunk = sock.recv(65536)
            if not chunk:
                break
            raw += chunk
    except TimeoutError as exc:
        sock.close()
        raise NoAnswer(f"no handshake answer within {timeout:.0f} s for {target!r}") from exc
    head, _, rest = raw.partition(b"\r\n\r\n")
    if not head:
        sock.close()
        raise NoAnswer(f"connection closed without an answer for {target!r}")
    return sock, int(head.split()[1]), rest


def ws_frame(opcode: int, payload: bytes, *, fin: bool = True, rsv: int = 0,
             masked: bool = True, declared: int | None = None) -> bytes:
    """One WebSocket frame as a client sends it, or bent (rsv bits, no mask, a false length)."""
    length = len(payload) if declared is None else declared
    first = (0x80 if fin else 0) | (rsv & 0x7) << 4 | (opcode & 0xF)
    mask_bit = 0x80 if masked else 0
    if length < 126:
        header = struct.pack(">BB", first, mask_bit | length)
    elif length < 1 << 16:
        header = struct.pack(">BBH", first, mask_bit | 126, length)
    else:
        header = struct.pack(">BBQ", first, mask_bit | 127, min(length, (1 << 64) - 1))
    if not masked:
        return header + payload
    key = b"\x01\x02\x03\x04"
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))
