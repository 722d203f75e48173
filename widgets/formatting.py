"""Locale-aware formatting of times, numbers and durations for display.

All timestamps in the data are aware UTC; the operator reads local wall-clock time in the
locale's own format (``2026/3/1 14:05`` in zh_CN, ``3/1/26 2:05 PM`` in en_US).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale

translate = QCoreApplication.translate


def to_qdatetime(ts: datetime) -> QDateTime:
    """A local-time QDateTime for an aware datetime."""
    return QDateTime.fromMSecsSinceEpoch(int(ts.timestamp() * 1000))


def _is_c_locale(locale: QLocale) -> bool:
    return locale.language() == QLocale.Language.C


def datetime_text(ts: datetime | None, seconds: bool = False) -> str:
    """Local date and time in the locale's short format, always with a four-digit year.

    The C/POSIX locale (headless servers, CI) gets ISO-like ``2026-03-01 14:05`` instead of
    Qt's ambiguous C format."""
    if ts is None:
        return ""
    locale = QLocale()
    if _is_c_locale(locale):
        fmt = "yyyy-MM-dd HH:mm:ss" if seconds else "yyyy-MM-dd HH:mm"
        return to_qdatetime(ts).toString(fmt)
    fmt = locale.dateTimeFormat(QLocale.FormatType.ShortFormat)
    if seconds and ":ss" not in fmt and "mm" in fmt:
        fmt = fmt.replace("mm", "mm:ss", 1)
    if "yy" in fmt and "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy", 1)  # evidence and exports must not be ambiguous
    return locale.toString(to_qdatetime(ts), fmt)


def time_text(ts: datetime | None) -> str:
    if ts is None:
        return ""
    locale = QLocale()
    if _is_c_locale(locale):
        return to_qdatetime(ts).toString("HH:mm")
    return locale.toString(to_qdatetime(ts).time(), QLocale.FormatType.ShortFormat)


def date_text(ts: datetime | date | None) -> str:
    if ts is None:
        return ""
    qdate = to_qdatetime(ts).date() if isinstance(ts, datetime) else QDate(
        ts.year, ts.month, ts.day)
    locale = QLocale()
    if _is_c_locale(locale):
        return qdate.toString("yyyy-MM-dd")
    return locale.toString(qdate, QLocale.FormatType.ShortFormat)


def number_text(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return QLocale().toString(float(value), "f", decimals)


def percent_text(fraction: float | None, decimals: int = 1) -> str:
    if fraction is None:
        return "—"
    return QLocale().toString(fraction * 100.0, "f", decimals) + "%"


def duration_text(seconds: float) -> str:
    """``3 d 4 h`` / ``2 h 5 min`` / ``12 min``: compact ages and remaining times."""
    seconds = abs(int(seconds))
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days and hours:
        return translate("Duration", "%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours))
    if days:
        return translate("Duration", "%1 d").replace("%1", str(days))
    if hours and minutes:
        text = translate("Duration", "%1 h %2 min")
        return text.replace("%1", str(hours)).replace("%2", str(minutes))
    if hours:
        return translate("Duration", "%1 h").replace("%1", str(hours))
    return translate("Duration", "%1 min").replace("%1", str(minutes))
