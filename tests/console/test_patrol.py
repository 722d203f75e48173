"""Online patrol against the real central server: verdicts (with snapshot, note, dispatch)
reach central's database; a patrol done while central is down is delivered exactly once when
it comes back, snapshot included; plans edited in the console reach central."""

from __future__ import annotations

import itertools
from concurrent.futures import Future
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from sqlalchemy import func, select

from console.patrol.centre import PatrolCentre
from console.shell.session import ConsoleSession
from console.sync.state import ConnectionState
from console.sync.store import PENDING
from db.models import AppliedAction, OutboxAction, PatrolPlan, PatrolRecord, Task
from db.serialize import to_payload
from tests.console.conftest import DEMO_PASSWORD, run, wait_until
from tests.console.fakes import FakeWall
from videowall.streams import SnapshotResult
from widgets.dispatch_dialog import DispatchDialog
from widgets.patrol_plan_dialog import PatrolPlanDialog

pytestmark = pytest.mark.timeout(120)
_shade = itertools.count(1)


class SnapshotWall(FakeWall):
    """The fake wall plus ``snapshot``: a small PNG of a different colour each time."""

    def snapshot(self, index: int, path: str | Path) -> Future[SnapshotResult]:
        future: Future[SnapshotResult] = Future()
        if self._cells[index] is None:
            future.set_exception(OSError("this tile shows no camera"))
            return future
        image = QImage(64, 36, QImage.Format.Format_RGB32)
        image.fill(QColor((next(_shade) * 37) % 256, 120, 60))
        assert image.save(str(path), "PNG")
        future.set_result(SnapshotResult(str(path), 64, 36))
        return future


def snapshot_wall(layout_name: str, parent) -> SnapshotWall:
    return SnapshotWall(layout_name, parent)


def start(qloop, tmp_path: Path, url: str, user: str = "operator") -> ConsoleSession:
    session = ConsoleSession(tmp_path / "data", wall_factory=snapshot_wall)
    assert run(qloop, session.async_start(url, user, DEMO_PASSWORD))
    wait_until(qloop, lambda: session.coordinator.state == ConnectionState.ONLINE, 15, "online")
    return session


def stop(qloop, session: ConsoleSession) -> None:
    run(qloop, session.async_stop())
    session.window.close()
    session.window.deleteLater()


def biggest_plan(qloop, patrol: PatrolCentre) -> str:
    wait_until(qloop, lambda: any(c.total >= 3 for c in patrol.coverage.values()), 20,
               "patrol plans with businesses in the cache")
    plan_id = max(patrol.coverage, key=lambda p: (patrol.coverage[p].total, p))
    patrol.show_panel()
    patrol.select_plan(plan_id)
    return plan_id


async def records_on(central) -> list[dict]:
    return await central.read(lambda s: [to_payload(r) for r in s.scalars(
        select(PatrolRecord).order_by(PatrolRecord.started_at))])


async def records_when(central, n: int) -> list[dict] | None:
    """Central's patrol records once there are ``n`` (for ``wait_until``)."""
    rows = await records_on(central)
    return rows if len(rows) >= n else None


async def plan_on(central, plan_id: str) -> dict | None:
    return await central.read(
        lambda s: (lambda p: to_payload(p) if p else None)(s.get(PatrolPlan, plan_id)))


async def outbox_empty(store) -> bool:
    return not await store.next_pending()


def test_patrol_verdicts_reach_central_with_snapshot_note_and_task(qloop, qtbot, qcentral,
                                                                    tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url)
    try:
        window, patrol = session.window, session.patrol
        assert patrol is not None and patrol.dock.objectName() == "patrol"
        assert "&Patrol" in [a.text() for a in window.menuBar().actions()]
        plan_id = biggest_plan(qloop, patrol)
        panel = patrol.panel
        coverage = patrol.coverage[plan_id]
        queue = panel.queue_ids()
        assert queue == [e.business_id for e in coverage.entries]
        assert all(e.last_at is None for e in coverage.entries)  # nothing patrolled yet
        wall_before = (window.wall.layout_name, window.wall.cells())

        assert patrol.start()
        first = queue[0]
        wait_until(qloop, lambda: panel.current_business_id() == first, 10, "the first business")
        shown = [c for c in window.wall.cells() if c is not None]
        assert shown and {c.business_id for c in shown} == {first}
        assert panel.card.card().id == first

        panel.note_edit.setPlainText("staff wore hats and masks")
        panel.compliant_button.click()
        assert not panel.compliant_button.isEnabled()  # no second verdict while saving
        panel.compliant_button.click()
        wait_until(qloop, lambda: panel.current_business_id() == queue[1], 10, "the next one")
        # The record is in the local cache at once: coverage moved before central answered.
        assert patrol.coverage[plan_id].covered == 1
        assert "Patrolled 1 of" in panel.coverage_label.text()

        # A problem without a note is refused, with the reason shown.
        assert not panel.give_verdict("problem")
        assert "Describe the problem" in panel.message.text()
        panel.note_edit.setPlainText("raw meat on the floor next to the sink")
        panel.dispatch_check.setChecked(True)
        panel.problem_button.click()
        dialog = wait_until(qloop, lambda: window.findChild(DispatchDialog, "patrol-dispatch"),
                            10, "the dispatch dialog")
        wait_until(qloop, lambda: dialog.isVisible(), 5, "the dialog to show")
        assert "online patrol" in dialog.title_edit.text()
        assert dialog.assignee_box.count() > 1, "field officers of the district are offered"
        dialog.assignee_box.setCurrentIndex(1)
        dialog.accept()
        wait_until(qloop, lambda: panel.current_business_id() == queue[2], 10, "the third one")

        records = wait_until(qloop, lambda: records_when(qcentral, 2), 20,
                             "both records on central")
        compliant, problem = records
        assert (compliant["business_id"], compliant["verdict"]) == (first, "compliant")
        assert (problem["business_id"], problem["verdict"]) == (queue[1], "problem")
        assert problem["note"] == "raw meat on the floor next to the sink"
        for record in records:
            assert record["user"] == "operator" and record["plan_id"] == plan_id
            assert record["ended_at"] >= record["started_at"]
            assert record["snapshot_url"].startswith("/media/")
        task = run(qloop, qcentral.read(lambda s: to_payload(s.get(Task, problem["task_id"]))))
        assert task["business_id"] == queue[1] and task["alarm_id"] is None
        assert task["evidence_url"] == problem["snapshot_url"]
        # The snapshots themselves were uploaded under the links the records carry.
        media = qcentral.media_dir
        wait_until(qloop, lambda: all((media / r["snapshot_url"].rsplit("/", 1)[1]).is_file()
                                      for r in records), 10, "the snapshots on central")
        assert not patrol.spool.pending()

        panel.skip_button.click()  # the third business: skipped, not recorded
        wait_until(qloop, lambda: panel.current_business_id() == queue[3]
                   if len(queue) > 3 else panel.current_business_id() is None, 10, "the skip")
        panel.stop_button.click()
        assert (window.wall.layout_name, window.wall.cells()) == wall_before
        assert patrol.run is None and panel.current_business_id() is None
        assert len(run(qloop, records_on(qcentral))) == 2
    finally:
        stop(qloop, session)


