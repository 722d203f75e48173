"""The 包保 network's vocabulary: standard checklists per business category (格式化检查), how
often each category must be visited, and the figures a bureau reports (Qt- and SQL-free).

Why here: central computes the figures and validates checklists, the console draws the
checklist a patrol officer ticks through and turns a failed item into a task; both must read
the same items and the same periods.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.registry import BusinessCategory


class VisitMode(enum.StrEnum):
    ONSITE = "onsite"  # 现场检查
    ONLINE = "online"  # 网络巡查 / 远程查看


class ItemVerdict(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "na"


class ViewSource(enum.StrEnum):
    """Where a look at a camera happened (痕迹化: every look leaves a record)."""

    WALL = "wall"
    TOUR = "tour"
    PATROL = "patrol"
    PLAYBACK = "playback"


# Days within which a business of each category must have had a 包保 visit (on site or
# online). Schools and elderly canteens (一老一小) come first: monthly; large kitchens every
# two months; the rest quarterly. A bureau may read these as its own rule: they are defaults.
VISIT_PERIOD_DAYS: Mapping[str, int] = {
    BusinessCategory.SCHOOL_CANTEEN: 30,
    BusinessCategory.ELDERLY_CANTEEN: 30,
    BusinessCategory.HOSPITAL_CANTEEN: 30,
    BusinessCategory.EXTRA_LARGE: 30,
    BusinessCategory.LARGE: 60,
    BusinessCategory.GOVERNMENT_CANTEEN: 60,
    BusinessCategory.MEDIUM: 90,
    BusinessCategory.SMALL: 90,
    BusinessCategory.BEVERAGE: 90,
}
DEFAULT_VISIT_PERIOD_DAYS = 90
# A look at a camera shorter than this is a glance, not an online visit: it is kept as a trace
# but does not count toward the supervision rate.
ONLINE_LOOK_MIN_SECONDS = 60


def visit_period(category: str) -> timedelta:
    return timedelta(days=VISIT_PERIOD_DAYS.get(category, DEFAULT_VISIT_PERIOD_DAYS))


@dataclass(frozen=True)
class StandardItem:
    key: str
    text: str  # Chinese first: what the officer reads on the checklist
    text_en: str


def _i(key: str, text: str, text_en: str) -> StandardItem:
    return StandardItem(key, text, text_en)


_COMMON = (
    _i("health_certs", "从业人员持有效健康证明", "Staff hold valid health certificates"),
    _i("morning_check", "晨检记录完整", "Morning health checks recorded"),
    _i("work_clothes", "工作衣帽口罩穿戴规范", "Hats, masks and work clothes worn"),
    _i("disinfection_records", "餐用具清洗消毒记录完整", "Tableware cleaning and disinfection "
                                                          "records complete"),
    _i("rodent_proofing", "防鼠防蝇防虫设施完好（挡鼠板、纱窗、灭蝇灯）",
       "Rodent, fly and insect proofing intact (rat guards, screens, fly lamps)"),
    _i("raw_cooked_separate", "生熟分开，原料离地离墙存放",
       "Raw and cooked kept apart; stock off the floor and walls"),
    _i("purchase_ledger", "进货查验台账完整", "Purchase inspection ledger complete"),
    _i("bins_covered", "垃圾桶加盖", "Bins covered"),
)
_SPECIAL_ROOM = (
    _i("special_room_temp", "专间温度不高于25℃，专人专用", "Special room at or below 25 °C, "
                                                          "dedicated staff"),
    _i("cold_chain", "冷藏0～8℃、冷冻不高于-12℃", "Refrigerated 0–8 °C, frozen at or below "
                                                  "−12 °C"),
)
_SAMPLES = (
    _i("food_samples", "食品留样48小时以上，每个品种不少于125克",
       "Food samples kept 48 h or more, at least 125 g per dish"),
)
_CANTEEN = (
    _i("leader_meal", "负责人陪餐记录", "Managers' accompanying-meal records"),
    _i("allergen_notice", "过敏原及营养信息公示", "Allergens and nutrition shown"),
)
_ELDERLY = (
    _i("soft_diet", "适老化餐食（软食、低盐）及留样", "Meals suited to the elderly (soft, low "
                                                      "salt) and sampled"),
)
_BEVERAGE = (
    _i("ice_machine", "制冰机及饮品容器清洁消毒", "Ice machine and drink containers cleaned"),
    _i("raw_material_dates", "原料在保质期内并标注开封时间", "Ingredients in date and "
                                                              "opening time marked"),
)

DEFAULT_ITEMS: Mapping[str, tuple[StandardItem, ...]] = {
    BusinessCategory.SCHOOL_CANTEEN: _COMMON + _SPECIAL_ROOM + _SAMPLES + _CANTEEN,
    BusinessCategory.ELDERLY_CANTEEN: _COMMON + _SPECIAL_ROOM + _SAMPLES + _ELDERLY,
    BusinessCategory.HOSPITAL_CANTEEN: _COMMON + _SPECIAL_ROOM + _SAMPLES,
    BusinessCategory.GOVERNMENT_CANTEEN: _COMMON + _SPECIAL_ROOM + _SAMPLES,
    BusinessCategory.EXTRA_LARGE: _COMMON + _SPECIAL_ROOM + _SAMPLES,
    BusinessCategory.LARGE: _COMMON + _SPECIAL_ROOM + _SAMPLES,
    BusinessCategory.MEDIUM: _COMMON + _SPECIAL_ROOM,
    BusinessCategory.SMALL: _COMMON,
    BusinessCategory.BEVERAGE: _COMMON[:5] + _BEVERAGE,
}


def default_checklist(category: str) -> list[dict[str, str]]:
    """Version 0 of a category's checklist: what exists before an administrator edits it."""
    items = DEFAULT_ITEMS.get(category, _COMMON)
    return [{"key": it.key, "text": it.text, "text_en": it.text_en} for it in items]


def failed_items(items: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [item for item in items if item.get("verdict") == ItemVerdict.FAIL]


def dispatch_payload(business_id: str, item: Mapping[str, Any], *, category: str,
                     version: int, note: str = "", evidence_url: str = "",
                     task_id: str | None = None) -> dict[str, Any]:
    """The ``task.dispatch`` payload for one failed checklist item: the item is the task's
    title and its checklist, so the field officer sees exactly what to re-check."""
    text = str(item.get("text") or item.get("key") or "")
    title = f"格式化检查不合格：{text}"[:256]
    body = f"检查表 {category} v{version}，项目 {item.get('key', '')}"
    if note or item.get("note"):
        body += f"\n{item.get('note') or note}"
    draft: dict[str, Any] = {"business_id": business_id, "title": title, "notes": body,
                             "checklist": {"items": [{"text": text[:200], "done": False}]},
                             "evidence_url": evidence_url}
    if task_id:
        draft["id"] = task_id
    return {"task": draft}


def is_overdue(last_visit: datetime | None, category: str, now: datetime) -> bool:
    return last_visit is None or now - last_visit > visit_period(category)


def rate(part: int, whole: int) -> float:
    """A share in percent, one decimal; an empty whole is 100 % (nothing is missing)."""
    return 100.0 if whole == 0 else round(100.0 * part / whole, 1)
