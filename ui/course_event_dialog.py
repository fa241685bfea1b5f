"""The course event a clinician records from the review (extubation confirmed, an outcome, a
radiology note): which event, when, and a note."""

from __future__ import annotations

from bedside_ui.action_dialog import ActionDialog
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLineEdit, QWidget

from bedside.users import User

COURSE_EVENTS = (
    ("extubation", QT_TRANSLATE_NOOP("CourseEventDialog", "extubation")),
    ("intubation", QT_TRANSLATE_NOOP("CourseEventDialog", "intubation")),
    ("icu_discharge", QT_TRANSLATE_NOOP("CourseEventDialog", "ICU discharge")),
    ("death", QT_TRANSLATE_NOOP("CourseEventDialog", "death")),
    ("alive", QT_TRANSLATE_NOOP("CourseEventDialog", "alive at follow-up")),
    ("radiology", QT_TRANSLATE_NOOP("CourseEventDialog", "radiology note")),
    ("symptom_onset", QT_TRANSLATE_NOOP("CourseEventDialog", "symptom onset")),
    ("tracheostomy", QT_TRANSLATE_NOOP("CourseEventDialog", "tracheostomy")),
    ("ecmo_start", QT_TRANSLATE_NOOP("CourseEventDialog", "ECMO started")),
    ("ecmo_end", QT_TRANSLATE_NOOP("CourseEventDialog", "ECMO ended")),
    ("rrt_start", QT_TRANSLATE_NOOP("CourseEventDialog", "renal replacement started")),
    ("rrt_end", QT_TRANSLATE_NOOP("CourseEventDialog", "renal replacement ended")),
    ("thrombosis", QT_TRANSLATE_NOOP("CourseEventDialog", "thrombosis or embolism")),
    ("infection", QT_TRANSLATE_NOOP("CourseEventDialog", "secondary infection")),
)
"""The course events a clinician may enter: the kind stored, and its label (translated where shown)."""


class CourseEventDialog(ActionDialog):
    def __init__(self, kind: str, at: float, user: User, parent: QWidget | None = None) -> None:
        titles = {
            "extubation": QCoreApplication.translate("CourseEventDialog", "Confirm extubation"),
            "radiology": QCoreApplication.translate("CourseEventDialog", "Radiology note"),
        }
        super().__init__(
            titles.get(kind, QCoreApplication.translate("CourseEventDialog", "Record an outcome")),
            QCoreApplication.translate(
                "CourseEventDialog",
                "Extubation is taken from the ventilator data only once a clinician confirms it (a gateway "
                "that stops looks the same).",
            )
            if kind == "extubation"
            else QCoreApplication.translate("CourseEventDialog", "Record a course event for the review."),
            user,
            parent,
        )
        self.kind = QComboBox()
        for k, label in COURSE_EVENTS:
            # the label shown in the nurse's language; the kind stored stays the code
            self.kind.addItem(QCoreApplication.translate("CourseEventDialog", label), k)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.at = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(at)))
        self.at.setDisplayFormat("dd MMM yyyy HH:mm")
        self.note = QLineEdit()
        self.note.setPlaceholderText(
            QCoreApplication.translate("CourseEventDialog", "the note (radiology), or a comment")
        )
        self.form.addRow(QCoreApplication.translate("CourseEventDialog", "Event"), self.kind)
        self.form.addRow(QCoreApplication.translate("CourseEventDialog", "When"), self.at)
        self.form.addRow(QCoreApplication.translate("CourseEventDialog", "Note"), self.note)
        self.finish()
