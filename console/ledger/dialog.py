"""Import ledgers from the console: choose files → dry run → problems → import all valid rows
or nothing; and the Save template… / Export registry… actions.

The dry run reads and checks the files on a worker thread against the registry this console
has synced (the same ``ledger.check`` central runs), with a progress bar; Cancel sets an event
the reader and checker test every thousand rows, so it really stops. The import sends the
file (several files as one workbook, ledger/bundle.py, so they go in one transaction) to
``POST /api/registry/import``; central checks again, writes all valid rows or none, and every
console receives the new rows through the change feed. Reasons are shown in the interface
language (console/ledger/reasons.py).
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.ledger import local
from console.ledger.reasons import reason_text
from console.shell.aio import spawn
from console.shell.login_dialog import explain
from console.sync.client import ApiClient, SyncError
from console.sync.store import LocalStore
from ledger.bundle import combine
from ledger.check import CheckResult, Problem, check_sheets
from ledger.fields import FieldError
from ledger.known import Known
from ledger.read import Cancelled, Sheet, read_file

log = logging.getLogger("kitchenwatch.console.ledger")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class DryRun:
    """What the worker hands back: the sheets (to send) and the check's result."""

    files: list[tuple[str, bytes]]
    sheets: list[Sheet]
    result: CheckResult


def dry_run(files: list[tuple[str, bytes]], known: Known, *, district_scope: str | None,
            cancel: threading.Event, progress: Callable[[str, int, int], None]) -> DryRun:
    """Read and check (on a worker thread); raises :class:`Cancelled` when told to stop."""
    sheets: list[Sheet] = []
    unreadable: list[Problem] = []
    for index, (name, data) in enumerate(files):
        progress("read", index, len(files))
        try:
            sheets += read_file(name, data, cancel=cancel)
        except FieldError as exc:
            unreadable.append(Problem(name, "", None, "", exc.code, exc.message,
                                      params=dict(exc.params)))
    result = check_sheets(sheets, known, district_scope=district_scope, progress=progress,
                          cancel=cancel)
    result.errors[:0] = unreadable
    return DryRun(files, sheets, result)


class _Bridge(QObject):
    """Carries the worker thread's news to the window's thread (queued signals)."""

    progressed = Signal(str, int, int)
    finished = Signal(object)  # DryRun, Cancelled or an exception


