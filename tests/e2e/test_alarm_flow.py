"""From a breach to a dispatched task: the alarm reaches the console live, pops a panel with the
right business and a live picture, and the operator's dispatch reaches central through the
outbox — also when the server was away at the moment of dispatch."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from central.demo_registry import DEMO_PASSWORD
from console.shell.session import ConsoleSession
from db.models import Alarm
from demo.launcher import start_child
from tests.e2e.conftest import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def post(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers,
                                 method="POST")
    return json.load(urllib.request.urlopen(req, timeout=10))


def get(url: str, token: str) -> dict:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(req, timeout=10))


def test_ai_alarm_pops_panel_and_dispatch_reaches_central(stack, qloop, qtbot,
                                                          tmp_path: Path) -> None:
    session = ConsoleSession(tmp_path / "console", layout="4")
    assert qloop.run_until_complete(session.async_start(stack.central_url, "operator",
                                                        DEMO_PASSWORD))
    qtbot.addWidget(session.window)
    centre = session.alarms
    wait_until(qloop, lambda: centre.loaded and
               session.window.tree.model.rowCount() >= 4, 20, "the first sync")

    camera_id = session.window.tree.model.all_sources[0].camera_id
    post(f"{stack.sim_url}/control/ai", {"camera_id": camera_id, "violation": "rodent"})
    wait_until(qloop, lambda: len(centre.panels) == 1, 20, "the alarm panel to pop")
    alarm_id, panel = next(iter(centre.panels.items()))
    assert panel.isVisible()
    assert panel.alarm_id() == alarm_id
    video = panel.take_video_widget()
    assert video is not None and video.cells()[0].camera_id == camera_id
    panel.set_video_widget(video)
    wait_until(qloop, lambda: video.tiles()[0].player is not None
               and video.tiles()[0].player.frames > 3, 20, "a live picture in the panel")

    # The server goes away; the operator dispatches anyway: queued, shown, then delivered once.
    central = stack.children[0]
    central.stop()
    wait_until(qloop, lambda: session.coordinator.state == "offline", 30, "offline state")
    draft = {"id": "a" * 32, "business_id": camera_id.rsplit("-", 1)[0],
             "district_id": camera_id.split("-")[0], "assignee": "kbs_field1",
             "title": "鼠患整改", "severity": 4, "notes": "请立即到场检查"}
    centre.dispatch(alarm_id, draft)
    wait_until(qloop, lambda: "waiting to send" in session.window.outbox_label.text(), 10,
               "the queued action to show in the status bar")
    local = qloop.run_until_complete(session.store.run(lambda s: s.get(Alarm, alarm_id).state))
    assert local == "dispatched"

    # Central comes back on the same address and database: the task arrives exactly once.
    port = stack.central_url.rsplit(":", 1)[1]
    revived = start_child("central", [
        sys.executable, "-m", "central", "--host", "127.0.0.1", "--port", port,
        "--db", f"sqlite:///{stack.workdir / 'central.db'}",
        "--media-dir", str(stack.workdir / "media")], "KITCHENWATCH_CENTRAL_URL")
    stack.children.append(revived)
    wait_until(qloop, lambda: session.window.outbox_label.text() == "", 40,
               "the outbox to drain after the server returned")
    token = post(f"{stack.central_url}/api/login",
                 {"username": "operator", "password": DEMO_PASSWORD})["token"]
    feed = get(f"{stack.central_url}/api/changes?since=0&limit=5000", token)["changes"]
    tasks = [c["payload"] for c in feed if c["entity"] == "task"]
    assert [t["id"] for t in tasks] == ["a" * 32]
    assert tasks[0]["alarm_id"] == alarm_id and tasks[0]["state"] == "dispatched"
    alarms = {c["id"]: c["payload"] for c in feed if c["entity"] == "alarm"}
    assert alarms[alarm_id]["state"] == "dispatched"
    qloop.run_until_complete(session.async_stop())


@pytest.fixture
def field_stack(tmp_path: Path):
    """Sensors reporting every two seconds and field staff who take one second per step; no
    random breaches or AI events to muddle the flow."""
    from demo.launcher import DemoStack

    with DemoStack(workdir=tmp_path / "stack", businesses=12, ai=False, field_staff=True,
                   extra_sim_args=("--field-delay", "1", "--breach-rate", "0")) as running:
        yield running


def test_room_breach_to_ticked_off_task_closes_the_alarm_everywhere(field_stack, qloop, qtbot,
                                                                    tmp_path: Path) -> None:
    from sqlalchemy import select

    from db.models import Sensor, Task

    stack = field_stack
    session = ConsoleSession(tmp_path / "console", layout="4")
    assert qloop.run_until_complete(session.async_start(stack.central_url, "operator",
                                                        DEMO_PASSWORD))
    qtbot.addWidget(session.window)
    centre = session.alarms
    try:
        wait_until(qloop, lambda: centre.loaded and session.window.tree.model.rowCount() >= 1,
                   30, "the first sync")
        sensors = qloop.run_until_complete(session.store.read(
            lambda s: [(x.id, x.business_id, x.camera_id) for x in s.scalars(
                select(Sensor).where(Sensor.kind == "special_room").order_by(Sensor.id))]))
        sensor_id, business_id, camera_id = sensors[0]
        # Rule parameters are the admin's (issue 12): the operator could silence a sensor.
        token = post(f"{stack.central_url}/api/login",
                     {"username": "admin", "password": DEMO_PASSWORD})["token"]
        # This bureau alarms after 4 s above the limit instead of the default 2 minutes.
        post(f"{stack.central_url}/api/actions", {
            "idem_key": uuid.uuid4().hex, "kind": "sensor.params",
            "payload": {"sensor_id": sensor_id, "params": {"hold_s": 4}}}, token)

        def breach() -> bool:  # the simulator learns the registry within a second or two
            try:
                post(f"{stack.sim_url}/control/sensors/{sensor_id}",
                     {"value": 31.0, "seconds": 3600})
                return True
            except urllib.error.HTTPError:
                return False

        wait_until(qloop, breach, 20, "the simulator to know the room")

        def breach_panel():
            for alarm_id, panel in list(centre.panels.items()):
                row = panel.alarm()
                if row is not None and row.sensor_id == sensor_id:
                    return alarm_id, panel
                panel.close()  # another kitchen's alarm: the operator looks at it later
            return None

        wait_until(qloop, lambda: breach_panel() is not None, 60, "the breach's panel")
        alarm_id, panel = breach_panel()
        assert panel.isVisible() and panel.alarm().business_id == business_id
        assert panel.alarm().severity == 4 and panel.alarm().kind == "sensor_threshold"
        video = panel.video_slot.widget()
        assert video is not None and video.cells()[0].camera_id == camera_id
        wait_until(qloop, lambda: video.tiles()[0].player is not None
                   and video.tiles()[0].player.frames > 3, 30, "the room's live picture")
        wait_until(qloop, lambda: bool(panel._assignees), 10, "the field officers")

        dialog = panel.make_dispatch_dialog()
        if not dialog.assignee():
            local = [a for a in panel._assignees if a.district_id == business_id.split("-")[0]]
            assert dialog.set_assignee(local[0].username)
        assert dialog.validate() == []
        draft = dialog.task_draft()
        dialog.deleteLater()
        centre.dispatch(alarm_id, draft)

        def task_state() -> str:  # as the console's task board shows it
            row = session.tasks.board.model.rowset.get(draft["id"])
            return row.state if row is not None else ""

        wait_until(qloop, lambda: task_state() == "review", 60,
                   "field staff to accept, visit, rectify and submit for review")
        version = qloop.run_until_complete(session.store.read(
            lambda s: s.get(Task, draft["id"]).version))
        session.tasks.request(draft["id"], "close", version, "复核通过，予以销号")
        wait_until(qloop, lambda: get(f"{stack.central_url}/api/entity/alarm/{alarm_id}",
                                      token)["payload"]["state"] == "closed", 20,
                   "central to close the alarm")
        wait_until(qloop, lambda: centre.list.alarm(alarm_id).state == "closed", 20,
                   "the console's copy of the alarm to be closed")
        assert qloop.run_until_complete(session.store.run(
            lambda s: s.get(Alarm, alarm_id).state)) == "closed"
        task = get(f"{stack.central_url}/api/entity/task/{draft['id']}", token)["payload"]
        assert task["state"] == "closed" and task["alarm_id"] == alarm_id

        wait_until(qloop, lambda: any(r[2] == "Task: Closed (ticked off)"
                                      for r in panel.history.texts()), 15,
                   "the closing in the alarm's history")
        pdf = tmp_path / "evidence.pdf"
        missing = qloop.run_until_complete(centre.write_evidence_pack(alarm_id, pdf))
        assert missing == [] and pdf.read_bytes().startswith(b"%PDF")
    finally:
        qloop.run_until_complete(session.async_stop())
