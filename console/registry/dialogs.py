"""The registry's edit dialogs: street, community, business, camera, sensor.

One form class (:class:`RecordDialog`) lays out the fields of an entity; each field is checked
as the user types with the same rules central and the import apply (:mod:`ledger.fields`), and
the reason is shown in the interface language under the field. Saving goes through the outbox
(:mod:`console.registry.edits`); the dialog waits briefly for central's verdict:

- accepted → closes;
- refused because someone else changed the row meanwhile → says so, reloads the row (its new
  version) and keeps what the user typed, so saving again applies the user's edit on top;
- refused for another reason → shows central's reason; the local copy has been rolled back;
- no answer yet (offline) → closes saying it will be sent when the server is reachable.

Saving a camera first tries its main address with the wall's own probe
(:func:`videowall.probe.probe`, on a worker thread with a time limit) and shows the resolution
and codec or the failure; after a failure the button reads "Save anyway".
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from common.aio import within
from console.registry import edits
from console.shell.aio import spawn
from console.sync.store import LocalStore
from domain.ids import new_id
from domain.registry import BusinessCategory, SensorKind
from domain.rules import PARAM_RANGES
from ledger import fields

log = logging.getLogger("kitchenwatch.console.registry")
PROBE_SECONDS = 4.0
PROBE_TIMEOUT_S = 20.0


class RegistryWords(QObject):
    """The registry's words in the interface language (one translation context)."""

    def reason(self, error: fields.FieldError) -> str:
        """A field rule's reason."""
        words = {
            "required": self.tr("A value is required."),
            "too_long": self.tr("Too long."),
            "credit_code_length": self.tr("A unified social credit code has 18 characters, "
                                          "this has %1."),
            "credit_code_chars": self.tr("Only digits and the capitals of GB 32100 are allowed "
                                    "(not %1)."),
            "credit_code_check": self.tr("The check character is wrong (expected %1): "
                                         "likely a typo."),
            "licence_format": self.tr("A food business licence number is JY and 14 digits."),
            "gb_code_digits": self.tr("A GB/T 28181 code has 20 digits, this has %1."),
            "gb_code_chars": self.tr("A GB/T 28181 code has digits only."),
            "phone_format": self.tr("Not a mobile (11 digits) or landline number with area code."),
            "url_scheme": self.tr("A stream address starts with rtsp://, rtmp://, http(s):// "
                                  "or srt://."),
            "url_host": self.tr("The address names no host."),
            "url_port": self.tr("The address has an unusable port."),
            "url_spaces": self.tr("The address contains spaces."),
            "coordinate_number": self.tr("Not a number of degrees."),
            "latitude_range": self.tr("A latitude lies between -90 and 90."),
            "longitude_range": self.tr("A longitude lies between -180 and 180."),
            "coordinates_swapped": self.tr("Latitude and longitude look swapped."),
            "coordinates_pair": self.tr("Give both latitude and longitude, or neither."),
            "date_format": self.tr("Not a date (use 2027-03-01, 2027/3/1 or 2027年3月1日)."),
            "number": self.tr("Not a number."),
            "param_range": self.tr("Outside %1 to %2 %3."),
        }
        text = words.get(error.code, error.message)
        params = error.params
        values = [params.get(k) for k in ("length", "char", "expected", "lo", "hi", "unit")
                  if k in params]
        for n, value in enumerate(values, 1):
            text = text.replace(f"%{n}", str(value))
        return text

    def in_use(self, detail: str) -> str:
        """Why central would not retire a row (its English reason), in the interface
        language: the rows still below it, or the open alarms and tasks."""
        below = re.match(r"it still has (\d+) (streets|communities|businesses)", detail)
        if below:
            n, what = below.group(1), below.group(2)
            text = {"streets": self.tr("it still has %1 streets / townships"),
                    "communities": self.tr("it still has %1 communities"),
                    "businesses": self.tr("it still has %1 businesses")}[what]
            return text.replace("%1", n) + self.tr("; retire or move them first.")
        alarms = re.search(r"(\d+) open alarms", detail)
        tasks = re.search(r"(\d+) open tasks", detail)
        if alarms and not tasks:
            return self.tr("it has %1 open alarms; close or dismiss them first.").replace(
                "%1", alarms.group(1))
        if alarms or tasks:
            return (self.tr("it has %1 open alarms and %2 open tasks; close or dismiss them "
                            "first.").replace("%1", alarms.group(1) if alarms else "0")
                    .replace("%2", tasks.group(1) if tasks else "0"))
        return detail

    def categories(self) -> dict[str, str]:
        return {
            BusinessCategory.EXTRA_LARGE: self.tr("Extra-large restaurant"),
            BusinessCategory.LARGE: self.tr("Large restaurant"),
            BusinessCategory.MEDIUM: self.tr("Medium restaurant"),
            BusinessCategory.SMALL: self.tr("Small restaurant"),
            BusinessCategory.BEVERAGE: self.tr("Beverage shop"),
            BusinessCategory.SCHOOL_CANTEEN: self.tr("School canteen"),
            BusinessCategory.ELDERLY_CANTEEN: self.tr("Elderly canteen"),
            BusinessCategory.HOSPITAL_CANTEEN: self.tr("Hospital canteen"),
            BusinessCategory.GOVERNMENT_CANTEEN: self.tr("Government canteen"),
        }

    def sensor_kinds(self) -> dict[str, str]:
        return {SensorKind.SPECIAL_ROOM: self.tr("Special room (temperature, humidity)"),
                SensorKind.DISINFECTION_CABINET: self.tr("Disinfection cabinet"),
                SensorKind.REFRIGERATOR: self.tr("Refrigerator"),
                SensorKind.FREEZER: self.tr("Freezer")}

    def params(self) -> dict[str, str]:
        return {"max_temp": self.tr("Upper temperature limit"),
                "min_temp": self.tr("Lower temperature limit"),
                "max_humidity": self.tr("Upper humidity limit"),
                "hold_s": self.tr("Time over the limit before an alarm"),
                "critical_margin": self.tr("Degrees beyond the limit for a critical alarm"),
                "target_temp": self.tr("Disinfection temperature"),
                "hold_min": self.tr("Holding time"),
                "start_temp": self.tr("Temperature that starts a cycle"),
                "max_gap_s": self.tr("Longest gap in the data within a cycle"),
                "window_before_min": self.tr("Cycle must end this long before a meal")}


