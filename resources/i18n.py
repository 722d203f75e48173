"""Translations: the `.ts` source files live in ``resources/i18n``; the compiled `.qm` files are
built from them (at set-up, or on first start into the user cache) and never committed.

Falling back to English never stops the console: a missing compiler or a broken file only
logs a warning.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source_text: str, /) -> str:
        """Marks ``source_text`` for lupdate and returns it as it is: PySide6's stubs say
        ``object``, so modules import it from here to keep their strings typed as ``str``
        (lupdate finds the calls by name, wherever the function comes from)."""
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP  # re-exported

log = logging.getLogger("kitchenwatch.i18n")
TS_DIR = Path(__file__).with_name("i18n")
DOMAIN = "kitchenwatch"
_installed: list[QTranslator] = []


def ts_path(lang: str) -> Path:
    return TS_DIR / f"{DOMAIN}_{lang}.ts"


def _lrelease() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if beside.exists():
        return str(beside)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compiled_path(lang: str, cache: Path | None = None) -> Path | None:
    """The `.qm` for ``lang``, compiled now if missing or older than its `.ts`."""
    source = ts_path(lang)
    if not source.exists():
        return None
    beside = source.with_suffix(".qm")
    if beside.exists() and beside.stat().st_mtime >= source.stat().st_mtime:
        return beside
    target_dir = cache or Path(platformdirs.user_cache_dir("kitchenwatch")) / "i18n"
    # The cache is shared by every installation of this user (an old and a new version, two
    # checkouts): the compiled file is named by its source's content, so each installation
    # finds the translation of its own `.ts` — a newer file of another one, picked by date,
    # showed the map's labels in English.
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = target_dir / f"{beside.stem}-{digest}.qm"
    if target.exists():
        return target
    tool = _lrelease()
    if tool is None:
        log.warning("pyside6-lrelease not found; cannot compile %s", source.name)
        return None
    target_dir.mkdir(parents=True, exist_ok=True)
    # A running console maps its `.qm` (QTranslator reads it in place); lrelease rewriting that
    # file under it — another console or version sharing this cache, compiling a newer `.ts` —
    # handed it garbage offsets and it crashed in translate() (a soak's console, on a machine
    # where several checkouts share the cache). So compile beside it and rename over it: a
    # running console keeps the file it mapped, the next one opens the new file.
    partial = target_dir / f".{beside.stem}-{os.getpid()}.qm"
    try:
        result = subprocess.run([tool, str(source), "-qm", str(partial)], capture_output=True,
                                text=True, timeout=60)
        if result.returncode != 0 or not partial.exists():
            log.warning("compiling %s failed: %s", source.name, result.stderr.strip()[-300:])
            return None
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _forget_others(target_dir, beside.stem, keep=target)
    return target


def _forget_others(target_dir: Path, stem: str, keep: Path) -> None:
    """Drop compiled files of other sources of this language left a week or more ago (another
    installation still using one compiles it again; a running console keeps its mapping)."""
    for old in target_dir.glob(f"{stem}*.qm"):
        try:
            if old != keep and old.stat().st_mtime < keep.stat().st_mtime - 7 * 86400:
                old.unlink()
        except OSError:
            pass  # open elsewhere (Windows) or already gone: left for next time


def install_translator(app: QCoreApplication, lang: str) -> bool:
    """Install Qt's own and Kitchen Watch's translations for ``lang`` (e.g. ``zh_CN``)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(lang))
    qt_base = QTranslator(app)
    if qt_base.load(QLocale(lang), "qtbase", "_",
                    QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    qm = compiled_path(lang)
    if qm is None:
        log.warning("no translation for %s; the interface stays in English", lang)
        return False
    ours = QTranslator(app)
    if not ours.load(str(qm)):
        log.warning("translation file %s could not be loaded", qm)
        return False
    app.installTranslator(ours)
    _installed.append(ours)
    return True
