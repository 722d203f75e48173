"""Words the 包保 widgets share (translated through ``QCoreApplication.translate``)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate



def short_time(iso: str) -> str:
    """"12-07 14:20" in local time (what the bureau's staff read on a card)."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or ""


def level_text(level: str) -> str:
    return {"community": translate("Baobao", "community"),
            "street": translate("Baobao", "street"),
            "district": translate("Baobao", "district"),
            "city": translate("Baobao", "city")}.get(level, level)


def look_how_text(how: str) -> str:
    return {"onsite": translate("Baobao", "on site"),
            "online": translate("Baobao", "online"),
            "patrol": translate("Baobao", "online patrol"),
            "view": translate("Baobao", "remote view")}.get(how, how)


def source_text(source: str) -> str:
    return {"wall": translate("Baobao", "wall"),
            "tour": translate("Baobao", "tour"),
            "patrol": translate("Baobao", "patrol"),
            "playback": translate("Baobao", "playback")}.get(source, source)


def verdict_text(verdict: str) -> str:
    return {"pass": translate("Baobao", "pass"),
            "fail": translate("Baobao", "fail"),
            "na": translate("Baobao", "not applicable")}.get(verdict, verdict)


def minutes_text(seconds: int) -> str:
    if seconds < 60:
        return translate("Baobao", "%1 s").replace("%1", str(seconds))
    return translate("Baobao", "%1 min").replace("%1", str(round(seconds / 60)))


def look_line(view: dict[str, object]) -> str:
    """"远程查看：张三 12-07 14:20，3 分钟" for one look."""
    return (translate("Baobao", "Remote view: %1 %2, %3 (%4)")
            .replace("%1", str(view.get("name") or view.get("user") or ""))
            .replace("%2", short_time(str(view.get("started_at") or "")))
            .replace("%3", minutes_text(int(str(view.get("seconds") or 0))))
            .replace("%4", source_text(str(view.get("source") or ""))))
