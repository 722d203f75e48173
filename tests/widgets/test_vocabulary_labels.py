"""Every word of the shared vocabulary has a translated label: a state or kind added to
:mod:`domain` without one would reach the operator as a raw code (``on_site``)."""

from __future__ import annotations

import enum

import pytest

from domain.alarms import AiViolation, AlarmKind, AlarmState, Severity
from domain.registry import BusinessCategory, SensorKind
from domain.tasks import ALIASES, TaskAction, TaskState
from widgets import labels


@pytest.mark.parametrize(("vocabulary", "table"), [
    (BusinessCategory, labels.CATEGORIES),
    (SensorKind, labels.SENSOR_KINDS),
    (AlarmKind, labels.ALARM_KINDS),
    (AiViolation, labels.AI_VIOLATIONS),
    (Severity, labels.SEVERITIES),
    (AlarmState, labels.ALARM_STATES),
    (TaskState, labels.TASK_STATES),
    (TaskAction, labels.TASK_ACTIONS),
])
def test_every_word_has_a_label(vocabulary: type[enum.Enum], table: dict[object, str]) -> None:
    missing = [member.value for member in vocabulary if member.value not in table]
    assert not missing, f"{vocabulary.__name__} without a label in widgets/labels.py: {missing}"


def test_task_action_aliases_have_labels() -> None:
    assert set(ALIASES) <= set(labels.TASK_ACTIONS)
