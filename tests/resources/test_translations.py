"""Every visible string has a Chinese translation, and the translator really switches the UI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
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


def _write_sample(ts: Path) -> None:
    """A .ts with one unfinished message (C/Hello) and one translated one (C/Bye)."""
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><TS version="2.1" language="zh_CN">'
                  "<context><name>C</name><message><source>Hello</source>"
                  '<translation type="unfinished"></translation></message>'
                  "<message><source>Bye</source><translation>再见</translation></message>"
                  "</context></TS>", encoding="utf-8")


def test_untranslated_entries_are_detected(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    _write_sample(ts)
    assert update_translations.untranslated(ts) == [("C", "Hello")]


def test_chinese_is_installed_and_english_needs_nothing(qapp, tmp_path: Path) -> None:
    assert compiled_path("zh_CN", tmp_path) is not None
    assert install_translator(qapp, "zh_CN")
    assert "文件" in QCoreApplication.translate("MainWindow", "&File")
    install_translator(qapp, "en")
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_a_translators_list_fills_only_unfinished_messages(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    _write_sample(ts)
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


def _translate_calls(tree):
    """(call, parameter names of the enclosing function) for QCoreApplication.translate()."""
    import ast

    def visit(node, params):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            params = {a.arg for a in node.args.args + node.args.kwonlyargs}
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "translate" and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "QCoreApplication"):
            yield node, params
        for child in ast.iter_child_nodes(node):
            yield from visit(child, params)

    yield from visit(tree, set())


def test_every_translated_string_is_visible_to_lupdate() -> None:
    """lupdate reads ``QCoreApplication.translate("Context", "text")`` and QT_TRANSLATE_NOOP
    tables. A wrapper such as ``def _tr(text): return translate("X", text)`` hides the strings
    passed to it, and a literal text under a computed context lands in no context: both stay
    English in a Chinese interface without any test noticing."""
    import ast

    root = Path(update_translations.ROOT)
    hidden = []
    for name in update_translations.sources():
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        for call, params in _translate_calls(tree):
            context, source = [*call.args, None, None][:2]
            literal_context = isinstance(context, ast.Constant) and isinstance(context.value, str)
            literal_source = isinstance(source, ast.Constant) and isinstance(source.value, str)
            wrapped = isinstance(source, ast.Name) and source.id in params
            if wrapped or (literal_source and not literal_context):
                hidden.append(f"{name}:{call.lineno}")
    assert not hidden, f"translate() calls lupdate cannot read: {hidden}"


def test_the_lupdate_guard_sees_a_wrapper() -> None:
    import ast

    tree = ast.parse("def _tr(text):\n    return QCoreApplication.translate('X', text)\n")
    (call, params), = list(_translate_calls(tree))
    assert isinstance(call.args[1], ast.Name) and call.args[1].id in params


def test_recompiling_never_rewrites_the_file_a_running_console_has_mapped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several consoles (versions, checkouts) share the user cache's `.qm`; a console maps
    its file, and one rewritten under it crashed it in translate(). A newer `.ts` compiles
    into a new file renamed over the old: whoever holds the old one keeps it intact."""
    import os
    import time

    from resources import i18n

    ts_dir, cache = tmp_path / "ts", tmp_path / "cache"
    ts_dir.mkdir()
    monkeypatch.setattr(i18n, "TS_DIR", ts_dir)
    source = ts_dir / "kitchenwatch_xx.ts"
    _write_sample(source)
    first = i18n.compiled_path("xx", cache)
    assert first is not None
    held = first.open("rb")  # what a running console's QTranslator has mapped
    before = held.read()
    try:
        later = time.time() + 5
        source.write_text(source.read_text(encoding="utf-8").replace("再见", "再见了，朋友们"),
                          encoding="utf-8")
        os.utime(source, (later, later))
        second = i18n.compiled_path("xx", cache)
        assert second is not None and second != first
        held.seek(0)
        assert held.read() == before  # the running console's copy is untouched
        assert second.read_bytes() != before  # the next console gets the new one
        assert os.fstat(held.fileno()).st_ino != second.stat().st_ino
    finally:
        held.close()
    assert not [p.name for p in cache.iterdir() if p.name.startswith(".")]  # no leftovers


def test_two_installations_sharing_the_cache_each_get_their_own_translation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An old and a new version (or two checkouts) share the user cache. Each must load the
    translation of its own `.ts`, even when the other's was compiled later: chosen by date,
    the newer file of the other installation left the new strings in English."""
    import os
    import time

    from resources import i18n

    old_ts, new_ts, cache = tmp_path / "old", tmp_path / "new", tmp_path / "cache"
    for folder in (old_ts, new_ts):
        folder.mkdir()
        _write_sample(folder / "kitchenwatch_xx.ts")
    (new_ts / "kitchenwatch_xx.ts").write_text(
        (new_ts / "kitchenwatch_xx.ts").read_text(encoding="utf-8").replace(
            "再见", "再见了，朋友们"), encoding="utf-8")
    monkeypatch.setattr(i18n, "TS_DIR", new_ts)
    new_qm = i18n.compiled_path("xx", cache)
    later = time.time() + 60  # the old installation starts afterwards and compiles its own
    os.utime(old_ts / "kitchenwatch_xx.ts", (later, later))
    monkeypatch.setattr(i18n, "TS_DIR", old_ts)
    old_qm = i18n.compiled_path("xx", cache)
    monkeypatch.setattr(i18n, "TS_DIR", new_ts)
    again = i18n.compiled_path("xx", cache)
    assert new_qm is not None and old_qm is not None and again is not None
    assert again == new_qm and again != old_qm
    assert again.read_bytes() != old_qm.read_bytes()
