"""How much memory the console's alarm path keeps per alarm nobody acknowledges.

A control room overnight: storms of alarms arrive and nobody is at the keyboard. Whatever the
console keeps per live alarm (list rows, entries, panels, sounds, wall marks, caches keyed by
alarm id) grows with every storm; the soak's ``rss_mb_per_hour`` target for the console (≤ 2)
leaves no room for that.

This drives the real alarm path of one console in this process: the real
:class:`console.alarms.centre.AlarmCentre` (alarm list, counters, popup scheduler, panels,
sounds, wall marks) on a real main window, the real local store (an SQLite file) and the real
change application (:meth:`console.sync.store.LocalStore.apply_changes`, then the same
``entities_changed`` / ``alarm_received`` calls the sync coordinator makes). The feed pages
stand in for central's WebSocket (the storm's payloads are what central sends); the wall is
a recording stand-in, since decoders are not what is measured.

Each storm brings ``--per-storm`` new alarms (distinct devices and types, so none aggregates)
plus repeats of earlier ones; ``--handled`` of the storm's alarms are acknowledged and later
closed, the rest stay open. After ``--warmup`` storms it measures, per 1,000 further alarms:
Python heap (tracemalloc), Qt widgets and the centre's QObject children, list rows, panels,
RSS; and the lines whose allocations grew most.

Human-readable lines first; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false;qt.multimedia.*=false")

AI_TYPES = ("no_mask", "smoking", "no_chef_hat", "no_gloves", "phone_use", "no_work_clothes",
            "uncovered_bin")
SOAK_DETECTIONS_PER_HOUR = 20 * 5 * 20  # bench/soak.py: 20/s for 5 s every 3 min


def rss_mb() -> float:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dev dependency
        return 0.0
    return psutil.Process().memory_info().rss / 2**20


@dataclass
class Feed:
    """Central's side of the storm: alarm payloads as the change feed carries them."""

    districts: int = 4
    businesses: int = 200
    cameras_per_business: int = 2
    seq: int = 0
    n: int = 0
    keep: int = 2000  # payloads kept for later updates (the newest): central's memory, not ours
    alarms: dict[str, dict[str, Any]] = field(default_factory=dict)
    _template: dict[str, Any] | None = None

    def registry(self) -> list[dict[str, Any]]:
        from db.models import Business, Camera, District
        from db.serialize import to_payload

        out: list[dict[str, Any]] = []
        for d in range(self.districts):
            out.append(self._change("district", to_payload(District(
                id=f"d{d}", name=f"District {d}", name_en="", version=1))))
        for b in range(self.businesses):
            out.append(self._change("business", to_payload(Business(
                id=f"b{b}", district_id=f"d{b % self.districts}", grid_id=None,
                name=f"Kitchen {b}", category="restaurant", address="", licence_no=f"L{b}",
                licence_expiry=None, official_name="", official_phone="", contact_name="",
                contact_phone="", credit_code="", director_name="", director_phone="",
                version=1))))
            for c in range(self.cameras_per_business):
                out.append(self._change("camera", to_payload(Camera(
                    id=f"c{b}-{c}", business_id=f"b{b}", district_id=f"d{b % self.districts}",
                    name=f"Camera {c}", location="", main_url="", sub_url="", online=True,
                    health="unknown", gb_code="", playback_url="", public=False,
                    version=1))))
        return out

    def _change(self, entity: str, payload: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        return {"seq": self.seq, "entity": entity, "id": payload["id"], "payload": payload}

    def new_alarm(self, now: datetime) -> dict[str, Any]:
        """A new alarm on a device and type not seen before (none aggregates)."""
        if self._template is None:
            from sqlalchemy.sql.schema import ScalarElementColumnDefault

            from db.models import Alarm, AlarmState
            from db.serialize import to_payload

            self._template = to_payload(Alarm(
                id="", kind="ai_violation", subtype="", severity=3, state=AlarmState.OPEN,
                district_id="", business_id="", camera_id=None, sensor_id=None,
                condition_key="", count=1, message="", value=None, threshold=None,
                evidence_url="", evidence_box=None, opened_at=now, last_seen_at=now,
                cleared_at=None, acked_at=None, acked_by="", closed_at=None,
                dismiss_reason="", task_id=None, version=1))
            # Columns added later (e.g. evidence_clip_url) with their defaults, as central
            # sends them: an ORM object applies defaults only when it is inserted.
            for column in Alarm.__table__.columns:
                default = column.default
                if (self._template.get(column.name) is None and not column.nullable
                        and isinstance(default, ScalarElementColumnDefault)):
                    self._template[column.name] = default.arg
        self.n += 1
        b = self.n % self.businesses
        camera = f"c{b}-{(self.n // self.businesses) % self.cameras_per_business}"
        kind = AI_TYPES[self.n % len(AI_TYPES)]
        payload = dict(self._template)
        payload.update(id=f"a{self.n:07d}", subtype=kind, district_id=f"d{b % self.districts}",
                       business_id=f"b{b}", camera_id=camera,
                       condition_key=f"ai:{kind}:{camera}:{self.n}", message=f"{kind} seen",
                       opened_at=now.isoformat(), last_seen_at=now.isoformat())
        self.alarms[payload["id"]] = payload
        while len(self.alarms) > self.keep:
            del self.alarms[next(iter(self.alarms))]
        return self._change("alarm", dict(payload))

    def update(self, alarm_id: str, now: datetime, **changes: Any) -> dict[str, Any]:
        payload = self.alarms[alarm_id]
        payload.update(changes)
        payload["version"] = int(payload["version"]) + 1
        payload["last_seen_at"] = now.isoformat()
        if payload["state"] in ("closed", "dismissed"):
            del self.alarms[alarm_id]
        return self._change("alarm", dict(payload))


class Probe:
    """One console's alarm path, fed like the sync coordinator feeds it."""

    def __init__(self, work: Path, max_visible_popups: int = 3) -> None:
        self.work = work
        self.max_visible_popups = max_visible_popups

    async def start(self) -> None:
        from PySide6.QtWidgets import QApplication, QMainWindow

        # Closing the last panel must not end the loop that runs the probe.
        self._quit_on_close = QApplication.quitOnLastWindowClosed()
        QApplication.setQuitOnLastWindowClosed(False)

        from console.alarms.centre import AlarmCentre
        from console.sync.client import ApiClient
        from console.sync.store import LocalStore

        self.store = await LocalStore.async_open(self.work / "cache.db")
        self.window = QMainWindow()
        self.wall = StandInWall()
        self.window.setCentralWidget(self.wall)
        # Nothing listens on port 9: the panels' extras fail fast and the cache is shown.
        self.client = ApiClient("http://127.0.0.1:9")
        self.centre = AlarmCentre(self.window, self.wall, self.store, self.client,
                                  {"username": "operator", "role": "operator"}, lambda: None,
                                  popup_interval_s=0.0,
                                  max_visible_popups=self.max_visible_popups,
                                  sound_dir=self.work / "sounds",
                                  wall_factory=lambda _layout, _parent: StandInWall())

    async def feed(self, changes: list[dict[str, Any]]) -> None:
        """As the coordinator's ``_on_live``: apply, then tell the views."""
        page = await self.store.apply_changes(changes)
        self.centre.on_entities_changed(page.touched)
        for alarm in page.alarms:
            self.centre.on_alarm_received(alarm)

    async def settle(self) -> None:
        """Until the live batch, the reloads and the counters are done."""
        centre = self.centre
        for _ in range(2):
            await asyncio.sleep(0.05)
            deadline = time.monotonic() + 120
            while (centre._live_timer.isActive() or centre._reloader.running
                   or centre._counts_timer.isActive()):
                if time.monotonic() > deadline:
                    raise TimeoutError("the alarm centre did not settle")
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.35)  # the history and counts timers

    async def stop(self) -> None:
        self.centre.shutdown()
        await self.client.close()
        await self.store.async_close()
        self.window.close()
        self.window.deleteLater()
        from PySide6.QtWidgets import QApplication

        QApplication.setQuitOnLastWindowClosed(self._quit_on_close)


