"""The console side of bench/playback.py: the real alarm panel and playback window (offscreen),
against a running central whose recorder has recorded the alarm's camera.

    python -m bench.playback_console --central URL --alarm ID [--seeks 20]

Prints one JSON line: ``alarm_clip_first_frame_s`` (the panel opened → Playback clicked → the
first picture of the clip painted) and ``seek_ms_p95`` (a seek on the timeline → a picture of
the new instant painted, i.e. a picture whose time is within 2 s of the target), with the load
average at each figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "kw-demo-2026"


async def _until(condition: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.005)
    return None


async def run(central: str, alarm_id: str, seeks: int, work: Path) -> dict[str, Any]:
    from PySide6.QtWidgets import QWidget

    from console.alarms.panels import PanelManager
    from console.playback.ledger import ExportLedger
    from console.playback.opener import PlaybackOpener
    from console.playback.window import PlaybackWindow
    from console.sync.client import ApiClient
    from console.sync.puller import Puller
    from console.sync.store import LocalStore

    class Still(QWidget):
        def shutdown(self) -> None:
            pass

    store = LocalStore(work / "local.db")
    client = ApiClient(central)
    await client.login("operator", PASSWORD)
    await Puller(client, store).pull()
    opener = PlaybackOpener(store, client, "operator", ledger=ExportLedger(work / "c.json"))
    panels = PanelManager(store, client, {"username": "operator", "role": "operator"},
                          lambda _a: None, lambda _l, _s, parent: cast(Any, Still(parent)),
                          read_only=False)
    windows: list[PlaybackWindow | None] = []
    panels.playback_requested.connect(
        lambda a: asyncio.ensure_future(opener.for_alarm(a)).add_done_callback(
            lambda f: windows.append(f.result())))
    result: dict[str, Any] = {}
    started = time.monotonic()
    panels.open(alarm_id)
    panel = await _until(lambda: panels.panel(alarm_id), 30)
    if panel is None:
        return {"error": "the alarm panel did not open"}
    panel.playback_button.click()
    window = await _until(lambda: windows and windows[0], 30)
    pane = window.panes[0] if window else None
    if pane is None or not await _until(lambda: pane.picture is not None, 30):
        return {"error": "no picture from the alarm's clip"}
    result["alarm_clip_first_frame_s"] = round(time.monotonic() - started, 3)
    result["load_average_alarm_clip"] = [round(x, 2) for x in os.getloadavg()]

    ranges = window.tracks[0].ranges
    if not ranges:
        return {**result, "error": "no recorded range"}
    span = max(ranges, key=lambda r: r.seconds)
    rng = random.Random(16)
    times: list[float] = []
    for _ in range(seeks):
        target = span.start + timedelta(seconds=rng.uniform(1, max(span.seconds - 3, 1.5)))
        t0 = time.monotonic()
        window.seek(target)

        def there(target: Any = target, t0: float = t0) -> bool:
            # a picture of the new address (opened after the seek), near the target
            at = pane.vlc.at()
            return (pane.vlc.opened_at >= t0 and pane.picture is not None and at is not None
                    and abs((at - target).total_seconds()) <= 2.0)

        if await _until(there, 10):
            times.append((time.monotonic() - t0) * 1000)
        await asyncio.sleep(0.3)
    times.sort()
    result["seeks"] = len(times)
    result["seeks_failed"] = seeks - len(times)
    if times:
        result["seek_ms_p50"] = round(times[len(times) // 2], 1)
        result["seek_ms_p95"] = round(times[min(len(times) - 1, int(len(times) * 0.95))], 1)
    result["load_average_seek"] = [round(x, 2) for x in os.getloadavg()]
    window.close()
    panels.close_all()
    await client.close()
    store.close()
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--central", required=True)
    p.add_argument("--alarm", required=True)
    p.add_argument("--seeks", type=int, default=20)
    args = p.parse_args(argv)
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing the panel must not end the loop
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="bench-pb-console-") as tmp, loop:
        result = loop.run_until_complete(run(args.central, args.alarm, args.seeks, Path(tmp)))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
