"""Adverse events for expedited safety reporting: seriousness (ICH E2A), expectedness against the
reference safety information, the SUSAR flag derived from them, outcome, action taken with the
product, the CTCAE v5.0 term and grade, adverse events of special interest, and the 24-hour clock
of a serious adverse event's first report.

Sources: ICH E2A "Clinical Safety Data Management: Definitions and Standards for Expedited
Reporting" (1994), section II.B (serious), II.C (expectedness), III.A (what is reported, and
causality: a reasonable possibility); CTCAE Version 5.0 (NCI, 2017). The 24-hour clock is the
investigator's duty to report a serious adverse event to the sponsor immediately (ICH E6(R2) 4.11.1;
EU Regulation 536/2014 Article 41(2): within 24 hours of becoming aware).

The catalogues (CTCAE terms, the reference safety information: `bedside.ctcae`), the seriousness
criteria (`bedside.seriousness`) and the 24-hour clock (`bedside.sae_clock`) have modules of their
own; their readers import them from there.

Everything a person must judge is three-valued here: known yes, known no, or not assessed (None),
and a flag that depends on something not assessed is None and says what is missing; nothing is
imputed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bedside.commands import RELATEDNESS_NAMES
from bedside.ctcae import term_text
from bedside.i18n import N_, _
from bedside.model import PatientRef
from bedside.sae_clock import PROVISIONALLY_SERIOUS_GRADE, ReportClock, clock_text, report_clock
from bedside.seriousness import criteria_text, serious

OUTCOMES: Mapping[str, str] = {
    "recovered": N_("recovered/resolved"),
    "recovering": N_("recovering/resolving"),
    "not_recovered": N_("not recovered/not resolved"),
    "recovered_with_sequelae": N_("recovered/resolved with sequelae"),
    "fatal": N_("fatal"),
    "unknown": N_("unknown"),
}
"""The event's outcome (CDISC SDTM AE.AEOUT's terms)."""

ACTIONS_TAKEN: Mapping[str, str] = {
    "none": N_("dose not changed"),
    "slowed": N_("infusion slowed"),
    "interrupted": N_("infusion interrupted"),
    "stopped": N_("infusion stopped"),
    "later_dose_withheld": N_("a later dose withheld"),
    "not_applicable": N_("not applicable"),
}
"""What was done with the product because of the event (SDTM AE.AEACN, for an infusion)."""

REASONABLE_POSSIBILITY = frozenset({"possible", "probable", "definite"})
"""Relatedness that means a reasonable possibility of a causal relationship (ICH E2A III.A.1): the
event is then a suspected adverse reaction. "unrelated" and "unlikely" do not."""

ASSESSED_RELATEDNESS = ("unrelated", "unlikely", "possible", "probable", "definite")
RELATEDNESS: Mapping[str, str] = {
    "unrelated": N_("unrelated"),
    "unlikely": N_("unlikely"),
    "possible": N_("possible"),
    "probable": N_("probable"),
    "definite": N_("definite"),
    "not_assessed": N_("not assessed"),
}
"""The relatedness stored (a code) and its label as shown."""


def relatedness_text(relatedness: str) -> str:
    """A relatedness in the reader's language ('possible' → 'posible'); a value not known here as it is."""
    if relatedness in RELATEDNESS:
        return _(RELATEDNESS[relatedness])
    # What a nurse's record stores until an intensivist assesses it (bedside.commands).
    return _(RELATEDNESS_NAMES[relatedness]) if relatedness in RELATEDNESS_NAMES else relatedness


SPECIAL_INTEREST = {
    "infection": N_("infection"),
    "infusion reaction": N_("infusion reaction"),
    "thrombosis or embolism": N_("thrombosis or embolism"),
}
"""The categories of adverse events of special interest (resources/adverse_events/ctcae_terms.toml's
`aesi`), as shown; the category stored stays in English."""


