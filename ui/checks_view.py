"""The nurse's screen's bottom row: the dose's check schedule with Record vitals, Sign check and
Record adverse event (left), and feed health, alerting, the secondary-display notice and the
services (right). What they say is decided in bedside.nurse_screen."""

from __future__ import annotations

import html

from bedside_ui.theme import TECHNICAL, Theme
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from bedside.adverse_events import open_reports
from bedside.checks import CheckState
from bedside.death_sae import death_sae_text
from bedside.i18n import _
from bedside.nurse_checks import Checks
from bedside.nurse_screen import SECONDARY_NOTICE, FeedChip, local, time_zone
from bedside.status import PatientStatus

MISSED_COLOUR = "#e53935"
DUE_COLOUR = "#f9a825"


class ChecksView:
    def __init__(self) -> None:
        self.layout = QVBoxLayout()
        self.layout.setSpacing(2)
        self.label = QLabel(QCoreApplication.translate("ChecksView", "Checks: no dose"))
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.layout.addWidget(self.label)
        buttons = QHBoxLayout()
        self.sign_button = QPushButton(QCoreApplication.translate("ChecksView", "Sign check…"))
        self.sign_button.setEnabled(False)  # until a dose's schedule is on screen
        self.ae_button = QPushButton(QCoreApplication.translate("ChecksView", "Record adverse event…"))
        self.vitals_button = QPushButton(QCoreApplication.translate("ChecksView", "Record vitals…"))
        self.vitals_button.setToolTip(
            QCoreApplication.translate(
                "ChecksView", "Vital signs measured by hand: temperature, cuff BP, SpO2, HR, RR"
            )
        )
        self.vitals_button.setEnabled(False)  # until a patient is on screen
        self.medication_button = QPushButton(QCoreApplication.translate("ChecksView", "Record medication…"))
        self.medication_button.setToolTip(
            QCoreApplication.translate("ChecksView", "A co-medication given that the eMAR did not send")
        )
        self.medication_button.setEnabled(False)  # until a patient is on screen
        buttons.addWidget(self.vitals_button)
        buttons.addWidget(self.medication_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.ae_button)
        buttons.addStretch(1)
        self.layout.addLayout(buttons)
        # Serious adverse events whose report to the sponsor is still due: shown until reported.
        self.sae_label = QLabel("")
        self.sae_label.setTextFormat(Qt.TextFormat.RichText)
        self.sae_label.setWordWrap(True)
        self.sae_label.hide()
        self.layout.addWidget(self.sae_label)

    def apply_theme(self, _theme: Theme) -> None:
        self.label.setStyleSheet("font-size:11pt;")

    def show_checks(self, checks: Checks, theme: Theme) -> None:
        if checks.dose is None:
            none = QCoreApplication.translate("ChecksView", "Checks: no dose recorded")
            self.label.setText(f'<span style="color:{theme.quiet}">{none}</span>')
            self.sign_button.setEnabled(False)
            return
        colours = {
            CheckState.DUE: DUE_COLOUR,
            CheckState.OVERDUE: DUE_COLOUR,
            CheckState.MISSED: MISSED_COLOUR,
            CheckState.DONE: theme.quiet,
        }
        # A line breaks between checks, never inside one: "next" and its time on two lines read as two.
        items = [
            f'<span style="color:{colours.get(r.state, theme.text)}; white-space:nowrap">{r.mark} {r.label}'
            f" <small>{r.detail}</small></span>"
            for r in checks.rows
        ]
        if checks.more_missed:
            more = (
                QCoreApplication.translate("ChecksView", "and 1 more missed")
                if checks.more_missed == 1
                else QCoreApplication.translate("ChecksView", "and {n} more missed").format(
                    n=checks.more_missed
                )
            )
            items.append(f'<span style="color:{MISSED_COLOUR}; white-space:nowrap">{more}</span>')
        heading = QCoreApplication.translate("ChecksView", "Checks, dose {dose}").format(dose=checks.dose)
        self.label.setText(f"<b>{heading}</b>&nbsp;&nbsp; " + "&nbsp;&nbsp; ".join(items))
        self.sign_button.setEnabled(bool(checks.signable))

    def show_sae_reports(self, status: PatientStatus, now: float) -> None:
        """Each serious adverse event's 24-hour report clock until a report is recorded."""

        def when(at: float) -> str:
            return local(at, "%d %b %H:%M")

        lines = open_reports(status.adverse_events, now, when)
        death = status.death_sae
        if death is not None and death.state == "due":
            # ICH E2A: a death is serious; its report is due until a fatal event or a reason is on record.
            lines.insert(0, (death.clock(now).state, death_sae_text(death, now, when)))
        colours = {"overdue": MISSED_COLOUR, "due": DUE_COLOUR}
        self.sae_label.setText(
            "&nbsp;&nbsp; ".join(
                f'<span style="color:{colours.get(state, MISSED_COLOUR)}">{html.escape(line)}</span>'
                for state, line in lines
            )
        )
        self.sae_label.setVisible(bool(lines))