def reason_text(error: fields.FieldError) -> str:
    return RegistryWords().reason(error)


def in_use_text(detail: str) -> str:
    return RegistryWords().in_use(detail)


def category_names() -> dict[str, str]:
    return RegistryWords().categories()


def sensor_kind_names() -> dict[str, str]:
    return RegistryWords().sensor_kinds()


def param_names() -> dict[str, str]:
    return RegistryWords().params()


# --------------------------------------------------------------------------- fields


Rule = Callable[[str], Any]


@dataclass
class Field:
    key: str
    label: str
    rule: Rule | None = None  # text → stored value; raises fields.FieldError
    choices: list[tuple[Any, str]] | None = None  # a combo box of (value, label)
    check: bool = False  # a check box
    hint: str = ""


def _text(limit: int, required: bool = False) -> Rule:
    return lambda value: fields.text(value, limit=limit, required=required)


def _float_or_none(value: str) -> float | None:
    return fields.number(value)


def _date_text(value: str) -> str | None:
    found = fields.date_value(value)
    return found.isoformat() if found is not None else None


def _param_rule(kind: str, name: str) -> Rule:
    bounds = PARAM_RANGES[kind][name]

    def rule(value: str) -> float | None:
        number = fields.number(value)
        if number is not None and not bounds.lo <= number <= bounds.hi:
            raise fields.FieldError("param_range", {"lo": f"{bounds.lo:g}",
                                                    "hi": f"{bounds.hi:g}",
                                                    "unit": bounds.unit})
        return number

    return rule