def special_interest_text(aesi: str) -> str:
    return _(SPECIAL_INTEREST[aesi]) if aesi in SPECIAL_INTEREST else aesi


AWARENESS_CORRECTED = "Awareness corrected: "
"""How the notes of a version recorded before the reason had its own column begin when it corrected
when the team became aware, followed by the reason given (read back as the reason; the clock still
runs from the earliest awareness any version recorded: ICH E2A's day 0 is the first knowledge of the
event)."""


def awareness_reason(notes: str) -> str | None:
    """The reason a version gave for correcting the awareness time, or None."""
    first = notes.split("\n", 1)[0]
    return first[len(AWARENESS_CORRECTED) :].strip() if first.startswith(AWARENESS_CORRECTED) else None


def with_awareness_reason(notes: str, reason: str) -> str:
    """The notes of a version that corrects the awareness time: the reason first, then the notes."""
    rest = without_awareness_reason(notes)
    return AWARENESS_CORRECTED + " ".join(reason.split()) + ("\n" + rest if rest else "")


def without_awareness_reason(notes: str) -> str:
    """The notes without a correction's reason (what a later version carries: its own reason only)."""
    if awareness_reason(notes) is None:
        return notes
    return notes.split("\n", 1)[1] if "\n" in notes else ""


# What is derived


def related(relatedness: str) -> bool | None:
    """A reasonable possibility of a causal relationship; None while not yet assessed."""
    if relatedness in REASONABLE_POSSIBILITY:
        return True
    if relatedness in ASSESSED_RELATEDNESS:
        return False
    return None


@dataclass(frozen=True)
class Susar:
    """A suspected unexpected serious adverse reaction: related (a reasonable possibility), serious
    and unexpected. `value` None: it cannot be said yet; `missing` names what is not assessed."""

    value: bool | None
    missing: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        if self.value is None:
            missing = _(" and ").join(_(SUSAR_PARTS.get(m, m)) for m in self.missing)
            return _("cannot be derived: {missing} not assessed").format(missing=missing)
        return _("SUSAR") if self.value else _("not a SUSAR")


SUSAR_PARTS = {
    "relatedness": N_("relatedness"),
    "seriousness": N_("seriousness"),
    "expectedness": N_("expectedness"),
}


def susar(relatedness: str, criteria: Sequence[str] | None, expectedness: str | None) -> Susar:
    """Derived, never entered. Any of the three known to be false settles it as not a SUSAR; all
    three known true make it one; otherwise it cannot be derived and says what is missing."""
    parts = {
        "relatedness": related(relatedness),
        "seriousness": serious(criteria),
        "expectedness": None if expectedness is None else expectedness == "unexpected",
    }
    if any(v is False for v in parts.values()):
        return Susar(False)
    missing = tuple(name for name, v in parts.items() if v is None)
    return Susar(None, missing) if missing else Susar(True)


