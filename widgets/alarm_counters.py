"""Alarm counters for the status bar: how many alarms wait in each state, how many popups
wait for the operator, and the sound switch.

Each count is a link: clicking "5 open" shows the open alarms in the list; clicking "12 more
waiting" brings up the next waiting alarm. The colours are the list's state colours, so the
eye connects the two.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from resources.i18n import QT_TRANSLATE_NOOP
from widgets.theme import alarm_state_color

#: Counted states in display order, with their status-bar words ("%1" is the number).
COUNTED = (
    ("open", QT_TRANSLATE_NOOP("AlarmCounters", "%1 open")),
    ("acknowledged", QT_TRANSLATE_NOOP("AlarmCounters", "%1 acknowledged")),
    ("dispatched", QT_TRANSLATE_NOOP("AlarmCounters", "%1 dispatched")),
)


class AlarmCounters(QWidget):
    """``Alarms: 3 open · 1 acknowledged · 7 dispatched · 12 popups waiting  [🔔]``

    Signals:
        state_clicked(str): the operator clicked a state's count.
        next_requested(): the operator clicked the waiting popups.
    """

    state_clicked = Signal(str)
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("alarm-counts")
        self.counts_label.linkActivated.connect(self._on_link)
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("alarm-popups-waiting")
        self.waiting_label.linkActivated.connect(self._on_link)
        self.waiting_label.hide()
        self.sound_button = QToolButton()
        self.sound_button.setObjectName("alarm-sound")
        self.sound_button.setAutoRaise(True)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.waiting_label)
        layout.addWidget(self.sound_button)
        self._counts: dict[str, int] = {}
        self.set_counts({})

    def set_sound_action(self, action: QAction) -> None:
        """The mute toggle (owned by the console's sound player)."""
        self.sound_button.setDefaultAction(action)

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        self._counts = {state: int(counts.get(state, 0)) for state, _ in COUNTED}
        parts = []
        for state, source in COUNTED:
            n = self._counts[state]
            text = self.tr(source).replace("%1", str(n))
            color = alarm_state_color(state).name() if n else "#868e96"
            weight = "bold" if n and state == "open" else "normal"
            parts.append(f"<a href='{state}' style='color:{color}; font-weight:{weight}; "
                         f"text-decoration:none'>{text}</a>")
        self.counts_label.setText(self.tr("Alarms:") + " " + " · ".join(parts))
        self.counts_label.setToolTip(self.tr("Click a number to list those alarms"))

    def set_waiting(self, waiting: int, dropped: int = 0) -> None:
        """Alarm popups waiting for room on screen (and ones the full queue had to drop)."""
        if waiting <= 0 and dropped <= 0:
            self.waiting_label.hide()
            return
        text = self.tr("%1 popups waiting").replace("%1", str(waiting))
        html = f"<a href='next' style='color:#e8590c; text-decoration:none'>{text}</a>"
        tip = self.tr("Click to show the next waiting alarm now")
        if dropped:
            tip += "\n" + self.tr("%1 popups were not queued during a storm; those alarms are "
                                  "in the list").replace("%1", str(dropped))
        self.waiting_label.setText(html)
        self.waiting_label.setToolTip(tip)
        self.waiting_label.setVisible(True)

    def _on_link(self, link: str) -> None:
        if link == "next":
            self.next_requested.emit()
        else:
            self.state_clicked.emit(link)
