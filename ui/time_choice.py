"""A time a person must choose (never defaulted): it starts unchosen, with a Now button."""

from __future__ import annotations

from bedside_ui.action_dialog import edit_time, readable_calendar
from PySide6.QtCore import QDateTime, QEvent, QObject
from PySide6.QtWidgets import QDateTimeEdit, QHBoxLayout, QPushButton, QWidget

EARLIEST = 30 * 86400.0
"""How far back a time may be chosen: the unchosen value sits there, shown as 'choose…'."""


class TimeChoice(QWidget):
    """A time that starts unchosen (shows `unset`), with a Now button. Unchosen, it holds the
    earliest time it takes; its calendar then opens on the screen's month, so a click on a day picks
    that day (the earliest time's month would show today's number highlighted in the month before)."""

    def __init__(self, unset: str, now: float) -> None:
        """`now`: the screen's time, which the Now button sets."""
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._now = now
        self.edit = QDateTimeEdit()
        self.edit.setDisplayFormat("dd MMM yyyy HH:mm")
        self.edit.setCalendarPopup(True)
        self.calendar = readable_calendar()
        self.edit.setCalendarWidget(self.calendar)
        self.calendar.installEventFilter(self)
        self.edit.setMinimumDateTime(QDateTime.fromSecsSinceEpoch(int(now - EARLIEST)))
        self.edit.setSpecialValueText(unset)
        self.edit.setDateTime(self.edit.minimumDateTime())
        self.now_button = QPushButton(self.tr("Now"))
        self.now_button.clicked.connect(lambda: self.set(now))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.now_button)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.calendar and event.type() == QEvent.Type.Show and self.value() is None:
            today = QDateTime.fromSecsSinceEpoch(int(self._now)).date()
            self.calendar.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def set(self, at: float) -> None:
        """Show `at` (a recorded time older than the earliest the form offers moves that back)."""
        when = QDateTime.fromSecsSinceEpoch(int(at))
        if when <= self.edit.minimumDateTime():
            self.edit.setMinimumDateTime(when.addSecs(-60))
        self.edit.setDateTime(when)

    def value(self) -> float | None:
        if self.edit.dateTime() == self.edit.minimumDateTime():
            return None
        return edit_time(self.edit)