@dataclass(frozen=True, kw_only=True)
class AdverseEventVersion:
    """One version of an adverse event as stored: version 1 is the first report, each follow-up a new
    version beside it (never an overwrite). `event` is version 1's id (the event's identity). The
    reporting fields of an event recorded before they existed are None (unknown)."""

    id: int = 0
    event: int | None = None
    """Version 1's id; None on version 1 itself before it is stored."""
    version: int = 1
    patient_ref: PatientRef
    episode_id: int | None
    term: str
    grade: int
    relatedness: str
    onset: float | None
    alert_ids: tuple[int, ...] = ()
    notes: str = ""
    reported_by: str
    """Who recorded this version."""
    reported_at: float
    """When this version was recorded."""
    seriousness: tuple[str, ...] | None = None
    expectedness: str | None = None
    rsi: str | None = None
    ctcae_term: str | None = None
    ctcae_version: str | None = None
    meddra_code: str = ""
    outcome: str | None = None
    end: float | None = None
    action_taken: str | None = None
    treatment: str = ""
    assessed_by: str | None = None
    assessor_role: str | None = None
    awareness: float | None = None
    aesi: str | None = None
    awareness_correction: str | None = None
    """Why this version moved the awareness time an earlier version recorded (None: it did not);
    stored in its own column, never in the notes."""
    sent_at: float | None = None
    """When the event was first reported to the sponsor (None: not yet); read, not stored here."""
    follow_up_reports: int = 0
    """How many reports to the sponsor followed the first; read, not stored here."""
    first_awareness: float | None = None
    """The earliest awareness any version of the event recorded; read, not stored here (None:
    this version's own is the only one known)."""
    first_recorded: float | None = None
    """When version 1 was recorded; read, not stored here (None: unknown)."""

    @property
    def clock_awareness(self) -> float | None:
        """What the 24-hour clock runs from (ICH E2A day 0, the site's first knowledge): the earliest
        awareness any version recorded, or the first record when that is earlier (someone at the
        site knew of the event when they recorded it), so day 0 is never later than the first record."""
        known = [a for a in (self.first_awareness, self.awareness, self.first_recorded) if a is not None]
        return min(known, default=None)

    @property
    def clock_from_first_record(self) -> bool:
        """Whether the clock runs from the first record because no earlier awareness was recorded."""
        given = [a for a in (self.first_awareness, self.awareness) if a is not None]
        return self.first_recorded is not None and (not given or self.first_recorded < min(given))

    @property
    def awareness_reason(self) -> str | None:
        """Why this version corrected the awareness time (None: it did not). A version recorded
        before the reason had its own column kept it at the head of its notes: read from there."""
        return self.awareness_correction or awareness_reason(self.notes)

    @property
    def event_id(self) -> int:
        return self.event if self.event is not None else self.id

    @property
    def susar(self) -> Susar:
        return susar(self.relatedness, self.seriousness, self.expectedness)

    def clock(self, now: float) -> ReportClock:
        return report_clock(
            self.seriousness,
            self.clock_awareness,
            self.sent_at,
            now,
            self.follow_up_reports,
            self.grade,
            from_first_record=self.clock_from_first_record,
        )

    def reporting_fields(self) -> dict[str, object]:
        """The version's SAE reporting fields, as the safety log records them and the review reads
        them (one list, so the two never drift apart)."""
        return {
            "seriousness": None if self.seriousness is None else list(self.seriousness),
            "expectedness": self.expectedness,
            "rsi": self.rsi,
            "susar": self.susar.value,
            "ctcae_term": self.ctcae_term,
            "ctcae_version": self.ctcae_version,
            "meddra_code": self.meddra_code,
            "outcome": self.outcome,
            "end": self.end,
            "action_taken": self.action_taken,
            "treatment": self.treatment,
            "assessed_by": self.assessed_by,
            "assessor_role": self.assessor_role,
            "awareness": self.awareness,
            "aesi": self.aesi,
            "awareness_reason": self.awareness_correction,
        }


def earliest_awareness(versions: Sequence[AdverseEventVersion]) -> float | None:
    """The first time the team became aware of the event, over every version (ICH E2A: day 0)."""
    return min((v.awareness for v in versions if v.awareness is not None), default=None)


def missing_choices(grade: int | None, relatedness: str, onset: float | None) -> list[str]:
    """The required choices not made, in the form's order: grade, relatedness, onset (never
    defaulted: each is a clinician's choice)."""
    missing = []
    if grade is None:
        missing.append("grade")
    if not relatedness:
        missing.append("relatedness")
    if onset is None:
        missing.append("onset")
    return missing


_CHOICES = {"grade": N_("the grade"), "relatedness": N_("the relatedness"), "onset": N_("the onset")}


def missing_text(missing: Sequence[str]) -> str:
    """ "Choose the grade, the relatedness" (empty when nothing is missing)."""
    if not missing:
        return ""
    return _("choose {choices}").format(choices=", ".join(_(_CHOICES.get(m, m)) for m in missing))


