"""Infusion events and candidate episodes: where a dose's start and end can come from.

Cell products are often given by gravity or syringe, so the pump is only one source; every event
keeps its source (pump event, eMAR administration, and later manual entry), and an episode built
from them is a *candidate* until a clinician confirms it (`bedside.episode_lifecycle`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from bedside.model import PatientRef


class EventSource(enum.StrEnum):
    PUMP_EVENT = "pcd10"  # IHE PCD-10 ORU^R42 delivery events (start, stop, complete)
    ADMINISTRATION = "ras"  # RAS^O17 from an eMAR/BCMA: the nurse documented it
    PUMP_STATUS = "pcd01-status"  # MDC_PUMP_INFUSING_STATUS changing in the pump's PCD-01 reports
    MANUAL = "manual"


class EventKind(enum.StrEnum):
    START = "start"
    STOP = "stop"
    PAUSE = "pause"
    """Delivery stopped and may go on (a clinician's pause, an alarm): ends a running dose, and a
    resume takes that end back."""
    RESUME = "resume"
    """Delivery goes on after a pause (or a new segment of the same delivery begins)."""
    CHANGE = "change"
    """The pump's delivery changed without starting or ending one (rate change, keep vein open,
    program cleared): kept with the pump's events, no dose changes."""


@dataclass(frozen=True, slots=True)
class InfusionEvent:
    patient: PatientRef | None
    source: EventSource
    kind: EventKind
    at: float
    device: str = ""
    """The pump (per-pump id, not the gateway) or the administering system."""
    product: str = ""
    amount: str = ""
    reason: str = ""
    """Why delivery ended, when the pump says (e.g. pump-stopped-alarming)."""
    order: str = ""
    """Filler order / administration id that pairs a start with its stop."""


@dataclass(frozen=True, slots=True)
class CandidateEpisode:
    patient: PatientRef | None
    source: EventSource
    start: float | None
    end: float | None
    device: str
    product: str
    amount: str = ""
    end_reason: str = ""


def candidate_episodes(events: Iterable[InfusionEvent]) -> list[CandidateEpisode]:
    """Pair starts with the next stop of the same source, device and order (or patient).

    A start without a stop is an episode still running (end None); a stop without a start keeps
    its end only, so a missed start message is visible rather than silently dropped. A pause ends
    the running episode like a stop until a resume of the same delivery takes that end back (a pause
    with nothing running is ignored); a resume with nothing to resume begins an episode; a change
    neither begins nor ends one.
    """
    open_: dict[tuple, InfusionEvent] = {}
    paused: dict[tuple, tuple[InfusionEvent | None, CandidateEpisode]] = {}
    out: list[CandidateEpisode] = []
    for e in sorted(events, key=lambda e: e.at):
        key = (e.source, e.device, e.order or "", e.patient)
        if e.kind is EventKind.CHANGE or (e.kind is EventKind.RESUME and key in open_):
            continue
        if e.kind is EventKind.RESUME and key in paused:
            start, ended = paused.pop(key)
            if start is not None:  # the episode goes on from its start
                out.remove(ended)
            open_[key] = start or e
            continue
        paused.pop(key, None)
        if e.kind is EventKind.PAUSE and key not in open_:
            continue  # nothing delivering to pause (e.g. stopping the keep-vein-open flow after completion)
        if e.kind in (EventKind.START, EventKind.RESUME):
            if key in open_:
                s = open_.pop(key)
                out.append(CandidateEpisode(s.patient, s.source, s.at, None, s.device, s.product, s.amount))
            open_[key] = e
        else:
            s = open_.pop(key, None)
            ended = CandidateEpisode(
                e.patient,
                e.source,
                s.at if s else None,
                e.at,
                e.device,
                (s.product if s else "") or e.product,
                (s.amount if s else "") or e.amount,
                e.reason,
            )
            out.append(ended)
            if e.kind is EventKind.PAUSE:
                paused[key] = (s, ended)
    out += [
        CandidateEpisode(s.patient, s.source, s.at, None, s.device, s.product, s.amount)
        for s in open_.values()
    ]
    return sorted(out, key=lambda c: c.start if c.start is not None else c.end or 0.0)