def test_offline_patrol_is_delivered_once_on_reconnect(qloop, qtbot, qcentral,
                                                       tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, user="kbs")  # district staff
    try:
        patrol = session.patrol
        plan_id = biggest_plan(qloop, patrol)
        run(qloop, qcentral.stop())
        wait_until(qloop, lambda: session.coordinator.state != ConnectionState.ONLINE, 15,
                   "the console to notice")
        assert patrol.start()
        panel = patrol.panel
        first = panel.queue_ids()[0]
        wait_until(qloop, lambda: panel.current_business_id() == first, 10, "the first business")
        panel.compliant_button.click()
        wait_until(qloop, lambda: patrol.coverage[plan_id].covered == 1, 10,
                   "coverage from the offline record")
        pending = run(qloop, session.store.read(lambda s: [
            (a.kind, a.payload["business_id"]) for a in s.scalars(
                select(OutboxAction).where(OutboxAction.state == PENDING))]))
        assert pending == [("patrol.record", first)]
        assert len(patrol.spool.pending()) == 1, "the snapshot waits on disk"
        patrol.stop()

        lost = {"left": 1}  # the first answer after the restart is lost: the console retries

        from aiohttp import web

        @web.middleware
        async def lose_one_answer(request, handler):
            response = await handler(request)
            if request.path == "/api/actions" and lost["left"]:
                lost["left"] -= 1
                return web.json_response({"error": "bad_gateway", "message": "reset"},
                                         status=502)
            return response

        qcentral.middlewares.append(lose_one_answer)
        run(qloop, qcentral.start())
        session.coordinator.retry_now()
        records = wait_until(qloop, lambda: records_when(qcentral, 1), 30,
                             "the offline record on central")
        wait_until(qloop, lambda: outbox_empty(session.store), 20,
                   "the outbox to empty")
        wait_until(qloop, lambda: not patrol.spool.pending(), 40, "the snapshot upload")
        assert lost["left"] == 0, "an answer was lost and the action sent again"
        [record] = run(qloop, records_on(qcentral))
        assert record["business_id"] == first and record["user"] == "kbs"
        assert record["verdict"] == "compliant"
        assert (qcentral.media_dir / record["snapshot_url"].rsplit("/", 1)[1]).is_file()
        applied = run(qloop, qcentral.read(lambda s: s.scalar(
            select(func.count()).select_from(AppliedAction)
            .where(AppliedAction.kind == "patrol.record"))))
        assert applied == 1
        assert records[0]["id"] == record["id"]
    finally:
        stop(qloop, session)


def test_plan_editor_saves_a_plan_on_central(qloop, qtbot, qcentral, tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, user="kbs")
    try:
        patrol = session.patrol
        biggest_plan(qloop, patrol)
        patrol.edit_plan(None)
        dialog = wait_until(qloop, lambda: session.window.findChild(
            PatrolPlanDialog, "patrol-plan-dialog"), 10, "the plan dialog")
        assert not dialog.district_box.isEnabled(), "district staff plan in their district"
        dialog.accept()
        assert "name" in dialog.error_label.text()
        dialog.name_edit.setText("学校食堂每周巡查")
        dialog.set_checked("categories", ["school_canteen"])
        dialog.times_spin.setValue(4)
        dialog.period_spin.setValue(28)
        matched = dialog.matching_businesses()
        assert f"Matches {matched} businesses" in dialog.preview.text()
        plan_id = dialog.spec().id
        dialog.accept()
        wait_until(qloop, lambda: plan_id in patrol.coverage, 10, "the plan in the panel")
        saved = wait_until(qloop, lambda: plan_on(qcentral, plan_id), 20, "the plan on central")
        assert saved["name"] == "学校食堂每周巡查" and saved["district_id"] == "D01"
        assert saved["selection"] == {"categories": ["school_canteen"]}
        assert (saved["times_per_period"], saved["period_days"]) == (4, 28)
        assert patrol.coverage[plan_id].total == matched
    finally:
        stop(qloop, session)
