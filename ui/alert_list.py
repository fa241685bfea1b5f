"""The Alerts list: every open alert and those resolved in the last 24 h, each problem with the alerts
folded under it, and the place to acknowledge any of them (one or several at once), not only the one
the banner shows. It stays open while the screen refreshes, so the nurse sees each acknowledgement
land; the write itself is the window's, signed by the user signed in and written through
ui/actions.py like every other. Each acknowledgement shows its signature: the printed name, the role,
the time and the meaning."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from bedside_ui.alert_words import alert_message, alert_rule, alert_title
from bedside_ui.theme import SEVERITY_COLOUR, SEVERITY_TEXT, severity_text
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bedside.alert_screen import (
    Row,
    ack_comment_text,
    ack_targets,
    acknowledgeable,
    list_rows,
    row_escalation_text,
)
from bedside.alerts import Alert
from bedside.i18n import _
from bedside.i18n import strftime as local_strftime
from bedside.review_signatures import signature_text
from bedside.rules.ruleset import RuleSet
from bedside.users import User, meaning_text, role_name

COLUMNS = (
    QT_TRANSLATE_NOOP("AlertListDialog", "Severity"),
    QT_TRANSLATE_NOOP("AlertListDialog", "Rule"),
    QT_TRANSLATE_NOOP("AlertListDialog", "Alert"),
    QT_TRANSLATE_NOOP("AlertListDialog", "Since"),
    QT_TRANSLATE_NOOP("AlertListDialog", "State"),
    QT_TRANSLATE_NOOP("AlertListDialog", "Escalated"),
    QT_TRANSLATE_NOOP("AlertListDialog", "Acknowledged by"),
    QT_TRANSLATE_NOOP("AlertListDialog", "When"),
    QT_TRANSLATE_NOOP("AlertListDialog", "Comment"),
    QT_TRANSLATE_NOOP("AlertListDialog", "Signature"),
)
"""The table's headers, translated where shown."""
MAX_HEIGHT = 700
"""A 1366x768 screen less its panel and the title bar: the buttons must stay on screen, the table
scrolls instead."""
INDENT = "    ↳ "


def _local(at: float | None, fmt: str = "%d %b %H:%M") -> str:
    return "" if at is None else local_strftime(datetime.fromtimestamp(at), fmt)


def _acknowledger(a: Alert) -> str:
    """The signer's printed name; the username the record holds when it was not signed."""
    if a.ack_signature is not None:
        return a.ack_signature.name
    waiting = QCoreApplication.translate("AlertListDialog", "not acknowledged")
    return a.acked_by or (waiting if acknowledgeable(a) else "")


