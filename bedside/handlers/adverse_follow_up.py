"""What a version of an adverse event must say for what it changes, and what a follow-up carries:
every field a follow-up leaves unset is taken from the version before; a moved awareness time, a
moved onset of an assessed event, and a grade 4 event assessed not serious each need a stated reason
(ICH E2A II.B; CTCAE v5.0), or nothing is recorded."""

from __future__ import annotations

from dataclasses import replace

from bedside import adverse_events as ae
from bedside.commands import NOT_ASSESSED, AdverseEventError, RecordAdverseEvent
from bedside.handlers.common import when_text
from bedside.i18n import _

_CARRIED = (
    "term",
    "grade",
    "relatedness",
    "onset",
    "notes",
    "seriousness",
    "outcome",
    "end",
    "action_taken",
    "treatment",
    "awareness",
    "meddra_code",
)
"""What a follow-up that leaves a field unset carries from the version before."""


def _unset(value: object) -> bool:
    """None or empty text; an empty seriousness is a choice (not serious), never unset."""
    return value is None or value == ""


ONGOING = frozenset({"recovering", "not_recovered"})
"""Outcomes of an event that has not ended: such an event has no end time."""


def carry(cmd: RecordAdverseEvent, before: ae.AdverseEventVersion) -> RecordAdverseEvent:
    """The follow-up with every field it leaves unset taken from the version before (linked alerts
    and the dose too). A follow-up saying the event is ongoing again does not inherit an end."""
    changes: dict[str, object] = {
        name: getattr(before, name) for name in _CARRIED if _unset(getattr(cmd, name))
    }
    if cmd.outcome in ONGOING and cmd.end is None:
        changes.pop("end", None)
    if not cmd.alert_ids:
        changes["alert_ids"] = tuple(before.alert_ids)
    if cmd.dose is None and cmd.episode_id is None:
        changes["episode_id"] = before.episode_id
    # A correction's reason belongs to the version that made it, never to the ones after.
    changes["notes"] = ae.without_awareness_reason(str(changes.get("notes", cmd.notes)))
    return replace(cmd, **changes)  # type: ignore[arg-type]


MIN_REASON_LETTERS = 3
"""A stated reason has at least this many letters ("x" or "." states nothing)."""


def moved_awareness_reason(cmd: RecordAdverseEvent, before: ae.AdverseEventVersion) -> str:
    """The reason the follow-up moves the awareness time ("" when it does not), kept with the version
    in its own field (never in the notes). Refused: a move without a reason (it would erase when the
    team first knew, and with it a late report), and a reason with no move. Recording the awareness
    time for the first time is no move."""
    reason = " ".join(cmd.awareness_reason.split())
    if before.awareness is None or cmd.awareness == before.awareness:
        if reason:
            raise AdverseEventError(
                _(
                    "a reason for correcting the awareness time was given, but no earlier awareness "
                    "time is changed"
                )
            )
        return ""
    earliest = min(a for a in (before.first_awareness, before.awareness) if a is not None)
    if cmd.awareness is not None and cmd.awareness > earliest:
        # ICH E2A day 0 is the site's first knowledge: a later time would not move the 24-hour
        # clock, and taking it in silence would let the record say one time and the clock another.
        raise AdverseEventError(
            _(
                "the awareness time {given} is later than the earliest recorded for adverse event "
                "#{event} ({earliest}): day 0 of the 24-hour report is the earliest awareness, so a "
                "later one cannot replace it. Nothing was recorded. If {earliest} was entered wrong, "
                "record a follow-up that keeps it and says in its note the right time and why the first "
                "was wrong, and tell the sponsor's safety desk: the earliest time stays the clock's start"
            ).format(given=when_text(cmd.awareness), event=before.event_id, earliest=when_text(earliest))
        )
    if sum(c.isalpha() for c in reason) < MIN_REASON_LETTERS:
        was = when_text(before.awareness)
        raise AdverseEventError(
            _(
                "this follow-up moves when the team became aware of adverse event #{event} (was {was}): "
                "state why (the awareness reason). The 24-hour report still runs from the earliest "
                "awareness recorded. Nothing was recorded"
            ).format(event=before.event_id, was=was)
        )
    return reason


def stated(reason: str) -> bool:
    return sum(c.isalpha() for c in ae.without_awareness_reason(reason)) >= MIN_REASON_LETTERS


def require_reason_for_life_threatening_not_serious(
    cmd: RecordAdverseEvent, before: ae.AdverseEventVersion | None, own_notes: str
) -> None:
    """CTCAE v5.0 grade 4 is "life-threatening consequences", and life-threatening is an ICH E2A
    II.B seriousness criterion: assessing such an event not serious goes against its own grade, so
    the version doing it must say why in its note (a note carried from an earlier version does not)."""
    if cmd.grade != 4 or cmd.seriousness is None or len(cmd.seriousness) > 0:
        return
    if before is not None and before.grade == 4 and before.seriousness is not None and not before.seriousness:
        return  # assessed so, with its reason, by an earlier version
    if not stated(own_notes):
        raise AdverseEventError(
            _(
                "grade 4 is life-threatening (CTCAE v5.0), a seriousness criterion (ICH E2A): to assess "
                "it not serious, state why in the note. Nothing was recorded"
            )
        )


def require_reason_for_moved_onset(
    cmd: RecordAdverseEvent, before: ae.AdverseEventVersion, own_notes: str
) -> None:
    """Moving the onset of an event someone has assessed (relatedness or seriousness) changes what
    the assessment was made on, and the time to onset a causality judgement and an expedited report
    rest on: the version doing it must say why in its own note, as a moved awareness time must."""
    assessed = before.relatedness != NOT_ASSESSED or before.seriousness is not None
    if not assessed or before.onset is None or cmd.onset == before.onset or stated(own_notes):
        return
    raise AdverseEventError(
        _(
            "this follow-up moves the onset of adverse event #{event} (was {was}), which has been "
            "assessed: state why in the note. Nothing was recorded"
        ).format(event=before.event_id, was=when_text(before.onset))
    )
