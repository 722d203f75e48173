"""Hostile input on every route central describes, as every role: never a 5xx, never a hang.

The routes and their shapes come from central's own ``GET /api/openapi.json`` (see
tests/central/fuzzing.py), so a route is fuzzed as soon as it is described. For each operation
and role, Hypothesis draws requests the description allows (Schemathesis's positive mode) and
breaks them: our mutations (wrong types, huge numbers, NaN/Infinity, deep nesting, unknown
fields, control characters, garbage and cut bodies, bad tokens) and Schemathesis's negative
mode. Every request must be answered within ANSWER_TIMEOUT_S with a status below 500, a
refusal must be a JSON ``{"error", "message"}``, and after each operation the server must still
answer ``/api/health`` and a normal request.

Separate tests cover what a schema cannot describe: bodies that arrive slowly or in pieces,
nesting far beyond any sane depth, ``/api/media`` uploads, and the WebSocket (bad handshakes,
garbage frames, clients that never read). One test checks that the description and the server
agree: a request valid by the description is not refused for its shape.

Examples are derandomised and bounded (``max_examples`` per operation and role), so CI runs the
same inputs every time, in about a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import socket
import sqlite3
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from central.config import CentralConfig
from central.demo_registry import DEMO_PASSWORD
from tests.central.fuzzing import (
    ANSWER_TIMEOUT_S,
    BAD_TOKENS,
    HOSTILE_BINARY,
    HOSTILE_NUMBERS,
    HOSTILE_STRINGS,
    IMAGE_JPEG,
    PNG_SIGNATURE,
    Answer,
    LiveCentral,
    Operation,
    Request,
    chunked,
    copy_database,
    exchange_in_pieces,
    hostile_requests,
    jpeg_image,
    login,
    nested,
    operations,
    png_image,
    quiet,
    request_head,
    safe_header,
    send,
    valid_requests,
    ws_connect,
    ws_frame,
)

pytestmark = pytest.mark.timeout(600)

ROLES = ("admin", "operator", "district", "viewer", "field", "device")
# Per operation, each example sent as every role (and anonymously for hostile ones). CI keeps
# the defaults; KW_FUZZ_EXAMPLES=500 explores further on a developer's machine.
HOSTILE_EXAMPLES = int(os.environ.get("KW_FUZZ_EXAMPLES", "20"))
VALID_EXAMPLES = max(8, HOSTILE_EXAMPLES // 3)  # the agreement check
# Answers that a request valid by the description may get: scope, state and throttling
# (101: a WebSocket route that describes its upgrade).
AGREEING = {101, 401, 403, 404, 409, 429}
# Refusals that depend on the moment, not the shape: a timestamp outside the window relative to
# now (which JSON Schema cannot state) has a code of its own, and only that code may pass.
AGREEING_CODES = {(422, "out_of_window"),
                  # the password policy (a list of common passwords) and an account's
                  # district fitting its role: rules with codes of their own (account_actions)
                  (422, "weak_password"), (422, "scope_mismatch"),
                  (422, "required_for_new"),  # patrol_plan.save without a name, plan unknown
                  (422, "business_or_alarm"),  # task.dispatch naming neither
                  (422, "bad_period"),  # a bulletin of month 13 or ISO week 54
                  (422, "date_range"),  # a ledger's from after to, or more than 366 days
                  # 包保 (central.baobao): an account that cannot be the business's official,
                  # a visit's items not of the checklist version it names
                  (422, "official_unfit"), (422, "checklist_mismatch"),
                  # major events: a period that ends before it starts, a problem without a note
                  (422, "event_period"), (422, "note_required")}
NOISY_LOGGERS = ("kitchenwatch", "aiohttp.access", "aiohttp.server", "aiohttp.web",
                 "aiohttp.websocket")


def fuzz_settings(max_examples: int) -> settings:
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck), report_multiple_bugs=False)


# --------------------------------------------------------------------------- known 5xx


@dataclass(frozen=True)
class KnownBug:
    """A 5xx the fuzzer once found. Each stays as a regression test of its own
    (test_server_errors_found_by_fuzzing_stay_fixed), with its minimal reproducers, and its
    inputs are part of the main fuzz like any others. ``matches`` recognises its inputs, to
    name the bug when the main fuzz meets one again."""

    name: str
    reason: str
    matches: Callable[[Operation, Request], bool]
    reproducers: Callable[[dict[str, str]], list[Request]]


_LONE_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _health_events(request: Request) -> list[Any]:
    body = request.json()
    if isinstance(body, dict) and isinstance(body.get("events"), list):
        return body["events"]
    return [body]


FOUND_BUGS = [
    KnownBug(
        "login-surrogate",
        "central/auth.py: POST /api/login whose password holds an unpaired "
        "surrogate such as \"\\ud800\" → 500 UnicodeEncodeError in argon2 verify_password",
        lambda op, r: op.key == "POST /api/login" and bool(_LONE_SURROGATE.search(r.body or b"")),
        lambda tokens: [Request("POST", "/api/login", {"Content-Type": "application/json"},
                                b'{"username": "operator", "password": "\\ud800"}')]),
    KnownBug(
        "token-not-utf8",
        "central/auth.py: an Authorization header with a byte that is not UTF-8 (e.g. "
        "'Bearer \\xe9') → 500 UnicodeEncodeError in token_hash, on every secured route",
        lambda op, r: any(ord(c) > 127 for c in r.headers.get("Authorization", "")),
        lambda tokens: [Request("GET", "/api/me", {"Authorization": "Bearer \xe9"}),
                        Request("GET", "/api/changes", {"Authorization": "Bearer x\xff"})]),
    KnownBug(
        "health-unhashable",
        "central/ingest.py _apply_health: POST /api/events/health for a camera whose 'health' "
        "is an object or a list → 500 TypeError (unhashable) on 'health not in CAMERA_HEALTH'",
        lambda op, r: op.key == "POST /api/events/health" and any(
            isinstance(e, dict) and isinstance(e.get("health"), dict | list)
            for e in _health_events(r)),
        lambda tokens: [Request("POST", "/api/events/health",
                                {"Authorization": f"Bearer {tokens[role]}",
                                 "Content-Type": "application/json"},
                                b'{"device": "camera", "id": "", "online": true, "health": {}}')
                        for role in ("device", "admin")]),
    KnownBug(
        "json-long-integer",
        "central/errors.py read_json: a JSON number with more than 4300 digits → 500 "
        "(json.loads raises ValueError, not JSONDecodeError: Python's int-string limit), on "
        "every route that reads a JSON body",
        lambda op, r: bool(re.search(rb"[0-9]{4300}", r.body or b"")),
        lambda tokens: [Request("POST", "/api/actions",
                                {"Authorization": f"Bearer {tokens['operator']}",
                                 "Content-Type": "application/json"},
                                b'{"idem_key": ' + b"1" * 5000 + b"}"),
                        Request("POST", "/api/login", {"Content-Type": "application/json"},
                                b'{"username": "operator", "password": ' + b"9" * 5000 + b"}")]),
]


def found_bug(op: Operation, request: Request) -> str:
    """The name of the once-found bug ``request`` would reproduce, for failure messages."""
    return ", ".join(bug.name for bug in FOUND_BUGS if bug.matches(op, request))


# --------------------------------------------------------------------------- fixtures


@dataclass
class Fixture:
    """A migrated demo-city database whose users are logged in (tokens stored in it)."""

    db_path: Path
    tokens: dict[str, str]
    usernames: dict[str, str]
    doc: dict[str, Any]

    @property
    def operations(self) -> list[Operation]:
        return operations(self.doc)

    def operation(self, predicate: Callable[[Operation], bool], what: str) -> Operation:
        found = [op for op in self.operations if predicate(op)]
        assert found, f"the description has no {what}"
        return found[0]

    def server(self, where: Path, **overrides: Any) -> LiveCentral:
        return LiveCentral(_config(copy_database(self.db_path, where), where, **overrides))


def _config(db_url: str, where: Path, **overrides: Any) -> CentralConfig:
    return CentralConfig(db_url=db_url, media_dir=where / "media", run_background=False,
                         token_cache_s=0.0, **overrides)


def _one_user_per_role(db_path: Path) -> dict[str, str]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT role, username FROM users WHERE active "
                            "ORDER BY role, username").fetchall()
    chosen: dict[str, str] = {}
    for role, username in rows:
        chosen.setdefault(role, username)
    missing = set(ROLES) - set(chosen)
    assert not missing, f"the demo city has no user with role {missing}"
    return chosen


@pytest.fixture(scope="module")
def logged_in(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    where = tmp_path_factory.mktemp("fuzz-template")
    url = copy_database(template_db, where)
    usernames = _one_user_per_role(template_db)
    with LiveCentral(_config(url, where)) as central:
        doc = send(central.port, Request("GET", "/api/openapi.json")).json()
        tokens = {role: login(central.port, usernames[role], DEMO_PASSWORD) for role in ROLES}
    return Fixture(Path(url.removeprefix("sqlite:///")), tokens, usernames, doc)


def _auth(fixture: Fixture, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {fixture.tokens[role]}"}


# --------------------------------------------------------------------------- the runner


PLACEHOLDER = "ROLE-TOKEN"  # generated requests carry this; each role's token replaces it
CALLERS: tuple[str | None, ...] = (*ROLES, None)  # None: no token at all


def as_caller(request: Request, token: str | None) -> Request:
    """``request`` as sent by the holder of ``token`` (None: anonymous, no Authorization)."""
    headers = dict(request.headers)
    auth = headers.get("Authorization", "")
    if PLACEHOLDER in auth:
        if token is None:
            del headers["Authorization"]
        else:
            headers["Authorization"] = auth.replace(PLACEHOLDER, token)
    return Request(request.method, request.target, headers, request.body, request.how)


class Session:
    """A run over many operations, as every role, against copies of the logged-in database.

    Each generated request is sent once per role. A server is started afresh for the next
    operation when a role's own token stopped working (the fuzzer logged it out), so later
    operations are still fuzzed as that role.
    """

    def __init__(self, fixture: Fixture, where: Path, callers: tuple[str | None, ...]) -> None:
        self.fixture = fixture
        self.where = where
        self.callers = callers
        self.central: LiveCentral | None = None
        self.token_lost = False
        self.normal: dict[str, Request] = {}  # per role, a GET that worked: replayed later
        self.servers = 0

    def start(self) -> LiveCentral:
        if self.central is None or self.token_lost:
            self.stop()
            self.servers += 1
            self.central = self.fixture.server(self.where / f"run{self.servers}").__enter__()
            self.token_lost = False
            self.normal = self._normal_requests()
        return self.central

    def _normal_requests(self) -> dict[str, Request]:
        assert self.central is not None
        found: dict[str, Request] = {}
        gets = [op for op in self.fixture.operations
                if op.method == "GET" and op.secured and not op.path_params]
        for role in filter(None, self.callers):
            for op in gets:
                request = Request("GET", op.path, _auth(self.fixture, role))
                if 200 <= send(self.central.port, request).status < 300:
                    found[role] = request
                    break
        return found

    def stop(self) -> None:
        if self.central is not None:
            self.central.__exit__(None, None, None)
            self.central = None

    def send(self, request: Request) -> Answer:
        assert self.central is not None
        self.central.log.records.clear()
        answer = send(self.central.port, request)
        if answer.status == 401 and request.headers.get("Authorization") in {
                f"Bearer {token}" for token in self.fixture.tokens.values()}:
            self.token_lost = True
        return answer

    def server_log(self) -> str:
        records = self.central.log.records if self.central else []
        return "\n".join(records[-3:]) or "(nothing logged)"

    def still_healthy(self, after: str) -> None:
        """After an operation's fuzzing: health answers, and so do normal requests."""
        assert self.central is not None
        health = send(self.central.port, Request("GET", "/api/health"))
        assert health.status == 200, f"after {after}: /api/health → {health.status}"
        if self.token_lost:
            return
        for role, request in self.normal.items():
            again = send(self.central.port, request)
            assert 200 <= again.status < 300, \
                f"after {after}: {request.target} as {role} → {again.status} {again.body[:200]!r}"


