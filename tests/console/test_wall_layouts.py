"""Named walls: saved in the local database, opened again (also after a restart), custom
layouts with merged cells, and the wall the operator left comes back at the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import update

from console.sync.store import LocalStore
from console.walls.layouts import LAST_WALL, Arrangement, LayoutLibrary, LayoutNameError
from db.models import SavedLayout
from resources.i18n import install_translator
from tests.console.conftest import (
    DEMO_PASSWORD,
    run,
    session_for,
    stop_session,
    wait_until,
)
from videowall.layout_editor import LayoutEditor
from videowall.layouts import Cell, layout, merged

pytestmark = pytest.mark.timeout(90)


def test_library_round_trip_names_and_refusals(qloop, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "local.db")
    library = LayoutLibrary(store)
    try:
        custom = merged("custom-9", 4, 3, [Cell(0, 0, 2, 2)])
        arrangement = Arrangement.of(custom, ["c1", None, "c3"] + [None] * (len(custom) - 3))
        run(qloop, library.save("  学校 食堂 ", arrangement))
        run(qloop, library.save(LAST_WALL, Arrangement.of(layout("4"), ["c9"])))
        assert run(qloop, library.names()) == ["学校 食堂"]  # the last wall is not listed
        back = run(qloop, library.load("学校 食堂"))
        assert back == arrangement and back.layout.cells[0] == Cell(0, 0, 2, 2)
        for bad in ("", "   ", "__mine", "x" * 65):
            with pytest.raises(LayoutNameError):
                run(qloop, library.save(bad, arrangement))
        # A row damaged by hand is reported as unusable, not raised into the UI.
        run(qloop, store.run(lambda s: s.execute(update(SavedLayout).values(
            spec={"layout": {"name": "x", "grid": [99, 1]}}))))
        assert run(qloop, library.load("学校 食堂")) is None
        run(qloop, library.delete("学校 食堂"))
        assert run(qloop, library.names()) == []
    finally:
        run(qloop, store.async_close())


def test_the_editor_merges_dragged_units_and_refuses_overlaps(qtbot) -> None:
    editor = LayoutEditor()
    qtbot.addWidget(editor)
    editor.cols_box.setValue(4)
    editor.rows_box.setValue(4)
    editor.canvas.resize(400, 400)
    qtbot.mousePress(editor.canvas, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.mouseMove(editor.canvas, QPoint(290, 190))  # units (0,0) … (2,1)
    qtbot.mouseRelease(editor.canvas, Qt.MouseButton.LeftButton, pos=QPoint(290, 190))
    result = editor.result_layout()
    assert Cell(0, 0, 3, 2) in result.cells and len(result) == 16 - 6 + 1
    assert not editor.merge(Cell(2, 1, 2, 2))  # overlaps the first merge
    assert editor.problem.isVisibleTo(editor) and editor.problem.text()
    editor.split_all()
    assert len(editor.result_layout()) == 16


def test_a_saved_wall_opens_again_and_the_last_wall_survives_a_restart(qloop, qtbot, qcentral,
                                                                       tmp_path) -> None:
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        window = session.window
        wait_until(qloop, lambda: window.forest is not None and window.wall.cells()[0], 20,
                   "the first wall")
        sources = window.forest.sources
        custom = merged("custom-6", 3, 3, [Cell(1, 0, 2, 2)])
        window.set_layout(custom, fill_spare=False)
        window.wall.set_cells({0: sources[10], 1: sources[11], 2: None, 3: sources[12]})
        wanted = [s.camera_id if s else None for s in window.wall.cells()]
        assert run(qloop, session.layouts.save("午餐前专间"))
        assert "午餐前专间" in [a.text() for a in session.layouts.open_menu.actions()]
        window.set_layout("16")
        window.wall.fill(sources[:16])
        assert run(qloop, session.layouts.open_named("午餐前专间"))
        assert window.wall.wall_layout == custom
        assert [s.camera_id if s else None for s in window.wall.cells()] == wanted
        assert not run(qloop, session.layouts.open_named("no such wall"))
    finally:
        stop_session(qloop, session)  # the wall as left (the saved custom one) is kept

    again = session_for(tmp_path)
    assert run(qloop, again.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        window = again.window
        wait_until(qloop, lambda: window.wall.wall_layout == custom, 20, "the last wall back")
        assert [s.camera_id if s else None for s in window.wall.cells()] == wanted
    finally:
        stop_session(qloop, again)

    explicit = session_for(tmp_path, layout="9")  # --layout: start from the tree instead
    assert run(qloop, explicit.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        window = explicit.window
        wait_until(qloop, lambda: window.wall.cells()[0] is not None, 20, "the tree's wall")
        assert window.wall.layout_name == "9"
        assert window.wall.cells()[0].camera_id == window.forest.sources[0].camera_id
    finally:
        stop_session(qloop, explicit)


def test_a_refused_name_says_why_in_the_interface_language(qloop, qtbot, qcentral, tmp_path,
                                                           monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *a, **k: shown.append(text))
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    assert install_translator(QApplication.instance(), "zh_CN")
    try:
        assert not run(qloop, session.layouts.save("__x"))
        assert not run(qloop, session.layouts.save("   "))
        assert "保留" in shown[0] and "为空" in shown[1]
        assert session.layouts.saved_names == []
    finally:
        install_translator(QApplication.instance(), "en")
        stop_session(qloop, session)
