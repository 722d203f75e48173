"""Popups limited on screen with the rest waiting and counted; the panel's history, evidence
and next-alarm controls; the status-bar counters."""

from __future__ import annotations

from datetime import timedelta

from tests.widgets.conftest import NOW, alarm
from widgets.alarm_counters import AlarmCounters
from widgets.alarm_panel import AlarmPanel, PopupScheduler
from widgets.models.popup_queue import PopupQueue
from widgets.models.rows import AuditRow


def test_at_most_n_panels_on_screen_the_rest_wait_until_one_closes() -> None:
    q = PopupQueue(min_interval_s=0, max_visible=2)
    for i in range(5):
        q.offer(f"a{i}", 3, now=0.0)
    shown = [q.pop_due(float(t)) for t in range(4)]
    assert [e.alarm_id for e in shown if e] == ["a0", "a1"]
    assert q.full and q.seconds_until_due(10.0) is None and len(q) == 3
    q.closed("a0")
    assert q.pop_due(10.0).alarm_id == "a2"


def test_operator_can_ask_for_the_next_alarm_without_waiting_the_interval() -> None:
    q = PopupQueue(min_interval_s=60, max_visible=1)
    q.offer("a", 3, now=0.0)
    q.offer("b", 3, now=0.0)
    assert q.pop_due(0.0).alarm_id == "a"
    assert q.pop_next(1.0) is None  # the screen is full
    q.closed("a")
    assert q.pop_due(1.0) is None  # the rate limit holds for automatic popups
    assert q.pop_next(1.0).alarm_id == "b"


def test_a_storm_that_fills_the_queue_is_counted(caplog) -> None:
    q = PopupQueue(min_interval_s=0, max_queued=3)
    for i in range(10):
        q.offer(f"a{i}", 3, now=float(i))
    assert len(q) == 3 and q.dropped == 7
    assert sum("popup queue full" in r.getMessage() for r in caplog.records
               if r.levelname == "WARNING") == 1  # one warning, not one per alarm


def test_scheduler_reports_waiting_and_fills_the_room_a_closed_panel_leaves(qtbot) -> None:
    clock = [0.0]
    s = PopupScheduler(min_interval_s=0, max_visible=1, monotonic=lambda: clock[0])
    shown: list[str] = []
    reports: list[tuple[int, int, int]] = []
    s.popup_due.connect(lambda e: shown.append(e.alarm_id))
    s.queue_changed.connect(lambda *r: reports.append(r))
    for i in range(3):
        s.offer(f"a{i}", 3)
    assert shown == ["a0"] and s.waiting() == 2 and reports[-1] == (2, 1, 0)
    s.closed("a0")
    assert shown == ["a0", "a1"] and reports[-1] == (1, 1, 0)
    s.stop()
    s.closed("a1")
    assert shown == ["a0", "a1"]  # stopped: nothing pops while the console closes


def test_panel_shows_history_with_undelivered_actions_greyed(qtbot) -> None:
    panel = AlarmPanel(clock=lambda: NOW)
    qtbot.addWidget(panel)
    panel.set_alarm(alarm(1))
    panel.set_history([
        AuditRow(NOW - timedelta(minutes=5), "", "opened", "专间温度 27.0°C"),
        AuditRow(NOW - timedelta(minutes=4), "operator", "alarm.ack"),
        AuditRow(NOW - timedelta(minutes=1), "operator", "task.accept", "已接单"),
        AuditRow(NOW, "operator", "alarm.escalate", "店主不配合", pending=True),
    ])
    texts = panel.history.texts()
    assert [t[2] for t in texts] == ["Alarm opened", "Acknowledged", "Task: Accepted",
                                     "Escalated · waiting to send"]
    assert texts[1][1] == "operator" and texts[3][3] == "店主不配合"
    assert panel.side_tabs.tabText(1) == "History (4)"


def test_panel_offers_evidence_pack_and_next_alarm(qtbot) -> None:
    panel = AlarmPanel(clock=lambda: NOW)
    qtbot.addWidget(panel)
    panel.set_alarm(alarm(3))
    panel.show()
    assert not panel.next_button.isVisible()
    panel.set_waiting(4)
    assert panel.next_button.isVisible() and "4 waiting" in panel.next_button.text()
    with qtbot.waitSignal(panel.evidence_requested) as evidence:
        panel.evidence_button.click()
    assert evidence.args == ["A00003"]
    with qtbot.waitSignal(panel.next_requested) as nxt:
        panel.next_button.click()
    assert nxt.args == ["A00003"]


def test_counters_show_each_state_and_waiting_popups(qtbot) -> None:
    counters = AlarmCounters()
    qtbot.addWidget(counters)
    counters.show()
    counters.set_counts({"open": 5, "acknowledged": 2, "dispatched": 7, "closed": 100})
    text = counters.counts_label.text()
    assert "5 open" in text and "2 acknowledged" in text and "7 dispatched" in text
    assert "100" not in text
    assert not counters.waiting_label.isVisible()
    counters.set_waiting(12, dropped=3)
    assert counters.waiting_label.isVisible() and "12 popups waiting" in (
        counters.waiting_label.text())
    assert "3 popups" in counters.waiting_label.toolTip()
    with qtbot.waitSignal(counters.state_clicked) as clicked:
        counters.counts_label.linkActivated.emit("open")
    assert clicked.args == ["open"]
    with qtbot.waitSignal(counters.next_requested):
        counters.waiting_label.linkActivated.emit("next")


def test_task_board_offers_the_evidence_pack_of_the_tasks_alarm(qtbot) -> None:
    from tests.widgets.conftest import task
    from widgets.task_board import TaskBoard

    board = TaskBoard(clock=lambda: NOW)
    qtbot.addWidget(board)
    board.replace_tasks([task(1), task(2, alarm_id=None)])
    assert board.select_task("T0002")
    assert not board.detail.evidence_button.isEnabled()  # a task without an alarm
    assert board.select_task("T0001")
    with qtbot.waitSignal(board.evidence_requested) as requested:
        board.detail.evidence_button.click()
    assert requested.args == ["A00001"]