class ImportDialog(QDialog):
    """Choose files, check them, look at the problems, import all valid rows or nothing."""

    COLUMNS = ("severity", "file", "sheet", "row", "column", "reason")

    def __init__(self, client: ApiClient | None, store: LocalStore | None,
                 user: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ledger-import-dialog")
        self.setWindowTitle(self.tr("Import ledgers"))
        self.client, self.store, self.user = client, store, user
        # A district administrator imports only rows of their district (central refuses others).
        self.district_scope: str | None = user.get("district_id") or None
        self.files_label = QLabel(self.tr("Choose the ledger files (.xlsx or .csv) of "
                                          "businesses, cameras and sensors."))
        self.files_label.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Choose files…"))
        self.choose_button.clicked.connect(self.choose_files)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr("Severity"), self.tr("File"),
                                              self.tr("Sheet"), self.tr("Row"),
                                              self.tr("Column"), self.tr("Reason")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button = QPushButton(self.tr("Export problems…"))
        self.export_button.clicked.connect(self.export_problems)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.clicked.connect(self.start_import)
        self.nothing_button = QPushButton(self.tr("Import nothing"))
        self.nothing_button.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.files_label, 1)
        top.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        for button in (self.cancel_button, self.nothing_button, self.import_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(980, 600)
        self.bridge = _Bridge(self)
        self.bridge.progressed.connect(self._progressed)
        self.bridge.finished.connect(self._checked)
        self.cancel_event: threading.Event | None = None
        self.worker: threading.Thread | None = None
        self.checked: DryRun | None = None
        self.problems: list[Problem] = []
        self.upload: asyncio.Future[Any] | None = None
        self.answer: dict[str, Any] | None = None
        self._set_buttons(working=False)

    # -- state ----------------------------------------------------------------------------------
    def _set_buttons(self, *, working: bool) -> None:
        self.cancel_button.setEnabled(working)
        self.choose_button.setEnabled(not working)
        ready = not working and self.checked is not None and self.answer is None
        valid = self.checked.result.valid_rows() if self.checked else 0
        self.import_button.setEnabled(ready and valid > 0 and self.client is not None)
        self.import_button.setText(self.tr("Import %1 valid rows").replace("%1", str(valid)))
        self.export_button.setEnabled(not working and bool(self.problems))

    # -- dry run --------------------------------------------------------------------------------
    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Ledger files"), "", self.tr("Ledgers (*.xlsx *.csv);;All files (*)"))
        if names:
            spawn(self._load_and_check([Path(n) for n in names]), name="ledger-dry-run")

    async def _load_and_check(self, paths: list[Path]) -> None:
        try:
            files = [(p.name, await asyncio.to_thread(p.read_bytes)) for p in paths]
        except OSError as exc:
            self.status.setText(self.tr("The file could not be read: %1")
                                .replace("%1", str(exc.strerror or exc)))
            return
        known = await self.store.read(local.known) if self.store is not None else Known()
        self.start_dry_run(files, known)

    def start_dry_run(self, files: list[tuple[str, bytes]], known: Known) -> None:
        """Check ``files`` on a worker thread (progress and cancel on this window)."""
        self.checked, self.answer, self.problems = None, None, []
        self._show_problems([])
        self.files_label.setText(", ".join(name for name, _ in files))
        self.status.setText(self.tr("Checking…"))
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        cancel = self.cancel_event = threading.Event()
        bridge = self.bridge

        def work() -> None:
            try:
                outcome: object = dry_run(files, known, district_scope=self.district_scope,
                                          cancel=cancel, progress=bridge.progressed.emit)
            except Cancelled as exc:
                outcome = exc
            except Exception as exc:  # reported on the window, logged
                log.exception("ledger dry run failed")
                outcome = exc
            bridge.finished.emit(outcome)

        self.worker = threading.Thread(target=work, name="ledger-dry-run", daemon=True)
        self._set_buttons(working=True)
        self.worker.start()

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
        if self.upload is not None and not self.upload.done():
            self.upload.cancel()

    def _progressed(self, stage: str, done: int, total: int) -> None:
        if stage == "check" and total:
            self.progress.setValue(int(100 * done / total))
            self.status.setText(self.tr("Checking row %1 of %2…").replace("%1", str(done))
                                .replace("%2", str(total)))

    def _checked(self, outcome: object) -> None:
        self.worker = None
        if isinstance(outcome, Cancelled):
            self.status.setText(self.tr("Cancelled: nothing was checked or imported."))
            self.progress.setValue(0)
        elif isinstance(outcome, DryRun):
            self.checked = outcome
            result = outcome.result
            self.progress.setValue(100)
            self.problems = result.errors + result.warnings
            self._show_problems(self.problems)
            valid, read = result.valid_rows(), sum(result.read.values())
            self.status.setText(self.tr("%1 rows read, %2 valid, %3 errors, %4 warnings.")
                                .replace("%1", str(read)).replace("%2", str(valid))
                                .replace("%3", str(len(result.errors)))
                                .replace("%4", str(len(result.warnings))))
        else:
            self.status.setText(self.tr("The check failed: %1").replace("%1", str(outcome)))
        self._set_buttons(working=False)

    def _show_problems(self, problems: list[Problem]) -> None:
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(problems))
        for r, p in enumerate(problems):
            severity = self.tr("Error") if p.severity == "error" else self.tr("Warning")
            values: list[Any] = [severity, p.file, p.sheet, p.row, p.column,
                                 reason_text(p.code, p.params, p.message)]
            for c, value in enumerate(values):
                item = QTableWidgetItem()
                if isinstance(value, int):
                    item.setData(Qt.ItemDataRole.DisplayRole, value)  # sorts as a number
                else:
                    item.setText("" if value is None else str(value))
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)

    def problems_csv(self) -> bytes:
        """The problems as shown (sorted as shown), for Excel: UTF-8 with a BOM."""
        out = io.StringIO()
        writer = csv.writer(out)
        def text(item: QTableWidgetItem | None) -> str:
            return item.text() if item is not None else ""

        columns = range(self.table.columnCount())
        writer.writerow([text(self.table.horizontalHeaderItem(c)) for c in columns])
        for r in range(self.table.rowCount()):
            writer.writerow([text(self.table.item(r, c)) for c in columns])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def export_problems(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export problems"),
                                              "problems.csv", self.tr("CSV (*.csv)"))
        if name:
            Path(name).write_bytes(self.problems_csv())

    # -- import ---------------------------------------------------------------------------------
    def body(self) -> tuple[str, bytes, str, dict[str, tuple[str, str]]]:
        """What to send: one file as it is, several as one workbook (one transaction)."""
        assert self.checked is not None
        files = self.checked.files
        if len(files) == 1:
            name, data = files[0]
            kind = "text/csv" if not data.startswith(b"PK") else XLSX_TYPE
            return name, data, kind, {}
        data, origin = combine(self.checked.sheets)
        return "ledgers.xlsx", data, XLSX_TYPE, origin

    def start_import(self) -> None:
        if self.checked is None or self.client is None:
            return
        self.upload = spawn(self._import(), name="ledger-import")

    async def _import(self) -> None:
        assert self.checked is not None and self.client is not None
        name, data, content_type, origin = self.body()
        skip = "1" if self.checked.result.errors else "0"
        self._set_buttons(working=True)
        self.progress.setRange(0, 0)  # busy: central answers when it has written everything
        self.status.setText(self.tr("Importing on the server…"))
        try:
            answer = await self.client.upload(
                f"/api/registry/import?skip_invalid={skip}&name={quote(name)}", data,
                content_type)
        except asyncio.CancelledError:
            self.status.setText(self.tr("Cancelled. If the server had already received the "
                                        "file, the import may still complete; its rows then "
                                        "arrive with the next update."))
            self.progress.setRange(0, 100)
            self._set_buttons(working=False)
            raise
        except SyncError as exc:
            self.status.setText(self.tr("The import failed: %1").replace("%1", explain(exc)))
            self.progress.setRange(0, 100)
            self._set_buttons(working=False)
            return
        self.progress.setRange(0, 100)
        self.progress.setValue(100)
        self.answer = answer
        self._show_answer(answer, origin)
        self._set_buttons(working=False)

    def _show_answer(self, answer: dict[str, Any], origin: dict[str, tuple[str, str]]) -> None:
        def counts(kind: str) -> str:
            c = answer.get(kind) or {}
            return (self.tr("%1 added, %2 updated, %3 unchanged")
                    .replace("%1", str(c.get("added", 0))).replace("%2", str(c.get("updated", 0)))
                    .replace("%3", str(c.get("unchanged", 0))))

        if answer.get("applied"):
            self.status.setText(self.tr("Imported. Businesses: %1. Cameras: %2. Sensors: %3.")
                                .replace("%1", counts("businesses"))
                                .replace("%2", counts("cameras"))
                                .replace("%3", counts("sensors")))
        else:
            self.status.setText(self.tr("The server found errors: nothing was imported."))
        problems = []
        for severity, items in (("error", answer.get("errors", [])),
                                ("warning", answer.get("warnings", []))):
            for item in items:
                file, sheet = origin.get(item.get("sheet", ""), (item.get("file", ""),
                                                                 item.get("sheet", "")))
                problems.append(Problem(file, sheet, item.get("row"), item.get("column", ""),
                                        item.get("code", ""), item.get("reason", ""),
                                        severity, dict(item.get("params") or {})))
        self.problems = problems
        self._show_problems(problems)


