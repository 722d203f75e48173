"""Login throttling that holds: counted in the database before the password is checked, shared
by server instances, a growing delay per account, and an address limit that stops a spray of
names without locking out colleagues behind the same address."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from central import throttle
from central.auth import verify_password
from central.config import CentralConfig
from central.context import AUTH
from central.database import Database
from central.demo_registry import DEMO_PASSWORD
from central.errors import ApiError
from db.models import utcnow
from tests.central.conftest import Api, start_api


def _body(username: str, password: str = "a wrong guess") -> dict[str, str]:
    return {"username": username, "password": password}


async def test_concurrent_wrong_passwords_are_never_all_tried(config: CentralConfig) -> None:
    """60 wrong passwords at once. Every verification is held at a gate until all the others
    have been answered, so no failure is recorded "in time" by luck: only the attempts counted
    before the limit may reach the password check, the rest get 429 without it."""
    config.login_failures_per_account = 5
    config.login_delay_s = 600.0  # the 5th failure blocks the account for ten minutes
    api, server, session = await start_api(config)
    verified: list[str] = []
    gate = threading.Event()

    def counting_verify(stored: str, password: str) -> bool:
        verified.append(password)
        gate.wait(30)
        return verify_password(stored, password)

    api.app[AUTH].verify = counting_verify
    try:
        replies: list[int] = []

        async def attempt(i: int) -> None:
            replies.append((await api.post("/api/login",
                                           _body("operator", f"guess {i}"))).status)

        tasks = [asyncio.create_task(attempt(i)) for i in range(60)]
        try:
            async with asyncio.timeout(30):
                while replies.count(429) < 55:
                    await asyncio.sleep(0.02)
        except TimeoutError:
            pass
        gate.set()
        await asyncio.gather(*tasks)
        assert len(verified) == 5
        assert sorted(replies) == [401] * 5 + [429] * 55
        # Even the right password now waits: the account is blocked for everyone.
        reply = await api.post("/api/login", _body("operator", DEMO_PASSWORD))
        assert reply.status == 429 and 590 <= reply.body["retry_after"] <= 600
    finally:
        gate.set()
        await session.close()
        await server.close()


async def test_two_server_instances_share_the_limit(config: CentralConfig,
                                                    tmp_path: Path) -> None:
    config.login_failures_per_account = 3
    config.login_delay_s = 600.0
    first, server1, session1 = await start_api(config)
    second_config = CentralConfig(db_url=config.db_url, media_dir=tmp_path / "m2",
                                  run_background=False, worker_id="second",
                                  login_failures_per_account=3, login_delay_s=600.0)
    second, server2, session2 = await start_api(second_config)
    try:
        assert (await first.post("/api/login", _body("admin"))).status == 401
        assert (await second.post("/api/login", _body("admin"))).status == 401
        assert (await first.post("/api/login", _body("admin"))).status == 401
        for api in (second, first):
            reply = await api.post("/api/login", _body("admin", DEMO_PASSWORD))
            assert reply.status == 429, reply.body
    finally:
        for session, server in ((session1, server1), (session2, server2)):
            await session.close()
            await server.close()


async def test_a_colleague_known_at_the_address_gets_in_after_a_spray(
        config: CentralConfig) -> None:
    """Everyone of a bureau comes from one NAT address. Someone there sprays names: the address
    is blocked for names never used there, but not for a colleague who logged in before."""
    config.login_failures_per_address = 6
    config.login_delay_s = 600.0
    api, server, session = await start_api(config)
    try:
        assert (await api.post("/api/login", _body("kbs", DEMO_PASSWORD))).status == 200
        for i in range(6):
            assert (await api.post("/api/login", _body(f"nobody{i}"))).status == 401
        assert (await api.post("/api/login", _body("nobody6"))).status == 429
        # An account that never logged in from here is stopped too, even with its password.
        assert (await api.post("/api/login", _body("ds", DEMO_PASSWORD))).status == 429
        # The colleague is not.
        assert (await api.post("/api/login", _body("kbs", DEMO_PASSWORD))).status == 200
        # ... and the colleague's own typos count on a counter of their own, not the address.
        assert (await api.post("/api/login", _body("kbs"))).status == 401
        assert (await api.post("/api/login", _body("kbs", DEMO_PASSWORD))).status == 200
    finally:
        await session.close()
        await server.close()


async def test_a_success_takes_the_attempt_back(api: Api) -> None:
    for _ in range(2):
        for _ in range(4):
            assert (await api.post("/api/login", _body("viewer"))).status == 401
        assert (await api.post("/api/login", _body("viewer", DEMO_PASSWORD))).status == 200


@pytest.fixture
def database(db_url: str) -> Database:
    db = Database(db_url)
    yield db
    db.close()


_T0 = utcnow().replace(microsecond=0)


def _wait(db: Database, policy: throttle.Policy, username: str, at: float) -> float | None:
    """None if an attempt at ``at`` seconds (on a fixed clock) is counted, else the seconds
    it must wait."""
    now = _T0 + timedelta(seconds=at)
    try:
        db.write_sync(lambda s: throttle.claim(s, policy, username, "192.0.2.7", now))
    except ApiError as exc:
        assert exc.status == 429
        return float(exc.extra["retry_after"])
    return None


@pytest.mark.parametrize("username", ["operator", "no-such-account"])
def test_the_delay_doubles_up_to_the_cap(database: Database, username: str) -> None:
    """Failures 1..5 go through; the 5th makes the next attempt wait 1 s, the 6th 2 s, the 7th
    4 s, ... never more than the cap. The same for an account that does not exist."""
    policy = throttle.Policy(per_account=5, per_address=1000, base_delay_s=1.0,
                             max_delay_s=900.0)
    t = 0.0
    for _ in range(5):
        assert _wait(database, policy, username, t) is None
    waits = []
    for _ in range(12):
        wait = _wait(database, policy, username, t)  # right after the last failure
        assert wait is not None
        waits.append(wait)
        t += wait
        assert _wait(database, policy, username, t) is None  # counted: another failure
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]


def test_counters_are_forgotten_after_a_quiet_day(database: Database) -> None:
    policy = throttle.Policy(per_account=2, per_address=1000, forget_s=86400.0)
    assert _wait(database, policy, "operator", 0) is None
    assert _wait(database, policy, "operator", 1) is None
    assert _wait(database, policy, "operator", 1.5) == 1  # blocked until 2 s
    assert _wait(database, policy, "operator", 86402) is None  # a day later: the first again
    assert _wait(database, policy, "operator", 86403) is None


def test_the_wait_runs_from_the_answer_not_from_the_claim(database: Database) -> None:
    """A password check that took 3 s (a loaded server) must not use up the 1 s wait."""
    policy = throttle.Policy(per_account=2, per_address=1000, base_delay_s=1.0)
    assert _wait(database, policy, "operator", 0) is None
    attempt = database.write_sync(lambda s: throttle.claim(
        s, policy, "operator", "192.0.2.7", _T0))  # the 2nd: blocks until 1 s ...
    database.write_sync(lambda s: throttle.failed(
        s, policy, attempt, _T0 + timedelta(seconds=3)))  # ... answered at 3 s
    assert _wait(database, policy, "operator", 3.5) == 1
    assert _wait(database, policy, "operator", 4) is None


def test_an_ipv6_sprayer_cannot_escape_by_rotating_through_its_64(database: Database) -> None:
    policy = throttle.Policy(per_account=1000, per_address=3)

    def attempt(name: str, address: str) -> int | None:
        try:
            database.write_sync(lambda s: throttle.claim(s, policy, name, address, _T0))
        except ApiError as exc:
            return exc.status
        return None

    for i in range(3):
        assert attempt(f"name{i}", f"2001:db8:1:2::{i + 1}") is None
    assert attempt("name9", "2001:db8:1:2:ffff::9") == 429  # same /64
    assert attempt("name9", "2001:db8:1:3::1") is None  # the next /64 is someone else
