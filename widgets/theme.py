"""Colours and fonts shared by the widgets, so states look the same everywhere.

Severity and rule-state colours follow the usual control-room convention (green normal,
amber warning, red breach, grey offline) and are picked to stay distinguishable on both the
light console theme and the dark big-screen theme.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

RULE_STATE_COLORS = {
    "normal": "#2fb344",
    "warning": "#f59f00",
    "breach": "#e03131",
    "offline": "#8c8c8c",
}

SEVERITY_COLORS = {1: "#4c8bf5", 2: "#d4a300", 3: "#f76707", 4: "#e03131"}

ALARM_STATE_COLORS = {
    "open": "#e03131",
    "acknowledged": "#f59f00",
    "dispatched": "#1c7ed6",
    "dismissed": "#868e96",
    "closed": "#2fb344",
}

TASK_STATE_COLORS = {
    "dispatched": "#1c7ed6",
    "accepted": "#4263eb",
    "on_site": "#7048e8",
    "rectifying": "#f59f00",
    "review": "#0ca678",
    "closed": "#2fb344",
    "rejected": "#e03131",
}

OVERDUE_COLOR = "#e03131"
UNKNOWN_COLOR = "#8c8c8c"

#: Families tried in order; Noto Sans CJK renders Chinese data on Linux, the others are the
#: Windows / macOS equivalents.
CJK_FAMILIES = ["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC"]


def rule_state_color(state: str) -> QColor:
    return QColor(RULE_STATE_COLORS.get(state, UNKNOWN_COLOR))


def severity_color(level: int) -> QColor:
    return QColor(SEVERITY_COLORS.get(level, UNKNOWN_COLOR))


def alarm_state_color(state: str) -> QColor:
    return QColor(ALARM_STATE_COLORS.get(state, UNKNOWN_COLOR))


def task_state_color(state: str) -> QColor:
    return QColor(TASK_STATE_COLORS.get(state, UNKNOWN_COLOR))


def ui_font(pixel_size: int | None = None, bold: bool = False) -> QFont:
    """The application font with CJK fallbacks, optionally at a pixel size."""
    font = QFont()
    font.setFamilies([font.family(), *CJK_FAMILIES])
    if pixel_size is not None:
        font.setPixelSize(max(1, pixel_size))
    font.setBold(bold)
    return font


@dataclass(frozen=True)
class ChartTheme:
    """Colours of pyqtgraph charts; the dashboard switches between the two."""

    background: str
    foreground: str
    grid_alpha: float
    series: tuple[str, ...]
    font_px: int


LIGHT_CHARTS = ChartTheme(
    background="#ffffff",
    foreground="#343a40",
    grid_alpha=0.25,
    series=("#1c7ed6", "#f76707", "#2fb344", "#e03131", "#7048e8", "#0ca678", "#d6336c",
            "#f59f00", "#495057"),
    font_px=12,
)

DARK_CHARTS = ChartTheme(
    background="#0b1a2e",
    foreground="#e9f1ff",
    grid_alpha=0.2,
    series=("#4dabf7", "#ffa94d", "#69db7c", "#ff6b6b", "#b197fc", "#38d9a9", "#f783ac",
            "#ffd43b", "#ced4da"),
    font_px=18,
)
