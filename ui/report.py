"""The per-patient report: the review screen on paper. An A4 PDF with the header, the outcomes, per
dose the aligned plots, the before/after table and the data coverage, then the alerts and adverse
events from the safety log, with the rule-set version and the log's chain head at export on every
page. What it says is built here from the review's data; bedside_ui.report_pdf paints it, and the
tables' words (and the CSV, which needs no Qt) are bedside.review_text's."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pyqtgraph as pg
from bedside_ui import review_plots
from bedside_ui.report_co_medication import add_co_medication
from bedside_ui.report_outcomes import add_outcomes
from bedside_ui.report_pdf import DPI, MARGIN, PAGE_W, Progress, Report, render
from bedside_ui.report_sae import add_sae_listing
from bedside_ui.report_severity import add_severity
from bedside_ui.theme import LIGHT
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from bedside import __version__, i18n
from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.adverse_events import AdverseEventVersion
from bedside.ctcae import term_text
from bedside.log_text import kind_name, people_of, people_with, person_name, what_text, who_text
from bedside.nurse_screen import time_zone
from bedside.review import PRE_DOSE, TIMEPOINTS
from bedside.review_data import ReviewData, dose_coverage, dose_rows, icu_exit
from bedside.review_signatures import SIGNATURE_COLUMNS, signature_text, signatures_of, signed_rows
from bedside.review_text import table_rows
from bedside.rules.messages import shown_rule, shown_title
from bedside.rules.ruleset import RuleSet
from bedside.rules.technical import is_technical
from bedside.severity_counts import grades_text, severity_counts
from bedside.time_span import span_end
from bedside.units import cells_text
from bedside.users import User, role_name

translate = QCoreApplication.translate
# The words the report prints for values stored as codes (an alert's severity and state, an adverse
# event's relatedness, a dose's state): the stored code stays English, the page reads in the
# report's language.
WORDS = {
    "high": QT_TRANSLATE_NOOP("Report", "high"),
    "medium": QT_TRANSLATE_NOOP("Report", "medium"),
    "low": QT_TRANSLATE_NOOP("Report", "low"),
    "raised": QT_TRANSLATE_NOOP("Report", "raised"),
    "acknowledged": QT_TRANSLATE_NOOP("Report", "acknowledged"),
    "resolved": QT_TRANSLATE_NOOP("Report", "resolved"),
    "unrelated": QT_TRANSLATE_NOOP("Report", "unrelated"),
    "unlikely": QT_TRANSLATE_NOOP("Report", "unlikely"),
    "possible": QT_TRANSLATE_NOOP("Report", "possible"),
    "probable": QT_TRANSLATE_NOOP("Report", "probable"),
    "definite": QT_TRANSLATE_NOOP("Report", "definite"),
    "not yet assessed": QT_TRANSLATE_NOOP("Report", "not yet assessed"),
    "candidate": QT_TRANSLATE_NOOP("Report", "candidate"),
    "accepted": QT_TRANSLATE_NOOP("Report", "accepted"),
    "cancelled": QT_TRANSLATE_NOOP("Report", "cancelled"),
}


def _causality_by(v: AdverseEventVersion, people: Mapping[str, tuple[str, str]] | None = None) -> str:
    """Who assessed the causality (the investigator's judgement, SDTM AECAUSBY/AECAUSRL), on its own
    line under the relatedness: whoever recorded the event may be someone else. `people`: each
    account's printed name and role as signed (bedside.log_text.people_of)."""
    if not v.assessed_by:
        return ""
    who = person_name(v.assessed_by, people or {})
    if v.assessor_role:
        who = f"{who} ({role_name(v.assessor_role)})"
    return "\n" + translate("Report", "assessed by {who}").format(who=who)


def word(code: str) -> str:
    """A stored code as the report's language reads it (the code itself where it has no word)."""
    return translate("Report", WORDS[code]) if code in WORDS else code


def core(text: str) -> str:
    """A text the core defines as a constant (a column's name, a definition): translated from the
    core's gettext catalogue where it is shown, since the language is chosen after import."""
    return i18n._(text) if text else text  # gettext's "" is its catalogue's header, never shown


def _discharge_text(data: ReviewData) -> str:
    """The ICU discharge as the Course section says it: a discharge that is the death is a death in
    the ICU, and one ADT sent with a death nobody has confirmed says so."""
    left = icu_exit(data)
    if left is None:
        return local(None)
    if left.kind == "died":
        return translate("Report", "none: died in the ICU")
    if left.kind == "death_reported":
        return translate("Report", "{at} (ADT reported a death, not yet confirmed)").format(at=local(left.at))
    return local(left.at)


def local(at: float | None, fmt: str = "%d %b %Y %H:%M") -> str:
    """A local time with the month in the report's language (24-hour clock)."""
    return "—" if at is None else i18n.strftime(datetime.fromtimestamp(at), fmt)


PLOT_W, PLOT_H = PAGE_W - 2 * MARGIN, 620
"""The plots are drawn at the size they are printed (one pixel per printed dot: no scaling)."""
TICK_PT = 7.5
"""Axis numbers on paper: at least 7 pt, readable in a printout."""


def plot_font_px() -> int:
    return math.ceil(TICK_PT / 72.0 * DPI)


def plot_image(data: ReviewData, align: int | None, lo: float = -24.0, hi: float = 168.0) -> QImage:
    """The dose-aligned plots drawn offscreen (light theme, for paper)."""
    widget = pg.GraphicsLayoutWidget()
    widget.setBackground("#ffffff")
    widget.resize(PLOT_W, PLOT_H)
    review_plots.draw(widget.ci, data, align, lo, hi, LIGHT, font_px=plot_font_px())
    QApplication.processEvents()
    image = widget.grab().toImage()
    widget.close()
    widget.deleteLater()
    return image


def build(
    data: ReviewData, progress: Progress | None = None, made_by: User | None = None
) -> tuple[Report, str]:
    """`made_by`: the signed-in user who exports it, named on the first page."""
    made = time.time()
    zone = time_zone()
    none = translate("Report", "none")
    head = (
        none
        if data.chain_head is None
        else translate("Report", "entry {seq}, sha256 {digest}").format(
            seq=data.chain_head[0], digest=data.chain_head[1]
        )
    )
    short = none if data.chain_head is None else f"{data.chain_head[0]}:{data.chain_head[1][:16]}"
    ruleset = data.ruleset or translate("Report", "none recorded")
    footer = translate(
        "Report", "{name} ({ref}) · made {made} by Bedside {version} · rule set {ruleset} · log head {head}"
    ).format(
        name=data.patient.display_name,
        ref=data.patient.ref,
        made=local(made),
        version=__version__,
        ruleset=ruleset,
        head=short,
    )
    r = Report()
    o = data.outcomes
    r.heading(translate("Report", "Bedside: post-dose review"), 16.0)
    r.text(
        translate("Report", "Patient {name} · MRN {mrn} · {bed}").format(
            name=data.patient.display_name,
            mrn=data.patient.ref.identifier,
            bed=data.patient.location or translate("Report", "no bed"),
        )
        + "\n"
        + translate(
            "Report",
            "Made {made} by Bedside {version}. All times are in this computer's time zone ({zone}). "
            "Rule set {ruleset}. Safety log chain head at export: {head}.",
        ).format(made=local(made), zone=zone, version=__version__, ruleset=ruleset, head=head)
        + " "
        + (
            translate("Report", "Exported by {name} ({role}).").format(
                name=made_by.full_name or made_by.username, role=role_name(made_by.role)
            )
            if made_by is not None
            else translate("Report", "Who exported it is not recorded (nobody signed in).")
        )
        + "\n"
        + translate("Report", "Safety log key {key}.").format(
            key=data.log_key or translate("Report", "none (entries not signed)")
        )
        + "\n"
        + translate(
            "Report",
            "Bedside supports decisions and does not diagnose. Values are stored values with their own "
            "times; nothing is interpolated, and a missing value is shown as missing with the reason.",
        )
    )
    r.heading(translate("Report", "Course"))
    doses = "; ".join(
        translate("Report", "dose {n} {start}").format(n=d.dose, start=local(d.start))
        + ("–" + span_end(d.start, d.end, local) if d.end else " " + translate("Report", "(running)"))
        + (
            ", "
            + translate("Report", "{cells} cells/kg").format(
                cells=i18n.localize_number(cells_text(d.cells_per_kg))
            )
            if d.cells_per_kg
            else ""
        )
        + ("" if d.state == "confirmed" else f" [{word(d.state)}]")
        for d in data.doses
    )
    if o.extubated:
        ext = f"{local(o.extubated)} ({core(o.extubation_source)})"
    elif o.extubation_candidate:
        ext = translate("Report", "not confirmed; ventilator data stopped {at}").format(
            at=local(o.extubation_candidate)
        )
    elif o.reintubations:
        ext = translate("Report", "none since the reintubation")
    else:
        ext = translate("Report", "not recorded")
    vent_days = (
        "—"
        if o.ventilated_days_before_first_dose is None
        else i18n.localize_number(f"{o.ventilated_days_before_first_dose:.1f}")
    )
    if o.ventilated_days_before_first_dose is not None and o.intubation_to_first_dose_is_lower_bound:
        vent_days = "≥ " + vent_days  # counted from the first ventilator value held: at least that
    died = local(o.died) if o.died else translate("Report", "none recorded")
    alive = {
        True: translate("Report", "yes"),
        False: translate("Report", "no"),
        None: translate("Report", "not known yet"),
    }[o.alive_at_day(28, data.now)]
    again = "".join(
        translate("Report", "Reintubated {at}.").format(at=local(at)) + " " for at in o.reintubations
    )
    r.text(
        translate("Report", "Intubated: {at} ({source}). Doses: {doses}.").format(
            at=local(o.intubated),
            source=core(o.intubated_source) if o.intubated_source else translate("Report", "unknown"),
            doses=doses or translate("Report", "none"),
        )
        + "\n"
        + translate(
            "Report",
            "Days on mechanical ventilation before the first dose: {days}. Extubation: {extubation}.",
        ).format(days=vent_days, extubation=ext)
        + " "
        + again
        + translate("Report", "ICU discharge: {discharge}. Death: {death}. Alive at day 28: {alive}.").format(
            discharge=_discharge_text(data), death=died, alive=alive
        )
    )
    add_outcomes(r, data)
    if data.radiology:
        r.text(
            translate("Report", "Radiology notes: {notes}").format(
                notes=" · ".join(f"{local(e.at)} {e.text} ({e.by})" for e in data.radiology)
            )
        )
    # Clinical alerts and technical ones (a feed or a sensor) apart: a calm patient whose SpO2 probe
    # fell off once is not "2 alerts".
    clinical = [a.severity for a in data.alerts if not is_technical(a.rule_id)]
    technical = len(data.alerts) - len(clinical)
    grades = sorted(ae.latest.grade for ae in data.adverse_events)
    r.heading(translate("Report", "Safety summary"))
    by_severity = severity_counts(clinical)
    r.text(
        translate("Report", "Clinical alerts: {n}").format(n=len(clinical))
        + (f" ({by_severity})" if clinical else "")
        + ". "
        + translate("Report", "Technical alerts (a feed or a sensor): {n}").format(n=technical)
        + ". "
        + translate("Report", "Adverse events: {n}").format(n=len(grades))
        + (" (" + grades_text(grades) + ")" if grades else "")
        + ". "
        + translate("Report", "Both are listed in full, from the safety log, on the last page.")
    )
    steps = max(1, len(data.doses))
    for k, d in enumerate(data.doses):
        if progress:
            progress(
                5 + int(70 * k / steps), translate("Report", "dose {n}: plots and tables").format(n=d.dose)
            )
        if k:
            r.page_break()
        r.heading(
            translate(
                "Report", "Dose {n}: {start}, t = 0 at its start; other doses dashed, alerts dotted"
            ).format(n=d.dose, start=local(d.start))
        )
        r.image(plot_image(data, d.dose), float(PLOT_H))
        rows = dose_rows(data, d)
        r.heading(translate("Report", "Before and after (value, and its time from the start)"), 11.0)
        r.table(
            [
                translate("Report", "Marker"),
                core(PRE_DOSE),
                *(
                    translate("Report", "{timepoint} (change)").format(timepoint=label)
                    for label, _at in TIMEPOINTS
                ),
            ],
            table_rows(rows, d.start, sep="\n"),
            [1.4, 1.2, *(1.2 for _at in TIMEPOINTS)],
            size=7.0,
        )
        cov = dose_coverage(data, d)
        windows = list(next(iter(cov.values())).keys()) if cov else []
        r.heading(translate("Report", "Data coverage: share of expected samples present"), 11.0)
        r.table(
            [translate("Report", "Stream"), *windows],
            [
                [core(name), *(("—" if v is None else f"{100 * v:.0f} %") for v in row.values())]
                for name, row in cov.items()
            ],
            [1.6] + [1.0] * len(windows),
        )
    if len(data.doses) > 1:
        r.page_break()
        r.heading(translate("Report", "All doses overlaid, each on its own start"))
        r.image(plot_image(data, None), float(PLOT_H))
    add_co_medication(r, data)
    add_severity(r, data, PLOT_W, plot_font_px())
    r.page_break()
    acknowledged = signatures_of(data.log, "alert.acknowledged", "alert_id")
    recorded = signatures_of(data.log, "adverse_event.recorded", "id")
    r.heading(translate("Report", "Alerts (from the safety log)"))
    if data.alerts:
        # The stored title is the English the safety log keeps; the rule's own title in the report's
        # language is shown (the shipped rule file's, by rule id).
        rules = RuleSet.load()
        r.table(
            [
                translate("Report", "Raised"),
                translate("Report", "Rule"),
                translate("Report", "Severity"),
                translate("Report", "Alert"),
                translate("Report", "State"),
                translate("Report", "Acknowledged"),
            ],
            [
                [
                    local(a.fired_at),
                    shown_rule(rules, a.rule_id, a.title),
                    word(a.severity),
                    shown_title(rules, a.rule_id, a.title),
                    word(a.state),
                    _acknowledged(a, acknowledged),
                ]
                for a in data.alerts
            ],
            [1.3, 0.9, 0.8, 1.9, 0.8, 1.4],
        )
    else:
        r.text(translate("Report", "No alert was raised for this patient."))
    r.heading(translate("Report", "Adverse events"))
    if data.adverse_events:
        r.table(
            [
                translate("Report", "Onset"),
                translate("Report", "Term"),
                translate("Report", "Grade"),
                translate("Report", "Relatedness"),
                translate("Report", "Dose"),
                translate("Report", "Alerts"),
                translate("Report", "Recorded by"),
            ],
            [
                [
                    local(ae.latest.onset),
                    term_text(ae.latest.term)
                    + (
                        "\n" + translate("Report", "MedDRA {code}").format(code=ae.latest.meddra_code)
                        if ae.latest.meddra_code
                        else ""
                    ),
                    str(ae.latest.grade),
                    word(ae.latest.relatedness) + _causality_by(ae.latest, people_of(data.log)),
                    str(ae.dose or "—"),
                    ", ".join(str(x) for x in ae.latest.alert_ids) or "—",
                    _recorded_and_changed(ae, recorded),
                ]
                for ae in data.adverse_events
            ],
            [1.2, 2.0, 0.6, 1.0, 0.6, 0.7, 1.1],
        )
    else:
        r.text(translate("Report", "No adverse event was recorded."))
    add_sae_listing(r, data)
    r.heading(translate("Report", "Electronic signatures"))
    signed = signed_rows(data.log)
    if signed:
        r.text(
            translate(
                "Report",
                "Each signed record with its signature as the safety log keeps it: the signer's "
                "printed name, role, the meaning of the signature and when it was given.",
            )
        )
        r.table([core(c) for c in SIGNATURE_COLUMNS], signed, [1.0, 2.2, 1.1, 0.8, 1.9, 1.0], size=7.5)
    else:
        r.text(translate("Report", "No record of this patient was signed."))
    r.heading(translate("Report", "Safety log extract: doses, alerts, adverse events, course events"), 11.0)
    # A clinician named as signed (printed name, role); the engine and a device feed in words.
    people = people_with(people_of(data.log), [made_by] if made_by is not None else [])
    r.text(
        translate(
            "Report",
            "Every entry of this patient's kinds above, as logged (sequence number, time, kind, who, "
            "and what). bedside-cli verify-log checks the chain these entries belong to.",
        )
        + " "
        + translate(
            "Report",
            "It also checks the doses, alerts, adverse events, course events and hand-entered "
            "co-medication against their entries; lab and device values come from the received "
            "messages and are not in the log.",
        )
    )
    r.table(
        [
            "#",
            translate("Report", "Time"),
            translate("Report", "Kind"),
            translate("Report", "Who"),
            translate("Report", "What"),
        ],
        [
            [
                str(e["seq"]),
                local(e["at"], "%d %b %H:%M:%S"),
                kind_name(e["kind"]),
                who_text(e["actor"], people),
                _what(e["payload"]),
            ]
            for e in data.log
        ],
        # The kind column holds the longest kind (adverse_event.recorded) on one line.
        [0.4, 1.0, 1.6, 0.9, 3.1],
        size=7.0,
    )
    return r, footer


def _acknowledged(a, signed: dict) -> str:  # type: ignore[no-untyped-def,type-arg]
    """Who acknowledged an alert: the signature's printed name, role and time where it was signed."""
    if a.id in signed:
        return signature_text(signed[a.id], meaning=False)
    return f"{a.acked_by} {local(a.acked_at, '%d %b %H:%M')}" if a.acked_by else "—"


def _what(payload: dict) -> str:  # type: ignore[type-arg]
    return what_text(payload)


def export_pdf(
    data: ReviewData, path: Path, progress: Progress | None = None, made_by: User | None = None
) -> dict:
    report, footer = build(data, progress, made_by)
    author = (
        ""
        if made_by is None
        else f"{made_by.full_name or made_by.username} ({made_by.username}, {role_name(made_by.role)})"
    )
    pages = render(report, path, footer, progress, author)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"file": str(path), "pages": pages, "sha256": digest, "log_head": data.chain_head}


def _recorded_and_changed(ae: ListedAdverseEvent, recorded: dict) -> str:
    """Who first recorded the event (version 1, whose id is the event's) and, where a follow-up
    followed, who last changed it, each as their signature names them (else the account)."""
    first_by = ae.history[0].by if ae.history else ae.latest.reported_by
    first = signature_text(recorded.get(ae.id), meaning=False) or first_by
    if ae.versions < 2:
        return first
    last = signature_text(recorded.get(ae.version_id), meaning=False) or ae.latest.reported_by
    return (
        first
        + "\n"
        + translate("Report", "last changed by {who} (version {version})").format(
            who=last, version=ae.latest.version
        )
    )
