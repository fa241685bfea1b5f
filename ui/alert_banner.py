"""The nurse's screen's banner (the alert to act on, or what is watched, with Acknowledge, Alerts and
Mute beside it) and the technical strip below it (what Bedside cannot see, cyan). What they say is
decided in bedside.nurse_screen; the sound itself is bedside.alert_screen.AlertSound's."""

from __future__ import annotations

import html
import re

from bedside_ui.theme import SEVERITY_STYLE, TECHNICAL, Theme
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from bedside.alert_screen import MUTE_SECONDS, Mute
from bedside.i18n import localize_number
from bedside.nurse_screen import Banner, local

MUTE_TIP = QT_TRANSLATE_NOOP(
    "AlertBanner",
    "Silence Bedside's sound for 2 min (logged). The monitor and the pump keep the primary alarms.",
)
"""Translated where it is shown (the language is chosen after import)."""


SMALL_PRINT = re.compile(r"^(?P<head>.*?<br>)<span style='font-size:11pt'>(?P<small>.*)</span>$", re.DOTALL)
SMALL_PRINT_LINES = 2
"""Lines the banner's explanation may take: a long one (a reaction acknowledged with many parts) would
push the trends' tick numbers off a 1366x768 screen. The whole text is in the tooltip and the list."""


def short_banner(text: str, width: int) -> str:
    """The banner's text with its small print cut to SMALL_PRINT_LINES lines of `width` px, with "…"."""
    found = SMALL_PRINT.match(text)
    if found is None or width <= 0:
        return text
    font = QFont()
    font.setPointSize(11)
    plain = html.unescape(re.sub(r"<[^>]+>", "", found["small"]))
    # Words wrap, so a line holds a little less than its width: leave each line a tenth.
    cut = QFontMetrics(font).elidedText(
        plain, Qt.TextElideMode.ElideRight, int(SMALL_PRINT_LINES * width * 0.9)
    )
    if cut == plain:
        return text
    return f"{found['head']}<span style='font-size:11pt'>{html.escape(cut)}</span>"


def restyle(widget: QWidget, sheet: str) -> None:
    """Set a style sheet only when it changes: re-polishing costs milliseconds on every tick."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


class AlertBanner(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel("")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.ack_button = QPushButton(QCoreApplication.translate("AlertBanner", "Acknowledge…"))
        self.ack_button.setToolTip(
            QCoreApplication.translate("AlertBanner", "Acknowledge the alert shown (A)")
        )
        self.alerts_button = QPushButton(QCoreApplication.translate("AlertBanner", "Alerts"))
        self.alerts_button.setToolTip(
            QCoreApplication.translate(
                "AlertBanner", "Every open alert: acknowledge any of them, one or several"
            )
        )
        # High and escalated alerts sound until acknowledged; a mute is short, logged, and expires.
        self.mute_button = QPushButton(_mute_text())
        self.mute_button.setToolTip(QCoreApplication.translate("AlertBanner", MUTE_TIP))
        self.mute_button.hide()  # shown while something sounds, or while muted
        row = QHBoxLayout()
        row.addWidget(self.label, stretch=1)
        row.addWidget(self.ack_button)
        row.addWidget(self.alerts_button)
        row.addWidget(self.mute_button)
        self.setLayout(row)
        self._full = ""

    def show_banner(self, banner: Banner, theme: Theme) -> None:
        self.ack_button.setEnabled(banner.can_acknowledge)
        self.alerts_button.setText(banner.alerts_button)
        self.alerts_button.setToolTip(banner.alerts_tip)
        if banner.severity is None:
            restyle(self, f"QFrame {{ background:{theme.panel}; }}")
            restyle(self.label, "font-size:14pt; padding:4px;")
        else:
            style = SEVERITY_STYLE.get(banner.severity, "")
            restyle(self, f"QFrame {{ {style} }}")
            restyle(self.label, f"font-size:14pt; padding:4px; {style}")
        self._full = banner.text
        self._fit()

    def _fit(self) -> None:
        shown = short_banner(self._full, self.label.width() - 12)
        self.label.setText(shown)
        # Cut short, the whole explanation is one hover away (and in the Alerts list).
        self.label.setToolTip(self._full if shown != self._full else "")

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        if self._full:
            self._fit()

    def show_mute(self, mute: Mute | None, sounding: bool) -> None:
        """The Mute button: shown while something sounds or while muted, and saying until when."""
        self.mute_button.setVisible(mute is not None or sounding)
        if mute is not None:
            self.mute_button.setText(
                QCoreApplication.translate("AlertBanner", "Muted until {time} ({by})").format(
                    time=local(mute.until, "%H:%M:%S"), by=mute.by
                )
            )
            self.mute_button.setToolTip(
                QCoreApplication.translate(
                    "AlertBanner", "Bedside's sound is muted; click to turn it back on now"
                )
            )
        else:
            self.mute_button.setText(_mute_text())
            self.mute_button.setToolTip(QCoreApplication.translate("AlertBanner", MUTE_TIP))


def _mute_text() -> str:
    return QCoreApplication.translate("AlertBanner", "Mute {minutes} min…").format(
        minutes=localize_number(f"{MUTE_SECONDS / 60:g}")
    )


class TechnicalStrip(QLabel):
    """Feeds that stopped during a dose, a stalled rule engine: cyan, loud, hidden when all is seen."""

    def __init__(self) -> None:
        super().__init__("")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.hide()

    def show_warnings(self, warnings: list[str]) -> None:
        self.setVisible(bool(warnings))
        restyle(self, "font-size:13pt; font-weight:600; padding:4px 6px;" + TECHNICAL)
        self.setText("<br>".join(warnings))
