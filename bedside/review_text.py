"""The review in words: the tables' values as clinicians write them, each with its time from the dose
start and its change from baseline; the tables as CSV; the review screen's header, footer and cohort
rows. The screen, the PDF report and the CSV show the same rows (bedside.review_data), worded here
once, without Qt."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

from bedside import adverse_events
from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.ctcae import term_text
from bedside.i18n import N_, _, localize_number
from bedside.i18n import strftime as local_strftime
from bedside.log_text import people_of, who_text
from bedside.review import HOUR, TIMEPOINTS, BeforeAfterRow, Cell, CohortRow, marker_heading
from bedside.review_data import ReviewData, dose_coverage, dose_rows, icu_exit
from bedside.rules.technical import is_technical
from bedside.sae_clock import ReportClock, clock_text
from bedside.seriousness import criteria_text
from bedside.units import decimals_for, display_unit, format_change, format_hours, format_value, plain_value


def fmt_value(v: float | None, marker: str = "", unit: str = "") -> str:
    """A stored value as clinicians write it: P/F, FiO2 and PEEP whole (P/F 152, not 151.795), a
    lab result as reported (at most 3 decimals); never '-0'."""
    if v is None:
        return "—"
    return format_value(marker, v, unit)


def offset_text(seconds: float) -> str:
    """A value's time from the dose start: '+23 h', '-3 h', and within the hour '-20 min' (never
    '-0 h': a baseline drawn 20 min before the start is not 'zero hours' ago)."""
    minutes = round(seconds / 60.0)
    if abs(minutes) < 60:
        return "0 min" if minutes == 0 else f"{minutes:+d} min"
    return format_hours(seconds / HOUR)


_MISSING = (
    (re.compile(r"none in the (?P<hours>[\d.]+) h before"), N_("none in the {hours} h before")),
    (re.compile(r"no value ±(?P<hours>[\d.]+) h"), N_("no value ±{hours} h")),
    (re.compile(r"no value (?P<hours>[\d.]+) h before"), N_("no value {hours} h before")),
    (re.compile(r"not yet"), N_("not yet")),
    (re.compile(r"after death"), N_("after death")),
)
"""The reasons bedside.review gives for a missing value (in English: the CSV's `missing` column),
as a person reads them."""


def missing_text(reason: str) -> str:
    """Why a value is missing, in the reader's language ('none in the 24 h before' → 'ninguno en
    las 24 h previas'); a reason not known here is shown as it is."""
    for pattern, text in _MISSING:
        found = pattern.fullmatch(reason)
        if found:
            return localize_number(_(text).format(**found.groupdict()))
    return reason


def cell_text(cell: Cell, t0: float, marker: str = "", unit: str = "", sep: str = " ") -> str:
    if cell.point is None:
        return f"—{sep}({missing_text(cell.missing)})" if cell.missing else "—"
    text = f"{fmt_value(cell.point.value, marker, unit)} ({offset_text(cell.point.at - t0)})"
    if cell.after_dose is None:
        return text
    return f"{text}{sep}" + _("after dose {n}").format(n=cell.after_dose)


def change_text(cell: Cell, base, marker: str = "", unit: str = "") -> str:  # type: ignore[no-untyped-def]
    """'+36 (+31 %)', '-0.8 (-40 %)', '±0 (±0 %)': the absolute change at the precision of the
    values themselves, and the relative one in whole percent."""
    absolute, relative = cell.change_from(base)
    if absolute is None:
        return "—"
    decimals = decimals_for(marker, unit)
    if decimals is None:  # a lab result: as many decimals as the two values carry (at most 2)
        shown = [plain_value(marker, v, unit) for v in (cell.point.value, base.value)]
        decimals = min(2, max(len(x.partition(".")[2]) for x in shown))
    rel = "" if relative is None else f" ({format_change(relative)} %)"
    return f"{format_change(absolute, decimals)}{rel}"


def table_rows(rows: list[BeforeAfterRow], t0: float, sep: str = "  ") -> list[list[str]]:
    """Marker (unit), baseline, then each time point as "value (its time) change (relative)"; `sep`
    between a value and its change, or a missing value and its reason (a line break on screen)."""
    out = []
    for r in rows:
        key, unit = r.marker.key, r.marker.unit
        base = r.baseline.point
        line = [marker_heading(r.marker.label, unit), cell_text(r.baseline, t0, key, unit, sep)]
        for label, _offset in TIMEPOINTS:
            cell = r.after[label]
            change = change_text(cell, base, key, unit)
            line.append(cell_text(cell, t0, key, unit, sep) + ("" if change == "—" else f"{sep}{change}"))
        out.append(line)
    return out


def export_csv(data: ReviewData, path: Path) -> int:
    """Every dose's before/after rows and coverage, one table: section, dose, marker/stream, columns."""
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "patient",
                "section",
                "dose",
                "marker",
                "unit",
                "unit_display",
                "timepoint",
                "value",
                "time_utc",
                "hours_from_start",
                "change",
                "change_percent",
                "missing",
                "after_dose",
            ]
        )
        for d in data.doses:
            for row in dose_rows(data, d):
                base = row.baseline.point
                cells = [("baseline", row.baseline)] + [
                    (label, row.after[label]) for label, _offset in TIMEPOINTS
                ]
                for label, cell in cells:
                    absolute, relative = (None, None) if label == "baseline" else cell.change_from(base)
                    p = cell.point
                    w.writerow(
                        [
                            str(data.patient.ref),
                            "before_after",
                            d.dose,
                            row.marker.key,
                            row.marker.unit,
                            display_unit(row.marker.unit),
                            label,
                            "" if p is None else p.value,
                            "" if p is None else datetime.fromtimestamp(p.at, UTC).isoformat(),
                            "" if p is None else round((p.at - d.start) / HOUR, 2),
                            "" if absolute is None else absolute,
                            "" if relative is None else round(relative, 1),
                            cell.missing,
                            "" if cell.after_dose is None else cell.after_dose,
                        ]
                    )
                    n += 1
            for stream, row in dose_coverage(data, d).items():
                for window, share in row.items():
                    w.writerow(
                        [
                            str(data.patient.ref),
                            "coverage",
                            d.dose,
                            stream,
                            "",
                            "",
                            window,
                            "" if share is None else round(share, 3),
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                        ]
                    )
                    n += 1
    return n