class FeedsView:
    def __init__(self) -> None:
        self.layout = QVBoxLayout()
        self.layout.setSpacing(2)
        self.feeds_label = QLabel(QCoreApplication.translate("FeedsView", "Waiting for data…"))
        self.feeds_label.setTextFormat(Qt.TextFormat.RichText)
        self.feeds_label.setWordWrap(True)  # many feeds must not widen the window past the screen
        self.alerting_label = QLabel("")
        self.alerting_label.setTextFormat(Qt.TextFormat.RichText)
        self.notice_label = QLabel(_(SECONDARY_NOTICE))  # the core's text, in the language chosen
        self.notice_label.setWordWrap(True)
        self.service_label = QLabel("")
        self.layout.addWidget(self.feeds_label)
        # Every label here wraps: a long line must never widen the window past a 1366 px screen.
        for label in (self.alerting_label, self.service_label):
            label.setWordWrap(True)
        self.layout.addWidget(self.alerting_label)
        self.layout.addWidget(self.notice_label)
        self.layout.addWidget(self.service_label)

    def apply_theme(self, theme: Theme) -> None:
        quiet = f"color:{theme.quiet};"
        self.notice_label.setStyleSheet(quiet)
        self.service_label.setStyleSheet(quiet)
        self.feeds_label.setStyleSheet("font-size:10pt;")

    def show_feeds(self, chips: list[FeedChip], theme: Theme) -> None:
        quiet = f"color:{theme.quiet};"
        parts = []
        for chip in chips:
            if chip.technical:
                parts.append(f'<span style="{TECHNICAL}">&nbsp;{chip.text}&nbsp;</span>')
            elif chip.quiet:
                parts.append(f'<span style="{quiet}">{chip.text}</span>')
            else:
                parts.append(chip.text)
        feeds = QCoreApplication.translate("FeedsView", "Feeds")
        zone = QCoreApplication.translate("FeedsView", "Times in {zone}").format(zone=time_zone())
        self.feeds_label.setText(
            f"<b>{feeds}</b>&nbsp; "
            + "&nbsp;&nbsp; ".join(parts)
            + f'&nbsp;&nbsp; <span style="{quiet}">{zone}</span>'
        )

    def show_alerting(self, live: str | None, theme: Theme) -> None:
        if live is not None:
            # The rule set's label and the alerting node's name come from the database: text, not markup.
            self.alerting_label.setText(f'<span style="color:{theme.quiet}">{html.escape(live)}</span>')
        else:
            stopped = QCoreApplication.translate("FeedsView", "■ Alerting not live")
            self.alerting_label.setText(f'<span style="{TECHNICAL}">&nbsp;{stopped}&nbsp;</span>')

    def show_services(self, text: str) -> None:
        if text:  # nothing new to say keeps the last account on screen
            self.service_label.setText(text)
