"""Create or change a patrol plan: name, district, streets (grids), categories and frequency.

The dialog shows at once how many businesses the selection matches, so an officer sees that
"school canteens of 康巴什区, 4 times in 30 days" means 34 kitchens and 136 looks a month
before saving. District staff plan in their own district only (central refuses anything
else), so their district choice is fixed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from domain.ids import new_id
from domain.registry import BusinessCategory
from widgets import labels
from widgets.models.patrol import (
    MAX_PERIOD_DAYS,
    MAX_TIMES_PER_PERIOD,
    PatrolPlanSpec,
)
from widgets.theme import rule_state_color

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PatrolPlanDialog(QDialog):
    """``open()`` it; when accepted, :meth:`plan_payload` is the ``patrol_plan.save`` payload."""

    def __init__(self, plan: PatrolPlanSpec | None, *,
                 districts: Sequence[tuple[str, str]],
                 grids: Sequence[tuple[str, str, str]],
                 businesses: Sequence[Mapping[str, Any]] = (),
                 locked_district: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.locked_district = locked_district
        self._grids = list(grids)  # (id, name, district id)
        self._businesses = list(businesses)
        self._id = plan.id if plan is not None else new_id()
        self.setWindowTitle(self.tr("Change patrol plan") if plan else self.tr("New patrol plan"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)

        self.name_edit = QLineEdit(plan.name if plan else "")
        self.name_edit.setPlaceholderText(self.tr("e.g. School canteens, monthly"))
        form.addRow(self.tr("Name"), self.name_edit)

        self.district_box = QComboBox()
        if locked_district is None:
            self.district_box.addItem(self.tr("Whole city"), None)
        for ident, name in districts:
            if locked_district is None or ident == locked_district:
                self.district_box.addItem(name, ident)
        wanted = plan.district_id if plan else locked_district
        index = self.district_box.findData(wanted)
        self.district_box.setCurrentIndex(max(index, 0))
        self.district_box.setEnabled(locked_district is None)
        self.district_box.currentIndexChanged.connect(self._on_district_changed)
        form.addRow(self.tr("District"), self.district_box)

        self.grid_list = QListWidget()
        self.grid_list.setMinimumHeight(90)
        self.grid_list.setToolTip(self.tr("Tick streets to narrow the plan; none ticked means "
                                          "every street"))
        self.grid_list.itemChanged.connect(lambda _item: self._update_preview())
        form.addRow(self.tr("Streets"), self.grid_list)

        self.category_list = QListWidget()
        self.category_list.setMinimumHeight(90)
        self.category_list.setToolTip(self.tr("Tick categories to narrow the plan; none ticked "
                                              "means every category"))
        chosen = set(plan.categories) if plan else set()
        for category in BusinessCategory:
            item = QListWidgetItem(labels.category(category.value))
            item.setData(ID_ROLE, category.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if category.value in chosen
                               else Qt.CheckState.Unchecked)
            self.category_list.addItem(item)
        self.category_list.itemChanged.connect(lambda _item: self._update_preview())
        form.addRow(self.tr("Categories"), self.category_list)

        self.times_spin = QSpinBox()
        self.times_spin.setRange(1, MAX_TIMES_PER_PERIOD)
        self.times_spin.setValue(plan.times_per_period if plan else 1)
        self.period_spin = QSpinBox()
        self.period_spin.setRange(1, MAX_PERIOD_DAYS)
        self.period_spin.setValue(plan.period_days if plan else 30)
        self.period_spin.setSuffix(self.tr(" days"))
        self.times_spin.valueChanged.connect(lambda _v: self._update_preview())
        self.period_spin.valueChanged.connect(lambda _v: self._update_preview())
        form.addRow(self.tr("Looks per business"), self.times_spin)
        form.addRow(self.tr("In a period of"), self.period_spin)

        self.preview = QLabel()
        self.preview.setWordWrap(True)
        form.addRow("", self.preview)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {rule_state_color('breach').name()};")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill_grids(set(plan.grid_ids) if plan else set())

    # ------------------------------------------------------------------ API
    def district_id(self) -> str | None:
        data = self.district_box.currentData()
        return str(data) if data else None

    def set_checked(self, which: str, ids: Sequence[str]) -> None:
        """Tick exactly ``ids`` in the ``"grids"`` or ``"categories"`` list (tests, presets)."""
        widget = self.grid_list if which == "grids" else self.category_list
        for i in range(widget.count()):
            item = widget.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in ids
                               else Qt.CheckState.Unchecked)

    def spec(self) -> PatrolPlanSpec:
        return PatrolPlanSpec(
            id=self._id, name=self.name_edit.text().strip(), district_id=self.district_id(),
            grid_ids=tuple(self._checked(self.grid_list)),
            categories=tuple(self._checked(self.category_list)),
            business_ids=self.plan.business_ids if self.plan else (),
            times_per_period=self.times_spin.value(), period_days=self.period_spin.value(),
            version=self.plan.version if self.plan else 1)

    def matching_businesses(self) -> int:
        spec = self.spec()
        return sum(1 for b in self._businesses if spec.includes(b))

    def validate(self) -> list[str]:
        """What prevents saving, for the officer (the spin boxes keep the numbers in range)."""
        problems = []
        if not self.name_edit.text().strip():
            problems.append(self.tr("Give the plan a name."))
        if self.district_box.count() == 0:
            problems.append(self.tr("There is no district you may plan patrols in."))
        return problems

    def accept(self) -> None:
        problems = self.validate()
        if problems:
            self.error_label.setText("\n".join(problems))
            self.error_label.show()
            return
        super().accept()

    def plan_payload(self) -> dict[str, Any]:
        """``PatrolPlan`` columns for ``patrol_plan.save``; a change carries the version the
        officer edited (``expected_version``) so a concurrent edit is refused, not lost."""
        spec = self.spec()
        payload: dict[str, Any] = {
            "id": spec.id, "name": spec.name, "district_id": spec.district_id,
            "selection": spec.selection, "times_per_period": spec.times_per_period,
            "period_days": spec.period_days}
        if self.plan is not None:
            payload["expected_version"] = self.plan.version
        return payload

    # ------------------------------------------------------------------ internals
    @staticmethod
    def _checked(widget: QListWidget) -> list[str]:
        return [str(widget.item(i).data(ID_ROLE)) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def _fill_grids(self, chosen: set[str]) -> None:
        district = self.district_id()
        self.grid_list.blockSignals(True)
        self.grid_list.clear()
        for ident, name, grid_district in self._grids:
            if district is not None and grid_district != district:
                continue
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, ident)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if ident in chosen
                               else Qt.CheckState.Unchecked)
            self.grid_list.addItem(item)
        self.grid_list.blockSignals(False)
        self._update_preview()

    def _on_district_changed(self, _index: int) -> None:
        self._fill_grids(set(self._checked(self.grid_list)))

    def _update_preview(self) -> None:
        if not self._businesses:
            self.preview.setText("")
            return
        count = self.matching_businesses()
        spec = self.spec()
        text = self.tr("Matches %1 businesses: %2 looks per period").replace(
            "%1", str(count)).replace("%2", str(count * spec.times_per_period))
        if spec.business_ids:
            text += " " + self.tr("(limited to %1 chosen businesses)").replace(
                "%1", str(len(spec.business_ids)))
        self.preview.setText(text)
