"""The form that records an adverse event: what happened (CTCAE v5.0 term and grade, onset,
relatedness, dose, linked alert) on the left, what expedited reporting needs (ICH E2A seriousness
criteria, awareness, outcome, end, action taken with the product, treatment, MedDRA code) on the
right, and what Bedside derives from them (expectedness against the reference safety information,
the SUSAR flag, the special interest, the 24-hour report clock) below, as it will be recorded.

Grade, relatedness and onset start unchosen: the form refuses to go on, naming what is missing,
until each is chosen. Relatedness and seriousness are assessments: a role that may not make them
(a nurse) records them as not yet assessed. The handler validates everything again (the one place
that decides); the form only keeps a missing choice from reaching it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from bedside_ui import actions
from bedside_ui.adverse_event_entries import NO_DOSE, AdverseEventEntries
from bedside_ui.adverse_event_words import (
    EXPECTEDNESS_WORDS,
    GRADE_WORDS,
    RELATEDNESS_WORDS,
    SERIOUSNESS_NAMES,
    word,
)
from bedside_ui.alert_words import alert_title, rule_before_title
from bedside_ui.confirm import confirm
from bedside_ui.time_choice import TimeChoice
from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from bedside import adverse_events as ae
from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.alerts import Alert
from bedside.commands import NOT_ASSESSED
from bedside.ctcae import ctcae, rsi, special_interest, term_text
from bedside.death_sae import DeathOnRecord, death_outcome_problem
from bedside.i18n import _, strftime
from bedside.rules.ruleset import RuleSet
from bedside.sae_clock import REPORT_WINDOW
from bedside.seriousness import SERIOUSNESS
from bedside.users import Action, User, may


def _choose(placeholder: str, values: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.addItem(placeholder, None)
    for text, value in values:
        box.addItem(text, value)
    return box


CHECKBOX_STYLE = (
    "QCheckBox::indicator { width:14px; height:14px; border:2px solid #78909c; border-radius:2px; }"
    " QCheckBox::indicator:checked { background:#1e88e5; border-color:#1e88e5; }"
    " QCheckBox:disabled { color:#808080; }"
    " QCheckBox::indicator:disabled { border-color:#808080; }"
)
"""Seriousness boxes visible on both themes: a mid-grey frame that stands out from black and from
white, filled when ticked; a disabled box stays legible, in grey."""


class AdverseEventDialog(AdverseEventEntries):
    def __init__(
        self,
        doses: list[int],
        alerts: Sequence[Alert],
        user: User,
        parent: QWidget | None = None,
        now: float | None = None,
        latest: ListedAdverseEvent | None = None,
        rules: RuleSet | None = None,
        death: DeathOnRecord | None = None,
    ) -> None:
        """`rules`: the rule set in use (alert titles in the screen's language).
        `latest`: the event's latest version (as the review reads it) for a follow-up, recorded as
        a new version with every field as the form shows it. `death`: the patient's recorded death
        (or that none is), so an outcome it contradicts is refused before the signature."""
        super().__init__(
            self.tr("Record a follow-up of adverse event #{event}").format(event=latest.id)
            if latest
            else self.tr("Record an adverse event"),
            self.tr(
                "Document an adverse event: its CTCAE v5.0 term and grade, onset and relatedness (all "
                "required), and for a serious one what the sponsor's report needs. Bedside derives "
                "expectedness, the SUSAR flag and the report's 24-hour deadline."
            )
            if not latest
            else self.tr(
                "A follow-up is a new version of the event, prefilled from its latest one (version "
                "{version}): change what is new, such as the causality, the seriousness, the outcome "
                "or the end. The earlier versions stay as they were recorded."
            ).format(version=latest.latest.version),
            user,
            parent,
            signed=True,
        )
        self.latest = latest
        self.death = death
        now = time.time() if now is None else now
        self.assesses = may(user, Action.ASSESS_ADVERSE_EVENT)
        catalogue = ctcae()
        self.term = QComboBox()
        self.term.setEditable(True)
        # Each CTCAE term in the screen's language; the item's data (what is stored) is the English term.
        for t in catalogue.terms:
            self.term.addItem(t.shown(), t.term)
        self.term.setCurrentIndex(-1)
        line = self.term.lineEdit()
        assert line is not None
        line.setPlaceholderText(
            self.tr("a CTCAE v{version} term, or as written").format(version=catalogue.version)
        )
        self.require(line)
        choose = self.tr("choose…")
        self.grade = _choose(
            choose,
            [
                (self.tr("{grade}: {words}").format(grade=g, words=word(GRADE_WORDS, g)), g)
                for g in GRADE_WORDS
            ],
        )
        assessed = [(word(RELATEDNESS_WORDS, r), r) for r in ae.ASSESSED_RELATEDNESS]
        self.relatedness = _choose(choose, assessed)
        if not self.assesses:
            # Causality is the investigator's assessment: documented as not yet assessed.
            self.relatedness = _choose(word(RELATEDNESS_WORDS, NOT_ASSESSED), [])
            self.relatedness.setItemData(0, NOT_ASSESSED)
            self.relatedness.setEnabled(False)
            self.relatedness.setToolTip(self.tr("Assessed by an intensivist or investigator"))
        self.onset = TimeChoice(choose, now)
        # Which dose the event follows is a choice, like the grade: never preselected (the last dose
        # is not always the one an event follows, and relatedness is judged for the dose linked). A
        # follow-up shows the link its event has.
        self.dose = _choose(
            choose,
            [
                (self.tr("not linked to a dose"), NO_DOSE),
                *((self.tr("Dose {dose}").format(dose=d), d) for d in doses),
            ],
        )
        self.alert = _choose(
            self.tr("no linked alert"),
            [
                (
                    self.tr("{rule} {title} ({when})")
                    .format(
                        rule=rule_before_title(a),
                        title=alert_title(a, rules),
                        when=strftime(datetime.fromtimestamp(a.fired_at), "%d %b %H:%M"),
                    )
                    .strip(),
                    a.id,
                )
                for a in alerts
            ],
        )
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(48)
        self.treatment = QLineEdit()
        self.treatment.setPlaceholderText(self.tr("what was given for it (optional)"))

        self.criteria: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, key in enumerate(SERIOUSNESS):
            box = QCheckBox(word(SERIOUSNESS_NAMES, key))
            # The criterion's words are the core's (ICH E2A), in its catalogue.
            box.setToolTip(self.tr("The event {criterion}").format(criterion=_(SERIOUSNESS[key])))
            box.setStyleSheet(CHECKBOX_STYLE)
            self.criteria[key] = box
            grid.addWidget(box, i // 2, i % 2)
        self.not_serious = QCheckBox(self.tr("assessed as not serious"))
        self.not_serious.setStyleSheet(CHECKBOX_STYLE)
        grid.addWidget(self.not_serious, 3, 0, 1, 2)
        assessor_only = self.tr("Assessed by an intensivist or investigator")
        self.assessor_note = QLabel(assessor_only)
        self.assessor_note.setWordWrap(True)
        self.assessor_note.setVisible(not self.assesses)
        grid.addWidget(self.assessor_note, 4, 0, 1, 2)
        serious_box = QWidget()
        serious_box.setLayout(grid)
        not_recorded = self.tr("not recorded")
        self.awareness = TimeChoice(not_recorded, now)
        # A follow-up that moves the awareness time says why (the 24-hour clock still runs from the
        # earliest awareness recorded: ICH E2A's day 0 is the first knowledge of the event).
        self.awareness_reason = QLineEdit()
        self.awareness_reason.setPlaceholderText(self.tr("required when a recorded awareness time changes"))
        # Outcomes and actions are the core's vocabularies (SDTM terms), translated in its catalogue;
        # the item's data is the stored key.
        self.outcome = _choose(not_recorded, [(_(v), k) for k, v in ae.OUTCOMES.items()])
        self.end = TimeChoice(self.tr("not ended or not known"), now)
        self.action_taken = _choose(not_recorded, [(_(v), k) for k, v in ae.ACTIONS_TAKEN.items()])
        self.meddra = QLineEdit()
        self.meddra.setPlaceholderText(self.tr("8 digits (optional)"))
        self.meddra.setMaxLength(8)
        self.meddra.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,8}"), self.meddra))
        if not self.assesses:
            for check in (*self.criteria.values(), self.not_serious):
                check.setEnabled(False)
                check.setToolTip(assessor_only)
            serious_box.setToolTip(assessor_only)

        left, right = QFormLayout(), QFormLayout()
        left.addRow(self.tr("Term"), self.term)
        left.addRow(self.tr("Grade"), self.grade)
        left.addRow(self.tr("Relatedness"), self.relatedness)
        left.addRow(self.tr("Onset"), self.onset)
        left.addRow(self.tr("Dose"), self.dose)
        left.addRow(self.tr("Linked alert"), self.alert)
        left.addRow(self.tr("Treatment"), self.treatment)
        left.addRow(self.tr("Notes"), self.notes)
        right.addRow(self.tr("Serious (ICH E2A)"), serious_box)
        right.addRow(self.tr("Team aware at"), self.awareness)
        if latest is not None and latest.latest.awareness is not None:
            right.addRow(self.tr("Why it changes"), self.awareness_reason)
        right.addRow(self.tr("Outcome"), self.outcome)
        right.addRow(self.tr("Ended"), self.end)
        right.addRow(self.tr("Action with product"), self.action_taken)
        right.addRow(self.tr("MedDRA code"), self.meddra)
        for form in (left, right):
            # Two forms side by side share the width: keep every label whole (a few pixels over its
            # hint, which rounds the text's width down).
            for i in range(form.rowCount()):
                item = form.itemAt(i, QFormLayout.ItemRole.LabelRole)
                label = item.widget() if item is not None else None
                if label is not None:
                    label.setMinimumWidth(label.sizeHint().width() + 4)
        columns = QWidget()
        row = QHBoxLayout(columns)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 1)
        row.addSpacing(16)
        row.addLayout(right, 1)
        self.form.addRow(columns)
        self.derived = QLabel("")
        self.derived.setWordWrap(True)
        self.form.addRow(self.derived)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("background:#c62828; color:#ffffff; padding:4px;")
        self.error.hide()
        self.form.addRow(self.error)
        for box in (self.grade, self.relatedness, self.term):
            box.currentIndexChanged.connect(self._update)
        line.textChanged.connect(self._update)
        for check in (*self.criteria.values(), self.not_serious):
            check.toggled.connect(self._update)
        for t in (self.onset, self.awareness):
            t.edit.dateTimeChanged.connect(self._update)
        self.setMinimumWidth(900)
        if latest:
            self._prefill(latest)
        self._update()
        self.finish()
        self._as_opened = self._entered()
        self.buttons.rejected.disconnect(self.reject)
        self.buttons.rejected.connect(self._cancel)
        # As wide as its texts need (Spanish's are longer): the two columns share what is left, and
        # a criterion squeezed below its text would be cut.
        self.setMinimumWidth(max(900, self.sizeHint().width()))

    def _prefill(self, e: ListedAdverseEvent) -> None:
        """The form as the latest version left the event."""
        v = e.latest
        self.term.setCurrentText(term_text(v.term))
        self.grade.setCurrentIndex(max(0, self.grade.findData(v.grade)))
        if self.assesses:
            self.relatedness.setCurrentIndex(max(0, self.relatedness.findData(v.relatedness)))
            if v.seriousness is not None:
                for key in v.seriousness:
                    if key in self.criteria:
                        self.criteria[key].setChecked(True)
                self.not_serious.setChecked(not v.seriousness)
        for choice, at in ((self.onset, v.onset), (self.awareness, v.awareness), (self.end, v.end)):
            if at is not None:
                choice.set(at)
        linked = NO_DOSE if e.dose is None else e.dose
        if self.dose.findData(linked) < 0:
            self.dose.addItem(self.tr("Dose {dose}").format(dose=linked), linked)
        self.dose.setCurrentIndex(self.dose.findData(linked))
        self.dose.setToolTip(
            self.tr("As version {version} links it; choose another dose to change the link").format(
                version=v.version
            )
        )
        for box, code in ((self.outcome, v.outcome), (self.action_taken, v.action_taken)):
            box.setCurrentIndex(max(0, box.findData(code)))
        self.treatment.setText(v.treatment)
        self.meddra.setText(v.meddra_code)
        self.notes.setPlainText(v.notes)
        self._show_linked_alerts(list(v.alert_ids))

    def _show_linked_alerts(self, linked: list[int]) -> None:
        """A follow-up keeps the alerts the event is linked to (the handler carries them): shown, by
        rule and title where the form knows the alert, and not to be changed here."""
        if linked:
            texts = []
            for alert_id in linked:
                i = self.alert.findData(alert_id)
                texts.append(self.alert.itemText(i) if i >= 0 else self.tr("alert #{id}").format(id=alert_id))
            self.alert.addItem("; ".join(texts), linked[0])
            self.alert.setCurrentIndex(self.alert.count() - 1)
        else:
            self.alert.setCurrentIndex(0)
        self.alert.setEnabled(False)
        self.alert.setToolTip(self.tr("A follow-up keeps the alerts the event is linked to"))

    def _update(self) -> None:
        self.error.hide()
        for box in self.criteria.values():
            box.setEnabled(self.assesses and not self.not_serious.isChecked())
        if self.not_serious.isChecked():
            for box in self.criteria.values():
                box.setChecked(False)
        grade = self.grade.currentData()
        found = ctcae().find(self.term.currentText())
        reference = rsi()
        parts = []
        if grade is not None:
            expectedness = reference.expectedness(found.term if found else None, int(grade))
            parts.append(
                self.tr("Expectedness: {expectedness} (RSI {version})").format(
                    expectedness=word(EXPECTEDNESS_WORDS, expectedness), version=reference.version
                )
            )
            susar = ae.susar(
                str(self.relatedness.currentData() or NOT_ASSESSED), self.seriousness(), expectedness
            )
            # After "SUSAR:" a yes or no, never the word again ("RAGI: RAGI").
            said = {True: _("yes"), False: _("no")}.get(susar.value) if susar.value is not None else None
            parts.append(self.tr("SUSAR: {susar}").format(susar=said or _(susar.text)))
        else:
            parts.append(self.tr("Expectedness and SUSAR: once the grade is chosen"))
        if found is None and self.term.currentText().strip():
            parts.append(self.tr("term not in the CTCAE list: recorded as written"))
        aesi = special_interest(found.term if found else None)
        if aesi:
            parts.append(self.tr("special interest: {aesi}").format(aesi=_(aesi)))
        sent = self.latest.latest.sent_at if self.latest else None
        if self.seriousness() and sent is not None:
            # Reported already: the deadline is met or missed, no longer one to keep.
            parts.append(
                self.tr("reported to the sponsor {when}").format(
                    when=strftime(datetime.fromtimestamp(float(sent)), "%d %b %H:%M")
                )
            )
        elif self.seriousness():
            aware = self.awareness.value()
            parts.append(
                self.tr("report to the sponsor due {when}").format(
                    when=strftime(datetime.fromtimestamp(aware + REPORT_WINDOW), "%d %b %H:%M")
                )
                if aware
                else self.tr("report to the sponsor due 24 h after the team became aware: record when")
            )
        self.derived.setText(" · ".join(parts))

    def _may_discard(self) -> bool:
        """Escape (in any field, the term's among them), Cancel or the window's close: a form with
        something entered asks before what was typed is lost."""
        return self._entered() == self._as_opened or confirm(
            self,
            self.tr("Discard this adverse event?"),
            self.tr("What you entered in this form has not been recorded and will be lost."),
            self.tr("Discard"),
        )

    def _cancel(self) -> None:
        if self._may_discard():
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self._cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible() and not self._may_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def accept(self) -> None:
        f = self.checked_fields()
        missing = ae.missing_choices(f["grade"], f["relatedness"], f["onset"])
        if missing or self.dose.currentData() is None:
            text = ae.missing_text(missing)
            if self.dose.currentData() is None:
                dose = self.tr("choose the dose it follows, or “not linked to a dose”")
                text = f"{text}; {dose}" if text else dose
            self.error.setText(
                self.tr("{missing}: nothing is recorded until they are chosen.").format(
                    missing=text[:1].upper() + text[1:]
                )
            )
            self.error.show()
            return
        if self.awareness_moved() and sum(c.isalpha() for c in self.awareness_reason.text()) < 3:
            self.error.setText(
                self.tr(
                    "Say why the time the team became aware changes (Why it changes): the 24-hour report "
                    "still runs from the earliest awareness recorded. Nothing is recorded until then."
                )
            )
            self.error.show()
            return
        # The handler's own checks, before the signature: a refusal keeps the form and its fields.
        problem = actions.adverse_event_problem(self.user, **self.checked_fields())
        if not problem and self.death is not None:
            f = self.checked_fields()
            problem = death_outcome_problem(
                f["outcome"],
                f["onset"],
                f["end"],
                self.death.died,
                self.death.patient,
                lambda at: strftime(datetime.fromtimestamp(at), "%d %b %H:%M"),
            )
        if problem:
            self.error.setText(
                self.tr(
                    "{problem}. Correct it: nothing is recorded, and you sign only once it is accepted."
                ).format(problem=problem[:1].upper() + problem[1:])
            )
            self.error.show()
            return
        super().accept()

    def refused(self, message: str) -> None:
        """The handler refused what was signed: the form shows why, its fields as they were."""
        self.error.setText(
            self.tr("{message}\n\nNothing was recorded. Correct and sign again.").format(message=message)
        )
        self.error.show()
