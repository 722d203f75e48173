"""A 包保 visit with the category's checklist (格式化检查), and the administrator's editor.

The dialog shows the current checklist of the business's category (``GET /api/checklists``),
a verdict per item (pass / fail / not applicable) with a note, the visit's mode (on site or
online) and a note. Saving puts a ``baobao.visit`` action in the outbox naming the checklist
version used, and one ``task.dispatch`` per failed item with the item filled in
(:func:`domain.baobao.dispatch_payload`), so a failed item is followed up on site.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.baobao.text import verdict_text
from domain.baobao import ItemVerdict, VisitMode, default_checklist, dispatch_payload, failed_items
from domain.ids import new_id
from domain.registry import BusinessCategory
from widgets import labels


class VisitDialog(QDialog):
    """One visit: ``payloads()`` gives the actions to record once accepted."""

    def __init__(self, business: dict[str, Any], checklist: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("baobao-visit")
        self.business, self.checklist = business, checklist
        self.setWindowTitle(self.tr("包保 visit: %1").replace("%1", business.get("name", "")))
        root = QVBoxLayout(self)
        form = QFormLayout()
        self.mode = QComboBox()
        self.mode.addItem(self.tr("On site"), VisitMode.ONSITE)
        self.mode.addItem(self.tr("Online"), VisitMode.ONLINE)
        form.addRow(self.tr("Mode"), self.mode)
        form.addRow(self.tr("Checklist"), QLabel(
            self.tr("%1, version %2").replace("%1", labels.category(business["category"]))
            .replace("%2", str(checklist["version"]))))
        root.addLayout(form)
        items = checklist["items"]
        self.table = QTableWidget(len(items), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Verdict"),
                                              self.tr("Note")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.verdicts: list[QComboBox] = []
        self.notes: list[QLineEdit] = []
        for row, item in enumerate(items):
            self.table.setItem(row, 0, QTableWidgetItem(item["text"]))
            combo = QComboBox()
            for verdict in (ItemVerdict.PASS, ItemVerdict.FAIL, ItemVerdict.NOT_APPLICABLE):
                combo.addItem(verdict_text(verdict), verdict)
            combo.currentIndexChanged.connect(self._update_verdict)
            self.table.setCellWidget(row, 1, combo)
            note = QLineEdit()
            self.table.setCellWidget(row, 2, note)
            self.verdicts.append(combo)
            self.notes.append(note)
        root.addWidget(self.table, 1)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What you saw (optional)"))
        self.note.setMaximumHeight(70)
        root.addWidget(self.note)
        self.summary = QLabel()
        root.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        self.resize(760, 560)
        self._update_verdict()

    def items(self) -> list[dict[str, Any]]:
        return [{"key": item["key"], "text": item["text"],
                 "verdict": str(self.verdicts[i].currentData()),
                 "note": self.notes[i].text().strip()[:1000]}
                for i, item in enumerate(self.checklist["items"])]

    def _update_verdict(self) -> None:
        failed = len(failed_items(self.items()))
        self.summary.setText(
            self.tr("Verdict: problem found — %1 failed items, each becomes a task")
            .replace("%1", str(failed)) if failed else self.tr("Verdict: compliant"))
        self.summary.setStyleSheet("color: #c62828; font-weight: bold;" if failed else "")

    def payloads(self) -> list[tuple[str, dict[str, Any]]]:
        """The ``baobao.visit`` action, then a ``task.dispatch`` per failed item."""
        items = self.items()
        failed = failed_items(items)
        note = self.note.toPlainText().strip()[:4000]
        visit = {"id": new_id(), "business_id": self.business["id"],
                 "mode": str(self.mode.currentData()),
                 "verdict": "problem" if failed else "compliant",
                 "checklist_version": int(self.checklist["version"]), "note": note,
                 "items": [{k: v for k, v in item.items() if k != "text"} for item in items]}
        actions: list[tuple[str, dict[str, Any]]] = [("baobao.visit", visit)]
        for item in failed:
            actions.append(("task.dispatch", dispatch_payload(
                self.business["id"], item, category=self.business["category"],
                version=int(self.checklist["version"]), note=note, task_id=new_id())))
        return actions


class ChecklistEditor(QDialog):
    """The administrator's editor: one item a line, ``key | 中文 | English``; saving makes the
    category's next version (``checklist.save``; visits keep naming the one they used)."""

    def __init__(self, current: dict[str, dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("baobao-checklists")
        self.setWindowTitle(self.tr("Checklists per business category"))
        self.current = current
        root = QVBoxLayout(self)
        self.category = QComboBox()
        for category in BusinessCategory:
            self.category.addItem(labels.category(category), str(category))
        self.category.currentIndexChanged.connect(self._show)
        root.addWidget(self.category)
        self.version = QLabel()
        root.addWidget(self.version)
        hint = QLabel(self.tr("One item a line: key | text | English text (the key: a-z, 0-9 "
                              "and _)."))
        hint.setWordWrap(True)
        root.addWidget(hint)
        self.text = QPlainTextEdit()
        root.addWidget(self.text, 1)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        root.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        self.resize(720, 520)
        self._show()

    def _entry(self) -> dict[str, Any]:
        category = str(self.category.currentData())
        return self.current.get(category) or {"category": category, "version": 0,
                                              "items": default_checklist(category)}

    def _show(self) -> None:
        entry = self._entry()
        self.version.setText(self.tr("Version %1").replace("%1", str(entry["version"])))
        self.text.setPlainText("\n".join(
            f"{i['key']} | {i['text']} | {i.get('text_en', '')}" for i in entry["items"]))

    def payload(self) -> dict[str, Any] | None:
        """The ``checklist.save`` payload, or None with the reason shown."""
        items, seen = [], set()
        for n, line in enumerate(self.text.toPlainText().splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            key, text = parts[0], parts[1] if len(parts) > 1 else ""
            if not key or not text or key in seen or not key.replace("_", "").isalnum() \
                    or not key.isascii() or key.lower() != key:
                self.error.setText(self.tr("Line %1: needs a new key (a-z, 0-9, _) and a text")
                                   .replace("%1", str(n)))
                return None
            seen.add(key)
            items.append({"key": key[:40], "text": text[:200],
                          "text_en": (parts[2] if len(parts) > 2 else "")[:200]})
        if not items:
            self.error.setText(self.tr("A checklist needs at least one item"))
            return None
        entry = self._entry()
        return {"category": entry["category"], "items": items,
                "expected_version": int(entry["version"])}

    def _check(self) -> None:
        if self.payload() is not None:
            self.accept()


def tell(parent: QWidget, text: str) -> None:
    QMessageBox.information(parent, parent.windowTitle(), text)
