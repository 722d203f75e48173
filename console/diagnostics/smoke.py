"""``kitchenwatch --smoke``: prove an installation works, without a server or a screen.

Starts Qt offscreen, opens the main window on an empty local database in a temporary
directory (the registry reload runs through the store's threads on the qasync loop), encodes a
two-second clip with the bundled FFmpeg and plays it on a real wall tile — which starts decode
worker processes the way the console does, so a bundle that cannot start its workers fails
here — then on a wall of the other decoder (libVLC and FFmpeg both), probes libVLC and the
translations, closes everything and exits 0. Prints one JSON object with
what it found and how long each step took; exits 1 naming the step that failed.

Made for ``installer/smoke.sh`` against the built bundle, and for the test suite from source.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from console.diagnostics.logs import setup_logging

log = logging.getLogger("kitchenwatch.console.diagnostics.smoke")
STEP_TIMEOUT_S = 45.0


class SmokeFailure(RuntimeError):
    pass


def make_clip(path: Path, seconds: float = 2.0, fps: int = 10) -> Path:
    """A small MPEG-4 clip in MPEG-TS (the codec every FFmpeg build has)."""
    import av  # inside the check: a bundle without FFmpeg fails this step, in the report
    import numpy as np

    with av.open(str(path), "w", format="mpegts") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for i in range(int(seconds * fps)):
            image = np.zeros((96, 160, 3), dtype=np.uint8)
            image[:, : (i * 8) % 160 + 8] = (40, 160, 220)  # a moving bar: not frozen, not black
            image[40:56, :, 1] = 255 - i * 4
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


async def _until(condition: Any, timeout: float, what: str) -> Any:
    loop = asyncio.get_event_loop()
    deadline = loop.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if loop.time() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.05)


def run_smoke(log_level: str = "WARNING") -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    steps: dict[str, float] = {}
    result: dict[str, Any] = {"ok": False}

    def step(name: str, since: float) -> float:
        now = time.monotonic()
        steps[name] = round(now - since, 3)
        return now

    with tempfile.TemporaryDirectory(prefix="kitchenwatch-smoke-") as tmp:
        data = Path(tmp)
        setup_logging(data, log_level, to_stderr=True)
        try:
            result.update(_run(data, step, started))
            result["ok"] = True
        except Exception as exc:
            log.exception("smoke test failed")
            result["error"] = f"{type(exc).__name__}: {exc}"
        result["steps_s"] = steps
        result["seconds"] = round(time.monotonic() - started, 3)
        logging.shutdown()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["ok"] else 1


def _run(data: Path, step: Any, t: float) -> dict[str, Any]:
    # Imported inside the check: a bundle missing a library (a Qt plugin, libVLC) fails this
    # step and the JSON report says so, instead of the process dying before it prints.
    from PySide6.QtWidgets import QApplication
    from qasync import QEventLoop

    from console import __version__
    from console.diagnostics.capabilities import probe_libvlc, versions
    from console.shell.i18n import install_language
    from console.shell.main_window import MainWindow
    from console.sync.store import LocalStore
    from videowall import StreamState, TileSource, VideoWall, WallEngine
    from videowall.wire import BACKENDS

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kitchen Watch")
    app.setOrganizationName("kitchenwatch")
    from widgets.theme import application_font  # (see the top of _run)

    app.setFont(application_font(app.font()))  # as the console does: the per-platform CJK font
    translated = install_language(app, "zh_CN")
    t = step("qt", t)
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    store = LocalStore(data / "local.db")
    window: MainWindow | None = None
    from domain.geo import load_boundaries  # the map's district boundaries (package data)
    from domain.passwords import common_passwords
    from ledger.template import Places, template_bytes  # openpyxl: the console writes ledgers

    template = template_bytes(Places(districts=["东胜区"], streets=["交通街道"]))
    out: dict[str, Any] = {"version": __version__, "versions": versions(),
                           "zh_CN_translation": translated,
                           "qpa": QApplication.platformName(),
                           # the login's password policy needs its word lists (package data)
                           "common_passwords": len(common_passwords()),
                           "ledger_template_bytes": len(template),
                           "map_districts": len(load_boundaries())}
    try:
        window = MainWindow(store, {"username": "smoke", "role": "operator",
                                    "display_name": "smoke test"}, "4")
        window.show()
        t = step("window", t)
        loaded: list[int] = []
        window.registry_loaded.connect(loaded.append)
        window.schedule_reload()
        loop.run_until_complete(_until(lambda: loaded, STEP_TIMEOUT_S, "the registry reload"))
        out["cameras"] = loaded[0]
        t = step("empty_store_reload", t)
        clip = make_clip(data / "smoke.ts")
        t = step("encode_clip", t)
        source = TileSource("smoke", "smoke", sub_url=clip.as_uri())
        wall = window.wall
        if not isinstance(wall, VideoWall):  # the smoke test proves the real wall decodes
            raise SmokeFailure(f"the main window has no video wall but a {type(wall).__name__}")

        def play(on: VideoWall) -> None:
            on.set_cell(0, source)
            tile = on.tiles()[0]

            def playing() -> bool:
                if tile.status.state == StreamState.OFFLINE:
                    raise SmokeFailure(f"the {on.engine.backend} wall could not play the clip: "
                                       f"{tile.state_text()}")
                return tile.status.state == StreamState.PLAYING

            loop.run_until_complete(_until(playing, STEP_TIMEOUT_S,
                                           f"a {on.engine.backend} wall tile to play the clip"))

        play(wall)
        out["wall"] = {"backend": wall.engine.backend, "workers": len(wall.engine.pids()) - 1}
        t = step("wall_plays_clip", t)
        other_backend = next(b for b in BACKENDS if b != wall.engine.backend)
        other = VideoWall("1", None, engine=WallEngine(backend=other_backend, workers=1))
        try:
            other.resize(320, 180)
            other.show()
            play(other)
            out["wall"]["also_plays_on"] = other_backend
        finally:
            other.shutdown()
            other.engine.shutdown()
            other.deleteLater()
        t = step("other_decoder_plays_clip", t)
        libvlc = probe_libvlc()
        out["libvlc"] = libvlc.to_dict()
        t = step("libvlc_probe", t)
    finally:
        if window is not None:
            window.close()  # stops the wall's decode workers
        store.close()
        app.processEvents()
        loop.close()
        asyncio.set_event_loop(None)
    step("shutdown", t)
    return out
