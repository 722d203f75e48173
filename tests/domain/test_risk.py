"""The risk score's rules and the plan generator, as pure functions of facts."""

from __future__ import annotations

from dataclasses import replace

from domain.risk import (
    DEFAULT_WEIGHTS,
    FrequencyRule,
    PlanInput,
    RiskFacts,
    fill_plan,
    reason_text,
    required_looks,
    score,
)


def test_a_school_canteen_outranks_a_small_restaurant_with_the_same_record() -> None:
    school = score(RiskFacts("s", "school_canteen", open_tasks=1))
    small = score(RiskFacts("r", "small", open_tasks=1))
    assert school.score > small.score
    assert school.reasons[0].code == "category"
    assert [r.code for r in small.reasons] == ["open_tasks", "category"]


def test_every_point_of_the_score_is_a_reason_shown() -> None:
    facts = RiskFacts("b", "medium", open_tasks=2, overdue_tasks=1, alarms_30d=3,
                      black_list=True, licence_days_left=10, dark_hours_30d=12.0)
    result = score(facts)
    codes = {r.code for r in result.reasons}
    assert codes == {"category", "open_tasks", "overdue_tasks", "alarms_30d", "black_list",
                     "licence_expiring", "dark_hours_30d"}
    assert result.score == round(sum(r.points for r in result.reasons), 1)
    assert result.score == 10 + 12 + 8 + 6 + 15 + 8 + 6
    assert result.level == "high"
    assert "licence expires in 10 day(s)" in [reason_text(r) for r in result.reasons]


def test_caps_keep_one_fact_from_drowning_the_others() -> None:
    result = score(RiskFacts("b", "small", alarms_30d=500, dark_hours_30d=10_000))
    points = {r.code: r.points for r in result.reasons}
    assert points["alarms_30d"] == DEFAULT_WEIGHTS.alarms_cap
    assert points["dark_hours_30d"] == DEFAULT_WEIGHTS.dark_hours_cap


def test_expired_licence_weighs_more_than_one_about_to_expire_and_far_expiry_nothing() -> None:
    base = RiskFacts("b", "small")
    expired = score(replace(base, licence_days_left=-3))
    soon = score(replace(base, licence_days_left=0))
    far = score(replace(base, licence_days_left=200))
    assert expired.score > soon.score > far.score == score(base).score
    assert reason_text(expired.reasons[0]) == "licence expired 3 day(s) ago"


def test_red_list_lowers_but_never_below_zero_and_black_list_wins() -> None:
    assert score(RiskFacts("b", "beverage", red_list=True)).score == 0.0
    both = score(RiskFacts("b", "small", red_list=True, black_list=True))
    assert [r.code for r in both.reasons] == ["black_list", "category"]


def test_weights_are_data_a_bureau_can_change() -> None:
    heavy = replace(DEFAULT_WEIGHTS, per_open_task=20.0, open_tasks_cap=100.0)
    assert score(RiskFacts("b", "small", open_tasks=2), heavy).score == 45.0


def test_reception_kitchens_get_four_looks_a_year_spread_over_the_months_left() -> None:
    rule = FrequencyRule(monthly_min=1, high_risk_extra=0, reception_yearly_min=4)
    # November, none done yet this year: 4 looks in 2 months → 2 this month
    assert required_looks(PlanInput("k", 0.0, reception=True), rule, 11) == 2
    # December, three done before it: one more
    assert required_looks(PlanInput("k", 0.0, looks_this_year=3, reception=True), rule, 12) == 1
    assert required_looks(PlanInput("k", 0.0), rule, 11) == 1


def test_plan_puts_businesses_behind_schedule_first_then_by_risk() -> None:
    rule = FrequencyRule(monthly_min=2, high_risk_extra=1)
    items = [PlanInput("low", 5.0, looks_this_month=1), PlanInput("high", 60.0,
                                                                  looks_this_month=2),
             PlanInput("mid", 30.0, looks_this_month=0), PlanInput("done", 70.0,
                                                                  looks_this_month=3)]
    lines = fill_plan(items, rule, month=12, day=20, days_in_month=31)
    assert [ln.business_id for ln in lines] == ["mid", "done", "high", "low"]
    by_id = {ln.business_id: ln for ln in lines}
    assert by_id["mid"].behind and by_id["mid"].planned == 2
    assert by_id["high"].required == 3 and by_id["high"].planned == 1
    assert not by_id["high"].behind  # 3 * 20 / 31 = 1.9 → 1 due, 2 done
    assert by_id["done"].planned == 0
    assert not by_id["low"].behind  # 2 * 20 / 31 → 1 due, 1 done


def test_a_closed_task_schedules_a_follow_up_look() -> None:
    rule = FrequencyRule(monthly_min=1, high_risk_extra=0)
    assert required_looks(PlanInput("b", 0.0, follow_ups=2), rule, 5) == 3
    line = fill_plan([PlanInput("b", 0.0, looks_this_month=1, follow_ups=1)], rule, 5, 31, 31)[0]
    assert line.required == 2 and line.planned == 1 and line.behind
