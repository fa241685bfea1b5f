"""Adverse events for expedited safety reporting: seriousness (ICH E2A), expectedness against the
reference safety information, the SUSAR flag derived from them, outcome, action taken with the
product, the CTCAE v5.0 term and grade, adverse events of special interest, and the 24-hour clock
of a serious adverse event's first report.

Sources: ICH E2A "Clinical Safety Data Management: Definitions and Standards for Expedited
Reporting" (1994), section II.B (serious), II.C (expectedness), III.A (what is reported, and
causality: a reasonable possibility); CTCAE Version 5.0 (NCI, 2017). The 24-hour clock is the
investigator's duty to report a serious adverse event to the sponsor immediately (ICH E6(R2) 4.11.1;
EU Regulation 536/2014 Article 41(2): within 24 hours of becoming aware).

Everything a person must judge is three-valued here: known yes, known no, or not assessed (None),
and a flag that depends on something not assessed is None and says what is missing; nothing is
imputed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bedside import i18n
from bedside.commands import RELATEDNESS_NAMES
from bedside.i18n import N_, _, ngettext
from bedside.model import PatientRef
from bedside.resources import resource_path

SERIOUSNESS: Mapping[str, str] = {
    "death": N_("results in death"),
    "life_threatening": N_("is life-threatening"),
    "hospitalisation": N_("requires inpatient hospitalisation or prolongs an existing one"),
    "disability": N_("results in persistent or significant disability or incapacity"),
    "congenital_anomaly": N_("is a congenital anomaly or birth defect"),
    "medically_important": N_("is another medically important event"),
}
"""ICH E2A II.B's criteria, any of which makes an event serious (several may apply). The codes are
stored; the labels (in English) are translated with `_()` where shown, as in the tables below."""

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


REPORT_WINDOW = 24 * 3600.0
"""A serious adverse event is reported to the sponsor within 24 h of the team becoming aware."""

PROVISIONALLY_SERIOUS_GRADE = 4
"""CTCAE v5.0 grade 4 is life-threatening and grade 5 is death, both ICH E2A II.B criteria: an event
of such a grade whose seriousness nobody has assessed yet runs the 24-hour clock provisionally, so
the assessment pending never lets the report's time pass unseen."""

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


# The catalogues


@dataclass(frozen=True)
class CtcaeTerm:
    term: str
    soc: str
    aesi: str | None
    term_es: str = ""
    """The term in Spanish, for a screen in Spanish only (what is stored is `term`)."""

    def shown(self) -> str:
        """The term in the screen's language."""
        return self.term_es if i18n.language() == "es" and self.term_es else self.term


@dataclass(frozen=True)
class CtcaeCatalogue:
    version: str
    terms: tuple[CtcaeTerm, ...]

    def find(self, term: str) -> CtcaeTerm | None:
        """The CTCAE term `term` names, in English or as shown in Spanish."""
        wanted = term.strip().casefold()
        return next(
            (t for t in self.terms if wanted and wanted in (t.term.casefold(), t.term_es.casefold())), None
        )


@dataclass(frozen=True)
class ReferenceSafetyInformation:
    product: str
    document: str
    version: str
    expected: Mapping[str, int]
    """CTCAE term (case-folded) → the highest grade listed as expected."""

    @property
    def label(self) -> str:
        """What an event records as the RSI it was judged against."""
        return f"{self.document}, version {self.version}"

    def expectedness(self, ctcae_term: str | None, grade: int) -> str:
        """ "expected" when the RSI lists the term at this grade or higher, else "unexpected" (a term
        not listed, or listed at a lower grade: ICH E2A II.C, nature or severity not consistent)."""
        if ctcae_term is None:
            return "unexpected"
        listed = self.expected.get(ctcae_term.casefold())
        return "expected" if listed is not None and grade <= listed else "unexpected"


def load_ctcae(path: Path | None = None) -> CtcaeCatalogue:
    data = tomllib.loads((path or resource_path("adverse_events", "ctcae_terms.toml")).read_text("utf-8"))
    terms = tuple(
        CtcaeTerm(str(t["term"]), str(t["soc"]), t.get("aesi"), str(t.get("term_es", "")))
        for t in data["term"]
    )
    return CtcaeCatalogue(str(data["ctcae_version"]), terms)


def load_rsi(path: Path | None = None) -> ReferenceSafetyInformation:
    data = tomllib.loads((path or resource_path("adverse_events", "rsi.toml")).read_text("utf-8"))
    expected = {str(e["term"]).casefold(): int(e["max_grade"]) for e in data.get("expected", [])}
    return ReferenceSafetyInformation(
        str(data["product"]), str(data["document"]), str(data["version"]), expected
    )


