"""An adverse event as the review, the report, their exports and the command line list it: its
latest version, how many versions it has, the dose it is linked to, what every version said (the
history a follow-up leaves), and the SUSAR flag the first report to the sponsor sent. One shape
wherever an event is listed; the JSON and CSV outputs write it with `as_json`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from bedside.adverse_events import AdverseEventVersion, compared


@dataclass(frozen=True, kw_only=True)
class HistoryEntry:
    """One version of an event as its history lists it: the version as stored, the dose it links,
    and who recorded it, in which role their signature gives (None: the version was not signed)."""

    recorded: AdverseEventVersion
    dose: int | None
    """The linked dose's number (None: no dose, or one not among the patient's)."""
    by: str
    """Who recorded the version: the account, or the printed name where a reader named it."""
    role: str | None = None

    @property
    def version(self) -> int:
        return self.recorded.version

    @property
    def recorded_at(self) -> float:
        return self.recorded.reported_at

    @property
    def fields(self) -> dict[str, object]:
        """What a history compares between versions (`bedside.adverse_events.compared`), the linked
        dose with it."""
        v = self.recorded
        return compared(v, {} if v.episode_id is None or self.dose is None else {v.episode_id: self.dose})

    def as_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "recorded_at": self.recorded_at,
            "by": self.by,
            "role": self.role,
            # The fields a history compares, the same keys as the command line's.
            **self.fields,
        }


def history_of(
    versions: Sequence[AdverseEventVersion],
    dose_of: Mapping[int, int],
    roles: Mapping[int, str] | None = None,
) -> tuple[HistoryEntry, ...]:
    """Every version of one event, oldest first; `dose_of`: episode id → dose number; `roles`: each
    version's (row id's) signer's role."""
    roles = roles or {}
    return tuple(
        HistoryEntry(
            recorded=v,
            dose=None if v.episode_id is None else dose_of.get(v.episode_id),
            by=v.reported_by,
            role=roles.get(v.id),
        )
        for v in sorted(versions, key=lambda v: v.version)
    )


@dataclass(frozen=True, kw_only=True)
class ListedAdverseEvent:
    """One of the patient's events: its latest version, with what every version said."""

    latest: AdverseEventVersion
    versions: int
    """How many versions the event has (the latest is the last of them)."""
    dose: int | None
    """The dose the latest version links (None: none, or one not among the patient's)."""
    history: tuple[HistoryEntry, ...]
    """Every version, oldest first."""
    susar_at_first_report: bool | None = None
    """The SUSAR flag of the version the first report to the sponsor sent (None: not reported, or
    not derivable then)."""

    @property
    def id(self) -> int:
        """The event's number: its first version's id."""
        return self.latest.event_id

    @property
    def version_id(self) -> int:
        """The id of the version shown (the latest)."""
        return self.latest.id

    def named(self, name: Callable[[str], str]) -> ListedAdverseEvent:
        """The event with who assessed it and who recorded each version as `name` gives them (the
        printed name), for reading: a copy, what is stored keeps the account."""
        assessor = self.latest.assessed_by
        return replace(
            self,
            latest=replace(self.latest, assessed_by=name(assessor) if assessor else assessor),
            history=tuple(replace(h, by=name(h.by) if h.by else h.by) for h in self.history),
        )

    def as_json(self) -> dict[str, object]:
        """The event as the review's JSON and the report's tables write it."""
        v = self.latest
        return {
            "id": self.id,
            "version_id": self.version_id,
            "version": v.version,
            "versions": self.versions,
            "term": v.term,
            "grade": v.grade,
            "relatedness": v.relatedness,
            "dose": self.dose,
            "onset": v.onset,
            "alert_ids": list(v.alert_ids),
            "reported_by": v.reported_by,
            "reported_at": v.reported_at,
            "notes": v.notes,
            **v.reporting_fields(),
            "susar_missing": list(v.susar.missing),
            "sent_at": v.sent_at,
            "follow_up_reports": v.follow_up_reports,
            "clock_awareness": v.clock_awareness,
            "clock_from_first_record": v.clock_from_first_record,
            "history": [h.as_json() for h in self.history],
            "susar_at_first_report": self.susar_at_first_report,
        }