# -------------------------------------------------------------------------------- template/export


async def save_template(store: LocalStore | None, path: Path) -> int:
    """Write the template (drop-down lists from the synced registry) to ``path``."""
    from ledger.export import places_of
    from ledger.template import Places, template_bytes

    places = places_of(await store.read(local.registry)) if store is not None else Places()
    data = await asyncio.to_thread(template_bytes, places)
    await asyncio.to_thread(path.write_bytes, data)
    return len(data)


async def export_registry(store: LocalStore, path: Path) -> dict[str, int]:
    """Write the synced registry in the template's layout to ``path``."""
    from ledger.export import export_registry as write

    registry = await store.read(local.registry)

    def work() -> dict[str, int]:
        with path.open("wb") as out:
            return write(out, registry)

    return await asyncio.to_thread(work)


class LedgerActions(QObject):
    """Administration → Import ledgers… / Save ledger template… / Export registry…"""

    def __init__(self, menu: QMenu, window: QWidget, client: ApiClient | None,
                 store: LocalStore | None, user: dict[str, Any]) -> None:
        super().__init__(window)
        self.window, self.client, self.store, self.user = window, client, store, user
        self.dialog: ImportDialog | None = None
        menu.addSeparator()
        self.import_action = menu.addAction(self.tr("&Import ledgers…"))
        self.import_action.setEnabled(client is not None)
        self.import_action.triggered.connect(self.open_import)
        self.template_action = menu.addAction(self.tr("Save ledger &template…"))
        self.template_action.triggered.connect(self.ask_template)
        self.export_action = menu.addAction(self.tr("&Export registry…"))
        self.export_action.setEnabled(store is not None)
        self.export_action.triggered.connect(self.ask_export)

    def open_import(self) -> ImportDialog:
        self.dialog = ImportDialog(self.client, self.store, self.user, self.window)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def ask_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save ledger template"),
                                              self.tr("ledger-template.xlsx"),
                                              self.tr("Excel workbook (*.xlsx)"))
        if name:
            spawn(save_template(self.store, Path(name)), name="ledger-template")

    def ask_export(self) -> None:
        if self.store is None:
            return
        name, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export registry"),
                                              self.tr("registry.xlsx"),
                                              self.tr("Excel workbook (*.xlsx)"))
        if name:
            spawn(export_registry(self.store, Path(name)), name="ledger-export")


def install_ledger_actions(menu: QMenu, window: QWidget, client: ApiClient | None,
                           store: LocalStore | None, user: dict[str, Any]) -> LedgerActions:
    """The shell's one hook: adds the ledger entries to the Administration menu."""
    return LedgerActions(menu, window, client, store, user)