Check = Callable[[Session, Operation, Request, Answer], None]
Strategy = Callable[[Operation, str | None], st.SearchStrategy[Request]]


def run_examples(session: Session, op: Operation, strategy: Strategy, check: Check,
                 max_examples: int) -> str | None:
    """Hypothesis over one operation, each example sent as every caller; returns the shrunk
    failure as text, or None."""

    @fuzz_settings(max_examples)
    @given(request=strategy(op, PLACEHOLDER if op.secured else None))
    def example(request: Request) -> None:
        sent = [(caller, as_caller(request, session.fixture.tokens[caller] if caller else None))
                for caller in session.callers]
        for caller, one in sent:
            try:
                check(session, op, one, session.send(one))
            except AssertionError as exc:
                again = found_bug(op, one)
                raise AssertionError(f"as {caller or 'anonymous'}: {exc}"
                                     + (f" (the once-found bug {again} is back)" if again
                                        else "")) from None

    try:
        example()
    except Exception as exc:  # a failing example: report it with Hypothesis's notes
        notes = "\n".join(dict.fromkeys(getattr(exc, "__notes__", [])))
        return f"{op.key}: {''.join(traceback.format_exception_only(exc)).strip()}\n{notes}"
    return None


def fuzz(fixture: Fixture, where: Path, ops: list[Operation], callers: tuple[str | None, ...],
         strategy: Strategy, check: Check, max_examples: int) -> list[str]:
    session = Session(fixture, where, callers)
    failures: list[str] = []
    try:
        with quiet(*NOISY_LOGGERS):
            for op in ops:
                session.start()
                failure = run_examples(session, op, strategy, check, max_examples)
                if failure:
                    failures.append(failure)
                session.still_healthy(f"fuzzing {op.key}")
    finally:
        session.stop()
    return failures


