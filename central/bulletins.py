"""督查通报: a district's weekly or monthly bulletin, drafted by central, approved by a person.

:func:`draft` computes the figures of one district and period (coverage, online rate, alarms by
kind, time to close, overdue and 挂牌督办 tasks, the red and black lists) and stores them in a
:class:`~db.models.Bulletin` in state ``draft``. A draft is drafted again (fresh figures) as
often as wanted; once a city or district administrator approves it, its figures are frozen,
and publishing makes it the bureau's. Approving and publishing are actions with audit
(``bulletin.approve``, ``bulletin.publish``); the red and black lists are part of the bulletin,
so they are reviewed and published with it. :func:`render_pdf` lays the stored content out as
a PDF (:mod:`central.pdf_text`: no Qt, Chinese through the reader's standard CJK font).

Periods: ``2026-11`` (a calendar month) or ``2026-W47`` (an ISO week), in local time.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from central.errors import ApiError, not_found
from central.pdf_text import Document
from db.models import Alarm, Bulletin, Business, Camera, District, PatrolRecord, Task
from domain.alarms import AlarmState
from domain.clock import utcnow
from domain.patrol import PatrolVerdict
from domain.tasks import OPEN_STATES, TaskState

STATES = ("draft", "approved", "published")
RANK_SIZE = 10
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")

KIND_ZH = {"sensor_threshold": "温湿度超限", "disinfection_invalid": "消毒不合格",
           "no_disinfection": "未消毒", "ai_violation": "AI 识别违规",
           "device_offline": "设备离线", "recorder": "录像中断", "licence": "许可证过期"}


@dataclass(frozen=True)
class Period:
    text: str
    start: date  # local, inclusive
    end: date  # local, exclusive
    label_zh: str


def parse_period(text: str) -> Period:
    """``2026-11`` or ``2026-W47``; ValueError with what is wrong."""
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12 or year < 2000:
            raise ValueError(f"period {text!r}: month {month} of {year} does not exist")
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
        return Period(text, start, end, f"{year}年{month}月")
    if m := _WEEK.match(text):
        year, week = int(m[1]), int(m[2])
        try:
            start = date.fromisocalendar(year, week, 1)
        except ValueError as exc:
            raise ValueError(f"period {text!r}: {year} has no ISO week {week}") from exc
        return Period(text, start, start + timedelta(days=7), f"{year}年第{week}周")
    raise ValueError(f"period {text!r}: expected a month like 2026-11 or an ISO week like "
                     f"2026-W47")


def _utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tz).astimezone(UTC)


def figures(session: Session, district_id: str, period: Period, tz: ZoneInfo,
            now: datetime) -> dict[str, Any]:
    """The bulletin's content: every number a reader checks, as plain JSON."""
    district = session.get(District, district_id)
    if district is None:
        raise not_found("district", district_id)
    start, end = _utc(period.start, tz), min(_utc(period.end, tz), now)
    in_d = Business.district_id == district_id
    businesses = int(session.scalar(select(func.count()).select_from(Business).where(in_d)) or 0)
    patrolled = (PatrolRecord.district_id == district_id, PatrolRecord.started_at >= start,
                 PatrolRecord.started_at < end)
    covered = int(session.scalar(select(func.count(func.distinct(PatrolRecord.business_id)))
                                 .where(*patrolled)) or 0)
    looks = int(session.scalar(select(func.count()).select_from(PatrolRecord)
                               .where(*patrolled)) or 0)
    cams, online = session.execute(select(func.count(), func.sum(cast(Camera.online, Integer)))
                                   .where(Camera.district_id == district_id)).one()
    opened = (Alarm.district_id == district_id, Alarm.opened_at >= start, Alarm.opened_at < end)
    by_kind = {k: int(n) for k, n in session.execute(
        select(Alarm.kind, func.count()).where(*opened).group_by(Alarm.kind)).all()}
    closed_tasks = session.execute(select(Task.created_at, Task.closed_at).where(
        Task.district_id == district_id, Task.state == TaskState.CLOSED,
        Task.closed_at >= start, Task.closed_at < end)).all()
    hours = [(c - o).total_seconds() / 3600 for o, c in closed_tasks if c and o]
    tasks = session.scalars(select(Task).where(
        Task.district_id == district_id, Task.created_at < end,
        (Task.closed_at.is_(None)) | (Task.closed_at >= start))).all()
    overdue = [t for t in tasks if t.deadline is not None and t.deadline < end
               and (t.closed_at is None or t.closed_at > t.deadline)]
    supervised = [t for t in tasks if t.escalated and t.state in OPEN_STATES]
    names = dict(session.execute(select(Business.id, Business.name).where(in_d)).all())
    red, black = _ranking(session, district_id, start, end, names)
    return {
        "district_id": district_id, "district": district.name, "period": period.text,
        "period_label": period.label_zh, "generated_at": now.isoformat(),
        "from": start.isoformat(), "to": end.isoformat(), "timezone": tz.key,
        "businesses": businesses, "covered": covered, "looks": looks,
        "coverage_rate": round(covered / businesses, 4) if businesses else None,
        "cameras": int(cams or 0), "cameras_online": int(online or 0),
        "online_rate": round(int(online or 0) / int(cams), 4) if cams else None,
        "alarms_by_kind": by_kind, "alarms": sum(by_kind.values()),
        "tasks_closed": len(hours),
        "close_hours_median": round(statistics.median(hours), 1) if hours else None,
        "close_hours_mean": round(statistics.fmean(hours), 1) if hours else None,
        "overdue": [{"task_id": t.id, "business": names.get(t.business_id, t.business_id),
                     "title": t.title, "deadline": t.deadline.isoformat() if t.deadline else "",
                     "level": t.level, "state": t.state} for t in overdue],
        "supervised": [{"task_id": t.id, "business": names.get(t.business_id, t.business_id),
                        "title": t.title, "level": t.level,
                        "supervision_deadline": t.supervision_deadline.isoformat()
                        if t.supervision_deadline else ""} for t in supervised],
        "red_list": red, "black_list": black,
    }


