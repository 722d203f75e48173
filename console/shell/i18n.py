"""Interface language: Simplified Chinese by default, English selectable."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

log = logging.getLogger("kitchenwatch.console.shell.i18n")


def install_language(app: QApplication, lang: str) -> bool:
    """Install translators for ``lang``; English (the source language) needs none."""
    QLocale.setDefault(QLocale(lang))
    if lang.startswith("en"):
        return True
    try:  # here: a build without the translations still starts, in English
        from resources.i18n import install_translator
    except ImportError:
        log.warning("translations are not available; the interface stays in English")
        return False
    return bool(install_translator(app, lang))
