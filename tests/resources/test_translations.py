"""Every visible string has a Chinese translation, and the translator really switches the UI."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from resources import update_translations
from resources.i18n import compiled_path, install_translator, ts_path


def test_every_visible_string_has_a_chinese_translation(tmp_path: Path) -> None:
    committed = ts_path("zh_CN")
    assert committed.exists(), "resources/i18n/kitchenwatch_zh_CN.ts is missing"
    probe = tmp_path / committed.name
    shutil.copy(committed, probe)
    update_translations.lupdate(probe)  # adds any new string of the code as unfinished
    missing = update_translations.untranslated(probe)
    listing = "\n".join(f"  {ctx}: {src!r}" for ctx, src in missing[:40])
    assert not missing, (f"{len(missing)} strings lack a Chinese translation; run "
                         f"'python resources/update_translations.py' and translate:\n{listing}")


def test_untranslated_entries_are_detected(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><TS version="2.1" language="zh_CN">'
                  "<context><name>C</name><message><source>Hello</source>"
                  '<translation type="unfinished"></translation></message>'
                  "<message><source>Bye</source><translation>再见</translation></message>"
                  "</context></TS>", encoding="utf-8")
    assert update_translations.untranslated(ts) == [("C", "Hello")]


def test_chinese_is_installed_and_english_needs_nothing(qapp, tmp_path: Path) -> None:
    assert compiled_path("zh_CN", tmp_path) is not None
    assert install_translator(qapp, "zh_CN")
    assert "文件" in QCoreApplication.translate("MainWindow", "&File")
    install_translator(qapp, "en")
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_a_translators_list_fills_only_unfinished_messages(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><TS version="2.1" language="zh_CN">'
                  "<context><name>C</name><message><source>Hello</source>"
                  '<translation type="unfinished"></translation></message>'
                  "<message><source>Bye</source><translation>再见</translation></message>"
                  "</context></TS>", encoding="utf-8")
    tsv = tmp_path / "list.tsv"
    tsv.write_text("# from the translator\nC\tHello\t你好\nC\tBye\t拜拜\n", encoding="utf-8")
    assert update_translations.merge(ts, tsv) == 1
    assert update_translations.untranslated(ts) == []
    assert "再见" in ts.read_text(encoding="utf-8")  # a reviewed translation is kept
    tsv.write_text("C\tHello\n", encoding="utf-8")
    try:
        update_translations.merge(ts, tsv)
    except ValueError as error:
        assert "list.tsv:1" in str(error)
    else:
        raise AssertionError("a line without a translation must be refused")