@cache
def ctcae() -> CtcaeCatalogue:
    return load_ctcae()


def term_text(term: str) -> str:
    """A stored term (the English CTCAE term, or one recorded as written) as a person reads it: a
    CTCAE term in the screen's language, any other as written."""
    found = ctcae().find(term) if term else None
    return found.shown() if found is not None else term


@cache
def rsi() -> ReferenceSafetyInformation:
    return load_rsi()


# What is derived


def serious(criteria: Sequence[str] | None) -> bool | None:
    """Serious when any ICH E2A criterion applies; None when seriousness was not assessed."""
    return None if criteria is None else bool(criteria)


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


def special_interest(ctcae_term: str | None, catalogue: CtcaeCatalogue | None = None) -> str | None:
    """The adverse event of special interest the term belongs to (infusion reaction, thrombosis or
    embolism, infection), or None."""
    if ctcae_term is None:
        return None
    found = (catalogue or ctcae()).find(ctcae_term)
    return found.aesi if found else None


@dataclass(frozen=True)
class ReportClock:
    """The 24-hour clock of a serious adverse event's first report to the sponsor."""

    state: str
    """"not serious", "not assessed", "no awareness time", "due", "overdue" or "reported"."""
    due: float | None = None
    reported_at: float | None = None
    left: float | None = None
    """Seconds until due (negative: overdue by), while not reported."""
    follow_ups: int = 0
    """Reports sent after the first (the first is the one the 24-hour clock judges)."""
    provisional: bool = False
    """Serious only provisionally: grade 4-5 with seriousness not yet assessed."""
    since: float | None = None
    """For a provisional clock: the awareness time the assessment has been pending since."""

    @property
    def late(self) -> bool | None:
        """Whether the first report was sent after the 24 h (None: not reported, or no awareness
        time to judge it against)."""
        if self.reported_at is None or self.due is None:
            return None
        return self.reported_at > self.due

    @property
    def timeliness(self) -> str:
        """The state as the JSON says it: a report is "reported on time", "reported late" or
        "reported (no awareness time to judge)"; otherwise the state."""
        if self.state != "reported":
            return self.state
        if self.late is None:
            return "reported (no awareness time to judge)"
        return "reported late" if self.late else "reported on time"

    @property
    def open(self) -> bool:
        """Whether the screen must keep showing it (a serious event not yet reported)."""
        return self.state in ("due", "overdue", "no awareness time")


def report_clock(
    criteria: Sequence[str] | None,
    awareness: float | None,
    reported_at: float | None,
    now: float,
    follow_ups: int = 0,
    grade: int | None = None,
) -> ReportClock:
    """Due 24 h after the team became aware; shown until a report to the sponsor is recorded.
    `awareness` is the earliest awareness any version of the event recorded (a later correction
    never makes a late report timely); `reported_at` is the first report's time; `follow_ups` how
    many reports were sent after it. A grade 4-5 event not yet assessed for seriousness runs the
    clock provisionally (`PROVISIONALLY_SERIOUS_GRADE`)."""
    if reported_at is not None:
        due = None if awareness is None else awareness + REPORT_WINDOW
        return ReportClock("reported", due, reported_at, follow_ups=follow_ups)
    is_serious = serious(criteria)
    provisional = is_serious is None and grade is not None and grade >= PROVISIONALLY_SERIOUS_GRADE
    if is_serious is None and not provisional:
        return ReportClock("not assessed")
    if is_serious is False:
        return ReportClock("not serious")
    if awareness is None:
        return ReportClock("no awareness time", provisional=provisional)
    due = awareness + REPORT_WINDOW
    return ReportClock(
        "due" if now <= due else "overdue",
        due,
        None,
        due - now,
        provisional=provisional,
        since=awareness if provisional else None,
    )


def earliest_awareness(versions: Sequence[AdverseEventVersion]) -> float | None:
    """The first time the team became aware of the event, over every version (ICH E2A: day 0)."""
    return min((v.awareness for v in versions if v.awareness is not None), default=None)


