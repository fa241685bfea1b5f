"""A recorded death and the serious adverse event report it calls for, and the adverse events whose
outcome the death contradicts.

ICH E2A II.B counts an event that results in death as serious, so a death on a study starts the
24-hour SAE report (ICH E6(R2) 4.11.1) from the time the team became aware of it: the first entry
of the death in this record. The obligation is met when an adverse event assessed serious by death
is on record (`covers_death`), or when an investigator signs why none is needed (the death
unrelated to the study product and reported otherwise, for instance). Until then every listing
says so, with the clock.

An adverse event's outcome must agree with the death (CDISC SDTMIG AEOUT; CTCAE v5.0 grade 5): a
fatal outcome needs a recorded death, an event still ongoing at the death cannot be recovering, and
no event ends after the patient died.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bedside.adverse_events import AdverseEventVersion
from bedside.i18n import _
from bedside.model import PatientRef
from bedside.sae_clock import ReportClock, clock_text, report_clock
from bedside.users import role_name


@dataclass(frozen=True)
class NoSaeNeeded:
    """An investigator's signed reason why the death needs no SAE report."""

    reason: str
    by: str
    role: str | None
    at: float
    """When it was recorded."""


@dataclass(frozen=True)
class DeathSae:
    """The patient's death and where its SAE report stands."""

    died: float
    """The death's time (the last entered: it corrects those before it)."""
    aware: float | None
    """When the team became aware: the first entry of a death for the patient (None: not known)."""
    fatal_events: tuple[int, ...] = ()
    """Adverse events whose latest version is assessed serious by death (`covers_death`)."""
    explained: NoSaeNeeded | None = None
    """The latest signed reason why no SAE report is needed (None: none recorded)."""

    @property
    def state(self) -> str:
        """ "recorded" (an SAE is on record), "explained" (a signed reason says none is needed) or
        "due" (neither yet)."""
        if self.fatal_events:
            return "recorded"
        return "explained" if self.explained is not None else "due"

    def clock(self, now: float) -> ReportClock:
        """The 24-hour clock of the report the death calls for, from the team's awareness."""
        return report_clock(("death",), self.aware, None, now)


def covers_death(v: AdverseEventVersion) -> bool:
    """Whether this version of an adverse event is the SAE report a death calls for: assessed
    serious with the criterion death (ICH E2A II.B). A fatal outcome alone is not: an event nobody
    assessed for seriousness is no serious adverse event yet, and saying the death is covered by it
    would stop the 24-hour clock on a report nobody has judged."""
    return "death" in (v.seriousness or ())


def death_sae(
    died: float | None,
    aware: float | None,
    fatal_events: Sequence[int] = (),
    explained: Sequence[NoSaeNeeded] = (),
) -> DeathSae | None:
    """None when no death is recorded. `explained`: every signed reason, oldest first (the latest
    counts)."""
    if died is None:
        return None
    return DeathSae(died, aware, tuple(fatal_events), explained[-1] if explained else None)


def death_sae_text(d: DeathSae, now: float, when: Callable[[float], str]) -> str:
    """One line for a listing: what the death still needs, or what settled it."""
    if d.state == "recorded":
        return _("death on {date}: recorded as serious adverse event {events}").format(
            date=when(d.died), events=", ".join(f"#{n}" for n in d.fatal_events)
        )
    if d.state == "explained" and d.explained is not None:
        e = d.explained
        who = e.by if not e.role else _("{by} ({role})").format(by=e.by, role=role_name(e.role))
        return _("death on {date}: no SAE report needed, as {who} recorded {at}: {reason}").format(
            date=when(d.died), who=who, at=when(e.at), reason=e.reason
        )
    return _(
        "death on {date}: no serious adverse event recorded; an SAE report is due within 24 h of "
        "awareness ({clock})"
    ).format(date=when(d.died), clock=clock_text(d.clock(now), when))


@dataclass(frozen=True)
class EventOutcome:
    """What an adverse event's latest version says of its outcome, for the check against the death."""

    event: int
    term: str
    onset: float | None
    outcome: str | None
    end: float | None
    recorded_at: float
    """When that version was recorded."""


ONGOING_OUTCOMES = ("recovering", "not_recovered")


@dataclass(frozen=True)
class DeathOnRecord:
    """What a form checks an adverse event's outcome against before it is signed: the patient (named
    in the refusal), and the recorded death (None: none recorded)."""

    patient: PatientRef
    died: float | None


