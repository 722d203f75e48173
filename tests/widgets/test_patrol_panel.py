"""Patrol planning (overdue first, coverage per period, central's selection rules) and the
patrol panel (a problem needs a note; the queue and the stopwatch)."""

from __future__ import annotations

from datetime import timedelta

from tests.widgets.conftest import NOW, business
from widgets.models.patrol import (
    LookHistory,
    PatrolPlanSpec,
    histories,
    layout_for,
    plan_coverage,
)
from widgets.patrol_panel import PatrolPanel, clock_text
from widgets.patrol_plan_dialog import PatrolPlanDialog

BUSINESSES = [
    {"id": "B1", "name": "一中食堂", "district_id": "D01", "grid_id": "G1",
     "category": "school_canteen"},
    {"id": "B2", "name": "二中食堂", "district_id": "D01", "grid_id": "G2",
     "category": "school_canteen"},
    {"id": "B3", "name": "三中食堂", "district_id": "D01", "grid_id": "G1",
     "category": "school_canteen"},
    {"id": "B4", "name": "老王家常菜", "district_id": "D01", "grid_id": "G1", "category": "small"},
    {"id": "B5", "name": "四中食堂", "district_id": "D02", "grid_id": "G9",
     "category": "school_canteen"},
]
SCHOOLS = PatrolPlanSpec.from_payload({
    "id": "P1", "name": "学校食堂", "district_id": "D01",
    "selection": {"categories": ["school_canteen"]}, "times_per_period": 2, "period_days": 30})


def test_queue_puts_never_patrolled_then_most_overdue_first() -> None:
    history = {
        "B1": LookHistory(in_window=1, last_at=NOW - timedelta(days=20)),  # due 5 days ago
        "B3": LookHistory(in_window=2, last_at=NOW - timedelta(days=2)),  # due in 13 days
    }
    cov = plan_coverage(SCHOOLS, BUSINESSES, history, NOW)
    assert [e.business_id for e in cov.entries] == ["B2", "B1", "B3"]  # not B4 (small), B5 (D02)
    b2, b1, b3 = cov.entries
    assert b2.overdue and b2.due_at is None and b2.last_at is None
    assert b1.overdue and b1.due_at == NOW - timedelta(days=5)
    assert not b3.overdue and b3.covered
    assert (cov.total, cov.covered, cov.overdue) == (3, 1, 2)
    assert (cov.checks_done, cov.checks_required) == (3, 6)
    assert SCHOOLS.interval == timedelta(days=15)


def test_selection_follows_central_rules() -> None:
    city = PatrolPlanSpec.from_payload({"id": "P2", "name": "全市", "district_id": None,
                                        "selection": {}, "times_per_period": 1})
    assert plan_coverage(city, BUSINESSES, {}, NOW).total == 5
    grid = PatrolPlanSpec.from_payload({"id": "P3", "name": "G1", "district_id": "D01",
                                        "selection": {"grid_ids": ["G1"],
                                                      "categories": ["school_canteen"]}})
    assert [e.business_id for e in plan_coverage(grid, BUSINESSES, {}, NOW).entries] == \
        ["B1", "B3"]
    assert grid.selection == {"grid_ids": ["G1"], "categories": ["school_canteen"]}


def test_histories_combine_window_counts_and_last_looks() -> None:
    got = histories({"B1": 2}, {"B1": (NOW - timedelta(days=1)).isoformat(),
                                "B2": NOW - timedelta(days=40)})
    assert got["B1"] == LookHistory(2, NOW - timedelta(days=1))
    assert got["B2"] == LookHistory(0, NOW - timedelta(days=40))


def test_layout_fits_all_cameras_of_a_business() -> None:
    assert [layout_for(n) for n in (1, 2, 4, 5, 9, 10, 17, 70)] == \
        ["1", "4", "4", "9", "9", "16", "25", "64"]


def test_panel_refuses_a_problem_without_a_note(qtbot) -> None:
    panel = PatrolPanel(clock=lambda: NOW + timedelta(seconds=75))
    qtbot.addWidget(panel)
    cov = plan_coverage(SCHOOLS, BUSINESSES, {}, NOW)
    panel.set_plans([cov])
    panel.set_coverage(cov)
    assert panel.queue_ids() == ["B1", "B2", "B3"]  # never patrolled: by id
    assert "Patrolled 0 of 3 businesses" in panel.coverage_label.text()
    assert panel.start_button.isEnabled() and not panel.compliant_button.isEnabled()
    verdicts: list[tuple] = []
    panel.verdict_given.connect(lambda *args: verdicts.append(args))
    panel.set_patrolling(True)
    panel.set_current(business(id="B1"), started_at=NOW, position=1, total=3, cameras=3)
    assert panel.elapsed_label.text() == "Watching 01:15"
    assert "3 cameras" in panel.cameras_label.text()
    assert not panel.start_button.isEnabled() and not panel.plan_box.isEnabled()
    panel.dispatch_check.setChecked(True)
    panel.problem_button.click()
    assert verdicts == [] and "Describe the problem" in panel.message.text()
    panel.note_edit.setPlainText("  垃圾桶未加盖  ")
    panel.problem_button.click()
    panel.compliant_button.click()
    assert verdicts == [("problem", "垃圾桶未加盖", True), ("compliant", "垃圾桶未加盖", False)]
    panel.set_busy(True)
    panel.compliant_button.click()
    assert len(verdicts) == 2  # no double verdict while the first is being saved


def test_clock_text() -> None:
    assert (clock_text(5), clock_text(3725)) == ("00:05", "1:02:05")


def test_plan_dialog_builds_the_save_payload(qtbot) -> None:
    dialog = PatrolPlanDialog(SCHOOLS, districts=[("D01", "康巴什区"), ("D02", "东胜区")],
                              grids=[("G1", "青春山街道", "D01"), ("G2", "滨河街道", "D01"),
                                     ("G9", "某街道", "D02")],
                              businesses=BUSINESSES)
    qtbot.addWidget(dialog)
    assert dialog.grid_list.count() == 2  # streets of the plan's district only
    assert "Matches 3 businesses: 6 looks per period" in dialog.preview.text()
    dialog.set_checked("grids", ["G1"])
    assert dialog.matching_businesses() == 2
    payload = dialog.plan_payload()
    assert payload == {"id": "P1", "name": "学校食堂", "district_id": "D01",
                       "selection": {"grid_ids": ["G1"], "categories": ["school_canteen"]},
                       "times_per_period": 2, "period_days": 30, "expected_version": 1}
