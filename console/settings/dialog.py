"""Tools → Settings: edit the operator's settings (``console.settings.model``) with every
refused value explained in red right under its field, and nothing saved until all values are
acceptable.

Values set on the command line for this run are shown but locked, with the option that set
them; saving never writes them to the file. Some values act at once (popup threshold, alarm
sounds, stream buffer for newly opened streams); the others at the next login or start, which
the dialog says next to them and again after saving (:attr:`SettingsDialog.restart_needed`).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.settings.model import (
    CACHING_RANGE_MS,
    LATENCY_PRESETS,
    OPTION_OF,
    PROTOCOLS,
    TOUR_DWELL_RANGE_S,
    ConsoleSettings,
    Settings,
    default_data_dir,
)

log = logging.getLogger("kitchenwatch.console.settings.model")
# Acting only when the console starts (or logs in) again.
RESTART_FIELDS = frozenset({"server_url", "verify_tls", "data_dir", "language", "wall_screens",
                            "office_profile", "protocol_order"})


class SettingsDialog(QDialog):
    saved = Signal(object)  # frozenset of changed field names

    def __init__(self, settings: ConsoleSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings-dialog")
        self.setWindowTitle(self.tr("Kitchen Watch — settings"))
        self.settings = settings
        self.errors: dict[str, QLabel] = {}
        self.editors: dict[str, QWidget] = {}
        self.changed: frozenset[str] = frozenset()
        current = settings.effective

        # -- server
        self.server_url = QLineEdit(current.server_url)
        self.server_url.setPlaceholderText(self.tr("ask at login (the last address is "
                                                   "remembered)"))
        self.verify_tls = QCheckBox(self.tr("Check the server's HTTPS certificate"))
        self.verify_tls.setChecked(current.verify_tls)
        self.verify_tls.setToolTip(self.tr("Turn off only for a test server with a self-signed "
                                           "certificate: without the check, anyone on the "
                                           "network path can read the login."))
        server = self._group(self.tr("Central server (applies at the next login)"), [
            (self.tr("Server address"), "server_url", self.server_url),
            ("", "verify_tls", self.verify_tls)])

        # -- data
        self.data_dir = QLineEdit(current.data_dir)
        self.data_dir.setPlaceholderText(str(default_data_dir()))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.data_dir, 1)
        row_layout.addWidget(browse)
        data = self._group(self.tr("Local data and logs (applies at the next start)"), [
            (self.tr("Data directory"), "data_dir", row)])
        self.editors["data_dir"] = self.data_dir
        self.data_browse = browse

        # -- video
        self.protocol_order = QLineEdit(",".join(current.protocol_order))
        self.protocol_order.setToolTip(self.tr("Known protocols: %1")
                                       .replace("%1", ", ".join(PROTOCOLS)))
        self.latency = QComboBox()
        self.latency.addItem(self.tr("Lowest latency (%1 ms)")
                             .replace("%1", str(LATENCY_PRESETS["low"])), "low")
        self.latency.addItem(self.tr("Balanced (%1 ms)")
                             .replace("%1", str(LATENCY_PRESETS["balanced"])), "balanced")
        self.latency.addItem(self.tr("Smoothest (%1 ms)")
                             .replace("%1", str(LATENCY_PRESETS["smooth"])), "smooth")
        self.latency.addItem(self.tr("Custom"), "custom")
        self.caching = QSpinBox()
        self.caching.setRange(*CACHING_RANGE_MS)
        self.caching.setSingleStep(50)
        self.caching.setSuffix(" ms")
        self.caching.setValue(current.network_caching_ms)
        self._sync_latency_combo()
        self.latency.currentIndexChanged.connect(self._on_latency_chosen)
        self.caching.valueChanged.connect(self._sync_latency_combo)
        latency_row = QWidget()
        latency_layout = QHBoxLayout(latency_row)
        latency_layout.setContentsMargins(0, 0, 0, 0)
        latency_layout.addWidget(self.latency, 1)
        latency_layout.addWidget(self.caching)
        self.tour_dwell = QSpinBox()
        self.tour_dwell.setRange(*TOUR_DWELL_RANGE_S)
        self.tour_dwell.setSuffix(" s")
        self.tour_dwell.setValue(current.tour_dwell_s)
        self.map_boundaries = QLineEdit(current.map_boundaries)
        self.map_boundaries.setPlaceholderText(self.tr("demo city (鄂尔多斯)"))
        self.map_boundaries.setToolTip(self.tr(
            "A GeoJSON file of your districts' boundaries; each feature's name property is "
            "the district's name as the registry spells it"))
        self.map_boundaries.editingFinished.connect(lambda: self.check("map_boundaries"))
        video = self._group(self.tr("Video"), [
            (self.tr("Preferred protocols"), "protocol_order", self.protocol_order),
            (self.tr("Latency or smoothness"), "network_caching_ms", latency_row),
            (self.tr("Tour: each page stays"), "tour_dwell_s", self.tour_dwell),
            (self.tr("Map boundaries (GeoJSON)"), "map_boundaries", self.map_boundaries)])
        self.editors["network_caching_ms"] = self.caching

        # -- alarms
        self.alarm_sounds = QCheckBox(self.tr("Play alarm sounds"))
        self.alarm_sounds.setChecked(current.alarm_sounds)
        self.popup = QComboBox()
        for level, label in ((1, self.tr("every alarm (info and above)")),
                             (2, self.tr("minor and above")),
                             (3, self.tr("major and critical")),
                             (4, self.tr("critical only"))):
            self.popup.addItem(label, level)
        self.popup.setCurrentIndex(max(0, self.popup.findData(current.popup_min_severity)))
        alarms = self._group(self.tr("Alarms"), [
            ("", "alarm_sounds", self.alarm_sounds),
            (self.tr("Pop up the alarm panel for"), "popup_min_severity", self.popup)])

        # -- interface
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.screens = QLineEdit(",".join(map(str, current.wall_screens)))
        self.screens.setPlaceholderText(self.tr("e.g. 0,1 — empty: the screen the window "
                                                "opens on"))
        self.screens.setToolTip(self.available_screens())
        self.office = QComboBox()
        self.office.addItem(self.tr("by role (district staff)"), "auto")
        self.office.addItem(self.tr("always (fewer tiles, sub streams)"), "on")
        self.office.addItem(self.tr("never"), "off")
        self.office.setCurrentIndex(max(0, self.office.findData(current.office_profile)))
        interface = self._group(self.tr("Interface (applies at the next start)"), [
            (self.tr("Language"), "language", self.language),
            (self.tr("Screens for the wall"), "wall_screens", self.screens),
            (self.tr("Office-PC profile"), "office_profile", self.office)])
        screens_note = QLabel(self.available_screens())
        screens_note.setWordWrap(True)
        screens_note.setStyleSheet("color:#64748b;")
        form = interface.layout()
        if isinstance(form, QFormLayout):  # _group's layout
            form.addRow("", screens_note)

        self.general_error = QLabel()
        self.general_error.setObjectName("settings-error")
        self.general_error.setStyleSheet("color:#dc2626;")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore_defaults)
        layout = QVBoxLayout(self)
        for group in (server, data, video, alarms, interface):
            layout.addWidget(group)
        path = settings.file.path if settings.file is not None else None
        if path is not None:
            where = QLabel(self.tr("Saved in %1").replace("%1", str(path)))
            where.setStyleSheet("color:#64748b;")
            where.setWordWrap(True)
            layout.addWidget(where)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        for name in settings.overridden:
            self._lock(name)
        for edit, name in ((self.server_url, "server_url"), (self.data_dir, "data_dir"),
                           (self.protocol_order, "protocol_order"),
                           (self.screens, "wall_screens")):
            edit.editingFinished.connect(lambda n=name: self.check(n))

    # -- construction helpers -------------------------------------------------------------------
    def _group(self, title: str, rows: list[tuple[str, str, QWidget]]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for label, name, widget in rows:
            error = QLabel()
            error.setObjectName(f"error-{name}")
            error.setStyleSheet("color:#dc2626;")
            error.setWordWrap(True)
            error.hide()
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(widget)
            cell_layout.addWidget(error)
            form.addRow(label, cell)
            self.errors[name] = error
            self.editors.setdefault(name, widget)
        return box

    def _lock(self, name: str) -> None:
        widget = self.editors.get(name)
        if widget is None:
            return
        note = self.tr("Set by %1 on the command line for this run; not saved.").replace(
            "%1", OPTION_OF.get(name, name))
        widget.setEnabled(False)
        widget.setToolTip(note)
        if name == "data_dir":
            self.data_browse.setEnabled(False)
        if name == "network_caching_ms":
            self.latency.setEnabled(False)

    def available_screens(self) -> str:
        screens = QGuiApplication.screens()
        listing = ", ".join(f"{i} = {s.name() or '?'} ({s.size().width()}×{s.size().height()})"
                            for i, s in enumerate(screens))
        return self.tr("Screens on this computer: %1").replace("%1", listing or "—")

    # -- latency presets ------------------------------------------------------------------------
    def _sync_latency_combo(self) -> None:
        preset = next((name for name, ms in LATENCY_PRESETS.items()
                       if ms == self.caching.value()), "custom")
        index = self.latency.findData(preset)
        if index != self.latency.currentIndex():
            self.latency.blockSignals(True)
            self.latency.setCurrentIndex(index)
            self.latency.blockSignals(False)

    def _on_latency_chosen(self, _index: int) -> None:
        preset = self.latency.currentData()
        if preset in LATENCY_PRESETS:
            self.caching.setValue(LATENCY_PRESETS[preset])

    def _browse(self) -> None:
        start = self.data_dir.text() or str(default_data_dir())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Data directory"), start)
        if chosen:
            self.data_dir.setText(chosen)
            self.check("data_dir")

    # -- values ---------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """What the fields say now, for every setting not set on the command line."""
        values: dict[str, Any] = {
            "server_url": self.server_url.text(),
            "verify_tls": self.verify_tls.isChecked(),
            "data_dir": self.data_dir.text(),
            "protocol_order": self.protocol_order.text(),
            "network_caching_ms": self.caching.value(),
            "alarm_sounds": self.alarm_sounds.isChecked(),
            "popup_min_severity": int(self.popup.currentData()),
            "tour_dwell_s": self.tour_dwell.value(),
            "map_boundaries": self.map_boundaries.text(),
            "language": str(self.language.currentData()),
            "wall_screens": self.screens.text(),
            "office_profile": str(self.office.currentData()),
        }
        for name in self.settings.overridden:
            values.pop(name, None)
        return values

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self.errors.items():
            reason = problems.get(name, "")
            label.setText(reason)
            label.setVisible(bool(reason))

    def check(self, name: str) -> bool:
        """Validate one field as the operator leaves it."""
        value = self.values().get(name)
        if value is None:
            return True
        reason = self.settings.stored.problems({name: value}).get(name, "")
        label = self.errors[name]
        label.setText(reason)
        label.setToolTip(reason)  # the whole reason, where a long one is cut at the edge
        label.setVisible(bool(reason))
        return not reason

    def save(self) -> None:
        values = self.values()
        problems = self.settings.stored.problems(values)
        self.show_problems(problems)
        if problems:
            first = next(iter(problems))
            self.editors[first].setFocus()
            return
        before = self.settings.effective
        try:
            self.settings.update(values)
        except OSError as exc:
            path = self.settings.file.path if self.settings.file is not None else "?"
            self.general_error.setText(self.tr("The settings could not be saved to %1: %2")
                                       .replace("%1", str(path))
                                       .replace("%2", exc.strerror or str(exc)))
            self.general_error.show()
            return
        after = self.settings.effective
        self.changed = after.changed_from(before)
        self.saved.emit(self.changed)
        self.accept()

    @property
    def restart_needed(self) -> frozenset[str]:
        return self.changed & RESTART_FIELDS

    def restore_defaults(self) -> None:
        """Fill the fields with the defaults (saved only with Save)."""
        defaults = Settings()
        self.server_url.setText(defaults.server_url)
        self.verify_tls.setChecked(defaults.verify_tls)
        self.data_dir.setText(defaults.data_dir)
        self.protocol_order.setText(",".join(defaults.protocol_order))
        self.caching.setValue(defaults.network_caching_ms)
        self.alarm_sounds.setChecked(defaults.alarm_sounds)
        self.popup.setCurrentIndex(self.popup.findData(defaults.popup_min_severity))
        self.tour_dwell.setValue(defaults.tour_dwell_s)
        self.map_boundaries.setText(defaults.map_boundaries)
        self.language.setCurrentIndex(self.language.findData(defaults.language))
        self.screens.setText("")
        self.office.setCurrentIndex(self.office.findData(defaults.office_profile))
        self.show_problems({})

    def field_label(self, name: str) -> str:
        """The operator's word for a setting (for "restart to apply" notes)."""
        labels = {"server_url": self.tr("Server address"),
                  "verify_tls": self.tr("HTTPS certificate check"),
                  "data_dir": self.tr("Data directory"),
                  "protocol_order": self.tr("Preferred protocols"),
                  "network_caching_ms": self.tr("Latency or smoothness"),
                  "alarm_sounds": self.tr("Play alarm sounds"),
                  "popup_min_severity": self.tr("Pop up the alarm panel for"),
                  "tour_dwell_s": self.tr("Tour: each page stays"),
                  "map_boundaries": self.tr("Map boundaries (GeoJSON)"),
                  "language": self.tr("Language"),
                  "wall_screens": self.tr("Screens for the wall"),
                  "office_profile": self.tr("Office-PC profile")}
        return labels.get(name, name)
