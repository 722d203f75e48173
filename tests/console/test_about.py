"""Help → About names every version support asks for and what this computer's decoders can
open — on Debian, libVLC without RTSP, which is the first thing to know about a black tile."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from console.diagnostics.about_dialog import PROTOCOL_ORDER, AboutDialog, prober
from console.diagnostics.capabilities import (
    libvlc_plugin_dir,
    libvlc_protocols,
    plugin_name,
    probe_libvlc,
    scan_plugins,
)
from console.shell.main_window import MainWindow
from console.sync.store import LocalStore
from tests.console.fakes import fake_wall

pytestmark = pytest.mark.timeout(60)


def cell(dialog: AboutDialog, protocol: str, engine: str) -> str:
    column = 0 if engine == "ffmpeg" else 1
    return dialog.capabilities.item(PROTOCOL_ORDER.index(protocol), column).text()


def version_rows(dialog: AboutDialog) -> dict[str, str]:
    table = dialog.versions
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def test_plugin_tree_decides_the_protocols(tmp_path: Path) -> None:
    assert plugin_name("libhttp_plugin.so") == "http"
    assert plugin_name("libaccess_realrtsp_plugin.dll") == "access_realrtsp"
    assert plugin_name("plugins.dat") is None
    for category, name in (("access", "libhttp_plugin.so"), ("demux", "libts_plugin.so"),
                           ("access", "liblive555_plugin.so"), ("codec", "libavcodec_plugin.so")):
        (tmp_path / category).mkdir(exist_ok=True)
        (tmp_path / category / name).write_bytes(b"")
    modules = scan_plugins(tmp_path)
    assert modules == {"access": ["http", "live555"], "codec": ["avcodec"], "demux": ["ts"]}
    protocols = libvlc_protocols(modules)
    assert protocols["http-ts"] and protocols["rtsp"] and protocols["h264"]
    assert not protocols["hls"] and not protocols["http-flv"] and not protocols["file"]


def test_about_dialog_shows_versions_and_capabilities(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    rows = version_rows(dialog)
    for name in ("Kitchen Watch", "Qt", "PySide6", "Python"):
        assert rows.get(name), f"{name} missing from {rows}"
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    rows = version_rows(dialog)
    libvlc = probe_libvlc()
    if libvlc.loaded:
        assert rows["libVLC"].startswith("3.")
        plugins = libvlc_plugin_dir(__import__("vlc"))
        has_live555 = any(plugins.glob("access/liblive555_plugin*"))
        assert cell(dialog, "rtsp", "vlc") == ("yes" if has_live555 else "no")
        assert cell(dialog, "http-ts", "vlc") == "yes"
        if not has_live555:
            assert "no RTSP module" in dialog.status.text()
    assert rows["FFmpeg (PyAV)"].startswith("FFmpeg ")
    assert cell(dialog, "rtsp", "ffmpeg") == "yes"  # FFmpeg opens RTSP (and remuxes it for VLC)
    assert cell(dialog, "hls", "ffmpeg") == "yes"
    dialog.copy()
    copied = QGuiApplication.clipboard().text()
    assert "libVLC:" in copied and "can open:" in copied


def test_help_about_opens_the_dialog(qtbot, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "local.db")
    try:
        window = MainWindow(store, {"username": "operator", "role": "operator"}, "4",
                            wall_factory=fake_wall)
        qtbot.addWidget(window)
        about = next(a for a in window.help_menu.actions() if "About" in a.text())
        about.trigger()
        dialog = window.findChild(AboutDialog)
        assert dialog is not None and dialog.isVisible()
        assert prober().result is not None or dialog.status.text()
        qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
        dialog.close()
    finally:
        store.close()