class RecordDialog(QDialog):
    """A form of one registry row; ``saved`` carries the row as it was queued."""

    saved = Signal(dict)
    retired = Signal(str)  # the row's id, once central agreed (or queued while offline)
    ENTITY = ""

    def __init__(self, store: LocalStore, row: dict[str, Any] | None,
                 fixed: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.row = dict(row or {})
        self.fixed = dict(fixed)  # values the dialog does not show (a camera's business)
        self.version: int | None = self.row.get("version") if row else None
        self.ident = str(self.row.get("id") or new_id())
        self.setObjectName(f"registry-{self.ENTITY}-dialog")
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.specs: dict[str, Field] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        body = QWidget()
        body.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.status = QLabel()
        self.status.setObjectName("registry-status")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("registry-save")
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.on_save)
        self.retire_button = QPushButton(self.tr("Retire…"))
        self.retire_button.setObjectName("registry-retire")
        self.retire_button.setToolTip(self.tr("Take this row out of the registry; its alarms, "
                                              "tasks and audit entries stay."))
        self.buttons.addButton(self.retire_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.retire_button.clicked.connect(self.ask_retire)
        self.retire_button.setVisible(self.version is not None and self.ENTITY
                                      in edits.RETIRABLE)
        self.confirm: QMessageBox | None = None
        self.buttons.rejected.connect(self.reject)
        layout = self.body = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.busy = False
        self.build()
        # Wide enough for the longest label and its field (a sensor's limits are long), so
        # the form never scrolls sideways.
        self.resize(max(560, body.sizeHint().width() + 48), min(760, 120 + 58 * len(self.specs)))

    # -- building ----------------------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def add(self, spec: Field) -> QWidget:
        value = self.row.get(spec.key)
        widget: QWidget
        if spec.choices is not None:
            combo = QComboBox()
            for data, label in spec.choices:
                combo.addItem(label, data)
            index = combo.findData(value)
            combo.setCurrentIndex(max(0, index))
            combo.currentIndexChanged.connect(lambda *_: self.validate())
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            widget = combo
        elif spec.check:
            box = QCheckBox()
            box.setChecked(bool(value))
            widget = box
        else:
            line = QLineEdit("" if value is None else str(value))
            line.setPlaceholderText(spec.hint)
            line.textChanged.connect(lambda *_, k=spec.key: self.validate_one(k))
            widget = line
        widget.setObjectName(f"field-{spec.key}")
        error = QLabel()
        error.setObjectName(f"error-{spec.key}")
        error.setStyleSheet("color:#b91c1c;")
        error.setWordWrap(True)
        error.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        self.form.addRow(spec.label, holder)
        self.inputs[spec.key], self.errors[spec.key], self.specs[spec.key] = widget, error, spec
        return widget

    # -- values ------------------------------------------------------------------------------
    def raw(self, key: str) -> Any:
        widget = self.inputs[key]
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def value(self, key: str) -> Any:
        """The stored value of a field (raises fields.FieldError)."""
        spec = self.specs[key]
        raw = self.raw(key)
        return spec.rule(raw) if spec.rule is not None and isinstance(raw, str) else raw

    def validate_one(self, key: str) -> bool:
        label = self.errors[key]
        try:
            self.value(key)
        except fields.FieldError as exc:
            label.setText(reason_text(exc))
            label.show()
            return False
        label.hide()
        return True

    def validate(self) -> bool:
        return all([self.validate_one(key) for key in self.specs])  # every field, not the first

    def values(self) -> dict[str, Any]:
        out = {key: self.value(key) for key in self.specs}
        return {**self.fixed, **out, "id": self.ident}

    def cross_check(self, values: dict[str, Any]) -> str:
        """A problem between fields (shown in the status line), or ""."""
        return ""

    # -- saving ------------------------------------------------------------------------------
    def on_save(self) -> None:
        if self.busy or not self.validate():
            return
        values = self.values()
        problem = self.cross_check(values)
        if problem:
            self.say(problem, error=True)
            return
        spawn(self.save(values), f"save {self.ENTITY}")

    async def before_save(self, values: dict[str, Any]) -> bool:
        """False: do not save yet (the camera's probe failed and the user has not confirmed)."""
        return True

    async def save(self, values: dict[str, Any]) -> None:
        self.busy = True
        self.save_button.setEnabled(False)
        try:
            if not await self.before_save(values):
                return
            self.say(self.tr("Saving…"))
            key = await edits.save(self.store, self.ENTITY, values, self.version)
            verdict = await edits.verdict(self.store, key)
            await self.after(verdict, values)
        finally:
            self.busy = False
            self.save_button.setEnabled(True)

    async def after(self, verdict: edits.Verdict, values: dict[str, Any]) -> None:
        if verdict.state == "acked":
            self.saved.emit(values)
            self.accept()
        elif verdict.stale:
            fresh = await edits.current(self.store, self.ENTITY, self.ident)
            self.version = fresh.get("version") if fresh else None
            self.say(self.tr("Changed by someone else meanwhile: the row has been reloaded "
                             "(your input is kept). Check it and save again."), error=True)
        elif verdict.state == "rejected":
            self.refused(verdict)
        else:
            self.saved.emit(values)
            self.say(self.tr("Saved here; it will be sent when the server is reachable."))
            self.accept()

    def say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color:#b91c1c;" if error else "")
        self.status.setText(text)

    def refused(self, verdict: edits.Verdict) -> None:
        """Central's refusal in the interface language; nothing the user typed is touched."""
        if verdict.code == "duplicate":
            key = verdict.field
            text = self.tr("This code is already registered: %1").replace("%1", verdict.detail)
            if key in self.errors:
                self.errors[key].setText(text)
                self.errors[key].show()
            self.say(text + " " + self.tr("Correct it and save again."), error=True)
        elif verdict.code == "in_use":
            self.say(self.tr("Not retired: %1").replace("%1", in_use_text(verdict.detail)),
                     error=True)
        else:
            self.say(self.tr("The server refused the change: %1").replace("%1",
                                                                          verdict.message),
                     error=True)

    # -- retiring ----------------------------------------------------------------------------
    def label(self) -> str:
        return str(self.row.get("name") or self.row.get("location") or self.ident)

    def retire_consequence(self) -> str:
        """What goes with the row (said in the confirmation), or ""."""
        return ""

    def ask_retire(self) -> QMessageBox | None:
        """Confirm first: a retirement cannot be undone from the console."""
        if self.busy or self.version is None:
            return None
        text = self.tr("Retire “%1” from the registry? Its alarms, tasks and audit entries "
                       "stay.").replace("%1", self.label())
        consequence = self.retire_consequence()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Retire"),
                          text + ("\n\n" + consequence if consequence else ""),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("registry-retire-confirm")
        yes = box.addButton(self.tr("Retire"), QMessageBox.ButtonRole.DestructiveRole)
        yes.setObjectName("registry-retire-yes")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: spawn(self.retire(), f"retire {self.ENTITY}")
            if button is yes else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm = box
        box.open()
        return box

    async def retire(self) -> None:
        self.busy = True
        self.save_button.setEnabled(False)
        self.retire_button.setEnabled(False)
        try:
            self.say(self.tr("Retiring…"))
            key = await edits.retire(self.store, self.ENTITY, self.ident, self.version)
            verdict = await edits.verdict(self.store, key)
            if verdict.state == "acked":
                self.retired.emit(self.ident)
                self.accept()
            elif verdict.stale:
                fresh = await edits.current(self.store, self.ENTITY, self.ident)
                self.version = fresh.get("version") if fresh else None
                self.say(self.tr("Not retired: someone else changed it meanwhile. The row has "
                                 "been reloaded; check it and retire again."), error=True)
            elif verdict.state == "rejected":
                self.refused(verdict)
            else:
                self.retired.emit(self.ident)
                self.say(self.tr("Queued; it is retired when the server is reachable."))
                self.accept()
        finally:
            self.busy = False
            self.save_button.setEnabled(True)
            self.retire_button.setEnabled(True)


# --------------------------------------------------------------------------- the entities


class DistrictDialog(RecordDialog):
    """A district (区/县/旗): the first thing a new installation's registry needs, since
    ledgers name the districts their kitchens belong to and the import refuses unknown ones."""

    ENTITY = "district"

    def __init__(self, store: LocalStore, row: dict[str, Any] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(store, row, {}, parent)
        self.setWindowTitle(self.tr("District"))

    def retire_consequence(self) -> str:
        return self.tr("Only a district with no streets, communities or businesses left is "
                       "retired.")

    def build(self) -> None:
        self.add(Field("name", self.tr("Name"), _text(64, required=True)))
        self.add(Field("name_en", self.tr("Name in English"), _text(64)))


class StreetDialog(RecordDialog):
    ENTITY = "street"

    def __init__(self, store: LocalStore, row: dict[str, Any] | None,
                 districts: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        self.districts = districts
        super().__init__(store, row, {}, parent)
        self.setWindowTitle(self.tr("Street / township"))

    def retire_consequence(self) -> str:
        return self.tr("Only a street with no communities or businesses left is retired.")

    def build(self) -> None:
        self.add(Field("name", self.tr("Name"), _text(64, required=True)))
        district = self.add(Field("district_id", self.tr("District"), choices=self.districts))
        district.setEnabled(self.version is None)  # a street does not move between districts


class CommunityDialog(RecordDialog):
    ENTITY = "grid"

    def __init__(self, store: LocalStore, row: dict[str, Any] | None,
                 districts: list[tuple[str, str]], streets: list[tuple[str | None, str]],
                 parent: QWidget | None = None) -> None:
        self.districts, self.streets = districts, streets
        super().__init__(store, row, {}, parent)
        self.setWindowTitle(self.tr("Community"))

    def retire_consequence(self) -> str:
        return self.tr("Only a community with no businesses left is retired.")

    def build(self) -> None:
        self.add(Field("name", self.tr("Name"), _text(64, required=True)))
        district = self.add(Field("district_id", self.tr("District"), choices=self.districts))
        district.setEnabled(self.version is None)
        self.add(Field("street_id", self.tr("Street / township"), choices=self.streets))
        self.add(Field("officer_name", self.tr("Grid officer"), _text(32)))
        self.add(Field("officer_phone", self.tr("Officer's phone"), fields.phone))


class BusinessDialog(RecordDialog):
    ENTITY = "business"

    def __init__(self, store: LocalStore, row: dict[str, Any] | None,
                 districts: list[tuple[str, str]], streets: list[tuple[str | None, str]],
                 grids: list[tuple[str | None, str]], parent: QWidget | None = None) -> None:
        self.districts, self.streets, self.grids = districts, streets, grids
        super().__init__(store, row, {}, parent)
        self.setWindowTitle(self.tr("Business"))

    def retire_consequence(self) -> str:
        return self.tr("Its cameras and sensors are retired with it. A business with open "
                       "alarms or tasks is not retired.")

    def build(self) -> None:
        self.add(Field("name", self.tr("Name"), _text(128, required=True)))
        self.add(Field("credit_code", self.tr("Unified social credit code"), fields.credit_code,
                       hint="91350100M000100Y43"))
        self.add(Field("licence_no", self.tr("Licence number"), fields.licence_no,
                       hint="JY13501000000001"))
        self.add(Field("licence_expiry", self.tr("Licence valid until"), _date_text,
                       hint="2027-03-01"))
        self.add(Field("category", self.tr("Category"),
                       choices=list(category_names().items())))
        district = self.add(Field("district_id", self.tr("District"), choices=self.districts))
        district.setEnabled(self.version is None)
        self.add(Field("street_id", self.tr("Street / township"), choices=self.streets))
        self.add(Field("grid_id", self.tr("Community"), choices=self.grids))
        self.add(Field("address", self.tr("Address"), _text(256)))
        self.add(Field("latitude", self.tr("Latitude (WGS-84)"), _float_or_none, hint="26.07"))
        self.add(Field("longitude", self.tr("Longitude (WGS-84)"), _float_or_none,
                       hint="119.30"))
        self.add(Field("official_name", self.tr("Responsible official (包保)"), _text(32)))
        self.add(Field("official_phone", self.tr("Official's phone"), fields.phone))
        self.add(Field("director_name", self.tr("Food-safety director"), _text(32)))
        self.add(Field("director_phone", self.tr("Director's phone"), fields.phone))
        self.add(Field("contact_name", self.tr("Contact"), _text(32)))
        self.add(Field("contact_phone", self.tr("Contact's phone"), fields.phone))

    def validate(self) -> bool:
        ok = super().validate()
        try:
            fields.coordinates(self.raw("latitude"), self.raw("longitude"))
        except fields.FieldError as exc:
            self.errors["longitude"].setText(reason_text(exc))
            self.errors["longitude"].show()
            return False
        return ok


class CameraDialog(RecordDialog):
    """A camera of one business; saving tries the main address with the wall's probe."""

    ENTITY = "camera"

    def __init__(self, store: LocalStore, row: dict[str, Any] | None, business: dict[str, Any],
                 parent: QWidget | None = None,
                 prober: Callable[[str], dict[str, Any]] | None = None) -> None:
        self.business = business
        self.prober = prober or probe_stream
        self.confirmed_url: str | None = None  # the address saved despite a failed probe
        self.probe_result: dict[str, Any] | None = None
        super().__init__(store, row, {"business_id": business["id"],
                                      "district_id": business["district_id"]}, parent)
        self.setWindowTitle(self.tr("Camera of %1").replace("%1", str(business.get("name"))))
        self.probe_label = QLabel()
        self.probe_label.setObjectName("probe-result")
        self.probe_label.setWordWrap(True)
        self.body.insertWidget(1, self.probe_label)

    def retire_consequence(self) -> str:
        return self.tr("Sensors in its room stay and no longer show its picture. A camera "
                       "with open alarms is not retired.")

    def build(self) -> None:
        self.add(Field("name", self.tr("Name"), _text(64, required=True)))
        self.add(Field("gb_code", self.tr("GB/T 28181 code"), fields.gb_code,
                       hint="35010000001320000001"))
        self.add(Field("location", self.tr("Place in the kitchen"), _text(64)))
        self.add(Field("main_url", self.tr("Main stream"), _required_url,
                       hint="rtsp://host:554/…"))
        self.add(Field("sub_url", self.tr("Sub stream"), fields.stream_url))
        self.add(Field("playback_url", self.tr("Playback address"), fields.stream_url))
        self.add(Field("public", self.tr("May be shown to the public"), check=True))

    async def before_save(self, values: dict[str, Any]) -> bool:
        url = values["main_url"]
        if self.confirmed_url == url:
            return True
        self.say(self.tr("Trying the address with the wall's probe…"))
        loop = asyncio.get_running_loop()
        try:
            result = await within(loop.run_in_executor(None, self.prober, url),
                                  PROBE_TIMEOUT_S)
        except TimeoutError:
            result = {"state": "error", "error": "timeout"}
        except Exception as exc:  # the probe itself failed: a warning, not a crash
            log.warning("probe failed: %s", type(exc).__name__)
            result = {"state": "error", "error": type(exc).__name__}
        self.probe_result = result
        if result.get("state") == "playing":
            self.probe_label.setStyleSheet("color:#15803d;")
            self.probe_label.setText(self.tr("The stream plays: %1 %2×%3").replace(
                "%1", str(result.get("codec") or "?")).replace(
                "%2", str(result.get("width"))).replace("%3", str(result.get("height"))))
            return True
        self.probe_label.setStyleSheet("color:#b45309;")
        self.probe_label.setText(self.tr("The stream did not play (%1): %2").replace(
            "%1", str(result.get("state"))).replace("%2", str(result.get("error") or "-")))
        self.confirmed_url = url
        self.save_button.setText(self.tr("Save anyway"))
        self.say(self.tr("Check the address, or save anyway."))
        return False


def _required_url(value: str) -> str:
    url = fields.stream_url(value)
    if not url:
        raise fields.FieldError("required")
    return url


def probe_stream(url: str) -> dict[str, Any]:
    """The wall's probe (its decoder, options and watchdog), quietly; credentials are masked
    in everything it returns."""
    from videowall.probe import probe

    return probe(url, PROBE_SECONDS, out=io.StringIO())


class SensorDialog(RecordDialog):
    """A sensor of one business: kind, place, camera of the same room, rule parameters with
    their units and bounds."""

    ENTITY = "sensor"

    def __init__(self, store: LocalStore, row: dict[str, Any] | None, business: dict[str, Any],
                 cameras: list[tuple[str | None, str]], parent: QWidget | None = None) -> None:
        self.business, self.cameras = business, cameras
        super().__init__(store, row, {"business_id": business["id"],
                                      "district_id": business["district_id"]}, parent)
        self.setWindowTitle(self.tr("Sensor of %1").replace("%1", str(business.get("name"))))

    def build(self) -> None:
        kind = self.add(Field("kind", self.tr("Kind"), choices=list(sensor_kind_names().items())))
        self.add(Field("location", self.tr("Place"), _text(64)))
        self.add(Field("camera_id", self.tr("Camera of the same room"), choices=self.cameras))
        self.add(Field("interval_s", self.tr("Reporting interval (s)"), _interval, hint="60"))
        self.add_params(str(self.row.get("kind") or SensorKind.SPECIAL_ROOM))
        assert isinstance(kind, QComboBox)
        kind.currentIndexChanged.connect(lambda *_: self.add_params(str(kind.currentData())))

    def add_params(self, kind: str) -> None:
        """The rule parameters of ``kind``, each labelled with its unit and bounds (a new
        sensor's kind may change: its parameters follow)."""
        for key in [k for k in self.specs if k.startswith("param:")]:
            holder = self.inputs[key].parentWidget()
            assert holder is not None  # each field sits in its row's holder widget
            self.form.removeRow(holder)
            del self.inputs[key], self.errors[key], self.specs[key]
        params = dict(self.row.get("params") or {}) if self.row.get("kind") == kind else {}
        names = param_names()
        for name, bounds in PARAM_RANGES.get(kind, {}).items():
            label = f"{names.get(name, name)} ({bounds.lo:g}…{bounds.hi:g} {bounds.unit})"
            self.row[f"param:{name}"] = params.get(name, "")
            self.add(Field(f"param:{name}", label, _param_rule(kind, name)))

    def values(self) -> dict[str, Any]:
        out = super().values()
        params = {k.split(":", 1)[1]: out.pop(k) for k in list(out) if k.startswith("param:")}
        out["params"] = {k: v for k, v in params.items() if v is not None}
        return out


def _interval(value: str) -> int:
    number = fields.number(value)
    if number is None:
        return 60
    if not 5 <= number <= 86400 or number != int(number):
        raise fields.FieldError("param_range", {"lo": "5", "hi": "86400", "unit": "s"})
    return int(number)


def keep_open(dialog: QDialog) -> QDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
