"""Dispatch dialog: defaults from severity/type and the business, validation, the draft."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from db.models import Task
from db.serialize import from_payload
from tests.widgets.conftest import ASSIGNEES, NOW, alarm, business
from widgets.dispatch_dialog import DispatchDialog
from widgets.models.dispatch import DeadlinePolicy, DeadlineRule


def make(qtbot, a=None, biz=None, assignees=ASSIGNEES, **kw) -> DispatchDialog:
    d = DispatchDialog(a or alarm(1), biz if biz is not None else business(), assignees,
                       created_by="operator", clock=lambda: NOW, **kw)
    qtbot.addWidget(d)
    return d


@pytest.mark.parametrize(("severity", "kind", "subtype", "hours"), [
    (4, "sensor_threshold", "", 2),
    (3, "sensor_threshold", "", 24),
    (2, "sensor_threshold", "", 72),
    (1, "device_offline", "", 72),
    (2, "ai_violation", "rodent", 24),
    (2, "ai_violation", "unattended_flame", 2),
])
def test_deadline_defaults_by_severity_and_type(qtbot, severity, kind, subtype, hours) -> None:
    d = make(qtbot, alarm(1, severity=severity, kind=kind, subtype=subtype))
    assert d.deadline() == NOW + timedelta(hours=hours)
    assert d.rule.hours == hours


def test_deadline_hint_names_the_rule(qtbot) -> None:
    d = make(qtbot, alarm(1, severity=4))
    assert d.deadline_hint.text() == "Critical: rectification plan within 2 h"
    d = make(qtbot, alarm(1, severity=2))
    assert d.deadline_hint.text() == "Minor: re-check within 3 days"


def test_configurable_deadline_table(qtbot) -> None:
    policy = DeadlinePolicy.from_config([
        {"hours": 1, "purpose": "rectification plan", "kind": "ai_violation",
         "subtype": "smoking"},
        {"hours": 48, "purpose": "re-check"},
    ])
    d = make(qtbot, alarm(1, kind="ai_violation", subtype="smoking", severity=2), policy=policy)
    assert d.deadline() == NOW + timedelta(hours=1)
    with pytest.raises(ValueError, match="deadline rule 0"):
        DeadlinePolicy.from_config([{"purpose": "x"}])
    with pytest.raises(ValueError):
        DeadlineRule(hours=0, purpose="x")


def test_assignee_defaults_to_official_then_grid_officer(qtbot) -> None:
    assert make(qtbot).assignee() == "zhang.wei"
    d = make(qtbot, biz=business(official_name="不在名单"))
    assert d.assignee() == "li.na"  # the grid officer
    d = make(qtbot, biz=business(official_name="", id="X"), assignees=ASSIGNEES[2:])
    assert d.assignee() is None
    labels = [d.assignee_box.itemText(i) for i in range(d.assignee_box.count())]
    assert labels[0] == "Choose an assignee…"


def test_checklist_template_follows_alarm_type(qtbot) -> None:
    rodent = make(qtbot, alarm(1, kind="ai_violation", subtype="rodent"))
    assert any("rodent holes" in t for t in rodent.checklist_items())
    assert any("pest-control contract" in t for t in rodent.checklist_items())
    room = make(qtbot, alarm(1))
    assert any("air conditioner" in t for t in room.checklist_items())
    mask = make(qtbot, alarm(1, kind="ai_violation", subtype="no_mask"))
    assert any("Brief the staff" in t for t in mask.checklist_items())
    odd = make(qtbot, alarm(1, kind="something_new"))
    assert odd.checklist_items() == ["Inspect the reported problem on site",
                                     "Record the findings with photos"]


def test_validation_messages_and_refusal(qtbot) -> None:
    d = make(qtbot, biz=business(official_name="", id="X"), assignees=ASSIGNEES[2:])
    d.set_deadline(NOW - timedelta(minutes=5))
    problems = d.validate()
    assert "Choose who should carry out the inspection." in problems
    assert "The deadline must be in the future." in problems
    d.show()
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert d.isVisible() and d.error_label.isVisibleTo(d)
    assert "deadline must be in the future" in d.error_label.text()
    d.set_assignee("zhao.lei")
    d.set_deadline(NOW + timedelta(hours=3))
    assert d.validate() == []
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not d.isVisible() and d.result() == 1


def test_no_assignees_at_all_is_explained(qtbot) -> None:
    d = make(qtbot, assignees=[])
    assert "No field officers" in d.error_label.text()


def test_task_draft_is_a_valid_task_row(qtbot) -> None:
    a = alarm(1, severity=4, evidence_url="/media/abc.jpg")
    d = make(qtbot, a)
    d.new_item.setText("检查温度计校准记录")
    d._on_add_item()
    d.checklist.item(0).setCheckState(Qt.CheckState.Unchecked)
    d.notes_edit.setPlainText("请两小时内提交整改方案")
    draft = d.task_draft()
    values = from_payload(Task, draft)  # fits the model, types and all
    task = Task(**values)
    assert task.alarm_id == "A00001" and task.business_id == a.business_id
    assert task.assignee == "zhang.wei" and task.created_by == "operator"
    assert task.deadline == NOW + timedelta(hours=2)
    assert task.state == "dispatched" and task.severity == 4
    assert task.evidence_url == "/media/abc.jpg"
    items = [i["text"] for i in task.checklist["items"]]
    assert items[-1] == "检查温度计校准记录"
    assert "air conditioner" not in items[0]  # the unticked first item was left out
    assert task.notes == "请两小时内提交整改方案"
    assert len(draft["id"]) == 32 and draft["id"] == d.task_draft()["id"]  # stable client id