# ---- the review screen's header, footer and cohort rows --------------------------------------------


def local_time(at: float | None, fmt: str = "%d %b %H:%M") -> str:
    """A moment in local time as the review writes it ("07 Dec 14:30"); a dash for none."""
    return "—" if at is None else local_strftime(datetime.fromtimestamp(at), fmt)


_SOURCES = {
    "entered": N_("entered"),
    "first ventilator value": N_("first ventilator value"),
}
"""Where an intubation time came from (bedside.review.outcomes), as shown."""


def _source_text(source: str) -> str:
    if source in _SOURCES:
        return _(_SOURCES[source])
    if source.startswith("confirmed by "):
        return _("confirmed by {name}").format(name=source.removeprefix("confirmed by "))
    return source


def review_header(data: ReviewData) -> str:
    """The patient and the course in one line: intubation, doses, extubation, discharge, day 28."""
    o = data.outcomes
    doses = ", ".join(
        _("dose {n} {start}").format(n=d.dose, start=local_time(d.start)) for d in data.doses
    ) or _("no dose recorded")
    if o.extubated:
        ext = _("extubated {at} ({source})").format(
            at=local_time(o.extubated), source=_source_text(o.extubation_source)
        )
    elif o.extubation_candidate:
        ext = _("ventilator data stopped {at}: extubation not confirmed").format(
            at=local_time(o.extubation_candidate)
        )
    elif o.reintubations:
        ext = _("reintubated {at}, ventilated").format(at=local_time(o.reintubations[-1]))
    else:
        ext = _("extubation not recorded")
    vent = o.ventilated_days_before_first_dose
    alive = {
        True: _("alive at day 28"),
        False: _("died by day 28"),
        None: _("day 28: not known yet"),
    }[o.alive_at_day(28, data.now)]
    intubated = _("intubated {at} ({source})").format(
        at=local_time(o.intubated),
        source=_source_text(o.intubated_source) if o.intubated_source else _("unknown"),
    )
    return (
        f"<b>{data.patient.display_name}</b> · "
        + _("MRN {mrn}").format(mrn=data.patient.ref.identifier)
        + f" · {intubated}"
        + (
            ", "
            + localize_number(
                # Counted from the first ventilator value held: the patient may have been ventilated
                # before it (another hospital, a feed started later), so it is a lower bound.
                (
                    _("≥ {days} days before dose 1")
                    if o.intubation_to_first_dose_is_lower_bound
                    else _("{days} days before dose 1")
                ).format(days=f"{vent:.1f}")
            )
            if vent is not None
            else ""
        )
        + f" · {doses} · {ext}"
        + _exit_text(data)
        + f" · {alive}"
    )


def _exit_text(data: ReviewData) -> str:
    """The ICU discharge and the death in the header: a discharge that is the death is said as a
    death in the ICU (never "discharged" beside "died" at the same minute)."""
    left, died = icu_exit(data), data.outcomes.died
    if left is not None and left.kind == "died":
        return " · " + _("died in the ICU {at}").format(at=local_time(left.at))
    out = ""
    if left is not None and left.kind == "death_reported":
        out += " · " + _("left the ICU {at}: ADT reported a death, not yet confirmed").format(
            at=local_time(left.at)
        )
    elif left is not None:
        out += " · " + _("ICU discharge {at}").format(at=local_time(left.at))
    if died is not None:
        out += " · " + _("died {at}").format(at=local_time(died))
    return out


def sae_clock_text(ae: ListedAdverseEvent, now: float) -> str:
    """A serious event's report clock in words ("SAE report due 06 Dec 13:08 (in 3 h 05 min)",
    "reported to sponsor 05 Dec 12:08"); "" for an event that is not serious or not assessed."""
    return clock_text(event_clock(ae, now), local_time)


