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

import re
import sqlite3
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from central.config import CentralConfig
from central.demo_registry import DEMO_PASSWORD
from tests.central.fuzzing import (
    Answer,
    LiveCentral,
    Operation,
    Request,
    copy_database,
    hostile_requests,
    login,
    operations,
    quiet,
    send,
    valid_requests,
)

pytestmark = pytest.mark.timeout(600)

ROLES = ("admin", "operator", "district", "viewer", "field", "device")
HOSTILE_EXAMPLES = 25  # per operation, each sent as every role and anonymously
VALID_EXAMPLES = 10  # per operation, each sent as every role (the agreement check)
# Answers that a request valid by the description may get: scope, state and throttling
# (101: a WebSocket route that describes its upgrade).
AGREEING = {101, 401, 403, 404, 409, 429}
NOISY_LOGGERS = ("kitchenwatch", "aiohttp.access", "aiohttp.server", "aiohttp.web",
                 "aiohttp.websocket")


def fuzz_settings(max_examples: int) -> settings:
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck), report_multiple_bugs=False)


# --------------------------------------------------------------------------- known 5xx


@dataclass(frozen=True)
class KnownBug:
    """A 5xx the fuzzer found that is not fixed yet (in a file another change owns).

    Its inputs are left out of the main fuzz (``matches``) and sent on their own by
    test_known_server_errors, a strict xfail: when the fix lands that test passes, fails as
    XPASS, and the entry is removed here, which puts its inputs back into the main fuzz.
    """

    name: str
    reason: str
    matches: Callable[[Operation, Request], bool]
    reproducers: Callable[[dict[str, str]], list[Request]]


_LONE_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _token_text(request: Request) -> str:
    token = request.headers.get("Authorization", "")
    _, _, query = request.target.partition("?")
    return token + "".join(part for part in query.split("&") if part.startswith("token="))


def _health_events(request: Request) -> list[Any]:
    body = request.json()
    if isinstance(body, dict) and isinstance(body.get("events"), list):
        return body["events"]
    return [body]


KNOWN_BUGS = [
    KnownBug(
        "login-surrogate",
        "central/auth.py: POST /api/login whose password (or username) holds an unpaired "
        "surrogate such as \"\\ud800\" → 500 UnicodeEncodeError in argon2 verify_password",
        lambda op, r: op.key == "POST /api/login" and bool(_LONE_SURROGATE.search(r.body or b"")),
        lambda tokens: [Request("POST", "/api/login", {"Content-Type": "application/json"},
                                b'{"username": "operator", "password": "\\ud800"}')]),
    KnownBug(
        "token-not-utf8",
        "central/auth.py: a bearer token with a byte that is not UTF-8 (e.g. 'Bearer \\xe9', "
        "or ?token=%E9 on /api/ws) → 500 UnicodeEncodeError in token_hash, on every secured "
        "route",
        lambda op, r: any(ord(c) > 127 for c in _token_text(r)) or "%" in _token_text(r),
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
]


def known_bug(op: Operation, request: Request) -> bool:
    return any(bug.matches(op, request) for bug in KNOWN_BUGS)


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
        assume(not any(known_bug(op, one) for _, one in sent))
        for caller, one in sent:
            try:
                check(session, op, one, session.send(one))
            except AssertionError as exc:
                raise AssertionError(f"as {caller or 'anonymous'}: {exc}") from None

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


@pytest.mark.parametrize("bug", KNOWN_BUGS, ids=[bug.name for bug in KNOWN_BUGS])
def test_known_server_errors(logged_in: Fixture, bug: KnownBug, tmp_path: Path,
                             request: pytest.FixtureRequest) -> None:
    request.applymarker(pytest.mark.xfail(strict=True, reason=bug.reason))
    with logged_in.server(tmp_path) as central, quiet(*NOISY_LOGGERS):
        for example in bug.reproducers(logged_in.tokens):
            central.log.records.clear()
            answer = send(central.port, example)
            assert answer.status < 500, f"{example!r} → {answer.status}\n" \
                                        f"{''.join(central.log.records[-1:])}"
            assert send(central.port, Request("GET", "/api/health")).status == 200


@pytest.mark.xfail(strict=True, reason="description is hand-written until central/schemas lands")
def test_requests_valid_by_the_description_are_not_refused_for_their_shape(
        logged_in: Fixture, tmp_path: Path) -> None:
    failures = fuzz(logged_in, tmp_path, logged_in.operations, ROLES, valid_requests, agrees,
                    VALID_EXAMPLES)
    assert not failures, "\n\n".join(failures)
