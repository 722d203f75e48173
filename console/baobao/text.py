"""Words the 包保 widgets share (translated through ``QCoreApplication.translate``)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("Baobao", text)


def short_time(iso: str) -> str:
    """"12-07 14:20" in local time (what the bureau's staff read on a card)."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or ""


def level_text(level: str) -> str:
    return {"community": _tr("community"), "street": _tr("street"),
            "district": _tr("district"), "city": _tr("city")}.get(level, level)


def look_how_text(how: str) -> str:
    return {"onsite": _tr("on site"), "online": _tr("online"), "patrol": _tr("online patrol"),
            "view": _tr("remote view")}.get(how, how)


def source_text(source: str) -> str:
    return {"wall": _tr("wall"), "tour": _tr("tour"), "patrol": _tr("patrol"),
            "playback": _tr("playback")}.get(source, source)


def verdict_text(verdict: str) -> str:
    return {"pass": _tr("pass"), "fail": _tr("fail"), "na": _tr("not applicable")}.get(
        verdict, verdict)


def minutes_text(seconds: int) -> str:
    if seconds < 60:
        return _tr("%1 s").replace("%1", str(seconds))
    return _tr("%1 min").replace("%1", str(round(seconds / 60)))


def look_line(view: dict[str, object]) -> str:
    """"远程查看：张三 12-07 14:20，3 分钟" for one look."""
    return (_tr("Remote view: %1 %2, %3 (%4)")
            .replace("%1", str(view.get("name") or view.get("user") or ""))
            .replace("%2", short_time(str(view.get("started_at") or "")))
            .replace("%3", minutes_text(int(str(view.get("seconds") or 0))))
            .replace("%4", source_text(str(view.get("source") or ""))))