def open_reports(
    events: Sequence[AdverseEventVersion], now: float, when: Callable[[float], str]
) -> list[tuple[str, str]]:
    """The events whose 24-hour report is still open, as (state, line) for a list: "due" or
    "overdue" (or "no awareness time"), overdue first."""
    out = []
    for v in events:
        clock = v.clock(now)
        if clock.open:
            line = _("SAE #{event} {term} G{grade}: {clock}").format(
                event=v.event_id, term=term_text(v.term), grade=v.grade, clock=clock_text(clock, when)
            )
            out.append((clock.state, line))
    order = {"overdue": 0, "no awareness time": 1, "due": 2}
    return sorted(out, key=lambda sl: order.get(sl[0], 3))


_FIELD_WORDS = {
    "term": N_("term"),
    "dose": N_("linked dose"),
    "grade": N_("grade"),
    "relatedness": N_("relatedness"),
    "seriousness": N_("seriousness"),
    "expectedness": N_("expectedness"),
    "susar": N_("SUSAR"),
    "awareness": N_("awareness"),
    "outcome": N_("outcome"),
    "end": N_("end"),
    "onset": N_("onset"),
    "action_taken": N_("action taken with the product"),
    "treatment": N_("treatment given"),
    "meddra_code": N_("MedDRA code"),
    "alerts": N_("linked alerts"),
    "notes": N_("notes"),
}
"""Every field a follow-up may change, in the order a history says it, as a person reads each."""

EXPECTEDNESS_WORDS = {"expected": N_("expected"), "unexpected": N_("unexpected")}


def compared(v: AdverseEventVersion, dose_of: Mapping[int, int] | None = None) -> dict[str, object]:
    """A version's fields a history compares (the review keeps the same keys per version). With
    `dose_of` (episode id to dose number), the linked dose too, since relatedness is judged for it."""
    linked = {} if dose_of is None else {"dose": None if v.episode_id is None else dose_of.get(v.episode_id)}
    return {
        "term": v.term,
        **linked,
        "grade": v.grade,
        "relatedness": v.relatedness,
        "seriousness": None if v.seriousness is None else list(v.seriousness),
        "expectedness": v.expectedness,
        "susar": v.susar.value,
        "awareness": v.awareness,
        "awareness_reason": v.awareness_reason,
        "outcome": v.outcome,
        "end": v.end,
        "onset": v.onset,
        "action_taken": v.action_taken,
        "treatment": v.treatment,
        "meddra_code": v.meddra_code,
        "alerts": list(v.alert_ids),
        "notes": without_awareness_reason(v.notes),
    }


def _field_value(name: str, value: object, when: Callable[[float], str]) -> str:
    if name in ("awareness", "end", "onset"):
        return _("not recorded") if value is None else when(float(value))  # type: ignore[arg-type]
    if name == "action_taken":
        return _(ACTIONS_TAKEN[str(value)]) if value in ACTIONS_TAKEN else _("not recorded")
    if name in ("treatment", "meddra_code", "notes"):
        return str(value) if value else _("none")
    if name == "alerts":
        return ", ".join(f"#{a}" for a in value) if value else _("none")  # type: ignore[attr-defined]
    if name == "grade":
        return f"G{value}"
    if name == "dose":
        return _("none") if value is None else _("dose {dose}").format(dose=value)
    if name == "relatedness":
        return relatedness_text(str(value))
    if name == "seriousness":
        # After the field's own name: "seriousness: not assessed → serious", never the word twice.
        return _("not assessed") if value is None else criteria_text(value)  # type: ignore[arg-type]
    if name == "expectedness":
        return _(EXPECTEDNESS_WORDS[str(value)]) if value in EXPECTEDNESS_WORDS else _("not assessed")
    if name == "susar":
        return {True: _("yes"), False: _("no")}.get(value, _("cannot be derived"))  # type: ignore[call-overload]
    if name == "outcome":
        return _(OUTCOMES[str(value)]) if value in OUTCOMES else _("not recorded")
    return str(value)


