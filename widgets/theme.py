"""Colours and fonts shared by the widgets, so states look the same everywhere.

Severity and rule-state colours follow the usual control-room convention (green normal,
amber warning, red breach, grey offline) and are picked to stay distinguishable on both the
light console theme and the dark big-screen theme.
"""

from __future__ import annotations

import sys
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

#: Simplified-Chinese UI fonts each platform ships, best first. Windows 7-11: 微软雅黑 (the "UI"
#: variant has the tighter line height Windows itself uses), then DengXian (Windows 10+) and
#: SimSun (every Windows). Debian/Ubuntu, UOS and Kylin: Noto Sans CJK SC (fonts-noto-cjk,
#: preinstalled on UOS and Kylin), Source Han Sans (the same design under Adobe's name, which
#: UOS also ships), WenQuanYi (older Kylin and UOS releases), then Droid Sans Fallback.
CJK_FAMILIES_BY_PLATFORM: dict[str, tuple[str, ...]] = {
    "win32": ("Microsoft YaHei UI", "Microsoft YaHei", "DengXian", "SimSun"),
    "linux": ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN",
              "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback"),
    "darwin": ("PingFang SC", "Hiragino Sans GB", "Heiti SC"),
}


def cjk_families(platform: str = sys.platform) -> list[str]:
    """The families that render Chinese, this platform's first, then the others' (a Linux PC
    with 微软雅黑 copied in, a Windows PC with Noto installed): Qt takes the first installed one
    that has the character, so a missing family costs nothing."""
    key = "linux" if platform.startswith(("linux", "freebsd")) else platform
    own = list(CJK_FAMILIES_BY_PLATFORM.get(key, CJK_FAMILIES_BY_PLATFORM["linux"]))
    others = [f for fams in CJK_FAMILIES_BY_PLATFORM.values() for f in fams if f not in own]
    return own + others


#: Families tried in order on this platform (ui_font, application_font, the evidence PDF).
CJK_FAMILIES = cjk_families()


def rule_state_color(state: str) -> QColor:
    return QColor(RULE_STATE_COLORS.get(state, UNKNOWN_COLOR))


def severity_color(level: int) -> QColor:
    return QColor(SEVERITY_COLORS.get(level, UNKNOWN_COLOR))


def alarm_state_color(state: str) -> QColor:
    return QColor(ALARM_STATE_COLORS.get(state, UNKNOWN_COLOR))


def task_state_color(state: str) -> QColor:
    return QColor(TASK_STATE_COLORS.get(state, UNKNOWN_COLOR))


def application_font(base: QFont) -> QFont:
    """The console's application font: the system's UI family (Segoe UI, the desktop's sans)
    for Latin text and digits, this platform's CJK families for Chinese. Set once at start-up
    so every widget, the wall's tile labels included, renders 中文 with 微软雅黑 on Windows and
    Noto Sans CJK / 文泉驿 on UOS and Kylin instead of whatever Qt's fallback picks."""
    font = QFont(base)
    font.setFamilies([base.family(), *(f for f in CJK_FAMILIES if f != base.family())])
    return font


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