def _stand_in_wall_class() -> type:
    from PySide6.QtWidgets import QWidget

    class Wall(QWidget):
        """Records the marks and tiles the centre asks for; no decoders."""

        def __init__(self, _layout: str = "16") -> None:
            super().__init__()
            self._cells: list[Any] = [None] * 16
            self.alarms: set[str] = set()
            self.engine = None  # decodes nothing: the panels get stand-ins too

        def cells(self) -> list[Any]:
            return list(self._cells)

        def set_cell(self, index: int, source: Any) -> None:
            self._cells[index] = source

        def set_alarm(self, camera_id: str, on: bool) -> None:
            (self.alarms.add if on else self.alarms.discard)(camera_id)

        def fill(self, sources: list[Any]) -> None:
            self._cells[:len(sources)] = sources

        def shutdown(self) -> None:
            pass

    return Wall


def StandInWall() -> Any:
    return _stand_in_wall_class()()


def console_heap_mb() -> float | None:
    """Traced Python heap without the feed's own allocations (it is central's side)."""
    if not tracemalloc.is_tracing():
        return None
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, __file__, all_frames=True),
         tracemalloc.Filter(False, tracemalloc.__file__)])
    return sum(stat.size for stat in snap.statistics("filename")) / 2**20


def counts(probe: Probe) -> dict[str, Any]:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    centre = probe.centre
    model = centre.list.model
    return {
        "widgets": len(QApplication.allWidgets()),
        "centre_qobjects": len(centre.findChildren(QObject)),
        "list_alarms": len(model.groups),
        "list_rows": model.rowCount(),
        "panels": len(centre.panels),
        "popups_waiting": centre.scheduler.waiting(),
        "wall_marks": len(getattr(centre, "marks", getattr(centre, "_flashing", ()))),
        "open_shown": centre.counters.counts().get("open", 0),
    }