def _ranking(session: Session, district_id: str, start: datetime, end: datetime,
             names: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """红黑榜 of the period, by the dashboard's rule: black = alarms + 2 × problems found on
    patrol; red = most compliant looks with neither."""
    alarms = dict(session.execute(select(Alarm.business_id, func.count()).where(
        Alarm.district_id == district_id, Alarm.opened_at >= start, Alarm.opened_at < end,
        Alarm.state != AlarmState.DISMISSED).group_by(Alarm.business_id)).all())

    def verdicts(verdict: str) -> dict[str, int]:
        return {b: int(n) for b, n in session.execute(
            select(PatrolRecord.business_id, func.count()).where(
                PatrolRecord.district_id == district_id, PatrolRecord.started_at >= start,
                PatrolRecord.started_at < end, PatrolRecord.verdict == verdict)
            .group_by(PatrolRecord.business_id)).all()}

    problems, compliant = verdicts(PatrolVerdict.PROBLEM), verdicts(PatrolVerdict.COMPLIANT)

    def entry(bid: str) -> dict[str, Any]:
        return {"business_id": bid, "name": names.get(bid, bid), "alarms": alarms.get(bid, 0),
                "problems": problems.get(bid, 0), "compliant": compliant.get(bid, 0)}

    black = sorted(set(alarms) | set(problems),
                   key=lambda b: (-(alarms.get(b, 0) + 2 * problems.get(b, 0)), b))[:RANK_SIZE]
    red = sorted((b for b in compliant if b not in alarms and b not in problems),
                 key=lambda b: (-compliant[b], b))[:RANK_SIZE]
    return [entry(b) for b in red], [entry(b) for b in black]


def draft(session: Session, district_id: str, period_text: str, tz: ZoneInfo,
          now: datetime | None = None) -> Bulletin:
    """Draft (or draft again) the bulletin of a district and period; 409 once approved."""
    try:
        period = parse_period(period_text)
    except ValueError as exc:  # month 13 or week 54: the schema's pattern cannot say so
        raise ApiError(422, "bad_period", f"payload.period: {exc}") from exc
    at = now or utcnow()
    content = figures(session, district_id, period, tz, at)
    row = session.scalars(select(Bulletin).where(Bulletin.district_id == district_id,
                                                 Bulletin.period == period.text)).first()
    if row is None:
        row = Bulletin(district_id=district_id, period=period.text, state="draft",
                       content=content, created_at=at, version=1)
        session.add(row)
    elif row.state != "draft":
        raise ApiError(409, "invalid_transition",
                       f"bulletin {district_id} {period.text} is {row.state}: its figures are "
                       f"frozen and it cannot be drafted again")
    else:
        row.content, row.created_at = content, at
        row.version += 1
    session.flush()
    return row


def advance(row: Bulletin, to: str, user: str, now: datetime) -> None:
    """draft → approved → published (raises 409 otherwise)."""
    expected = {"approved": "draft", "published": "approved"}.get(to)
    if expected is None or row.state != expected:
        raise ApiError(409, "invalid_transition",
                       f"cannot make bulletin {row.id} {to}: it is {row.state}"
                       + (f" (only a {expected} one can be)" if expected else ""))
    row.state = to
    if to == "approved":
        row.approved_by, row.approved_at = user, now
    else:
        row.published_by, row.published_at = user, now
    row.version += 1


def summary(row: Bulletin) -> dict[str, Any]:
    """What a list of bulletins shows (the content travels only in the PDF and the detail)."""
    return {"id": row.id, "district_id": row.district_id, "period": row.period,
            "state": row.state, "version": row.version,
            "created_at": row.created_at.isoformat(),
            "approved_by": row.approved_by,
            "approved_at": row.approved_at.isoformat() if row.approved_at else None,
            "published_by": row.published_by,
            "published_at": row.published_at.isoformat() if row.published_at else None}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


STATE_ZH = {"draft": "草稿（待审核，不得对外发布）", "approved": "已审核（待发布）",
            "published": "已发布"}
LEVEL_ZH = {"street": "街道", "district": "区局", "city": "市局"}
TASK_STATE_ZH = {"dispatched": "已派单", "accepted": "已接单", "on_site": "现场检查",
                 "rectifying": "整改中", "review": "待复核", "closed": "已销号",
                 "rejected": "已退回"}


def _local(stamp: str, tz: ZoneInfo) -> str:
    """An ISO timestamp as local 'YYYY-MM-DD HH:MM' (empty stays empty)."""
    if not stamp:
        return ""
    return datetime.fromisoformat(stamp).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def render_pdf(content: dict[str, Any], state: str) -> bytes:
    """The bulletin as a PDF, from its stored content."""
    title = f"{content['district']} 明厨亮灶督查通报（{content['period_label']}）"
    doc = Document(title=title, footer=f"{title} · {STATE_ZH.get(state, state)}")
    doc.line(title, 16, gap=6)
    doc.line(f"状态：{STATE_ZH.get(state, state)}", 10,
             rgb=(0.75, 0.1, 0.1) if state == "draft" else (0.1, 0.4, 0.1))
    tz = ZoneInfo(content.get("timezone") or "Asia/Shanghai")
    doc.line(f"统计区间：{_local(content['from'], tz)} — {_local(content['to'], tz)}；"
             f"生成于 {_local(content['generated_at'], tz)}", 9, rgb=(0.3, 0.3, 0.3))
    doc.space(6)
    doc.line("一、总体情况", 12.5, gap=8)
    median = content.get("close_hours_median")
    for text in (
        f"接入企业 {content['businesses']} 家；本期网络巡查 {content['looks']} 次，覆盖企业 "
        f"{content['covered']} 家，巡查覆盖率 {_pct(content.get('coverage_rate'))}。",
        f"摄像头 {content['cameras']} 路，在线 {content['cameras_online']} 路，在线率 "
        f"{_pct(content.get('online_rate'))}。",
        f"本期预警 {content['alarms']} 起；办结任务 {content['tasks_closed']} 件，办结用时中位数 "
        f"{'—' if median is None else f'{median} 小时'}。",
        f"逾期任务 {len(content['overdue'])} 件，挂牌督办中 {len(content['supervised'])} 件。",
    ):
        doc.line(text, 10.5, indent=12)
    doc.space(4)
    doc.line("二、预警分类", 12.5, gap=8)
    kinds = sorted(content["alarms_by_kind"].items(), key=lambda kv: -kv[1])
    doc.table(["类型", "起数"], [[KIND_ZH.get(k, k), str(n)] for k, n in kinds], [260, 80])
    doc.space(4)
    doc.line("三、逾期任务", 12.5, gap=8)
    doc.table(["企业", "事项", "期限", "层级", "状态"],
              [[t["business"], t["title"], _local(t["deadline"], tz),
                LEVEL_ZH.get(t["level"], t["level"]), TASK_STATE_ZH.get(t["state"], t["state"])]
               for t in content["overdue"]],
              [125, 165, 95, 45, 65])
    doc.space(4)
    doc.line("四、挂牌督办", 12.5, gap=8)
    doc.table(["企业", "事项", "督办层级", "督办期限"],
              [[t["business"], t["title"], LEVEL_ZH.get(t["level"], t["level"]),
                _local(t["supervision_deadline"], tz)] for t in content["supervised"]],
              [140, 190, 70, 95])
    doc.space(4)
    doc.line("五、红榜（表现良好）", 12.5, gap=8)
    doc.table(["企业", "合规巡查次数"], [[e["name"], str(e["compliant"])]
                                  for e in content["red_list"]], [300, 100])
    doc.space(4)
    doc.line("六、黑榜（问题突出）", 12.5, gap=8)
    doc.table(["企业", "预警", "巡查发现问题"],
              [[e["name"], str(e["alarms"]), str(e["problems"])]
               for e in content["black_list"]], [300, 80, 100])
    return doc.pdf()