def event_clock(ae: ListedAdverseEvent, now: float) -> ReportClock:
    """An event's 24-hour clock, the same as the SAE listing's: from the earliest awareness of any
    version, or from the first record where that came first."""
    return ae.latest.clock(now)


def adverse_event_history(data: ReviewData) -> list[str]:
    """Every adverse event with every version recorded (never overwritten), newest version last;
    who recorded each by printed name and role as signed (the account where they never signed)."""
    people = people_of(getattr(data, "log", ()))
    lines = []
    for ae in data.adverse_events:
        latest = ae.latest
        clock = sae_clock_text(ae, data.now)
        lines.append(
            f"#{ae.id} {term_text(latest.term)}: "
            f"{criteria_text(latest.seriousness)}; "
            f"{latest.susar.text}"
            + (
                "; "
                + _("special interest: {aesi}").format(aesi=adverse_events.special_interest_text(latest.aesi))
                if latest.aesi
                else ""
            )
            + (f"; {clock}" if clock else "")
        )
        for i, h in enumerate(ae.history):
            v = h.recorded
            outcome = (
                _(adverse_events.OUTCOMES[v.outcome])
                if v.outcome in adverse_events.OUTCOMES
                else _("not recorded")
            )
            expectedness = v.expectedness
            lines.append(
                "    "
                + _(
                    "version {version}, {at} by {by}: G{grade}, {relatedness}, {seriousness}, "
                    "{expectedness}, {susar}, outcome {outcome}"
                ).format(
                    version=h.version,
                    at=local_time(h.recorded_at),
                    by=who_text(h.by, people),
                    grade=v.grade,
                    relatedness=adverse_events.relatedness_text(v.relatedness),
                    seriousness=criteria_text(v.seriousness),
                    expectedness=_(adverse_events.EXPECTEDNESS_WORDS[expectedness])
                    if expectedness in adverse_events.EXPECTEDNESS_WORDS
                    else _("expectedness not assessed"),
                    susar=v.susar.text,
                    outcome=outcome,
                )
                + (", " + _("ended {at}").format(at=local_time(v.end)) if v.end is not None else "")
            )
            if i:
                changed = adverse_events.changes_text(ae.history[i - 1].fields, h.fields, local_time)
                if changed:
                    lines.append("        " + _("changed: {changes}").format(changes=changed))
    return lines


def review_footer(data: ReviewData) -> str:
    """Alerts (clinical and technical apart), adverse events, the rule set and the log's head."""
    clinical = [a.severity for a in data.alerts if not is_technical(a.rule_id)]
    aes = "; ".join(
        _("{term} G{grade} {relatedness} (dose {dose})").format(
            term=term_text(ae.latest.term),
            grade=ae.latest.grade,
            relatedness=adverse_events.relatedness_text(ae.latest.relatedness),
            dose=ae.dose or "—",
        )
        + (f" v{ae.latest.version}" if ae.latest.version > 1 else "")
        + (f", {clock}" if (clock := sae_clock_text(ae, data.now)) else "")
        for ae in data.adverse_events
    )
    none = _("none")
    head = none if data.chain_head is None else f"{data.chain_head[0]}:{data.chain_head[1][:12]}…"
    return _(
        "Clinical alerts {clinical} ({high} high) · technical {technical} · Adverse events: {events} · "
        "Rule set {ruleset} · Log head {head} · Safety log key {key}"
    ).format(
        clinical=len(clinical),
        high=clinical.count("high"),
        technical=len(data.alerts) - len(clinical),
        events=aes or none,
        ruleset=data.ruleset or _("none recorded"),
        head=head,
        key=data.log_key or none,
    )


COHORT_COLUMNS = (
    N_("Patient"),
    N_("Doses"),
    N_("Ventilated days before dose 1"),
    N_("Adverse events by grade"),
    N_("Extubated"),
    N_("Alive at day 28"),
    N_("CRP Δ7d"),
    N_("P/F Δ7d"),
    N_("Lymphocytes Δ7d"),
    N_("D-dimer Δ7d"),
)
"""In English; translated where shown (`_(column)`)."""


def cohort_cells(row: CohortRow) -> list[str]:
    """One treated patient's row of the cohort table, in the order of COHORT_COLUMNS."""

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:+.0f} %"

    grades = ", ".join(f"G{g}: {n}" for g, n in row.adverse_events_by_grade.items()) or _("none")
    vent = row.ventilated_days_before_first_dose
    return [
        f"{row.name} ({row.patient.identifier})",
        str(row.doses),
        "—" if vent is None else localize_number(f"{vent:.1f}"),
        grades,
        local_time(row.extubated) if row.extubated else _("no"),
        {True: _("yes"), False: _("no"), None: _("not known yet")}[row.alive_day_28],
        pct(row.changes_7d.get("crp")),
        pct(row.changes_7d.get("pf")),
        pct(row.changes_7d.get("lymphocytes")),
        pct(row.changes_7d.get("ddimer_feu")),
    ]