def death_outcome_problem(
    outcome: str | None,
    onset: float | None,
    end: float | None,
    died: float | None,
    patient: PatientRef,
    when: Callable[[float], str],
) -> str | None:
    """Why an adverse event's outcome cannot stand beside the record of the death, or None: a fatal
    outcome (CTCAE v5.0 grade 5, SDTM AEOUT FATAL) needs the death on record; an event ongoing at a
    recorded death cannot be recovering (its outcome at the death is fatal if it led to it, else not
    recovered). `when` formats the death's time."""
    if outcome == "fatal" and died is None:
        return _(
            "a fatal outcome needs {ref}'s death on record, and none is: record the death first "
            "(a course event, or confirm the death an ADT message reported), or choose another "
            "outcome. Nothing was recorded"
        ).format(ref=str(patient))
    if died is not None and outcome == "recovering" and end is None and (onset is None or onset <= died):
        return _(
            "{ref} was recorded as deceased at {at}, and this event was ongoing then: it cannot be "
            "recovering. Its outcome at the death is fatal if it led to the death, otherwise not "
            "recovered. Nothing was recorded"
        ).format(ref=str(patient), at=when(died))
    return None


def outcome_conflicts(
    events: Sequence[EventOutcome],
    died: float | None,
    when: Callable[[float], str],
    term_text: Callable[[str], str] = str,
    death_entered: float | None = None,
) -> list[str]:
    """Each adverse event whose outcome the death contradicts, one line each naming the conflict and
    what to record: a fatal outcome with no death recorded; an event ongoing at the death whose
    outcome says it is recovering (or not recorded, or not recovered in a version recorded before
    the death was: `death_entered`, its first entry; default the death's time); an end after the
    death."""
    out = []
    known = death_entered if death_entered is not None else died
    for e in events:
        name = f"#{e.event} {term_text(e.term)}"
        if e.outcome == "fatal" and died is None:
            out.append(
                _(
                    "{event}: outcome fatal, but no death is recorded: record the death, or correct "
                    "the outcome"
                ).format(event=name)
            )
            continue
        if died is None:
            continue
        if e.end is not None and e.end > died:
            out.append(
                _("{event}: ends {end}, after the death ({died}): correct its end").format(
                    event=name, end=when(e.end), died=when(died)
                )
            )
            continue
        ongoing = e.end is None and (e.onset is None or e.onset <= died)
        stale = e.outcome is None or (
            e.outcome == "not_recovered" and known is not None and e.recorded_at < known
        )
        if ongoing and (e.outcome == "recovering" or stale):
            said = (
                _("recovering")
                if e.outcome == "recovering"
                else (_("not recovered") if e.outcome == "not_recovered" else _("not recorded"))
            )
            out.append(
                _(
                    "{event}: ongoing at the death ({died}), its outcome says {said}: record a "
                    "follow-up with its outcome at the death (fatal if it led to it, otherwise not "
                    "recovered)"
                ).format(event=name, died=when(died), said=said)
            )
    return out


def from_review(
    died: float | None,
    log: Sequence[Mapping[str, Any]],
    events: Sequence[AdverseEventVersion],
    *,
    aware: float | None,
) -> tuple[DeathSae | None, list[EventOutcome]]:
    """The death's SAE report and the events' outcomes, read from what the review holds: the
    patient's safety-log entries (`log`: dicts with "at", "kind", "payload"; the `death.no_sae`
    entries are the signed reasons), the adverse events as the review lists them (the latest
    version of each) and `aware`, the review's `death_awareness`: the day 0 the SAE clock runs from
    everywhere else (an ADT message's receipt where it came before the death's first entry), never
    a second reading of the log that would disagree with it."""
    reasons = []
    for e in log:
        if e.get("kind") != "death.no_sae":
            continue
        p = e.get("payload") or {}
        signature = p.get("signature") or {}
        reasons.append(
            NoSaeNeeded(
                str(p.get("reason") or ""),
                str(signature.get("name") or e.get("actor") or ""),
                signature.get("role"),
                float(e["at"]),
            )
        )
    fatal = [v.event_id for v in events if covers_death(v)]
    outcomes = [EventOutcome(v.event_id, v.term, v.onset, v.outcome, v.end, v.reported_at) for v in events]
    return death_sae(died, aware, fatal, reasons), outcomes
