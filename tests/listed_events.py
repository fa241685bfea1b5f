"""Adverse events as the review lists them (`ListedAdverseEvent`), built from only the fields a test
cares about; the rest take plain defaults. The SUSAR flag and the clock's day 0 are derived, as in
the store: a test sets the relatedness, seriousness and expectedness (or the first awareness and
the first record) that give them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bedside.adverse_event_listing import HistoryEntry, ListedAdverseEvent
from bedside.adverse_events import AdverseEventVersion
from bedside.model import PatientRef

REF = PatientRef("MRN1", "H")


def version(**fields: Any) -> AdverseEventVersion:
    """One stored version; `seriousness` and `alert_ids` may be lists, as JSON gives them."""
    base: dict[str, Any] = {
        "id": 1,
        "patient_ref": REF,
        "episode_id": None,
        "term": "Sepsis",
        "grade": 1,
        "relatedness": "not_assessed",
        "onset": None,
        "reported_by": "nurse",
        "reported_at": 0.0,
    }
    values = {**base, **fields}
    if values.get("seriousness") is not None:
        values["seriousness"] = tuple(values["seriousness"])
    values["alert_ids"] = tuple(values.get("alert_ids") or ())
    return AdverseEventVersion(**values)


def entry(
    *, version_number: int = 1, recorded_at: float = 0.0, by: str = "nurse", role: str | None = None,
    dose: int | None = None, awareness_reason: str | None = None, **fields: Any
) -> HistoryEntry:  # fmt: skip
    """One version as a history lists it."""
    recorded = version(
        version=version_number,
        reported_at=recorded_at,
        reported_by=by,
        awareness_correction=awareness_reason,
        **fields,
    )
    return HistoryEntry(recorded=recorded, dose=dose, by=by, role=role)


def listed(
    *,
    id: int = 1,  # the event's number, as the listing names it
    versions: int = 1,
    dose: int | None = None,
    history: Sequence[Mapping[str, Any]] = (),
    susar_at_first_report: bool | None = None,
    clock_awareness: float | None = None,
    clock_from_first_record: bool = False,
    **latest: Any,
) -> ListedAdverseEvent:
    """An event: its latest version's fields as keywords; `history`: each version's fields with
    "version", "recorded_at", "by" and "role" as the review's history names them; `clock_awareness`:
    the day 0 an earlier version (or, `clock_from_first_record`, the first record) gave."""
    if clock_awareness is not None:
        latest["first_recorded" if clock_from_first_record else "first_awareness"] = clock_awareness
    entries = tuple(
        entry(
            version_number=int(h.get("version", 1)),
            recorded_at=float(h.get("recorded_at", 0.0)),
            **{k: v for k, v in h.items() if k not in ("version", "recorded_at")},
        )
        for h in history
    )
    return ListedAdverseEvent(
        latest=version(id=id, **latest),
        versions=versions,
        dose=dose,
        history=entries,
        susar_at_first_report=susar_at_first_report,
    )
