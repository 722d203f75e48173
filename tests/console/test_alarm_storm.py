"""An alarm storm through the real path: 50 AI detections in one second posted to the real
central server, delivered to the console over its WebSocket. The console must stay responsive
(event-loop lag measured with a timer probe), aggregate the repeats into a short list, ring
once per list entry, and queue the popups instead of burying the operator under panels."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from console.diagnostics.loop_probe import LoopProbe, percentile
from console.shell.session import ConsoleSession
from console.sync.client import ApiClient
from console.sync.state import ConnectionState
from db.models import Camera
from tests.console.conftest import DEMO_PASSWORD, run, wait_until
from tests.console.fakes import fake_wall

pytestmark = pytest.mark.timeout(120)

STORM = 50
CAMERAS = 10
VIOLATIONS = ("no_mask", "smoking")  # both major: at the default popup threshold


def post_json(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_fifty_alarms_in_one_second_keep_the_console_responsive(qloop, qtbot, qcentral,
                                                                 tmp_path: Path) -> None:
    session = ConsoleSession(tmp_path / "data", wall_factory=fake_wall)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    centre = session.alarms
    rang: list[tuple[int, str]] = []
    announced: list[tuple[int, str]] = []
    centre.sounds.rang.connect(lambda severity, key: rang.append((severity, key)))
    centre.sounds.announced.connect(lambda severity, key: announced.append((severity, key)))
    probe = LoopProbe()
    try:
        wait_until(qloop, lambda: centre.loaded
                   and session.coordinator.state == ConnectionState.ONLINE, 20, "online")
        cameras = run(qloop, qcentral.read(lambda s: [
            (c.id, c.business_id) for c in s.scalars(select(Camera).order_by(Camera.id)
                                                      .limit(CAMERAS))]))
        gateway = ApiClient(qcentral.url)  # central runs on this loop: log in on it
        run(qloop, gateway.login("gateway", DEMO_PASSWORD))
        token = gateway.token
        run(qloop, gateway.close())
        events = [(cameras[i % CAMERAS], VIOLATIONS[(i // CAMERAS) % 2]) for i in range(STORM)]
        errors: list[BaseException] = []

        def storm() -> None:  # 50 detections spread over one second, as kitchens send them
            started = time.monotonic()
            for i, ((camera_id, _biz), violation) in enumerate(events):
                time.sleep(max(0.0, started + i / STORM - time.monotonic()))
                try:
                    post_json(f"{qcentral.url}/api/events/ai",
                              {"camera_id": camera_id, "violation": violation,
                               "ts": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
                               "confidence": 0.9}, token)
                except Exception as exc:
                    errors.append(exc)

        probe.start()
        poster = threading.Thread(target=storm, name="storm")
        poster.start()
        ai_alarms = lambda: [r for r in centre.list.model.groups.raw_rows()  # noqa: E731
                             if r.kind == "ai_violation"]
        wait_until(qloop, lambda: not poster.is_alive()
                   and sum(r.count for r in ai_alarms()) == STORM, 30,
                   "all 50 detections in the alarm list")
        wait_until(qloop, lambda: bool(centre.panels), 5, "the first panel")
        settled = time.monotonic()  # one more second with panels queued: still responsive
        wait_until(qloop, lambda: time.monotonic() - settled > 1.0, 5, "one more second")
        probe.stop()
        assert not errors, errors[:3]

        # Aggregated: central counted repeats per camera and type, the list shows one entry per
        # business and type with the total count.
        pairs = {(biz, violation) for (_cam, biz), violation in events}
        assert len(ai_alarms()) == CAMERAS * len(VIOLATIONS)
        entries = [e for e in centre.list.model.groups.entries() if e.kind == "ai_violation"]
        assert len(entries) == len(pairs) < STORM
        assert sum(e.count for e in entries) == STORM
        assert centre.list.model.rowCount() >= len(entries)
        assert centre.counters.counts()["open"] >= CAMERAS * len(VIOLATIONS)

        # Announced once per entry, not per detection; entries arriving while a tone sounds
        # share it instead of restarting it.
        assert len(announced) == len(pairs)
        assert len({key for _sev, key in announced}) == len(pairs)
        assert 1 <= len(rang) <= len(pairs)

        # Popups queued: at most three on screen, the rest waiting and counted.
        visible = [p for p in centre.panels.values() if p.isVisible()]
        waiting = centre.scheduler.waiting()
        assert 1 <= len(visible) <= 3
        assert len(centre.panels) + waiting == len(pairs)
        assert centre.counters.waiting_label.isVisibleTo(centre.counters)
        assert f"{waiting} popups waiting" in centre.counters.waiting_label.text()

        lag = percentile(probe.lags(), 99)
        assert lag < 200, f"event loop lag p99 {lag:.0f} ms during the storm"
    finally:
        probe.stop()
        run(qloop, session.async_stop())
        if session.window is not None:
            session.window.close()
            session.window.deleteLater()
