"""Chinese is drawn with the font each platform's users expect: 微软雅黑 on Windows, Noto Sans CJK
(or Source Han Sans / 文泉驿) on Debian, UOS and Kylin, with the other platforms' families as
fallbacks; the application font puts them behind the system's UI family."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from widgets.theme import CJK_FAMILIES, application_font, cjk_families


def test_windows_asks_for_microsoft_yahei_first() -> None:
    families = cjk_families("win32")
    assert families[:2] == ["Microsoft YaHei UI", "Microsoft YaHei"]
    assert "SimSun" in families[:4]  # on every Windows, before any Linux family
    assert families.index("SimSun") < families.index("Noto Sans CJK SC")


def test_linux_uos_and_kylin_ask_for_their_shipped_fonts() -> None:
    families = cjk_families("linux")
    assert families[0] == "Noto Sans CJK SC"
    linux_part = families[:families.index("Microsoft YaHei UI")]
    assert {"Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"} <= set(linux_part)


def test_every_platform_falls_back_to_the_others_without_repeats() -> None:
    every = set(cjk_families("win32"))
    for platform in ("win32", "linux", "darwin", "freebsd14", "sunos5"):
        families = cjk_families(platform)
        assert set(families) == every and len(families) == len(every)
    assert cjk_families("freebsd14")[0] == cjk_families("sunos5")[0] == "Noto Sans CJK SC"
    assert cjk_families("darwin")[0] == "PingFang SC"


def test_application_font_keeps_the_ui_family_then_cjk(qapp) -> None:
    font = application_font(QFont("DejaVu Sans", 10))
    assert font.families()[0] == "DejaVu Sans"
    assert font.families()[1:] == CJK_FAMILIES
    assert font.pointSize() == 10
    installed = set(QFontDatabase.families())
    chosen = next((f for f in CJK_FAMILIES if f in installed), None)
    assert chosen is not None, "no CJK font installed: install fonts-noto-cjk"
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(c)) for c in "明厨亮灶消毒柜")