def _unparsable_headers(request: Request) -> bool:
    """Control characters in a header: aiohttp's HTTP parser refuses the request with a plain
    400 before central's error middleware ever sees it."""
    return any((ord(c) < 32 and c != "\t") or ord(c) == 127
               for value in request.headers.values() for c in value)


def never_5xx(session: Session, op: Operation, request: Request, answer: Answer) -> None:
    assert answer.status < 500, (
        f"{op.key} → {answer.status} {answer.body[:300]!r}\nrequest: {request!r}\n"
        f"server log:\n{session.server_log()}")
    if answer.status >= 400 and not (answer.status == 400 and _unparsable_headers(request)):
        body = answer.json()
        assert isinstance(body, dict) and body.get("error") and body.get("message"), (
            f"{op.key} → {answer.status} without a JSON {{error, message}}: "
            f"{answer.body[:300]!r}\nrequest: {request!r}")


def agrees(session: Session, op: Operation, request: Request, answer: Answer) -> None:
    if (answer.status, (answer.json() or {}).get("error") if answer.status == 422
            else None) in AGREEING_CODES:
        return
    assert 200 <= answer.status < 300 or answer.status in AGREEING, (
        f"the description allows this request but the server refused it: {op.key} → "
        f"{answer.status} {answer.body[:300]!r}\nrequest: {request!r}")


