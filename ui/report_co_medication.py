"""The report's co-medication section: what was given from 24 h before to 72 h after each dose, with
what it may mask, as the review's co-medication tab lists it (the same columns and notes)."""

from __future__ import annotations

from datetime import datetime

from bedside_ui.co_medication_view import COLUMNS, SOURCES, entered_by
from bedside_ui.report_pdf import Report
from PySide6.QtCore import QCoreApplication

from bedside import i18n
from bedside.co_medication import (
    HOUR,
    ROUTE_LABELS,
    WINDOW_AFTER,
    WINDOW_BEFORE,
    CoMedicationCatalogue,
    around_dose,
    dose_text,
    when_text,
)
from bedside.review_data import ReviewData
from bedside.units import display_unit


def _view(text: str, n: int = -1) -> str:
    """A text the co-medication tab shows, in its translation context: the report says it alike
    (`n`: the count a text with %n agrees with)."""
    return QCoreApplication.translate("CoMedicationView", text, "", n)


def _local(at: float) -> str:
    return i18n.strftime(datetime.fromtimestamp(at), "%d %b %H:%M")


def time_span(start: float, end: float | None) -> str:
    """When a drug was given, each time kept whole on one line (a narrow column breaks the span only
    around its dash, never inside a date): '06 dic 09:27–09:32' within a day, else
    '06 dic 23:50 – 07 dic 00:10'."""

    def whole(text: str) -> str:
        return text.replace(" ", "\u00a0")

    first = whole(_local(start))
    if end is None:
        return first
    if datetime.fromtimestamp(end).date() == datetime.fromtimestamp(start).date():
        return f"{first}–{i18n.strftime(datetime.fromtimestamp(end), '%H:%M')}"
    return f"{first} – {whole(_local(end))}"


def co_medication_rows(data: ReviewData) -> list[list[str]]:
    """One row per administration around each dose not entered in error, in the tab's columns."""
    catalogue = CoMedicationCatalogue.load()
    doses = [d for d in data.doses if d.state != "cancelled"] or list(data.doses)
    rows = []
    for dose in doses:
        for around in around_dose(data.co_medication, dose.start):
            a = around.administration
            source = _view(SOURCES[a.source.value]) if a.source.value in SOURCES else a.source.value
            if a.source.value == "entered":
                source = f"{source} {entered_by(data, a.source_id)}"
            elif a.status == "ordered":
                source = _view("{source} (not confirmed as given)").format(source=source)
            rows.append(
                [
                    str(dose.dose),
                    when_text(around.offset_hours),
                    time_span(a.start, a.end),
                    i18n._(catalogue.label(a.drug_class)),
                    a.label,
                    dose_text(a, display_unit(a.unit) if a.unit else ""),
                    (i18n._(ROUTE_LABELS[a.route]) if a.route in ROUTE_LABELS else a.route)
                    or _view("not stated"),
                    source,
                    around.note,
                ]
            )
    return rows


def add_co_medication(r: Report, data: ReviewData) -> None:
    translate = QCoreApplication.translate
    r.heading(translate("Report", "Co-medication around each dose"))
    rows = co_medication_rows(data)
    window = _view("{before} h before to {after} h after").format(
        before=f"{WINDOW_BEFORE / HOUR:.0f}", after=f"{WINDOW_AFTER / HOUR:.0f}"
    )
    if not data.co_medication:
        r.text(
            _view("No co-medication recorded for this patient (none from the eMAR, the pharmacy or entered).")
        )
        return
    r.text(
        _view(
            "%n administration(s) from {window} {which}; {total} recorded in all. "
            "Notes say what a drug may mask; they are not a judgement of the course.",
            len(rows),
        ).format(window=window, which=_view("each dose"), total=len(data.co_medication))
    )
    if rows:
        r.table([_view(c) for c in COLUMNS], rows, [0.4, 0.8, 1.1, 1.0, 1.1, 0.8, 0.6, 1.0, 1.8], size=6.5)