class AlertListDialog(QDialog):
    acknowledge = Signal(list, str)
    """(alert ids, comment): the window has them signed, writes them and refreshes this list."""

    def __init__(
        self,
        escalation_minutes: dict[str, float],
        notice: str,
        parent: QWidget | None = None,
        clock=time.time,  # type: ignore[no-untyped-def]
        rules: RuleSet | None = None,
    ) -> None:
        """`rules`: the rule set whose Spanish titles and messages the list shows (what is stored
        is English); without it, the stored texts."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Alerts: open, and resolved in the last 24 h"))
        self._rules = rules
        self.setModal(False)
        self._clock = clock
        self._allowed = False
        self._minutes = escalation_minutes
        self._alerts: list[Alert] = []
        self._shown: tuple[object, ...] = ()
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Select one or several alerts that are not acknowledged yet (Ctrl or Shift for several) and "
                "acknowledge them. An alert indented under a problem is acknowledged with it."
            )
            + f"<br><i>{_(notice)}</i>"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((65, 65, 220, 88, 120, 235, 110, 45, 90, 280)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._check)
        layout.addWidget(self.table, stretch=1)
        self.empty = QLabel(self.tr("No alert open or resolved in the last 24 h."))
        self.empty.hide()
        layout.addWidget(self.empty)
        form = QFormLayout()
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("optional: what you saw or did"))
        self.signer = QLabel("")
        form.addRow(self.tr("Comment"), self.comment)
        form.addRow(self.tr("By"), self.signer)
        layout.addLayout(form)
        self.note = QLabel(
            self.tr(
                "Acknowledging says you have seen it; it stays open until the values recover. You sign it "
                "with your password; the signature is recorded in the safety log with the time."
            )
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = QHBoxLayout()
        self.ack_button = QPushButton(self.tr("Acknowledge selected"))
        self.ack_button.setDefault(True)
        self.ack_button.clicked.connect(self._acknowledge)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.ack_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setMaximumHeight(MAX_HEIGHT)
        self.resize(1360, 560)
        self._check()

    # ---- content -----------------------------------------------------------------------------------

    def show_alerts(self, alerts: Sequence[Alert], recent: Sequence[Alert]) -> None:
        """Called with every refresh; the table is rebuilt only when what it shows changed, so a
        selection in progress and the scroll position survive the screen's 1 s refresh."""
        rows = list_rows(alerts, recent)
        key = tuple((r.depth, r.alert) for r in rows)
        if key == self._shown:
            return
        self._shown = key
        self._alerts = [*alerts, *recent]
        keep = set(self.selected_ids())
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for column, item in enumerate(self._items(row)):
                if not item.toolTip():
                    item.setToolTip(item.text())
                self.table.setItem(i, column, item)
        # The short columns, the alert's name and who acknowledged it take their longest text whole
        # ("open, acknowledged", a Spanish rule's name, "not acknowledged" were cut); a comment up to
        # a third of the table, the signature the rest, each cell's whole text in its tooltip.
        for column in (0, 1, 2, 3, 4, 5, 6, 7, 8):
            self.table.resizeColumnToContents(column)
        comment = self.table.columnWidth(8)
        self.table.setColumnWidth(8, max(90, min(comment, self.table.viewport().width() // 3)))
        self.table.blockSignals(False)
        for row in rows:
            if row.alert.id in keep and acknowledgeable(row.alert):
                self.select_alert(row.alert.id)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._check()

    def _items(self, row: Row) -> list[QTableWidgetItem]:
        a = row.alert
        indent = INDENT if row.depth else ""
        if a.state == "resolved":
            state = self.tr("resolved {time}").format(time=_local(a.resolved_at, "%H:%M"))
        elif a.state == "raised":
            state = self.tr("open")
        else:
            state = self.tr("open, acknowledged")
        texts = (
            severity_text(a.severity),
            indent + alert_rule(a, self._rules),
            indent + alert_title(a, self._rules),
            _local(a.fired_at),
            state,
            row_escalation_text(row, self._minutes.get(a.severity)),
            _acknowledger(a),
            _local(a.acked_at, "%H:%M"),
            ack_comment_text(a.ack_comment),
            ""
            if a.ack_signature is None
            else f"{role_name(a.ack_signature.role)} · {meaning_text(a.ack_signature.meaning)}",
        )
        items = []
        for text in texts:
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(
                alert_message(a, self._rules)
                + (
                    ""
                    if a.ack_signature is None
                    else "\n" + self.tr("Signed: ") + signature_text(a.ack_signature)
                )
            )
            # Only what can still be acknowledged is selectable: the selection is what gets written.
            flags = Qt.ItemFlag.ItemIsEnabled
            if acknowledgeable(a):
                flags |= Qt.ItemFlag.ItemIsSelectable
            item.setFlags(flags)
            items.append(item)
        if a.state != "resolved":
            items[0].setBackground(QBrush(QColor(SEVERITY_COLOUR.get(a.severity, "#78909c"))))
            items[0].setForeground(QBrush(QColor(SEVERITY_TEXT.get(a.severity, "#ffffff"))))
        if (a.escalated and a.state == "raised") or row.escalated_with is not None:
            items[5].setBackground(QBrush(QColor(SEVERITY_COLOUR["high"])))
            items[5].setForeground(QBrush(QColor(SEVERITY_TEXT["high"])))
        font = items[2].font()
        font.setBold(row.depth == 0)
        items[2].setFont(font)
        return items

    def row_of(self, alert_id: int) -> int:
        for i in range(self.table.rowCount()):
            item = self.table.item(i, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == alert_id:
                return i
        return -1

    def select_alert(self, alert_id: int) -> None:
        """Add one alert's row to the selection (as a Ctrl+click would)."""
        i = self.row_of(alert_id)
        if i >= 0:
            for column in range(self.table.columnCount()):
                item = self.table.item(i, column)
                if item is not None:
                    item.setSelected(True)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        out = []
        for i in rows:
            item = self.table.item(i, 0)
            if item is not None:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    # ---- acknowledging -----------------------------------------------------------------------------

    def targets(self) -> list[int]:
        return ack_targets(self.selected_ids(), self._alerts)

    def allow_acknowledging(self, user: User | None, allowed: bool) -> None:
        """Who is signed in (None: the screen is locked) and whether they may acknowledge."""
        self._allowed = allowed
        if user is None:
            self.signer.setText(self.tr("nobody signed in: sign in on the screen to acknowledge"))
        elif allowed:
            self.signer.setText(
                self.tr("{name} ({role}), signing with your password").format(
                    name=user.full_name, role=role_name(user.role)
                )
            )
        else:
            self.signer.setText(
                self.tr("{name} ({role}): this role does not acknowledge alerts").format(
                    name=user.full_name, role=role_name(user.role)
                )
            )
        self.ack_button.setToolTip("" if allowed else self.tr("Sign in to acknowledge"))
        self._check()

    def _check(self) -> None:
        n = len(self.targets())
        self.ack_button.setText(
            self.tr("Acknowledge selected ({n})").format(n=n) if n else self.tr("Acknowledge selected")
        )
        self.ack_button.setEnabled(n > 0 and self._allowed)

    def _acknowledge(self) -> None:
        ids = self.targets()
        if not ids or not self._allowed:
            return
        self.acknowledge.emit(ids, self.comment.text().strip())

    def acknowledged(self) -> None:
        """Signed: the selection and the comment are written and cleared (kept when not signed)."""
        self.table.clearSelection()
        self.comment.clear()