# --------------------------------------------------------------------------- every route


def test_every_described_operation_survives_hostile_requests(logged_in: Fixture,
                                                             tmp_path: Path) -> None:
    ops = logged_in.operations
    assert len(ops) >= 10, "the description lists suspiciously few operations"
    failures = fuzz(logged_in, tmp_path, ops, CALLERS, hostile_requests, never_5xx,
                    HOSTILE_EXAMPLES)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("bug", FOUND_BUGS, ids=[bug.name for bug in FOUND_BUGS])
def test_server_errors_found_by_fuzzing_stay_fixed(logged_in: Fixture, bug: KnownBug,
                                                   tmp_path: Path) -> None:
    with logged_in.server(tmp_path) as central, quiet(*NOISY_LOGGERS):
        for example in bug.reproducers(logged_in.tokens):
            central.log.records.clear()
            answer = send(central.port, example)
            assert answer.status < 500, f"{example!r} → {answer.status}\n" \
                                        f"{''.join(central.log.records[-1:])}"
            assert send(central.port, Request("GET", "/api/health")).status == 200


def test_requests_valid_by_the_description_are_not_refused_for_their_shape(
        logged_in: Fixture, tmp_path: Path) -> None:
    failures = fuzz(logged_in, tmp_path, logged_in.operations, ROLES, valid_requests, agrees,
                    VALID_EXAMPLES)
    assert not failures, "\n\n".join(failures)


