"""The 包保 parts of a console session against a real central: the figures panel, a visit
with the category's checklist whose failed item becomes a task, and the card's line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from console.baobao.install import card_text
from console.baobao.visit import ChecklistEditor, VisitDialog
from console.shell.session import ConsoleSession
from console.sync.state import ConnectionState
from db.models import BaobaoVisit, Checklist, Task
from domain.baobao import ItemVerdict, default_checklist
from tests.console.conftest import DEMO_PASSWORD, run, wait_until
from tests.console.fakes import fake_wall

pytestmark = pytest.mark.timeout(120)


def start(qloop, tmp_path: Path, url: str, user: str) -> ConsoleSession:
    session = ConsoleSession(tmp_path / "data", wall_factory=fake_wall)
    assert run(qloop, session.async_start(url, user, DEMO_PASSWORD))
    wait_until(qloop, lambda: session.coordinator.state == ConnectionState.ONLINE, 15, "online")
    return session


def stop(qloop, session: ConsoleSession) -> None:
    run(qloop, session.async_stop())
    session.window.close()
    session.window.deleteLater()


def test_a_failed_checklist_item_becomes_a_task_and_the_figures_move(qloop, qcentral,
                                                                    tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "kbs")
    try:
        baobao = session.baobao
        assert baobao is not None and baobao.dock.objectName() == "baobao"
        panel = baobao.panel
        wait_until(qloop, lambda: panel.figures.get("totals"), 15, "the figures")
        before = panel.figures["overdue_count"]
        assert "visits overdue" in panel.overdue_count.text() and before > 0
        business_id = panel.figures["overdue"][0]["business_id"]
        assert not panel.visit_button.isEnabled()
        panel.overdue.selectRow(0)
        panel.visit_button.click()  # "Record a visit…" on the overdue list
        dialog = wait_until(qloop, lambda: session.window.findChild(VisitDialog, "baobao-visit"),
                            10, "the visit dialog")
        keys = [item["key"] for item in dialog.checklist["items"]]
        failed_row = keys.index("health_certs")
        combo = dialog.verdicts[failed_row]
        combo.setCurrentIndex(combo.findData(ItemVerdict.FAIL))
        dialog.notes[failed_row].setText("两名员工健康证过期")
        assert "1 failed" in dialog.summary.text()
        dialog.accept()

        async def on_central() -> tuple[list, list] | None:
            def work(s):
                visits = [(v.business_id, v.verdict, v.checklist_version)
                          for v in s.scalars(select(BaobaoVisit))]
                tasks = [(t.business_id, t.title, t.checklist["items"][0]["text"])
                         for t in s.scalars(select(Task).where(Task.business_id == business_id,
                                                               Task.title.like("格式化%")))]
                return visits, tasks
            visits, tasks = await qcentral.read(work)
            return (visits, tasks) if visits and tasks else None

        visits, tasks = wait_until(qloop, on_central, 20, "the visit and its task on central")
        assert visits == [(business_id, "problem", 0)]
        assert tasks == [(business_id, "格式化检查不合格：从业人员持有效健康证明",
                          "从业人员持有效健康证明")]
        panel.refresh()
        wait_until(qloop, lambda: panel.figures.get("overdue_count") == before - 1, 15,
                   "the business off the overdue list")
        assert business_id not in {o["business_id"] for o in panel.figures["overdue"]}
        line = panel.card_line(business_id)
        assert "on site" in line
    finally:
        stop(qloop, session)


def test_the_admin_saves_a_new_checklist_version(qloop, qcentral, tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        session.baobao.edit_checklists()
        editor = wait_until(qloop, lambda: session.window.findChild(ChecklistEditor,
                                                                    "baobao-checklists"),
                            10, "the checklist editor")
        editor.category.setCurrentIndex(editor.category.findData("school_canteen"))
        assert "food_samples" in editor.text.toPlainText()  # 留样 48 h, 125 g
        editor.text.setPlainText(editor.text.toPlainText() + "\nbad key | x")
        assert editor.payload() is None and "Line" in editor.error.text()
        editor.text.setPlainText(editor.text.toPlainText().replace(
            "bad key | x", "allergen_board | 过敏原公示牌 | Allergen board"))
        editor.accept()

        async def saved():
            return await qcentral.read(lambda s: [(c.category, c.version, len(c.items))
                                                  for c in s.scalars(select(Checklist))])

        rows = wait_until(qloop, saved, 15, "the new version on central")
        assert rows == [("school_canteen", 1, len(default_checklist("school_canteen")) + 1)]
    finally:
        stop(qloop, session)


def test_the_card_line_reads_as_a_bureau_writes_it() -> None:
    text = card_text([{"started_at": "2026-12-07T06:20:00+00:00", "mode": "onsite",
                       "verdict": "problem"}],
                     [{"name": "张三", "started_at": "2026-12-07T06:20:00+00:00",
                       "seconds": 180, "source": "wall"}])
    assert text.startswith("Last 包保 visit:") and "problem found" in text
    assert "Remote view: 张三" in text and "3 min" in text
