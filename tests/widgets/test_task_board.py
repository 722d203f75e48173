"""Task board: overdue marking, filters, state counts, timeline, actions with versions, CSV."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from tests.widgets.conftest import NOW, task
from widgets.models.rows import TaskEventRow
from widgets.models.tasks import OperatorAction, TaskFilter, allowed_actions, is_overdue
from widgets.task_board import TaskBoard
from widgets.theme import OVERDUE_COLOR


@pytest.fixture
def board(qtbot) -> TaskBoard:
    b = TaskBoard(clock=lambda: NOW)
    qtbot.addWidget(b)
    b.set_districts({"D01": "康巴什区", "D02": "东胜区"})
    b.set_assignees({"li.na": "李娜", "zhang.wei": "张伟"})
    return b


def ids(b: TaskBoard) -> list[str]:
    return [b.model.rowset.id_at(i) for i in range(b.model.rowCount())]


def cell(b: TaskBoard, task_id: str, key: str, role=Qt.ItemDataRole.DisplayRole):
    return b.model.data(b.model.index_of_id(task_id, b.model.column_index(key)), role)


def test_overdue_rule() -> None:
    late = task(1, deadline=(NOW - timedelta(minutes=1)).isoformat())
    assert is_overdue(late, NOW)
    assert not is_overdue(task(1, deadline=(NOW - timedelta(days=1)).isoformat(),
                               state="closed"), NOW)
    assert not is_overdue(task(1, deadline=None), NOW)


def test_overdue_tasks_are_red_and_counted(board) -> None:
    board.replace_tasks([
        task(1, deadline=(NOW - timedelta(hours=3)).isoformat(), state="rectifying"),
        task(2, deadline=(NOW + timedelta(hours=5)).isoformat()),
        task(3, deadline=(NOW - timedelta(hours=1)).isoformat(), state="closed"),
    ])
    assert cell(board, "T0001", "deadline") == "Overdue 3 h"
    fg = cell(board, "T0001", "deadline", Qt.ItemDataRole.ForegroundRole)
    assert fg == QColor(OVERDUE_COLOR)
    assert cell(board, "T0001", "business", Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(board, "T0002", "deadline") == "5 h left"
    assert cell(board, "T0002", "deadline", Qt.ItemDataRole.ForegroundRole) is None
    assert cell(board, "T0003", "deadline", Qt.ItemDataRole.ForegroundRole) is None
    board._counts.flush()
    assert board.state_count("overdue") == 1
    assert board.state_buttons["overdue"].text() == "Overdue 1"
    # Default order: nearest deadline first, closed last.
    assert ids(board) == ["T0001", "T0002", "T0003"]
    board.state_buttons["overdue"].setChecked(True)
    assert ids(board) == ["T0001"]


def test_state_buttons_filter_and_count(board) -> None:
    states = ["dispatched", "accepted", "review", "review", "closed", "rejected"]
    board.replace_tasks([task(i + 1, state=s) for i, s in enumerate(states)])
    board._counts.flush()
    assert board.state_buttons["review"].text() == "Review 2"
    board.state_buttons["review"].setChecked(True)
    assert sorted(ids(board)) == ["T0003", "T0004"]
    board.state_buttons["rejected"].setChecked(True)
    assert sorted(ids(board)) == ["T0003", "T0004", "T0006"]
    board.state_buttons["review"].setChecked(False)
    board.state_buttons["rejected"].setChecked(False)
    board.open_only.setChecked(True)
    assert "T0005" not in ids(board) and len(ids(board)) == 5


def test_filters_by_district_assignee_age_and_search(board) -> None:
    board.replace_tasks([
        task(1, district_id="D02", district_name="东胜区", assignee="zhang.wei",
             assignee_name="张伟"),
        task(2, created_at=(NOW - timedelta(days=4)).isoformat()),
        task(30, business_name="蜜雪冰城", created_at=(NOW - timedelta(hours=1)).isoformat()),
    ])
    board.district_box.setCurrentIndex(board.district_box.findData("D02"))
    assert ids(board) == ["T0001"]
    board.district_box.setCurrentIndex(0)
    board.assignee_box.setCurrentIndex(board.assignee_box.findData("li.na"))
    assert sorted(ids(board)) == ["T0002", "T0030"]
    board.assignee_box.setCurrentIndex(0)
    board.age_box.setCurrentIndex(3)  # older than 3 days
    assert ids(board) == ["T0002"]
    board.age_box.setCurrentIndex(1)  # created in the last 24 h
    assert sorted(ids(board)) == ["T0001", "T0030"]
    board.age_box.setCurrentIndex(0)
    board.search.setText("蜜雪")
    board._search_timer.stop()
    board._apply_filter()
    assert ids(board) == ["T0030"]


def test_escalated_badge_and_filter(board) -> None:
    board.replace_tasks([task(1, escalated=True, supervisor="王局长"), task(2)])
    assert cell(board, "T0001", "escalated") == "Supervised"
    assert cell(board, "T0002", "escalated") == ""
    assert cell(board, "T0001", "escalated", Qt.ItemDataRole.ToolTipRole) == "王局长"
    board.state_buttons["escalated"].setChecked(True)
    assert ids(board) == ["T0001"]


def test_allowed_operator_actions_by_state() -> None:
    assert allowed_actions(task(1, state="review")) == [
        OperatorAction.CLOSE, OperatorAction.REJECT, OperatorAction.ESCALATE]
    assert allowed_actions(task(1, state="closed")) == [OperatorAction.REOPEN]
    assert allowed_actions(task(1, state="rejected")) == []  # declined: re-dispatch instead
    assert allowed_actions(task(1, state="on_site")) == [OperatorAction.ESCALATE]
    assert allowed_actions(task(1, state="on_site", escalated=True)) == []
    # a second online look closes a dispatched alarm's task without a visit; no alarm, no look
    assert OperatorAction.CLOSE_BY_LOOK in allowed_actions(
        task(1, state="dispatched", alarm_id="A1"))
    assert OperatorAction.CLOSE_BY_LOOK not in allowed_actions(
        task(1, state="dispatched", alarm_id=None))
    assert OperatorAction.CLOSE_BY_LOOK not in allowed_actions(task(1, state="review"))


def test_close_by_look_emits_the_transition(qtbot, board) -> None:
    board.replace_tasks([task(1, state="accepted", alarm_id="A1", version=3)])
    assert board.select_task("T0001")
    button = board.detail.buttons[OperatorAction.CLOSE_BY_LOOK]
    assert button.isEnabled() and "30" in button.toolTip()
    with qtbot.waitSignal(board.action_requested) as sig:
        button.click()
    assert sig.args == ["T0001", "close_by_look", 3, ""]


def test_close_after_review_emits_expected_version(qtbot, board) -> None:
    board.replace_tasks([task(1, state="review", version=7)])
    assert board.select_task("T0001")
    detail = board.detail
    assert detail.buttons[OperatorAction.CLOSE].isEnabled()
    assert not detail.buttons[OperatorAction.REOPEN].isEnabled()
    with qtbot.waitSignal(board.action_requested) as sig:
        detail.buttons[OperatorAction.CLOSE].click()
    assert sig.args == ["T0001", "close", 7, ""]


def test_reject_needs_a_note_and_carries_it(qtbot, board) -> None:
    board.replace_tasks([task(1, state="review", version=4)])
    board.select_task("T0001")

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, fill)
            return
        dialog.accept()  # refused: note required
        assert dialog.isVisible() and "note" in dialog.error.text()
        dialog.editor.setPlainText("整改照片不清晰，请重新拍摄")
        dialog.accept()

    QTimer.singleShot(0, fill)
    with qtbot.waitSignal(board.action_requested, timeout=3000) as sig:
        board.detail.buttons[OperatorAction.REJECT].click()
    assert sig.args == ["T0001", "reject", 4, "整改照片不清晰，请重新拍摄"]


def test_detail_follows_updates_of_the_selected_task(board) -> None:
    board.replace_tasks([task(1, state="review", version=2)])
    board.select_task("T0001")
    board.upsert_tasks([task(1, state="closed", version=3)])
    assert board.detail.task().version == 3
    assert board.detail.buttons[OperatorAction.REOPEN].isEnabled()
    assert not board.detail.buttons[OperatorAction.CLOSE].isEnabled()


def test_timeline_lists_events_in_order_with_attachments(qtbot, board) -> None:
    board.replace_tasks([task(1, state="review")])
    events = [
        TaskEventRow.from_payload(dict(
            id=f"E{j}", task_id="T0001", action=action, actor=actor, note=note,
            ts=(NOW - timedelta(hours=5 - j)).isoformat(), attachment_url=url,
            from_state=f, to_state=t))
        for j, (action, actor, f, t, note, url) in enumerate([
            ("submit_review", "李娜", "rectifying", "review", "空调已维修", "/media/after.jpg"),
            ("dispatch", "operator", "", "dispatched", "请两小时内提交整改方案", ""),
            ("arrive", "李娜", "accepted", "on_site", "已到现场", "/media/before.jpg"),
        ])
    ]
    requested: list[str] = []
    board.attachment_requested.connect(requested.append)
    board.upsert_events(events)
    board.select_task("T0001")
    cards = board.detail.timeline_cards()
    assert [c.task_event.action for c in cards] == ["submit_review", "dispatch", "arrive"]
    assert sorted(requested) == ["/media/after.jpg", "/media/before.jpg"]
    img = QImage(160, 90, QImage.Format.Format_RGB32)
    img.fill(QColor("#557"))
    board.set_attachment_image("/media/after.jpg", img)
    assert cards[0].thumb.pixmap() is not None and not cards[0].thumb.pixmap().isNull()
    assert cards[2].thumb.text() == "Loading photo…"


def test_csv_export_of_the_board(board, tmp_path) -> None:
    board.replace_tasks([task(1, deadline=(NOW - timedelta(hours=2)).isoformat()), task(2)])
    path = tmp_path / "tasks.csv"
    assert board.export_csv(path) == 2
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["Deadline", "State", "Escalation", "Business"]
    assert rows[1][0] == "Overdue 2 h" and rows[1][3] == "老王家常菜1号店"


def test_escalation_names_a_supervisor_within_the_column_size(qtbot, board) -> None:
    board.replace_tasks([task(1, state="on_site", version=5)])
    board.select_task("T0001")
    dialog = board.detail.make_note_dialog(OperatorAction.ESCALATE)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editor.setPlainText("王" * 65)
    dialog.accept()
    assert dialog.isVisible() and "64" in dialog.error.text()
    dialog.editor.setPlainText("王局长")
    dialog.accept()
    assert dialog.result() == 1 and dialog.note() == "王局长"


def test_task_filter_is_plain_data() -> None:
    flt = TaskFilter(states=frozenset({"review"}), now=NOW, min_age=timedelta(hours=2))
    assert flt.matches(task(3, state="review"))
    assert not flt.matches(task(1, state="review"))  # only an hour old