def susar_change_text(then: bool | None) -> str:
    """That the SUSAR flag is no longer what the first report to the sponsor said (the sponsor's
    expedited reporting depends on it: ICH E2A III)."""
    was = {True: _("SUSAR"), False: _("not a SUSAR")}.get(then, _("cannot be derived"))  # type: ignore[call-overload]
    return _("SUSAR status changed after the first report (then: {then})").format(then=was)


def changes_text(
    before: Mapping[str, object], after: Mapping[str, object], when: Callable[[float], str]
) -> str:
    """What a version changed from the one before, in words ("grade: G3 → G1; SUSAR: yes → no");
    an awareness time moved says the reason given. "" when nothing compared changed."""
    parts = []
    for name, word in _FIELD_WORDS.items():
        if name not in before or name not in after or before[name] == after[name]:
            continue
        part = _("{field}: {before} → {after}").format(
            field=_(word),
            before=_field_value(name, before[name], when),
            after=_field_value(name, after[name], when),
        )
        if name == "awareness" and after.get("awareness_reason"):
            part += " " + _("(reason: {reason})").format(reason=after["awareness_reason"])
        parts.append(part)
    ended = _provisional_clock_ended(before, after)
    if ended:
        parts.append(ended)
    return "; ".join(parts)


def _provisional_clock_ended(before: Mapping[str, object], after: Mapping[str, object]) -> str:
    """That this version ended the 24 h clock the version before ran provisionally (grade 4-5,
    seriousness not assessed): by lowering the grade before anyone assessed the seriousness, or by
    assessing it not serious. The history keeps that a clock ran, so no reader takes its end for
    a clock that never started."""
    if "grade" not in before or "grade" not in after or before.get("seriousness") is not None:
        return ""
    if int(before["grade"] or 0) < PROVISIONALLY_SERIOUS_GRADE:  # type: ignore[call-overload]
        return ""
    if after.get("seriousness") == []:
        return _(
            "the 24 h clock that ran provisionally (grade 4-5, seriousness not assessed) ended: "
            "assessed not serious"
        )
    if after.get("seriousness") is None and int(after["grade"] or 0) < PROVISIONALLY_SERIOUS_GRADE:  # type: ignore[call-overload]
        return _(
            "the 24 h clock that ran provisionally (grade 4-5, seriousness not assessed) ended: the grade "
            "was lowered before the seriousness was assessed"
        )
    return ""


def history_lines(
    history: Sequence[AdverseEventVersion],
    when: Callable[[float], str],
    dose_of: Mapping[int, int] | None = None,
    people: Mapping[str, str] | None = None,
) -> list[str]:
    """Every version of one event, oldest first: what each said, and under each follow-up what it
    changed from the version before (the linked dose too, given `dose_of`: episode id to dose).
    `people`: account → the person as named (printed name and role); an account not in it as stored."""
    people = people or {}
    lines = []
    for i, v in enumerate(history):
        outcome = _(OUTCOMES[v.outcome]) if v.outcome in OUTCOMES else _("not recorded")
        lines.append(
            _(
                "v{version} {when} by {user}: {term} G{grade}, {relatedness}, {seriousness}, "
                "{expectedness}, {susar}, outcome {outcome}"
            ).format(
                version=v.version,
                when=when(v.reported_at),
                user=people.get(v.reported_by, v.reported_by),
                term=term_text(v.term),
                grade=v.grade,
                relatedness=relatedness_text(v.relatedness),
                seriousness=criteria_text(v.seriousness),
                expectedness=_field_value("expectedness", v.expectedness, when),
                susar=v.susar.text,
                outcome=outcome,
            )
        )
        if i:
            changed = changes_text(compared(history[i - 1], dose_of), compared(v, dose_of), when)
            lines.append(
                "    "
                + (
                    _("changed: {changes}").format(changes=changed)
                    if changed
                    else _("changed: nothing (the same as the version before)")
                )
            )
    return lines
