"""The same behaviour on PostgreSQL, plus what only PostgreSQL has: concurrent writers in
several threads and processes, and live events across workers through LISTEN/NOTIFY.

A throwaway cluster is started with initdb/pg_ctl (bench/pg.py). Without PostgreSQL
the tests skip with the reason, which fails the run unless skips are allowed
(KITCHENWATCH_ALLOW_SKIPS=1, see tests/conftest.py): installer/setup.sh installs PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import aiohttp
from sqlalchemy import func, select, text

from bench import pg
from central import changes
from central.config import CentralConfig
from central.database import Database
from central.evaluator import ParsedReading, RuleEngine
from db.models import Alarm, Camera, Reading, Sensor, SensorKind, utcnow
from tests.central.conftest import Api, start_api
from tests.central.pg_fixtures import postgres_fixtures

# The same tests as on SQLite, run against PostgreSQL through the `api` fixture below.
from tests.central.test_actions import (  # noqa: F401
    test_concurrent_repeats_apply_once,
    test_same_key_twice_applies_once_with_the_same_answer,
)
from tests.central.test_alarms import (  # noqa: F401
    test_invalid_cycle_and_missed_meal,
    test_one_live_alarm_per_condition_with_count_and_clearing,
    test_trend_is_bucketed_in_sql_keeping_extremes,
)
from tests.central.test_auth import test_login_returns_token_and_user  # noqa: F401
from tests.central.test_feed import (  # noqa: F401
    test_district_user_sees_only_own_district,
    test_feed_from_zero_is_the_whole_registry,
    test_incremental_feed_returns_only_what_changed,
)
from tests.central.test_openapi_stats import test_stats_per_scope  # noqa: F401
from tests.central.test_tasks import (  # noqa: F401
    test_closed_loop_from_alarm_to_ticked_off,
    test_stale_version_is_409_with_the_current_row,
)
from tests.central.test_ws import test_resume_from_cursor_has_no_gap_and_no_duplicate  # noqa: F401

cluster, template, db_url, config, api = postgres_fixtures("kw_test")


async def test_it_really_is_postgres(api: Api) -> None:
    assert api.db.is_postgres


async def _all_at_once(api: Api, table: str, requests: list) -> list:
    """Run ``requests`` (coroutines) so that as many of them as the server writes at once
    (its writer threads; the rest queue in the server) are inside their write transactions
    before any of them may write ``table``: the test holds ``table`` locked against writes
    (reads still work) until they all wait, directly or queued behind each other, then lets
    them go. Whether they overlap is then not a matter of timing."""
    with api.db.engine.connect() as gate:
        gate.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
        gate_pid = int(gate.scalar(select(func.pg_backend_pid())))
        tasks = [asyncio.create_task(request) for request in requests]
        try:
            await asyncio.to_thread(pg.wait_until_blocked_by, api.db.read_sync, gate_pid,
                                    min(len(tasks), api.db.writer_threads))
        finally:
            gate.rollback()
    return await asyncio.gather(*tasks)


async def test_concurrent_dispatches_of_one_alarm_one_wins(api: Api) -> None:
    camera = await api.db.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == "D01").limit(1)).one())
    reply = await api.post("/api/events/ai", {"camera_id": camera.id, "violation": "rodent",
                                              "ts": utcnow().isoformat()}, "gateway")
    alarm_id = reply.body["alarm_id"]
    users = ["operator", "kbs", "admin", "operator", "kbs", "admin"]
    for user in set(users):
        await api.login(user)
    replies = await _all_at_once(api, "tasks", [api.action(who, "task.dispatch", {
        "alarm_id": alarm_id, "task": {"id": uuid4().hex, "assignee": "kbs_field1"}})
        for who in users])
    assert sorted(r.status for r in replies) == [200] + [409] * 5
    assert {r.body["error"] for r in replies if r.status == 409} == {"already_dispatched"}


async def test_concurrent_events_make_one_alarm(api: Api) -> None:
    camera = await api.db.read(lambda s: s.scalars(select(Camera).limit(1)).one())
    await api.login("gateway")
    replies = await _all_at_once(api, "alarms", [api.post("/api/events/ai", {
        "camera_id": camera.id, "violation": "phone_use", "ts": utcnow().isoformat()},
        "gateway") for _ in range(12)])
    assert len({r.body["alarm_id"] for r in replies}) == 1
    alarm = await api.db.read(lambda s: s.scalars(select(Alarm)).one())
    assert alarm.count == 12


async def _receive(ws: aiohttp.ClientWebSocketResponse, pred, timeout: float = 15.0) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            message = await ws.receive_json()
            if pred(message):
                return message


async def test_live_events_cross_workers_through_notify(config: CentralConfig) -> None:
    """Two server instances (as two worker processes would be) on one database: a change and a
    reading posted to the first reach a WebSocket client of the second."""
    first, server1, session1 = await start_api(config)
    second, server2, session2 = await start_api(CentralConfig(
        db_url=config.db_url, media_dir=config.media_dir, run_background=False,
        token_cache_s=0.0, worker_id="second"))
    try:
        async with second.http.ws_connect(second.ws_url(await second.login("operator"))) as ws:
            # No waiting for the LISTEN connection: a listener that (re)connects publishes
            # everything after its cursor, so a notification sent before it is not lost.
            await _receive(ws, lambda m: m["type"] == "hello")
            camera = await first.db.read(lambda s: s.scalars(select(Camera).limit(1)).one())
            await first.action("operator", "camera.health", {"camera_id": camera.id,
                                                             "health": "black"})
            change = await _receive(ws, lambda m: m.get("entity") == "camera")
            assert change["id"] == camera.id and change["payload"]["health"] == "black"
            sensor = await first.db.read(lambda s: s.scalars(select(Sensor).limit(1)).one())
            await first.post("/api/readings", {"readings": [
                {"sensor_id": sensor.id, "ts": utcnow().isoformat(), "value": 19.5}]}, "gateway")
            reading = await _receive(ws, lambda m: m["type"] == "reading")
            assert (reading["sensor_id"], reading["value"]) == (sensor.id, 19.5)
    finally:
        for session, server in ((session1, server1), (session2, server2)):
            await session.close()
            await server.close()


async def test_concurrent_ingest_on_two_workers_loses_and_doubles_nothing(
        config: CentralConfig) -> None:
    """Ingest runs concurrently on PostgreSQL (sensor row locks, not one global lock): batches
    for the same sensors posted at once to two workers still store every reading, raise one
    alarm per sensor, and a console following the feed by cursor misses no change.

    The first batch of each worker is made to collide for certain: the test holds the
    sensors' locks until the first worker's ingest (readings at 0 s) and then the second's
    (15 s) are queued behind them, in that order, so both began before either could write the
    sensors' first rule memory, the first goes first and the second has newer readings to
    evaluate on top of the first's memory. The later batches overlap as they happen to; the
    ``..._waited_for_a_sensor_...`` tests force the other interleavings."""
    first, server1, session1 = await start_api(config)
    second, server2, session2 = await start_api(CentralConfig(
        db_url=config.db_url, media_dir=config.media_dir, run_background=False,
        token_cache_s=0.0, worker_id="second"))
    try:
        sensors = await first.db.read(lambda s: list(s.scalars(
            select(Sensor.id).where(Sensor.kind == SensorKind.SPECIAL_ROOM)
            .order_by(Sensor.id).limit(40))))
        readings_before = await first.db.read(
            lambda s: s.scalar(select(func.count()).select_from(Reading)))
        _, start = await first.feed("operator")
        seen: dict[tuple[str, str], int] = {}
        done = asyncio.Event()

        async def follow(cursor: int) -> None:
            while True:
                finished = done.is_set()
                rows, cursor = await first.feed("operator", since=cursor)
                seen.update(((r["entity"], r["id"]), r["seq"]) for r in rows)
                if finished:
                    return
                await asyncio.sleep(0.01)

        base = utcnow().replace(microsecond=0) - timedelta(hours=1)

        def batch(second_of_series: int) -> dict[str, Any]:
            ts = (base + timedelta(seconds=second_of_series)).isoformat()
            return {"readings": [{"sensor_id": sid, "ts": ts, "value": 26.0}
                                 for sid in sensors]}

        follower = asyncio.create_task(follow(start))
        await first.login("gateway")
        await second.login("gateway")
        with first.db.engine.connect() as gate:
            gate.execute(select(Sensor.id).where(Sensor.id.in_(sensors))
                         .with_for_update()).all()
            gate_pid = int(gate.scalar(select(func.pg_backend_pid())))
            colliding = []
            for queued, (worker, second_of_series) in enumerate(((first, 0), (second, 15)), 1):
                colliding.append(asyncio.create_task(
                    worker.post("/api/readings", batch(second_of_series), "gateway")))
                await asyncio.to_thread(pg.wait_until_blocked_by, first.db.read_sync,
                                        gate_pid, queued)
            gate.rollback()  # both ingests wait in their locking statement: let them go
        posts = []
        for step in range(30, 240, 30):  # 26 °C (limit 25) for 4 min: past the 2-min hold
            posts += [first.post("/api/readings", batch(step), "gateway"),
                      second.post("/api/readings", batch(step + 15), "gateway")]
        replies = [*await asyncio.gather(*colliding), *await asyncio.gather(*posts)]
        done.set()
        await follower
        bad = [(r.status, r.body) for r in replies
               if r.status != 200 or r.body["accepted"] != len(sensors)]
        assert not bad, bad[:2]

        stored = await first.db.read(
            lambda s: s.scalar(select(func.count()).select_from(Reading)))
        assert stored - readings_before == len(replies) * len(sensors)
        alarms = await first.db.read(lambda s: list(s.scalars(
            select(Alarm).where(Alarm.sensor_id.in_(sensors)))))
        assert sorted(a.sensor_id for a in alarms) == sensors  # one each, none doubled
        assert {(a.subtype, a.count) for a in alarms} == {("temp_high", 1)}
        rows = await first.db.read(lambda s: list(s.scalars(
            select(Sensor).where(Sensor.id.in_(sensors)))))
        assert {(r.rule_state, r.last_ts) for r in rows} == {
            ("breach", base + timedelta(seconds=225))}
        # Every change committed after the start is what the follower saw last for it.
        final, _ = await first.feed("operator", since=start)
        assert final and {(r["entity"], r["id"]): r["seq"] for r in final}.items() <= \
            seen.items()
    finally:
        for session, server in ((session1, server1), (session2, server2)):
            await session.close()
            await server.close()


def test_concurrent_writers_feed_rows_become_visible_in_sequence_order(db_url: str) -> None:
    """A later sequence number must never be readable while an earlier one is still
    uncommitted, or a console that read up to it would skip the earlier change for good."""
    database = Database(db_url)
    try:
        start = database.read_sync(changes.head_seq)
        cams = database.read_sync(lambda s: list(s.scalars(
            select(Camera.id).order_by(Camera.id).limit(2))))
        paused, release = threading.Event(), threading.Event()
        slow_pid: list[int] = []

        def bump(session, camera_id: str) -> None:
            camera = session.get(Camera, camera_id)
            camera.version += 1
            changes.record(session, camera)

        def slow(session) -> None:
            slow_pid.append(pg.backend_pid(session))
            bump(session, cams[0])
            changes.flush_feed(session)  # its feed row has its seq; the commit waits
            paused.set()
            release.wait(10)

        slow_writer = threading.Thread(target=database.write_sync, args=(slow,),
                                       kwargs={"row_locked": True})
        slow_writer.start()
        assert paused.wait(10)
        quick_writer = threading.Thread(target=database.write_sync,
                                        args=(lambda s: bump(s, cams[1]),),
                                        kwargs={"row_locked": True})
        quick_writer.start()
        # Known to wait (for the feed lock the slow writer holds), not given time to finish:
        # a quick writer that did not wait would fail here, however slow the machine.
        pg.wait_until_blocked_by(database.read_sync, slow_pid[0])
        visible = database.read_sync(lambda s: changes.read(s, start, 10))
        assert visible == []  # the quick writer waits for the slow one's commit
        release.set()
        slow_writer.join(10)
        quick_writer.join(10)
        rows = database.read_sync(lambda s: changes.read(s, start, 10))
        assert [r.entity_id for r in rows] == cams
    finally:
        release.set()
        database.close()


def test_several_worker_processes_share_one_port(db_url: str, tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "central", "--port", "0", "--db", db_url,
                             "--media-dir", str(tmp_path / "m"), "--workers", "2",
                             "--log-level", "WARNING"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("KITCHENWATCH_CENTRAL_URL="), proc.stderr.read()
        url = line.strip().split("=", 1)[1]
        asyncio.run(_many_clients(url))
        workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                 text=True).stdout.split()
        assert len(workers) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0


async def _many_clients(url: str) -> None:
    """Eight sockets (spread over the workers by the kernel) all see one change."""
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/api/login", json={"username": "operator",
                                                        "password": "kw-demo-2026"}) as r:
            token = (await r.json())["token"]
        health = await (await http.get(f"{url}/api/health")).json()
        head = health["head_seq"]
        sockets = [await http.ws_connect(f"{url}/api/ws?token={token}&since={head}")
                   for _ in range(8)]
        try:
            for ws in sockets:
                await _receive(ws, lambda m: m["type"] == "hello")
            body: dict[str, Any] = {"idem_key": uuid4().hex, "kind": "camera.health",
                                    "payload": {"camera_id": "D01-B00001-C1",
                                                "health": "offline"}}
            async with http.post(f"{url}/api/actions", data=json.dumps(body), headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json"}) as r:
                assert r.status == 200, await r.text()
            for ws in sockets:
                change = await _receive(ws, lambda m: m.get("entity") == "camera")
                assert change["id"] == "D01-B00001-C1"
        finally:
            for ws in sockets:
                await ws.close()


async def test_feed_counts_match_on_postgres(api: Api) -> None:
    rows, _ = await api.feed("operator")
    count = await api.db.read(lambda s: s.scalar(select(func.count()).select_from(Camera)))
    assert len([r for r in rows if r["entity"] == "camera"]) == count


class _OpenWrite:
    """``work`` run in a row-locked write transaction on a thread of its own (as a worker's
    ingest is), kept open after ``work`` returns, with its locks held, until :meth:`commit`."""

    def __init__(self, database: Database, work) -> None:
        self.pid = 0
        self.result: Any = None
        self._done_work, self._commit = threading.Event(), threading.Event()

        def held(session) -> Any:
            self.pid = pg.backend_pid(session)
            out = work(session)
            self._done_work.set()
            assert self._commit.wait(30), "the test never let the transaction commit"
            return out

        def run() -> None:
            self.result = database.write_sync(held, row_locked=True)

        self.thread = threading.Thread(target=run)
        self.thread.start()
        assert self._done_work.wait(30), "the held write did not get through its work"

    def commit(self) -> Any:
        self._commit.set()
        self.thread.join(30)
        assert not self.thread.is_alive()
        return self.result


class _Attempt:
    """``work`` in a row-locked write transaction on its own thread; keeps what it raised."""

    def __init__(self, database: Database, work) -> None:
        self.result: Any = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.result = database.write_sync(work, row_locked=True)
            except BaseException as exc:  # reported by outcome()
                self.error = exc

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def outcome(self) -> Any:
        self.thread.join(30)
        assert not self.thread.is_alive(), "the waiting ingest never finished"
        if self.error is not None:
            raise AssertionError(f"the waiting ingest failed: {self.error!r}") from self.error
        return self.result


def _reading(sensor_id: str, ts, value: float) -> ParsedReading:
    return ParsedReading(0, sensor_id, ts, value, None)


def _special_room(database: Database) -> str:
    return database.read_sync(lambda s: s.scalars(
        select(Sensor.id).where(Sensor.kind == SensorKind.SPECIAL_ROOM).order_by(Sensor.id)
        .limit(1)).one())


def test_ingest_that_waited_for_a_sensor_reads_the_first_rule_memory_written_meanwhile(
        db_url: str) -> None:
    """Two workers, one sensor that has no rule memory yet. Worker A's ingest (26 °C, above
    the special room's 25 °C) has locked the sensor and written its first memory ("breach
    since t0") but not committed; worker B's ingest of the same sensor three minutes later
    is queued behind A's lock. A commits. B must then read A's memory: it neither fails on
    a second first row (the gateway's batch was refused with a UniqueViolation) nor starts
    the hold timer afresh, so the 2-minute breach raises its alarm."""
    worker_a, worker_b = Database(db_url), Database(db_url)
    rules_a, rules_b = RuleEngine(CentralConfig(db_url=db_url)), \
        RuleEngine(CentralConfig(db_url=db_url))
    try:
        sensor = _special_room(worker_a)
        t0 = utcnow().replace(microsecond=0) - timedelta(hours=1)
        holder = _OpenWrite(worker_a, lambda s: rules_a.ingest(s, [_reading(sensor, t0, 26.0)]))
        waiter = _Attempt(worker_b, lambda s: rules_b.ingest(
            s, [_reading(sensor, t0 + timedelta(minutes=3), 26.0)]))
        pg.wait_until_blocked_by(worker_a.read_sync, holder.pid)
        assert holder.commit().accepted == 1
        assert waiter.outcome().accepted == 1
        alarms = worker_a.read_sync(lambda s: [(a.subtype, a.cleared_at) for a in s.scalars(
            select(Alarm).where(Alarm.sensor_id == sensor))])
        assert alarms == [("temp_high", None)]
        assert worker_a.read_sync(lambda s: s.get(Sensor, sensor).rule_state) == "breach"
    finally:
        worker_a.close()
        worker_b.close()


def test_ingest_that_waited_for_a_sensor_continues_from_the_memory_written_meanwhile(
        db_url: str) -> None:
    """Two workers, one sensor. Worker B saw 26 °C at t0 (its memory: "breach since t0").
    Worker A then stores 24 °C at t0+1 min (breach over) and holds the sensor's lock while
    B's ingest of 26 °C at t0+3 min waits for it. When A commits, B must continue from A's
    memory — the breach began again at t0+3 min, no alarm — not from its own older one, which
    would hold the breach for 3 minutes and raise a false alarm."""
    worker_a, worker_b = Database(db_url), Database(db_url)
    rules_a, rules_b = RuleEngine(CentralConfig(db_url=db_url)), \
        RuleEngine(CentralConfig(db_url=db_url))
    try:
        sensor = _special_room(worker_a)
        t0 = utcnow().replace(microsecond=0) - timedelta(hours=1)
        worker_b.write_sync(lambda s: rules_b.ingest(s, [_reading(sensor, t0, 26.0)]),
                            row_locked=True)
        holder = _OpenWrite(worker_a, lambda s: rules_a.ingest(
            s, [_reading(sensor, t0 + timedelta(minutes=1), 24.0)]))
        waiter = _Attempt(worker_b, lambda s: rules_b.ingest(
            s, [_reading(sensor, t0 + timedelta(minutes=3), 26.0)]))
        pg.wait_until_blocked_by(worker_a.read_sync, holder.pid)
        holder.commit()
        assert waiter.outcome().accepted == 1
        alarms = worker_a.read_sync(lambda s: list(s.scalars(
            select(Alarm.subtype).where(Alarm.sensor_id == sensor))))
        assert alarms == []
        assert worker_a.read_sync(lambda s: s.get(Sensor, sensor).rule_state) == "warning"
    finally:
        worker_a.close()
        worker_b.close()