# --------------------------------------------------------------------------- bodies


def _first_camera(fixture: Fixture) -> str:
    with sqlite3.connect(fixture.db_path) as conn:
        return conn.execute("SELECT id FROM cameras ORDER BY id LIMIT 1").fetchone()[0]


_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")


def _same_answer(answer: Answer) -> tuple[int, Any]:
    """Status and body, with the times of day (which differ between runs) blanked."""
    return answer.status, json.loads(_TIMESTAMP.sub(b"<time>", answer.body) or b"null")


def test_bodies_sent_slowly_in_pieces_or_chunked_get_the_same_answer(logged_in: Fixture,
                                                                      tmp_path: Path) -> None:
    """A console on a slow link sends its action in many TCP segments: the server must read
    the whole body, and answer exactly as for the body sent at once."""
    actions = logged_in.operation(lambda op: op.path == "/api/actions" and op.json_body,
                                  "POST /api/actions")
    body = json.dumps({"idem_key": uuid4().hex, "kind": "camera.health",
                       "payload": {"camera_id": _first_camera(logged_in), "health": "offline",
                                   "reason": "镜头被遮挡，现场核查 " * 12}},
                      ensure_ascii=False).encode()
    auth = {**_auth(logged_in, "operator"), "Content-Type": "application/json"}
    sized = request_head(actions.method, actions.path,
                         {**auth, "Content-Length": str(len(body))})
    unsized = request_head(actions.method, actions.path,
                           {**auth, "Transfer-Encoding": "chunked"})
    image = jpeg_image(bytes(range(256)) * 200)  # 51 KB: several TCP segments
    media = logged_in.operation(lambda op: op.body_type is not None and not op.json_body,
                                "upload with a binary body")
    media_head = request_head(media.method, media.path, {
        **_auth(logged_in, "operator"), "Content-Type": media.body_type or "image/jpeg",
        "Content-Length": str(len(image))})
    answers: dict[str, tuple[int, Any]] = {}
    stored: dict[str, str] = {}
    variants = {
        "at once": (sized, [body], 0.0),
        "in 7-byte pieces, 10 ms apart": (sized, [body[i:i + 7] for i in range(0, len(body), 7)],
                                          0.01),
        "chunked, 16-byte chunks 10 ms apart": (unsized, chunked(body, 16), 0.01),
    }
    for number, (name, (head, pieces, pause)) in enumerate(variants.items()):
        with logged_in.server(tmp_path / f"v{number}") as central:
            answer = asyncio.run(exchange_in_pieces(central.port, head, pieces, pause))
            answers[name] = _same_answer(answer)
            uploaded = asyncio.run(exchange_in_pieces(
                central.port, media_head, [image[i:i + 4096]
                                           for i in range(0, len(image), 4096)], 0.005))
            assert uploaded.status == 200, (name, uploaded.status, uploaded.body[:200])
            url = json.loads(uploaded.body)["url"]
            fetched = send(central.port, Request("GET", url, _auth(logged_in, "operator")))
            stored[name] = hashlib.sha256(fetched.body).hexdigest()
    assert answers["at once"][0] == 200, answers["at once"]
    for name, answer in answers.items():
        assert answer == answers["at once"], f"{name}: {answer} != {answers['at once']}"
    assert set(stored.values()) == {hashlib.sha256(image).hexdigest()}, stored
    # At the size limit: stored whole. One byte over it without a Content-Length: refused.
    limit = CentralConfig().max_media_bytes
    largest = IMAGE_JPEG[:-2] + bytes(range(256)) * ((limit - len(IMAGE_JPEG)) // 256)
    largest += b"\0" * (limit - len(largest) - 2) + IMAGE_JPEG[-2:]
    headers = {**_auth(logged_in, "operator"), "Content-Type": media.body_type or "image/jpeg"}
    with logged_in.server(tmp_path / "large") as central:
        answer = send(central.port, Request(media.method, media.path, headers, largest))
        assert answer.status == 200, answer.body[:200]
        fetched = send(central.port, Request("GET", answer.json()["url"], headers))
        assert hashlib.sha256(fetched.body).digest() == hashlib.sha256(largest).digest()
        over = asyncio.run(exchange_in_pieces(
            central.port, request_head(media.method, media.path,
                                       {**headers, "Transfer-Encoding": "chunked"}),
            chunked(largest + b"\0", 65536), 0.0))
        assert over.status == 413, (over.status, over.body[:200])


def test_json_nested_five_thousand_deep_is_refused_with_400(logged_in: Fixture,
                                                            tmp_path: Path) -> None:
    ops = [op for op in logged_in.operations if op.json_body]
    assert ops
    bodies = {"objects and arrays": nested(5000).text, "arrays": "[" * 5000 + "]" * 5000}
    refused: dict[str, int] = {}
    with logged_in.server(tmp_path) as central, quiet(*NOISY_LOGGERS):
        for op in ops:
            for what, text in bodies.items():
                answer = send(central.port, Request(
                    op.method, op.path, {**_auth(logged_in, "admin"),
                                         "Content-Type": "application/json"}, text.encode()))
                refused[f"{op.key}, {what}"] = answer.status
        assert send(central.port, Request("GET", "/api/health")).status == 200
    assert set(refused.values()) == {400}, refused


# --------------------------------------------------------------------------- /api/media


def _upload_op(fixture: Fixture) -> Operation:
    return fixture.operation(lambda op: op.body_type is not None and not op.json_body,
                             "upload with a binary body")


def _is_image(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", PNG_SIGNATURE))


IMAGES = st.one_of(st.binary(max_size=3000).map(jpeg_image),
                   st.builds(png_image, st.integers(1, 16), st.integers(1, 16),
                             st.integers(0, 255)))


def test_media_uploads_are_refused_or_stored_whole(logged_in: Fixture, tmp_path: Path) -> None:
    """Random bytes, cut JPEG and PNG headers, empty bodies and real images, as every role:
    never a 5xx; what is not an image is refused; what is stored comes back byte for byte."""
    upload = _upload_op(logged_in)
    with logged_in.server(tmp_path) as central, quiet(*NOISY_LOGGERS):

        @fuzz_settings(60)
        @given(data=HOSTILE_BINARY | IMAGES, role=st.sampled_from(CALLERS),
               content_type=st.sampled_from([upload.body_type, "image/png",
                                             "application/octet-stream", "text/plain"]))
        def example(data: bytes, role: str | None, content_type: str) -> None:
            note(f"as {role}, {content_type!r}, {len(data)} bytes: {data[:100]!r}")
            headers = {"Content-Type": content_type or "image/jpeg",
                       **(_auth(logged_in, role) if role else {})}
            answer = send(central.port, Request(upload.method, upload.path, headers, data))
            assert answer.status < 500, (answer.status, answer.body[:200], central.log.records)
            if not _is_image(data):
                assert 400 <= answer.status < 500, f"stored {data[:20]!r}: {answer.body!r}"
            if 200 <= answer.status < 300:
                url = answer.json()["url"]
                fetched = send(central.port, Request("GET", url, headers))
                assert fetched.status == 200, (url, fetched.status)
                assert hashlib.sha256(fetched.body).digest() == hashlib.sha256(data).digest()

        example()
        assert send(central.port, Request("GET", "/api/health")).status == 200


def test_oversized_upload_is_refused_with_413_and_a_stalled_one_blocks_nobody(
        logged_in: Fixture, tmp_path: Path) -> None:
    upload = _upload_op(logged_in)
    limit = CentralConfig().max_media_bytes
    headers = {**_auth(logged_in, "operator"), "Content-Type": upload.body_type or "image/jpeg"}
    with logged_in.server(tmp_path) as central, quiet(*NOISY_LOGGERS):
        too_big = IMAGE_JPEG[:-2] + b"\0" * (limit + 1 - len(IMAGE_JPEG)) + IMAGE_JPEG[-2:]
        answer = send(central.port, Request(upload.method, upload.path, headers, too_big))
        assert answer.status == 413, (answer.status, answer.body[:200])
        # A client that announces a body and stops sending it holds only its own connection.
        stalled = socket.create_connection(("127.0.0.1", central.port))
        try:
            stalled.sendall(request_head(upload.method, upload.path,
                                         {**headers, "Content-Length": "100000"}) + IMAGE_JPEG)
            started = time.monotonic()
            assert send(central.port, Request("GET", "/api/health")).status == 200
            assert send(central.port, Request("GET", "/api/me", headers)).status == 200
            assert time.monotonic() - started < ANSWER_TIMEOUT_S
        finally:
            stalled.close()
        assert send(central.port, Request("GET", "/api/health")).status == 200


# --------------------------------------------------------------------------- the WebSocket


def _ws_op(fixture: Fixture) -> Operation:
    return fixture.operation(lambda op: op.upgrades or op.path.endswith("/ws"),
                             "WebSocket route")


def _head_seq(port: int) -> int:
    return int(send(port, Request("GET", "/api/health")).json().get("head_seq", 0))


def test_websocket_handshakes_with_bad_parameters_and_tokens(logged_in: Fixture,
                                                            tmp_path: Path) -> None:
    """Bad ``since``, bad or missing tokens, unknown parameters: a 101 or a 4xx, in time."""
    ws = _ws_op(logged_in)
    tokens = st.sampled_from([*logged_in.tokens.values(), None]) | BAD_TOKENS
    params = st.dictionaries(st.sampled_from(["since", "token", "since", "x", ""]),
                             HOSTILE_STRINGS | HOSTILE_NUMBERS.map(str), max_size=3)
    with logged_in.server(tmp_path) as central, quiet(*NOISY_LOGGERS):

        @fuzz_settings(50)
        @given(token=tokens, query=params, in_query=st.booleans())
        def example(token: str | None, query: dict[str, str], in_query: bool) -> None:
            note(f"token {token!r}, query {query!r}, token in query: {in_query}")
            if in_query and token is not None:
                query = {**query, "token": token}
            target = ws.path + "?" + urlencode(query, quote_via=quote) if query else ws.path
            sock, status, rest = ws_connect(central.port, target,
                                            None if in_query else safe_header(token or ""))
            sock.close()
            assert status == 101 or 400 <= status < 500, (target, status, rest[:200])

        example()
        assert send(central.port, Request("GET", "/api/health")).status == 200


WELL_FORMED_FRAMES = st.builds(  # frames the protocol allows, carrying garbage
    ws_frame, st.sampled_from([0x1, 0x2, 0x9, 0xA, 0x8]),
    st.binary(max_size=125) | st.text(max_size=60).map(str.encode)
    | st.sampled_from([b'{"type": "hello"}', b"null", b"\xff\xfe", nested(100).text.encode()]))
BENT_FRAMES = st.builds(  # reserved opcodes and bits, no mask, lengths that lie
    ws_frame, st.sampled_from([0x0, 0x1, 0x2, 0x3, 0x7, 0x8, 0x9, 0xB, 0xF]),
    st.binary(max_size=300), fin=st.booleans(), rsv=st.integers(0, 7), masked=st.booleans(),
    declared=st.none() | st.sampled_from([0, 1, 125, 126, 65535, 65536, 2**31, 2**63 - 1]))
FRAMES = st.lists(st.one_of(
    WELL_FORMED_FRAMES, WELL_FORMED_FRAMES, BENT_FRAMES,
    st.binary(min_size=1, max_size=200),  # not a frame at all
    st.sampled_from([ws_frame(0x1, b"x" * (1 << 16)), ws_frame(0x1, b"x" * ((1 << 16) + 1)),
                     ws_frame(0x1, b"part", fin=False) + ws_frame(0x0, b"more", fin=False),
                     ws_frame(0x9, b"x" * 126), ws_frame(0x8, b"\x03\xe8"),
                     ws_frame(0x8, b"\x00"), ws_frame(0x1, nested(3000).text.encode())]),
), min_size=1, max_size=6)


def test_websocket_clients_sending_garbage_frames_do_not_hurt_the_server(
        logged_in: Fixture, tmp_path: Path) -> None:
    ws = _ws_op(logged_in)
    with logged_in.server(tmp_path) as central, quiet(*NOISY_LOGGERS):
        since = _head_seq(central.port)

        @fuzz_settings(40)
        @given(frames=FRAMES, role=st.sampled_from(ROLES))
        def example(frames: list[bytes], role: str) -> None:
            note(f"as {role}, frames {frames!r}")
            sock, status, _ = ws_connect(central.port, f"{ws.path}?since={since}",
                                         logged_in.tokens[role])
            try:
                assert status == 101, status
                with contextlib.suppress(OSError):
                    for frame in frames:
                        sock.sendall(frame)
                sock.settimeout(0.3)
                with contextlib.suppress(OSError):
                    while sock.recv(65536):
                        pass
            finally:
                sock.close()
            health = send(central.port, Request("GET", "/api/health"))
            assert health.status == 200, health.status
            assert not [r for r in central.log.records if "Traceback" in r], \
                central.log.records[-1]

        example()
        sock, status, _ = ws_connect(central.port, f"{ws.path}?since={since}",
                                     logged_in.tokens["operator"])
        sock.close()
        assert status == 101, "a well-behaved client is still served"


def test_websocket_clients_that_never_read_block_nobody(logged_in: Fixture,
                                                        tmp_path: Path) -> None:
    """Clients that ask for the whole feed and never read while changes flow: everybody else
    is answered in time, the server lets go of them when they vanish, and it still shuts down
    promptly with such clients attached."""
    ws = _ws_op(logged_in)
    readings = logged_in.operation(lambda op: op.path.endswith("/readings") and op.json_body,
                                   "readings ingest")
    with sqlite3.connect(logged_in.db_path) as conn:
        sensor = conn.execute("SELECT id FROM sensors ORDER BY id LIMIT 1").fetchone()[0]
    central = logged_in.server(tmp_path, ws_send_timeout_s=1.0).__enter__()
    sleepers: list[socket.socket] = []
    try:
        with quiet(*NOISY_LOGGERS):
            for role in ("admin", "operator", "district", "viewer", "field") * 2:
                sock, status, _ = ws_connect(central.port, f"{ws.path}?since=0",
                                             logged_in.tokens[role], recv_buffer=2048)
                sleepers.append(sock)
                assert status == 101, (role, status)
            started = time.monotonic()
            now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
            for value in range(20):
                batch = json.dumps({"readings": [{"sensor_id": sensor, "ts": now,
                                                  "value": 3.0 + value / 10}]}).encode()
                posted = send(central.port, Request(readings.method, readings.path, {
                    **_auth(logged_in, "device"), "Content-Type": "application/json"}, batch))
                assert posted.status < 500, posted.body
                health = send(central.port, Request("GET", "/api/health"))
                assert health.status == 200
            assert health.json().get("clients", len(sleepers)) == len(sleepers), \
                "the clients that never read were dropped before the test could use them"
            assert send(central.port, Request("GET", "/api/me",
                                              _auth(logged_in, "viewer"))).status == 200
            assert time.monotonic() - started < ANSWER_TIMEOUT_S
            for sock in sleepers[2:]:
                sock.close()
            deadline = time.monotonic() + ANSWER_TIMEOUT_S
            while time.monotonic() < deadline:
                clients = send(central.port, Request("GET", "/api/health")).json().get("clients")
                if not clients or clients <= 2:
                    break
                time.sleep(0.2)
            assert not clients or clients <= 2, f"{clients} clients still held after they left"
        stopping = time.monotonic()
        central.__exit__(None, None, None)  # two clients that never read are still attached
        assert time.monotonic() - stopping < ANSWER_TIMEOUT_S, "shutdown waited for them"
    finally:
        for sock in sleepers:
            sock.close()
        central.__exit__(None, None, None)
