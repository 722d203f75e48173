"""The alarm centre against the real central server: a detection pops its panel with the
evidence, the camera flashes on the wall until acknowledged, every action appears in the
alarm's history (still-unsent ones marked so while the server is away), the evidence pack is
written as a PDF, and a dismissal without a reason is never sent."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from sqlalchemy import func, select

from console.shell.session import ConsoleSession
from console.sync.client import ApiClient
from console.sync.state import ConnectionState
from db.models import Camera, OutboxAction
from tests.console.conftest import DEMO_PASSWORD, run, wait_until
from tests.console.fakes import fake_wall

pytestmark = pytest.mark.timeout(90)


def jpeg() -> str:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor("#5c7cfa"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG")
    return base64.b64encode(bytes(data)).decode()


def history(panel) -> list[list[str]]:
    return panel.history.texts()


def test_panel_history_evidence_pack_and_offline_actions(qloop, qtbot, qcentral,
                                                         tmp_path: Path) -> None:
    session = ConsoleSession(tmp_path / "data", wall_factory=fake_wall)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    centre = session.alarms
    wall = session.window.wall
    try:
        wait_until(qloop, lambda: centre.loaded
                   and session.coordinator.state == ConnectionState.ONLINE, 20, "online")
        camera_id, business_id = run(qloop, qcentral.read(lambda s: next(
            (c.id, c.business_id) for c in s.scalars(select(Camera).order_by(Camera.id)))))
        gateway = ApiClient(qcentral.url)
        run(qloop, gateway.login("gateway", DEMO_PASSWORD))
        answer = run(qloop, gateway.request("POST", "/api/events/ai", json={
            "camera_id": camera_id, "violation": "rodent", "confidence": 0.93,
            "ts": datetime.now(UTC).isoformat(),
            "box": {"x": 0.2, "y": 0.3, "w": 0.2, "h": 0.2}, "snapshot_jpeg_b64": jpeg()}))
        run(qloop, gateway.close())
        alarm_id = answer["alarm_id"]

        wait_until(qloop, lambda: alarm_id in centre.panels
                   and centre.panels[alarm_id].isVisible(), 15, "the panel")
        panel = centre.panels[alarm_id]
        assert panel.alarm().business_id == business_id
        assert camera_id in wall.alarms  # flashing on the wall
        wait_until(qloop, lambda: panel.evidence.image() is not None, 10, "the snapshot")
        assert history(panel)[0][2] == "Alarm opened"
        wait_until(qloop, lambda: centre.counters.counts()["open"] >= 1, 5, "the counter")

        panel.ack_button.click()
        wait_until(qloop, lambda: any(r[2] == "Acknowledged" and r[1] == "operator"
                                      for r in history(panel)), 15,
                   "the acknowledgement in the alarm's history, as central recorded it")
        assert camera_id not in wall.alarms  # acknowledged: the tile stops flashing
        wait_until(qloop, lambda: centre.counters.counts()["acknowledged"] >= 1, 5,
                   "the acknowledged counter")

        pdf = tmp_path / "pack.pdf"
        missing = run(qloop, centre.write_evidence_pack(alarm_id, pdf))
        assert missing == []
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
        assert "Evidence pack saved" in session.window.statusBar().currentMessage()

        # The server goes away: an escalation is recorded at once and shown as not yet sent.
        run(qloop, qcentral.stop())
        wait_until(qloop, lambda: session.coordinator.state != ConnectionState.ONLINE, 20,
                   "offline")
        centre.escalate(alarm_id, "店主不配合")
        wait_until(qloop, lambda: any(r[2] == "Escalated · waiting to send"
                                      and r[3] == "店主不配合" for r in history(panel)), 10,
                   "the unsent escalation in the history")
        assert panel.alarm().severity == 4

        def pending() -> int:
            return run(qloop, session.store.read(lambda s: s.scalar(
                select(func.count()).select_from(OutboxAction)
                .where(OutboxAction.state == "pending"))))

        before = pending()
        centre.dismiss(alarm_id, "   ")
        wait_until(qloop, lambda: True, 1, "a turn of the loop")
        assert pending() == before  # no reason, no dismissal

        offline_pdf = tmp_path / "offline.pdf"
        run(qloop, centre.write_evidence_pack(alarm_id, offline_pdf))
        assert offline_pdf.read_bytes().startswith(b"%PDF")
    finally:
        run(qloop, session.async_stop())
        if session.window is not None:
            session.window.close()
            session.window.deleteLater()
