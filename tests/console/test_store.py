"""The local store's guarantees: atomic outbox, cursor only with its page, replays ignored,
corrupt files kept and replaced, one cache per login, offline login only with the right
password."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.sync.store import LocalStore, cache_file_name
from db.models import Alarm, Camera, District, OutboxAction, SyncState

pytestmark = pytest.mark.timeout(60)


def district(seq: int, ident: str = "D01", name: str = "康巴什区", **extra) -> dict:
    return {"seq": seq, "entity": "district", "id": ident, "district_id": ident,
            "deleted": False, "payload": {"id": ident, "name": name, **extra}}


def camera(seq: int, ident: str, online: bool = True, version: int = 1) -> dict:
    return {"seq": seq, "entity": "camera", "id": ident, "district_id": "D01", "deleted": False,
            "payload": {"id": ident, "business_id": "B1", "district_id": "D01",
                        "name": ident, "online": online, "version": version}}


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    local = await LocalStore.async_open(tmp_path / "local.db")
    yield local
    local.close()


async def test_outbox_row_is_written_with_its_effect_or_not_at_all(store: LocalStore) -> None:
    def crash_midway(session) -> None:
        session.add(Alarm(id="a1", kind="ai_violation", district_id="D01", business_id="B1",
                          condition_key="k1"))
        session.flush()  # the effect reached the database inside the transaction...
        raise RuntimeError("power cut between the effect and the outbox row")

    with pytest.raises(RuntimeError):
        await store.record_action("alarm.ack", {"alarm_id": "a1"}, crash_midway)
    assert await store.count(OutboxAction) == 0
    assert await store.count(Alarm) == 0  # ...and left with it

    def ack(session) -> None:
        session.add(Alarm(id="a2", kind="ai_violation", district_id="D01", business_id="B1",
                          condition_key="k2", state="acknowledged"))

    key = await store.record_action("alarm.ack", {"alarm_id": "a2"}, ack)
    rows = await store.read(lambda s: s.scalars(select(OutboxAction)).all())
    assert [(r.idem_key, r.kind, r.payload, r.state) for r in rows] == [
        (key, "alarm.ack", {"alarm_id": "a2"}, "pending")]
    assert 8 <= len(key) <= 64
    assert (await store.read(lambda s: s.get(Alarm, "a2"))).state == "acknowledged"
    assert (await store.outbox_counts()).pending == 1


async def test_each_action_gets_its_own_key_and_wakes_listeners(store: LocalStore) -> None:
    woken: list[int] = []
    store.on_action_recorded(lambda: woken.append(1))
    keys = {await store.record_action("audit", {"n": i}) for i in range(5)}
    assert len(keys) == 5 and len(woken) == 5


async def test_cursor_advances_only_together_with_its_page(store: LocalStore) -> None:
    page = await store.apply_changes([district(1), camera(2, "C1")], upto=2, feed_id="F1")
    assert (page.cursor, page.applied, page.touched) == (2, 2, frozenset({"district",
                                                                          "camera"}))
    assert await store.feed_position() == (2, "F1")

    # A page that fails half-way (the disk is full, say) leaves neither rows nor cursor.
    original = store._tx_cache  # feed pages commit through it

    def failing_tx(work):
        def inner(session):
            work(session)
            session.flush()
            raise sqlite3.OperationalError("database or disk is full")
        return original(inner)

    store._tx_cache = failing_tx  # type: ignore[method-assign]
    with pytest.raises(sqlite3.OperationalError):
        await store.apply_changes([camera(3, "C2"), camera(4, "C3")], upto=4)
    store._tx_cache = original  # type: ignore[method-assign]
    assert await store.cursor() == 2
    assert await store.count(Camera) == 1


async def test_replays_at_or_below_the_cursor_are_ignored(store: LocalStore) -> None:
    await store.apply_changes([camera(1, "C1", online=True), camera(2, "C2")], upto=2)
    # A reconnect replays seq 2 with stale content and brings 3: only 3 applies.
    page = await store.apply_changes([camera(2, "C2", online=False), camera(3, "C3")])
    assert (page.applied, page.cursor) == (1, 3)
    assert (await store.read(lambda s: s.get(Camera, "C2"))).online is True
    # The page's last_seq moves the cursor past rows the server filtered out of our scope.
    page = await store.apply_changes([], upto=10)
    assert page.cursor == 10 and page.applied == 0


async def test_malformed_row_is_skipped_not_fatal(store: LocalStore) -> None:
    bad = camera(1, "C1")
    bad["payload"]["online"] = "yes"  # not a boolean
    page = await store.apply_changes([bad, camera(2, "C2")], upto=2)
    assert page.applied == 1 and page.cursor == 2
    assert await store.count(Camera) == 1


async def test_alarm_rows_are_reported_for_live_notification(store: LocalStore) -> None:
    alarm = {"seq": 1, "entity": "alarm", "id": "A1", "district_id": "D01", "deleted": False,
             "payload": {"id": "A1", "kind": "ai_violation", "district_id": "D01",
                         "business_id": "B1", "condition_key": "x", "severity": 4}}
    page = await store.apply_changes([alarm])
    assert [a["id"] for a in page.alarms] == ["A1"]


async def test_deleted_rows_leave_the_cache(store: LocalStore) -> None:
    await store.apply_changes([district(1)])
    gone = district(2)
    gone["deleted"] = True
    await store.apply_changes([gone])
    assert await store.count(District) == 0


async def test_reset_keeps_the_outbox(store: LocalStore) -> None:
    await store.apply_changes([district(1), camera(2, "C1")], upto=2, feed_id="F1")
    await store.record_action("audit", {"note": "mine"})
    await store.reset_cache("test")
    assert await store.feed_position() == (0, "")
    assert await store.count(Camera) == 0
    assert (await store.outbox_counts()).pending == 1


async def test_corrupt_file_is_kept_aside_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "local.db"
    path.write_bytes(b"this is not a database " * 500)
    store = await LocalStore.async_open(path)
    try:
        assert store.recovered_from is not None
        assert store.recovered_from.read_bytes().startswith(b"this is not a database")
        assert store.recovery_reason
        assert await store.cursor() == 0
        await store.record_action("audit", {"x": 1})  # the fresh file works
        assert sqlite3.connect(path).execute("select count(*) from outbox").fetchone() == (1,)
    finally:
        store.close()


async def test_offline_login_needs_the_same_user_password_and_data(store: LocalStore) -> None:
    assert await store.bind("http://c:8750", "kbs") is False
    user = {"id": "U1", "username": "kbs", "role": "district", "district_id": "D01"}
    await store.remember_login(user, "right password")
    assert await store.offline_login("kbs", "right password") is None  # no data synced yet
    await store.apply_changes([district(1)], upto=1)
    assert await store.offline_login("kbs", "right password") == user
    assert await store.offline_login("kbs", "wrong password") is None
    assert await store.offline_login("operator", "right password") is None
    raw = await store.read(lambda s: [r.value for r in s.scalars(select(SyncState))])
    assert not any("right password" in value for value in raw)  # only a verifier is kept


async def test_a_file_of_another_login_is_emptied(store: LocalStore) -> None:
    await store.bind("http://c:8750", "kbs")
    await store.apply_changes([district(1)], upto=1)
    assert await store.bind("http://c:8750", "kbs") is False
    assert await store.bind("http://c:8750", "ds") is True
    assert await store.count(District) == 0


def test_cache_files_are_per_login() -> None:
    a = cache_file_name("http://10.0.0.5:8750", "operator")
    assert a == "operator@10.0.0.5_8750.db"
    assert a != cache_file_name("http://10.0.0.5:8750", "kbs")
    assert "/" not in cache_file_name("https://x/y/../../etc", "../../u")


async def test_rejected_actions_are_listed_until_dismissed(store: LocalStore) -> None:
    first = await store.record_action("alarm.ack", {"alarm_id": "gone"})
    await store.record_action("alarm.ack", {"alarm_id": "ok"})
    pending = await store.next_pending()
    assert pending[0].idem_key == first
    await store.mark_rejected(pending[0].id, "alarm gone not found")
    await store.mark_acked(pending[1].id)
    counts = await store.outbox_counts()
    assert (counts.pending, counts.rejected) == (0, 1)
    [rejected] = await store.rejected()
    assert rejected.message == "alarm gone not found" and rejected.payload == {
        "alarm_id": "gone"}
    await store.discard_rejected([rejected.id])
    assert (await store.outbox_counts()).rejected == 0
    assert await store.count(OutboxAction) == 2  # kept for the record


async def test_repair_puts_back_the_servers_row_unless_the_feed_moved_on(
        store: LocalStore) -> None:
    await store.apply_changes([camera(1, "C1", online=True, version=3)])
    await store.run(lambda s: setattr(s.get(Camera, "C1"), "health", "frozen"))  # local effect
    server_row = camera(0, "C1", online=True, version=3)["payload"] | {"health": "playing"}
    assert await store.repair_row("camera", server_row, "C1")
    assert (await store.read(lambda s: s.get(Camera, "C1"))).health == "playing"
    older = server_row | {"version": 2, "health": "offline"}
    assert not await store.repair_row("camera", older, "C1")  # the feed already has newer
    assert await store.repair_row("camera", None, "C1")  # does not exist there
    assert await store.count(Camera) == 0


async def test_writes_are_serialised_on_one_thread_and_reads_elsewhere(
        store: LocalStore) -> None:
    writers = {await store.run(lambda s: threading.current_thread().name) for _ in range(5)}
    readers = {await store.read(lambda s: threading.current_thread().name) for _ in range(5)}
    assert len(writers) == 1 and writers.pop().startswith("local-db-write")
    assert len(readers) == 1 and readers.pop().startswith("local-db-read")
    assert threading.current_thread().name == "MainThread"


async def test_a_big_page_is_applied_quickly(store: LocalStore) -> None:
    import time

    page = [camera(i, f"C{i}") for i in range(1, 5001)]
    started = time.perf_counter()
    await store.apply_changes(page, upto=5000)
    took = time.perf_counter() - started
    assert await store.count(Camera) == 5000
    again = [camera(5000 + i, f"C{i}", online=False) for i in range(1, 5001)]
    started = time.perf_counter()
    await store.apply_changes(again, upto=10000)
    took_update = time.perf_counter() - started
    print(f"5000 new rows in {took:.2f} s, 5000 updates in {took_update:.2f} s")
    assert await store.read(lambda s: s.scalar(select(func.count()).where(
        Camera.online.is_(False)))) == 5000
    assert took < 10 and took_update < 10


async def test_synced_pages_skip_the_disk_wait_but_the_outbox_never_does(
        store: LocalStore) -> None:
    """A province's snapshot commits 350 pages: those (which central can send again) do not
    wait for the disk, while an operator's action still does, also right after a page."""
    def level(session) -> int:
        return int(session.connection().exec_driver_sql("PRAGMA synchronous").scalar())

    full, normal = 2, 1
    seen: list[int] = []
    assert await store.run_cache(level) == normal
    await store.apply_changes([{"seq": 1, "entity": "district", "id": "D9", "deleted": False,
                                "payload": {"id": "D9", "name": "九区"}}])
    await store.record_action("note", {}, lambda session: seen.append(level(session)))
    assert seen == [full]
    assert await store.run(level) == full
    assert await store.cursor() == 1