def duration_text(seconds: float) -> str:
    """ "3 h 05 min", "25 min": whole minutes, never rounded up into a lie about time left."""
    minutes = int(abs(seconds) // 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def follow_up_text(follow_ups: int) -> str:
    """What follows the first report's time when more reports were sent: every place that lists an
    event's report shows the first (the one the 24-hour clock judges) and says how many followed,
    so no reader takes the first for the only one."""
    if follow_ups < 1:
        return ""
    return " " + ngettext(
        "(first report; {n} follow-up report since)",
        "(first report; {n} follow-up reports since)",
        follow_ups,
    ).format(n=follow_ups)


def clock_text(clock: ReportClock, when: Callable[[float], str]) -> str:
    """One line for a list; `when` formats an epoch time for the screen (local time)."""
    if clock.state == "reported" and clock.reported_at is not None:
        return (
            _("reported to sponsor {at}").format(at=when(clock.reported_at))
            + (" " + _("(after the 24 h)") if clock.late else "")
            + follow_up_text(clock.follow_ups)
        )
    line = _timed_text(clock, when)
    if clock.provisional and line:
        pending = (
            _("seriousness to be assessed (pending since {at})").format(at=when(clock.since))
            if clock.since is not None
            else _("seriousness to be assessed")
        )
        return _("{clock}; grade 4-5: {pending}").format(clock=line, pending=pending)
    return line


def _timed_text(clock: ReportClock, when: Callable[[float], str]) -> str:
    if clock.due is not None and clock.left is not None:
        if clock.state == "due":
            return _("SAE report due {at} (in {left})").format(
                at=when(clock.due), left=duration_text(clock.left)
            )
        return _("SAE report OVERDUE since {at} (by {late})").format(
            at=when(clock.due), late=duration_text(clock.left)
        )
    if clock.state == "no awareness time":
        return _("SAE report: when the team became aware is not recorded")
    return ""


def criteria_text(criteria: Sequence[str] | None) -> str:
    if criteria is None:
        return _("seriousness not assessed")
    if not criteria:
        return _("not serious")
    return _("serious: {criteria}").format(criteria=", ".join(criterion_text(c) for c in criteria))


_CRITERIA = {
    "death": N_("death"),
    "life_threatening": N_("life threatening"),
    "hospitalisation": N_("hospitalisation"),
    "disability": N_("disability"),
    "congenital_anomaly": N_("congenital anomaly"),
    "medically_important": N_("medically important"),
}
"""Each seriousness criterion in a word or two, for a list."""


def criterion_text(code: str) -> str:
    """One seriousness criterion in a word or two, in the reader's language."""
    return _(_CRITERIA[code]) if code in _CRITERIA else code.replace("_", " ")


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

    @property
    def clock_awareness(self) -> float | None:
        """What the 24-hour clock runs from: the earliest awareness recorded for the event."""
        known = [a for a in (self.first_awareness, self.awareness) if a is not None]
        return min(known, default=None)

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
            self.seriousness, self.clock_awareness, self.sent_at, now, self.follow_up_reports, self.grade
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
}
"""What a version may change, in the order a history says it, as a person reads each."""

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
    }


def _field_value(name: str, value: object, when: Callable[[float], str]) -> str:
    if name in ("awareness", "end"):
        return _("not recorded") if value is None else when(float(value))  # type: ignore[arg-type]
    if name == "grade":
        return f"G{value}"
    if name == "dose":
        return _("none") if value is None else _("dose {dose}").format(dose=value)
    if name == "relatedness":
        return relatedness_text(str(value))
    if name == "seriousness":
        return criteria_text(value)  # type: ignore[arg-type]
    if name == "expectedness":
        return _(EXPECTEDNESS_WORDS[str(value)]) if value in EXPECTEDNESS_WORDS else _("not assessed")
    if name == "susar":
        return {True: _("SUSAR"), False: _("not a SUSAR")}.get(value, _("cannot be derived"))  # type: ignore[call-overload]
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
    """What a version changed from the one before, in words ("grade G3 → G1; SUSAR SUSAR → not a
    SUSAR"); an awareness time moved says the reason given. "" when nothing compared changed."""
    parts = []
    for name, word in _FIELD_WORDS.items():
        if name not in before or name not in after or before[name] == after[name]:
            continue
        part = _("{field} {before} → {after}").format(
            field=_(word),
            before=_field_value(name, before[name], when),
            after=_field_value(name, after[name], when),
        )
        if name == "awareness" and after.get("awareness_reason"):
            part += " " + _("(reason: {reason})").format(reason=after["awareness_reason"])
        parts.append(part)
    return "; ".join(parts)


def history_lines(
    history: Sequence[AdverseEventVersion],
    when: Callable[[float], str],
    dose_of: Mapping[int, int] | None = None,
) -> list[str]:
    """Every version of one event, oldest first: what each said, and under each follow-up what it
    changed from the version before (the linked dose too, given `dose_of`: episode id to dose)."""
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
                user=v.reported_by,
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
                    else _("changed: nothing compared here (notes, treatment or links only)")
                )
            )
    return lines
