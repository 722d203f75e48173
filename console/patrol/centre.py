"""Online patrol (网络巡查) in the console: plans from the local cache, the wall on one business
at a time, verdicts recorded through the outbox, plan editing.

How an operator patrols: pick a plan in the Patrol panel (its queue lists the plan's
businesses, most overdue first, and its coverage this period), press *Start patrol*. The wall
switches to a layout that shows every camera of the first business at once; the panel shows
its card and a stopwatch. *Compliant* or *Problem found* (a note is required; a task can be
dispatched on the spot) records the look and moves on to the next business; *Skip* moves on
without a verdict and leaves an audit trace. *Stop patrol* puts the wall back as it was.

Every verdict becomes one ``patrol.record`` action (who, when, how long, verdict, note,
snapshot link) written with its local effect in one transaction, so coverage updates at once
and the record survives a crash or a missing server; the sync engine delivers it exactly once.
The snapshot is taken from the wall at the moment of the verdict and queued for upload in a
:class:`~console.media.spool.MediaSpool`: its link is known before the upload (central names
images by their hash), so an offline patrol loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QMenu

from console.media.spool import MediaSpool
from console.patrol import effects
from console.patrol.dispatch import PatrolDispatch
from console.patrol.queries import (
    BusinessLook,
    read_business,
    read_coverages,
    read_plan_choices,
)
from console.patrol.snapshots import capture
from console.patrol.wall_link import PatrolWall
from console.shell.aio import Coalescer, spawn
from console.sync.client import ApiClient
from console.sync.state import ConnectionState, ConnectionStatus
from console.sync.store import LocalStore
from console.walls.sources import camera_source
from domain.clock import utcnow
from domain.ids import new_id
from domain.roles import Role
from videowall.interfaces import WallView
from videowall.source import TileSource
from widgets.models.patrol import PatrolPlanSpec, PlanCoverage
from widgets.models.rows import BusinessCard
from widgets.patrol_panel import COMPLIANT, PatrolPanel
from widgets.patrol_plan_dialog import PatrolPlanDialog

if TYPE_CHECKING:
    from console.shell.main_window import MainWindow

log = logging.getLogger("kitchenwatch.console.patrol.centre")

PATROL_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT})
PATROL_ENTITIES = frozenset({"patrol_plan", "patrol_record", "business", "grid", "camera"})
SNAPSHOT_TIMEOUT_S = 6.0
UPLOAD_RETRY_MS = 30_000


@dataclass
class PatrolRun:
    """One patrol in progress."""

    plan_id: str
    saved_layout: str
    saved_cells: list[TileSource | None]
    visited: set[str] = field(default_factory=set)
    business: dict[str, Any] | None = None
    grid: dict[str, Any] | None = None
    district_name: str = ""
    cameras: list[TileSource] = field(default_factory=list)
    started_at: datetime | None = None
    recorded: int = 0


class PatrolCentre(QObject):
    """The patrol panel (a dock), its menu, and the actions it records."""

    recorded = Signal(dict)  # the patrol record payload, once it is in the outbox
    run_finished = Signal(int)  # businesses recorded in the run

    def __init__(self, window: QMainWindow, wall: WallView, store: LocalStore,
                 client: ApiClient, user: dict[str, Any], notify_outbox: Callable[[], None], *,
                 spool_dir: Path, clock: Callable[[], datetime] = utcnow,
                 help_menu: QMenu | None = None) -> None:
        """``help_menu``: the "Patrol" menu goes before it (else last)."""
        super().__init__(window)
        self.window = window
        self.wall = PatrolWall(wall, snapshot_timeout_s=SNAPSHOT_TIMEOUT_S)
        self.store = store
        self.client = client
        self.user = user
        self.notify_outbox = notify_outbox
        self.clock = clock
        self.role = str(user.get("role") or "")
        self.can_edit = self.role in PATROL_ROLES
        self.spool = MediaSpool(spool_dir, client)
        self.panel = PatrolPanel(clock=clock)
        self.panel.set_can_edit(self.can_edit)
        self.dock = QDockWidget(self.tr("Patrol"), window)
        self.dock.setObjectName("patrol")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.menu = self._build_menu(window, help_menu)
        self.plans: dict[str, PatrolPlanSpec] = {}
        self.coverage: dict[str, PlanCoverage] = {}
        self.run: PatrolRun | None = None
        self._plan_id: str | None = None
        self.dispatcher = PatrolDispatch(store, client, user, window)
        self._reloader = Coalescer(lambda: self.reload(), "patrol-reload")
        self._dialogs: list[QDialog] = []
        self._saving = False
        self._upload_timer = QTimer(self)
        self._upload_timer.setInterval(UPLOAD_RETRY_MS)
        self._upload_timer.timeout.connect(self.upload_pending)
        self._upload_timer.start()
        p = self.panel
        p.plan_selected.connect(self.select_plan)
        p.start_requested.connect(self.start)
        p.stop_requested.connect(self.stop)
        p.business_chosen.connect(self.look_at)
        p.verdict_given.connect(self.give_verdict)
        p.skip_requested.connect(self.skip)
        p.new_plan_requested.connect(lambda: self.edit_plan(None))
        p.edit_plan_requested.connect(self.edit_plan)

    def _build_menu(self, window: QMainWindow, help_menu: QMenu | None) -> QMenu:
        menu = QMenu(self.tr("&Patrol"), window)
        show = self.dock.toggleViewAction()
        show.setText(self.tr("Online patrol panel"))
        menu.addAction(show)
        menu.addAction(self.tr("Start patrol"), self._start_from_menu)
        if self.can_edit:
            menu.addSeparator()
            menu.addAction(self.tr("New patrol plan…"), lambda: self.edit_plan(None))
        bar = window.menuBar()
        if help_menu is not None:
            bar.insertMenu(help_menu.menuAction(), menu)
        else:
            bar.addMenu(menu)
        return menu

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def shutdown(self) -> None:
        """Stop the upload timer (it must not outlive the session's loop)."""
        self._upload_timer.stop()

    # -- data ------------------------------------------------------------------------------------
    def on_entities_changed(self, names: set[str] | frozenset[str]) -> None:
        if PATROL_ENTITIES & set(names):
            self.schedule_reload()

    def schedule_reload(self) -> None:
        self._reloader.request()

    async def reload(self) -> None:
        """Plans and their coverage from the local cache (records made offline included)."""
        now = self.clock()
        coverages: list[PlanCoverage] = await self.store.read(
            lambda s: read_coverages(s, now))
        self.plans = {c.plan.id: c.plan for c in coverages}
        self.coverage = {c.plan.id: c for c in coverages}
        if self._plan_id not in self.coverage:
            self._plan_id = coverages[0].plan.id if coverages else None
        self.panel.set_plans(coverages, self._plan_id)
        self.panel.set_coverage(self.coverage.get(self._plan_id) if self._plan_id else None)

    def select_plan(self, plan_id: str) -> None:
        if self.run is not None:
            return  # the panel locks the choice during a patrol
        self._plan_id = plan_id
        self.panel.set_coverage(self.coverage.get(plan_id))

    # -- the patrol ------------------------------------------------------------------------------
    def _start_from_menu(self) -> None:
        self.show_panel()
        self.start()

    def start(self, first: str | None = None) -> bool:
        """Start patrolling the chosen plan (at ``first``, or the most overdue business)."""
        if self.run is not None:
            return False
        coverage = self.coverage.get(self._plan_id or "")
        if coverage is None or not coverage.total:
            self.panel.show_message(self.tr("Choose a plan with businesses to patrol first."),
                                    error=True)
            return False
        self.run = PatrolRun(coverage.plan.id, *self.wall.saved())
        self.panel.set_patrolling(True)
        self.panel.show_message("")
        log.info("patrol of plan %s started by %s (%d businesses)", coverage.plan.id,
                 self.user.get("username", ""), coverage.total)
        if first is not None:
            self.look_at(first)
        else:
            self._advance()
        return True

    def stop(self) -> None:
        """End the patrol and give the wall back its previous layout and cameras."""
        run, self.run = self.run, None
        if run is None:
            return
        self.wall.restore(run.saved_layout, run.saved_cells)
        self.panel.set_busy(False)
        self.panel.set_patrolling(False)
        self.panel.set_current(None)
        self.panel.show_message(self.tr("Patrol ended: %1 businesses recorded.").replace(
            "%1", str(run.recorded)))
        log.info("patrol of plan %s ended: %d recorded", run.plan_id, run.recorded)
        self.run_finished.emit(run.recorded)

    def look_at(self, business_id: str) -> None:
        """Show ``business_id`` now (the queue's double-click, the tree's "patrol this")."""
        if self.run is None:
            coverage = self.coverage.get(self._plan_id or "")
            if coverage is not None and business_id in coverage.by_id:
                self.start(first=business_id)
            else:
                self.panel.show_message(self.tr("That business is not in the chosen plan."),
                                        error=True)
            return
        current = self.run.business
        if current is not None and current["id"] != business_id:
            self._record_skip(self.run, "switched to another business")
        spawn(self._show(business_id), name="patrol-show")

    def _advance(self) -> None:
        run = self.run
        if run is None:
            return
        coverage = self.coverage.get(run.plan_id)
        entries = coverage.entries if coverage is not None else ()
        nxt = next((e for e in entries if e.business_id not in run.visited), None)
        if nxt is None:
            total = len(run.visited)
            self.stop()
            self.panel.show_message(self.tr("Patrol finished: every business of the plan was "
                                            "looked at (%1 recorded, %2 skipped).")
                                    .replace("%1", str(run.recorded))
                                    .replace("%2", str(total - run.recorded)))
            return
        spawn(self._show(nxt.business_id), name="patrol-show")

    async def _show(self, business_id: str) -> None:
        loaded: BusinessLook | None = await self.store.read(
            lambda s: read_business(s, business_id))
        run = self.run
        if run is None:
            self.panel.set_busy(False)
            return
        if loaded is None:
            run.visited.add(business_id)
            self.panel.show_message(self.tr("Business %1 is no longer in the registry; "
                                            "skipped.").replace("%1", business_id), error=True)
            self._advance()
            return
        biz, grid, district_name = loaded.business, loaded.grid, loaded.district_name
        sources = [camera_source(c, biz["name"]) for c in loaded.cameras]
        self.wall.show(sources)
        run.business, run.grid, run.district_name, run.cameras = biz, grid, district_name, sources
        run.started_at = self.clock()
        coverage = self.coverage.get(run.plan_id)
        card = BusinessCard.from_payload(biz, grid=grid, district_name=district_name,
                                         street_name=loaded.street_name,
                                         previous_alarms=loaded.alarms,
                                         open_tasks=loaded.open_tasks)
        self.panel.set_busy(False)
        self.panel.set_current(card, started_at=run.started_at, position=len(run.visited) + 1,
                               total=coverage.total if coverage else 0, cameras=len(sources))

    # -- verdicts --------------------------------------------------------------------------------
    def give_verdict(self, verdict: str, note: str, dispatch: bool) -> None:
        """The panel's verdict: one at a time; the buttons wait until the next business."""
        if self._saving or self.run is None or self.run.business is None:
            return
        self._saving = True
        self.panel.set_busy(True, self.tr("Saving the verdict…"))
        spawn(self.record_verdict(verdict, note, dispatch), name="patrol-verdict")

    async def record_verdict(self, verdict: str, note: str, dispatch: bool) -> dict | None:
        """Snapshot, optional dispatch, then the record through the outbox; moves on."""
        run = self.run
        if run is None or run.business is None or run.started_at is None:
            self._saving = False
            self.panel.set_busy(False)
            return None
        biz, started, ended = run.business, run.started_at, self.clock()
        self._saving = True
        self.panel.set_busy(True, self.tr("Saving the verdict…"))
        done = False
        try:
            snap = await capture(self.wall, self.spool, {s.camera_id for s in run.cameras})
            task_id = None
            if dispatch:
                draft = await self.dispatcher.ask(run.business, run.grid, run.district_name,
                                                  note, snap.url, snap.jpeg)
                if draft is None:
                    self.panel.show_message(self.tr("Dispatch cancelled: nothing was recorded; "
                                                    "give the verdict again."), error=True)
                    return None
                await self._record_dispatch(draft)
                task_id = draft["id"]
            record = {"id": new_id(), "plan_id": run.plan_id,
                      "district_id": biz["district_id"], "business_id": biz["id"],
                      "user": self.user.get("username", ""), "started_at": started.isoformat(),
                      "ended_at": ended.isoformat(), "verdict": verdict, "note": note,
                      "snapshot_url": snap.url, "task_id": task_id, "version": 1}
            await self.store.record_action("patrol.record", record, effects.record(record))
            self.notify_outbox()
            if snap.url:
                spawn(self.spool.flush(), name="patrol-upload")
            run.recorded += 1
            run.visited.add(biz["id"])
            message = (self.tr("%1: compliant, recorded.") if verdict == COMPLIANT
                       else self.tr("%1: problem recorded.")).replace("%1", biz["name"])
            if snap.problem:
                message += " " + self.tr("No snapshot: %1").replace("%1", snap.problem)
            self.recorded.emit(record)
            done = True
        finally:
            self._saving = False
            if not done:
                self.panel.set_busy(False)
        self.panel.show_message(message, error=bool(snap.problem))
        await self.reload()
        if self.run is run:
            self._advance()  # the next business's arrival ends the wait
        else:
            self.panel.set_busy(False)
        return record

    def skip(self) -> None:
        run = self.run
        if self._saving or run is None or run.business is None:
            return
        self.panel.set_busy(True)
        self._record_skip(run, "skipped")
        run.visited.add(run.business["id"])
        self.panel.show_message(self.tr("%1 skipped.").replace("%1", run.business["name"]))
        self._advance()

    def _record_skip(self, run: PatrolRun, why: str) -> None:
        """A look without a verdict still leaves a trace: a ``patrol.skip`` action, whose
        audit entry central writes (with its own time and the logged-in user); the console
        writes no audit rows of its own, they arrive with the feed."""
        biz = run.business
        if biz is None or run.started_at is None:
            return
        seconds = int((self.clock() - run.started_at).total_seconds())
        payload = {"business_id": biz["id"], "plan_id": run.plan_id, "reason": why,
                   "seconds": max(0, min(seconds, 86400))}

        async def go() -> None:
            await self.store.record_action("patrol.skip", payload)
            self.notify_outbox()

        spawn(go(), name="patrol-skip")

    def on_connection(self, status: ConnectionStatus) -> None:
        """Central is back: send the waiting snapshots now rather than at the next retry."""
        if status.state == ConnectionState.ONLINE:
            self.upload_pending()

    def upload_pending(self) -> None:
        if self.spool.pending():
            spawn(self.spool.flush(), name="patrol-upload")

    # -- dispatch from a patrol ------------------------------------------------------------------
    async def _record_dispatch(self, draft: dict[str, Any]) -> None:
        actor = str(self.user.get("username", ""))
        await self.store.record_action("task.dispatch", {"task": draft},
                                       effects.dispatch(draft, actor))
        self.notify_outbox()

    # -- plans -----------------------------------------------------------------------------------
    def edit_plan(self, plan_id: str | None) -> None:
        if not self.can_edit:
            return
        spawn(self._edit_plan(plan_id), name="patrol-plan-edit")

    async def _edit_plan(self, plan_id: str | None) -> PatrolPlanDialog | None:
        plan = self.plans.get(plan_id) if plan_id else None
        districts, grids, businesses = await self.store.read(read_plan_choices)
        locked = self.user.get("district_id") if self.role == Role.DISTRICT else None
        dialog = PatrolPlanDialog(plan, districts=districts, grids=grids, businesses=businesses,
                                  locked_district=locked, parent=self.window)
        dialog.setObjectName("patrol-plan-dialog")
        dialog.accepted.connect(lambda: spawn(self.save_plan(dialog.plan_payload(), plan),
                                              name="patrol-plan-save"))
        dialog.finished.connect(lambda _r: self._forget_dialog(dialog))
        self._dialogs.append(dialog)
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: QDialog) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)
        dialog.deleteLater()

    async def save_plan(self, payload: dict[str, Any], before: PatrolPlanSpec | None) -> None:
        """``patrol_plan.save`` with its local effect (the plan as it will be)."""
        await self.store.record_action(
            "patrol_plan.save", payload,
            effects.save_plan(payload, before.version if before is not None else None))
        self.notify_outbox()
        self._plan_id = payload["id"]
        self.panel.show_message(self.tr("Plan “%1” saved.").replace("%1", payload["name"]))
        await self.reload()


def install_patrol(window: MainWindow, store: LocalStore, client: ApiClient,
                   coordinator: Any, user: dict[str, Any], *,
                   kiosk: bool = False) -> PatrolCentre | None:
    """The session's hook: the patrol for office roles (not on an unattended big screen)."""
    if kiosk or str(user.get("role") or "") not in PATROL_ROLES:
        return None
    centre = PatrolCentre(window, window.wall, store, client, user, coordinator.wake_outbox,
                          spool_dir=store.path.with_suffix(".media"),
                          help_menu=window.help_menu)
    coordinator.entities_changed.connect(centre.on_entities_changed)
    coordinator.state_changed.connect(centre.on_connection)
    centre.schedule_reload()
    return centre
