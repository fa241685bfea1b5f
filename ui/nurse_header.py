"""The nurse's screen's header: the patient (and the bed switcher, the demo tag, who is signed in)
above, the dose, its state and its buttons below. What it says is decided in bedside.nurse_screen."""

from __future__ import annotations

from bedside_ui.fit import FitLabel
from bedside_ui.session_bar import SessionBar
from bedside_ui.theme import SEVERITY_STYLE, Theme
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from bedside.nurse_screen import DoseLine, PatientLine


class NurseHeader:
    """Two rows, so the header fits 1366 px whatever it holds. Each text shrinks its font to its
    room rather than widen the window past the screen or lose a character."""

    def __init__(self, demo: bool) -> None:
        self.layout = QVBoxLayout()
        self.layout.setSpacing(0)
        top = QHBoxLayout()
        row = QHBoxLayout()
        self.layout.addLayout(top)
        self.layout.addLayout(row)
        self.patient_label = FitLabel(
            QCoreApplication.translate("NurseHeader", "No patient yet"), 20, bold=True, smallest=12
        )
        self.details_label = FitLabel("", 12, smallest=8)
        self.details_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.patient_label)
        top.addSpacing(12)
        top.addWidget(self.details_label, stretch=1)
        self.dose_label = FitLabel(
            QCoreApplication.translate("NurseHeader", "No dose recorded"), 14, bold=True, smallest=9
        )
        self.infusion_label = FitLabel("", 14, smallest=9)
        self.infusion_label.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.dose_label)
        row.addSpacing(16)
        row.addWidget(self.infusion_label, stretch=1)
        self.start_button = QPushButton(QCoreApplication.translate("NurseHeader", "Start dose…"))
        self.stop_button = QPushButton(QCoreApplication.translate("NurseHeader", "Stop dose…"))
        self.confirm_button = QPushButton(QCoreApplication.translate("NurseHeader", "Confirm start…"))
        for b in (self.confirm_button, self.start_button, self.stop_button):
            row.addWidget(b)
        self.stop_button.hide()
        self.confirm_button.hide()
        self.bed_choice = QComboBox()
        self.bed_choice.setToolTip(
            QCoreApplication.translate("NurseHeader", "Switch bed (Ctrl+PgDown / Ctrl+PgUp)")
        )
        self.bed_choice.hide()
        # A long bed name must not widen the window: the list shows it in full when opened.
        self.bed_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.bed_choice.setMinimumContentsLength(24)
        top.addWidget(self.bed_choice)
        self.demo_tag: QLabel | None = None
        if demo:
            self.demo_tag = QLabel(QCoreApplication.translate("NurseHeader", "DEMO · synthetic data"))
            top.addWidget(self.demo_tag)
        self.session_bar = SessionBar()
        top.addLayout(self.session_bar.layout)
        # A death ADT reported and nobody confirmed yet: its own line, only while it is pending.
        self.reported_death_label = FitLabel("", 12, bold=True, smallest=8)
        self.reported_death_label.hide()
        self.layout.addWidget(self.reported_death_label)

    def apply_theme(self, theme: Theme) -> None:
        self.session_bar.apply_theme(theme)
        # The header's texts size themselves to fit (FitLabel): their style sheets carry colour only.
        self.details_label.setStyleSheet(f"color:{theme.quiet};")
        if self.demo_tag is not None:
            self.demo_tag.setStyleSheet(f"font-size:11pt; padding:2px 8px; border:1px solid {theme.quiet};")

    def show_patient(self, line: PatientLine) -> None:
        self.patient_label.setText(line.name)
        self.details_label.setText(line.details)

    def show_reported_death(self, text: str, theme: Theme) -> None:
        """The line `bedside.nurse_screen.reported_death_line` gives; hidden when it is empty."""
        self.reported_death_label.setText(text)
        self.reported_death_label.setStyleSheet(f"color:{theme.text};")
        self.reported_death_label.setVisible(bool(text))

    def show_dose(self, line: DoseLine, theme: Theme) -> None:
        self.confirm_button.setVisible(line.candidate)
        self.stop_button.setVisible(line.running)
        self.dose_label.setText(line.heading)
        if not line.recorded:
            self.infusion_label.setText(f'<span style="color:{theme.quiet}">{line.state}</span>')
            return
        unconfirmed = (
            f' · <span style="{SEVERITY_STYLE["medium"]}">&nbsp;{line.unconfirmed}&nbsp;</span>'
            if line.unconfirmed
            else ""
        )
        self.infusion_label.setText(line.state + unconfirmed)

    def show_beds(self, choices: list[tuple[str, str]], current: str | None) -> None:
        """The bed switcher, shown only with more than one bed to switch between."""
        if not choices:
            self.bed_choice.hide()
            return
        have = [
            (self.bed_choice.itemText(i), self.bed_choice.itemData(i)) for i in range(self.bed_choice.count())
        ]
        if have != choices:
            self.bed_choice.clear()
            for text, ref in choices:
                self.bed_choice.addItem(text, ref)
        i = self.bed_choice.findData(current)
        if i >= 0:
            self.bed_choice.setCurrentIndex(i)
        self.bed_choice.show()

    def bed_after(self, step: int) -> str | None:
        """The patient `step` beds on from the one chosen, round the ward; None without a switcher."""
        n = self.bed_choice.count()
        return str(self.bed_choice.itemData((self.bed_choice.currentIndex() + step) % n)) if n else None
