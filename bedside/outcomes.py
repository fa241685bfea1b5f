"""The outcome set of a ventilated ARDS course, as pure functions of what was stored: ventilator-free
and ICU-free days at day 28, reintubation, tracheostomy, ECMO, renal replacement therapy, thrombosis,
secondary infection, death (flagged when within 24 h of a dose), and the times from intubation and
from symptom onset to the first dose.

Day 0 is the start of the first dose. Ventilator-free days follow Schoenfeld and Bernard (Crit Care
Med 2002;30:1772): the days alive and free of invasive ventilation from day 0 to day 28, 0 for a
patient who died by day 28; a reintubation's days count as ventilated. ICU-free days are defined the
same way with the time in the ICU. Each outcome says where it came from and what is missing; one that
cannot be computed yet (day 28 not reached, vital status unknown, an extubation not confirmed) has no
value and says why, never a guessed one. The absence of a record is "none recorded", not "no".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bedside.death_sae import DeathSae, death_sae_text
from bedside.i18n import N_, _
from bedside.i18n import strftime as local_strftime
from bedside.outcome_free_days import Period, days_text, free_days
from bedside.review import DAY, HOUR, CourseEvent, Outcomes

DEATH_NEAR_DOSE = 24 * HOUR
"""A death this long after a dose (from its start to 24 h after its end) is flagged for the SAE review."""


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    value: float | None
    """Days (for a "days" outcome) or the number of events recorded (a "count"); None: not computable."""
    kind: str
    """"days" or "count"."""
    text: str
    """What is shown: the value with its times, or why there is none."""
    source: str
    """Where it came from."""
    missing: str = ""
    """What is missing to compute it or to be sure of it ("" when nothing is)."""
    times: tuple[float, ...] = ()
    flag: str = ""
    """A finding the reader must not miss (a death within 24 h of a dose)."""
    lower_bound: bool = False
    """`value` is a lower bound (shown "≥"): the true value is at least it."""


@dataclass(frozen=True)
class OutcomeInputs:
    """What the outcome set is computed from (the review's data, without Qt or a database)."""

    outcomes: Outcomes
    events: Sequence[CourseEvent]
    doses: Sequence[tuple[int, float, float | None]]
    """(number, start, end) of each dose not entered in error, in time order."""
    icu_stays: Sequence[Period] = ()
    """The patient's bed stays from ADT (every bed Bedside is sent ADT for is an ICU bed)."""
    special_interest: Sequence[tuple[str, float | None, str]] = ()
    """Adverse events of special interest: (category, onset, term); categories "thrombosis", "infection"."""
    fatal_saes: Sequence[int] = ()
    """The ids of the patient's adverse events recorded as serious by death or as fatal."""
    adt_deaths: Sequence[tuple[float, str]] = ()
    """Deaths ADT messages reported, (time, "PV1-36" or "PID-30"), not cancelled: offered until an
    investigator confirms one as the death (a course event); never counted as the death."""
    death_sae: DeathSae | None = None
    """The recorded death and where the SAE report it calls for stands (None: not read, or no death)."""


def _local(at: float | None, fmt: str = "%d %b %Y %H:%M") -> str:
    return "—" if at is None else local_strftime(datetime.fromtimestamp(at), fmt)


def _last(events: Sequence[CourseEvent], kind: str) -> CourseEvent | None:
    """The last entered of a kind that happens once (a later entry corrects an earlier one)."""
    found = [e for e in events if e.kind == kind]
    return found[-1] if found else None


def _times(events: Sequence[CourseEvent], kind: str) -> list[float]:
    return sorted({e.at for e in events if e.kind == kind})


def paired_periods(
    events: Sequence[CourseEvent], start_kind: str, end_kind: str
) -> tuple[list[Period], list[float]]:
    """Periods from start and end entries in time order; and the ends with no start before them."""
    periods: list[list[float | None]] = []
    stray: list[float] = []
    for at, kind in sorted((e.at, e.kind) for e in events if e.kind in (start_kind, end_kind)):
        open_now = bool(periods) and periods[-1][1] is None
        if kind == start_kind and not open_now:
            periods.append([at, None])
        elif kind == end_kind:
            if open_now:
                periods[-1][1] = at
            else:
                stray.append(at)
    return [(float(a), b) for a, b in periods], stray  # type: ignore[misc]


def icu_periods(stays: Sequence[Period], events: Sequence[CourseEvent], day0: float | None) -> list[Period]:
    """The time in the ICU: the ADT stays, each ended by an ICU discharge entered inside it. With no
    stay from ADT, from day 0 (a dose is given in the ICU) to the discharge entered, if any."""
    discharges = _times(events, "icu_discharge")
    if not stays:
        if day0 is None:
            return []
        ends = [d for d in discharges if d >= day0]
        return [(day0, ends[0] if ends else None)]
    out: list[Period] = []
    for a, b in sorted(stays, key=lambda p: p[0]):
        inside = [d for d in discharges if d >= a and (b is None or d < b)]
        out.append((a, inside[0] if inside else b))
    return out


def _day_of(at: float, day0: float | None) -> str:
    return "" if day0 is None else " " + _("(day {day})").format(day=days_text((at - day0) / DAY))


def _listing(times: Sequence[float], day0: float | None) -> str:
    return ", ".join(_local(t) + _day_of(t, day0) for t in times)


def _count(key: str, label: str, times: Sequence[float], day0: float | None, source: str) -> Outcome:
    text = (
        _("yes, {n}: {listing}").format(n=len(times), listing=_listing(times, day0))
        if times
        else _("none recorded")
    )
    return Outcome(key, label, float(len(times)), "count", text, _(source), times=tuple(times))


def _periods_outcome(
    key: str, label: str, events: Sequence[CourseEvent], start: str, end: str, day0: float | None, now: float
) -> Outcome:
    periods, stray = paired_periods(events, start, end)
    parts = []
    for a, b in periods:
        until = _("ongoing") if b is None else _local(b)
        length = ((now if b is None else b) - a) / DAY
        parts.append(
            _("{start} to {until} ({days} days)").format(
                start=_local(a) + _day_of(a, day0), until=until, days=days_text(length)
            )
        )
    missing = (
        _("an end entered with no start before it ({listing}): enter the start").format(
            listing=_listing(stray, day0)
        )
        if stray
        else ""
    )
    text = (
        _("yes, {n}: {listing}").format(n=len(periods), listing="; ".join(parts))
        if periods
        else _("none recorded")
    )
    return Outcome(
        key,
        label,
        float(len(periods)),
        "count",
        text,
        _("{outcome} started and ended entries").format(outcome=_(label)),
        missing,
        tuple(a for a, _ in periods),
    )


def _event_or_aesi(
    key: str,
    label: str,
    events: Sequence[CourseEvent],
    kind: str,
    special: Sequence[tuple[str, float | None, str]],
    day0: float | None,
) -> Outcome:
    entered = _times(events, kind)
    aes = [(onset, term) for category, onset, term in special if category == kind]
    parts = [_local(t) + _day_of(t, day0) + " " + _("(entered)") for t in entered]
    missing = ""
    for onset, term in aes:
        parts.append(
            f"{term}, " + (_("onset not recorded") if onset is None else _local(onset) + _day_of(onset, day0))
        )
        if onset is None:
            missing = _("the onset of an adverse event of special interest")
    n = len(entered) + len(aes)
    text = _("yes, {n}: {listing}").format(n=n, listing="; ".join(parts)) if n else _("none recorded")
    return Outcome(
        key,
        label,
        float(n),
        "count",
        text,
        _("{kind} entries and adverse events of special interest ({kind})").format(kind=_(_KINDS[kind])),
        missing,
        tuple(sorted(entered + [o for o, _ in aes if o is not None])),
    )


_KINDS = {"thrombosis": N_("thrombosis"), "infection": N_("infection")}


def near_dose(died: float, doses: Sequence[tuple[int, float, float | None]]) -> list[int]:
    """The doses a death falls within 24 h of: from the dose's start to 24 h after its end."""
    return [
        n for n, start, end in doses if start <= died <= (end if end is not None else start) + DEATH_NEAR_DOSE
    ]


def outcome_set(x: OutcomeInputs, now: float) -> list[Outcome]:
    o = x.outcomes
    day0 = x.doses[0][1] if x.doses else o.first_dose
    out: list[Outcome] = []
    # Ventilator-free days: an open ventilation period with the ventilator silent is an extubation
    # not confirmed (a gateway that stops looks the same): counted neither way.
    unsure = ""
    if o.ventilation and o.ventilation[-1][1] is None and o.extubation_candidate is not None:
        unsure = _("extubation not confirmed (ventilator data stopped {at})").format(
            at=_local(o.extubation_candidate)
        )
    value, text, missing = free_days(
        o.ventilation, day0, o.died, o.last_seen, now, N_("invasive ventilation"), unsure
    )
    # A death ADT reported and nobody confirmed: the hours after it are neither alive nor dead on
    # the record, so days "alive and free" cannot be counted either way until it is settled.
    unconfirmed_death = ""
    if o.died is None and x.adt_deaths:
        unconfirmed_death = _(
            "a death reported by ADT ({at}) is not yet confirmed or refuted (an investigator confirms it; "
            "an ADT cancellation withdraws it)"
        ).format(at=_local(x.adt_deaths[-1][0]))
        value, text, missing = (
            None,
            _("not computable: {reason}").format(reason=unconfirmed_death),
            unconfirmed_death,
        )
    if not o.ventilation and value:
        # Free of a ventilation nobody recorded is not known to be free: no value, and why.
        missing = _("no ventilation period known (no intubation entered, no ventilator data)")
        value, text = None, _("not computable: {reason}").format(reason=missing)
    out.append(
        Outcome(
            "vfd28",
            N_("Ventilator-free days at day 28"),
            value,
            "days",
            text,
            _(
                "intubations and extubations entered (the first period from the first ventilator value when "
                "the patient came ventilated); death entered; alive from data or a follow-up"
            ),
            missing,
        )
    )
    stays = icu_periods(x.icu_stays, x.events, day0)
    value, text, missing = free_days(stays, day0, o.died, o.last_seen, now, N_("the ICU"))
    if unconfirmed_death:
        value, text, missing = (
            None,
            _("not computable: {reason}").format(reason=unconfirmed_death),
            unconfirmed_death,
        )
    source = (
        _("bed stays from ADT (admission, transfer, discharge), ICU discharge entered")
        if x.icu_stays
        else _("no ADT stay: in the ICU from day 0 to the ICU discharge entered")
    )
    out.append(Outcome("icufd28", N_("ICU-free days at day 28"), value, "days", text, source, missing))
    out.append(
        _count(
            "reintubation",
            N_("Reintubation"),
            list(o.reintubations),
            day0,
            N_("intubations entered after an extubation"),
        )
    )
    out.append(
        _count(
            "tracheostomy",
            N_("Tracheostomy"),
            _times(x.events, "tracheostomy"),
            day0,
            N_("tracheostomy entries"),
        )
    )
    out.append(_periods_outcome("ecmo", N_("ECMO"), x.events, "ecmo_start", "ecmo_end", day0, now))
    out.append(
        _periods_outcome("rrt", N_("Renal replacement therapy"), x.events, "rrt_start", "rrt_end", day0, now)
    )
    out.append(
        _event_or_aesi(
            "thrombosis", N_("Thrombosis or embolism"), x.events, "thrombosis", x.special_interest, day0
        )
    )
    out.append(
        _event_or_aesi(
            "infection", N_("Secondary infection"), x.events, "infection", x.special_interest, day0
        )
    )
    out.append(_death(o.died, x.doses, day0, x.fatal_saes, x.death_sae, now))
    if o.died is None and x.adt_deaths:
        out.append(adt_death_outcome(x.adt_deaths[-1], day0))
    out.append(_to_first_dose_from_intubation(o, day0))
    out.append(_to_first_dose_from_onset(x.events, day0))
    return out


def _death(
    died: float | None,
    doses: Sequence[tuple[int, float, float | None]],
    day0: float | None,
    fatal_saes: Sequence[int] = (),
    death_sae: DeathSae | None = None,
    now: float | None = None,
) -> Outcome:
    if died is None:
        return Outcome("death", N_("Death"), 0.0, "count", _("none recorded"), _("death entered"))
    near = ", ".join(str(n) for n in near_dose(died, doses))
    if death_sae is not None and now is not None:
        # ICH E2A: every death is serious, near a dose or not. Flagged until an SAE with a fatal
        # outcome is on record or an investigator signed why none is needed.
        line = death_sae_text(death_sae, now, _local)
        flag = line if death_sae.state == "due" else ""
        if near:  # a death within 24 h of a dose is flagged whatever its report's state
            flag = _("death within 24 h of dose {doses}: {sae}").format(doses=near, sae=line)
        text = f"{_local(died)}{_day_of(died, day0)}; " + (flag or line)
        missing = (
            _(
                "an adverse event with a fatal outcome, or an investigator's signed reason why no SAE "
                "report is needed"
            )
            if death_sae.state == "due"
            else ""
        )
        return Outcome("death", N_("Death"), 1.0, "count", text, _("death entered"), missing, (died,), flag)
    flag = ""
    if near and fatal_saes:
        # Once the death is on record as a serious adverse event, asking to report it again would
        # send the reader to file a duplicate.
        flag = _("death within 24 h of dose {doses}: recorded as serious adverse event {saes}").format(
            doses=near, saes=", ".join(f"#{n}" for n in fatal_saes)
        )
    elif near:
        flag = _("death within 24 h of dose {doses}: report as a serious adverse event").format(doses=near)
    text = f"{_local(died)}{_day_of(died, day0)}" + (f"; {flag}" if flag else "")
    return Outcome("death", N_("Death"), 1.0, "count", text, _("death entered"), "", (died,), flag)


ADT_DEATH_SOURCES = {
    "PV1-36": N_("PV1-36 discharge disposition: expired"),
    "PID-30": N_("PID-30 patient death indicator"),
}
"""How an ADT message said the patient died, as shown."""


def confirmed_adt_death_text(how: str) -> str:
    """The note of a death confirmed from an ADT message (stored in English, the record's text)."""
    return f"death reported by ADT ({how}), confirmed"


def adt_death_outcome(reported: tuple[float, str], day0: float | None) -> Outcome:
    """A death an ADT message reported, for an investigator to confirm as the death: shown, never
    counted (the death outcome, day-28 survival and the free days read only a confirmed death)."""
    at, how = reported
    source = _("ADT message ({how})").format(how=_(ADT_DEATH_SOURCES.get(how, how)))
    return Outcome(
        "death_adt",
        N_("Death reported by ADT (unconfirmed)"),
        None,
        "count",
        _("{at}{day}: reported by ADT, not confirmed; an investigator confirms it as the death").format(
            at=_local(at), day=_day_of(at, day0)
        ),
        source,
        _(
            "an investigator's confirmation (the review's Confirm death reported by ADT…, or "
            "bedside-cli confirm-death)"
        ),
        (at,),
    )


def _to_first_dose_from_intubation(o: Outcomes, day0: float | None) -> Outcome:
    label = N_("Intubation to first dose")
    source = _("intubation ({source})").format(source=_(_SOURCES.get(o.intubated_source, o.intubated_source)))
    value = o.days_from_intubation_to_first_dose
    if day0 is None:
        return Outcome(
            "intubation_to_dose", label, None, "days", _("no dose given"), source, _("the first dose")
        )
    if value is None:
        return Outcome(
            "intubation_to_dose",
            label,
            None,
            "days",
            _("not computable: no intubation before the first dose known"),
            source,
            _("the intubation (enter it, or the ventilator's data from before the dose)"),
        )
    if o.intubation_to_first_dose_is_lower_bound:
        # No intubation entered: counted from the first ventilator value held, which may come
        # after the intubation (another hospital, a feed connected later). A lower bound.
        return Outcome(
            "intubation_to_dose",
            label,
            value,
            "days",
            _(
                "≥ {days} days (no intubation entered: counted from the first ventilator value Bedside holds)"
            ).format(days=days_text(value)),
            source,
            _("the intubation time (enter it to make this exact)"),
            lower_bound=True,
        )
    return Outcome(
        "intubation_to_dose", label, value, "days", _("{days} days").format(days=days_text(value)), source
    )


_SOURCES = {
    "entered": N_("entered"),
    "first ventilator value": N_("first ventilator value"),
    "": N_("unknown"),
}
"""Where the intubation time came from (bedside.review.outcomes), as shown."""


def _to_first_dose_from_onset(events: Sequence[CourseEvent], day0: float | None) -> Outcome:
    label, source = N_("Symptom onset to first dose"), _("symptom onset entered")
    onset = _last(events, "symptom_onset")
    if onset is None or day0 is None:
        return Outcome(
            "onset_to_dose",
            label,
            None,
            "days",
            _("not computable: {reason}").format(
                reason=_("no symptom onset entered") if onset is None else _("no dose given")
            ),
            source,
            _("the date of symptom onset") if onset is None else _("the first dose"),
        )
    value = (day0 - onset.at) / DAY
    return Outcome(
        "onset_to_dose",
        label,
        value,
        "days",
        _("{days} days (onset {onset})").format(days=days_text(value), onset=_local(onset.at, "%d %b %Y")),
        source,
        "",
        (onset.at,),
    )


OUTCOME_COLUMNS = (N_("Outcome"), N_("Value"), N_("Source"), N_("What is missing"))
"""In English; translated where shown (`_(column)`), as DEFINITIONS."""
DEFINITIONS = N_(
    "Ventilator-free days at day 28: days alive and free of "
    "invasive ventilation from day 0 to day 28, 0 if the patient died by day 28, a reintubation's days "
    "ventilated (Schoenfeld and Bernard, Crit Care Med 2002). ICU-free days at day 28: the same with the "
    "time in the ICU. 'None recorded' means no entry, not a confirmed absence."
)


def outcome_rows(items: Sequence[Outcome]) -> list[list[str]]:
    """The outcome set as the screen, the report and the CSV show it."""
    return [[_(o.label), o.text, o.source, o.missing or "—"] for o in items]


def day0_text(first_dose: float | None) -> str:
    if first_dose is None:
        return _("No dose given: the outcomes count from the first dose.")
    return _("Day 0: the start of the first dose, {at}.").format(at=_local(first_dose))