async def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    feed = Feed(keep=2 * args.per_storm + args.repeats)
    probe = Probe(work)
    await probe.start()
    try:
        await probe.feed(feed.registry())
        await probe.settle()
        if args.trace:  # from the start: what the warm-up allocated is traced too
            tracemalloc.start(8)
        rng_handled = max(0, min(args.per_storm, round(args.per_storm * args.handled)))
        handled_prev: list[str] = []
        samples: list[dict[str, Any]] = []
        snap0 = None
        t0 = time.perf_counter()
        for storm in range(args.storms):
            now = datetime.now(UTC)
            changes = [feed.new_alarm(now) for _ in range(args.per_storm)]
            new_ids = [c["id"] for c in changes]
            # Repeats of the newest open alarms (count + 1 each).
            for alarm_id in list(feed.alarms)[-args.repeats:] if args.repeats else []:
                changes.append(feed.update(alarm_id, now,
                                           count=int(feed.alarms[alarm_id]["count"]) + 1))
            # Last storm's handled alarms are closed; this storm's are acknowledged.
            for alarm_id in handled_prev:
                changes.append(feed.update(alarm_id, now, state="closed",
                                           closed_at=now.isoformat()))
            handled_prev = new_ids[:rng_handled]
            for alarm_id in handled_prev:
                changes.append(feed.update(alarm_id, now, state="acknowledged",
                                           acked_at=now.isoformat(), acked_by="operator"))
            for i in range(0, len(changes), args.page):
                await probe.feed(changes[i:i + args.page])
                await asyncio.sleep(0)
            await probe.settle()
            gc.collect()
            if storm + 1 == args.warmup and args.trace:
                snap0 = tracemalloc.take_snapshot()
            sample = {"storm": storm + 1, "alarms": feed.n, "heap_mb": console_heap_mb(),
                      "rss_mb": round(rss_mb(), 1), **counts(probe)}
            samples.append(sample)
            print(f"storm {storm + 1:3d}: {feed.n:6d} alarms, rss {sample['rss_mb']:7.1f} MB, "
                  f"heap {sample['heap_mb'] or 0:7.2f} MB, widgets {sample['widgets']}, "
                  f"qobjects {sample['centre_qobjects']}, list {sample['list_alarms']} alarms "
                  f"/ {sample['list_rows']} rows, panels {sample['panels']}, open shown "
                  f"{sample['open_shown']}", flush=True)
        elapsed = time.perf_counter() - t0
        top: list[str] = []
        if snap0 is not None:
            # The feed (central's side, in this process) is not the console's memory.
            mine = [tracemalloc.Filter(False, __file__, all_frames=True),
                    tracemalloc.Filter(False, tracemalloc.__file__)]
            snap1 = tracemalloc.take_snapshot().filter_traces(mine)
            snap0 = snap0.filter_traces(mine)
            for stat in snap1.compare_to(snap0, "lineno")[:args.top]:
                frame = stat.traceback[0]
                top.append(f"{stat.size_diff / 1024:+.0f} KiB {stat.count_diff:+d} blocks "
                           f"{Path(frame.filename).name}:{frame.lineno}")
            tracemalloc.stop()
        first = samples[args.warmup - 1]
        last = samples[-1]
        per_k = (last["alarms"] - first["alarms"]) / 1000 or 1.0

        def slope(key: str) -> float:
            return round((last[key] - first[key]) / per_k, 3)

        heap_per_k = (round((last["heap_mb"] - first["heap_mb"]) / per_k, 3)
                      if args.trace else None)
        rss_per_k = slope("rss_mb")
        return {
            "alarms": feed.n, "storms": args.storms, "warmup_storms": args.warmup,
            "seconds": round(elapsed, 1),
            "heap_mb_per_1000_alarms": heap_per_k,
            "rss_mb_per_1000_alarms": rss_per_k,
            "widgets_per_1000_alarms": slope("widgets"),
            "centre_qobjects_per_1000_alarms": slope("centre_qobjects"),
            "list_rows_per_1000_alarms": slope("list_rows"),
            # bench/soak.py's storms bring 2,000 detections an hour; were each a new alarm:
            "projected_rss_mb_per_hour_at_soak_rate": round(
                rss_per_k * SOAK_DETECTIONS_PER_HOUR / 1000, 2),
            "final": {k: v for k, v in last.items() if k not in ("storm",)},
            "top_growth": top,
        }
    finally:
        await probe.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--storms", type=int, default=20)
    parser.add_argument("--per-storm", type=int, default=1000, help="new alarms per storm")
    parser.add_argument("--repeats", type=int, default=200,
                        help="repeats of open alarms per storm")
    parser.add_argument("--handled", type=float, default=0.1,
                        help="share of each storm's alarms acknowledged, then closed")
    parser.add_argument("--warmup", type=int, default=5, help="storms before measuring")
    parser.add_argument("--page", type=int, default=200, help="feed rows per live page")
    parser.add_argument("--top", type=int, default=15, help="lines of top growth shown")
    parser.add_argument("--no-trace", dest="trace", action="store_false",
                        help="no tracemalloc (its own bookkeeping inflates the RSS figure)")
    args = parser.parse_args(argv)
    if not 1 <= args.warmup < args.storms:
        parser.error("--warmup must be at least 1 and below --storms")

    import qasync
    from PySide6.QtWidgets import QApplication

    with tempfile.TemporaryDirectory(prefix="kw-bench-alarm-heap-") as tmp:
        work = Path(tmp)
        for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            os.environ[var] = str(work / var.lower())  # never the operator's own settings
        app = QApplication.instance() or QApplication(["bench-alarm-heap"])
        app.setOrganizationName("kitchenwatch-bench")
        app.setApplicationName("alarm-heap")
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            result = loop.run_until_complete(run(args, work))
    for line in result.pop("top_growth"):
        print("  grew:", line)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
