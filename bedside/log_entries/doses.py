"""Dose (infusion episode) entries: started, stopped, confirmed, edited, cancelled; by a clinician
or a device."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from bedside.episodes import InfusionEpisode
from bedside.log_entries.base import Change, LogEntry, change_payload, snapshot


def as_given(ep: InfusionEpisode) -> dict[str, Any]:
    """A dose's product and cell dose as stored (the columns, not derived values), for the entries
    that set them: `verify-log` compares the stored dose with them."""
    return {
        "product": ep.product,
        "cells": ep.cells,
        "weight_kg": ep.weight_kg,
        "cells_per_kg_entered": ep.cells_per_kg_entered,
    }


@dataclass(frozen=True, kw_only=True)
class CandidateEpisode(LogEntry):
    """A device or eMAR start that is not yet a confirmed dose."""

    kind: ClassVar[str] = "episode.candidate"
    dose: int
    start: float
    source: str
    product: str | None
    device: str | None

    def body(self) -> dict[str, Any]:
        return {
            "dose": self.dose,
            "start": self.start,
            "source": self.source,
            "product": self.product,
            "device": self.device,
        }


@dataclass(frozen=True, kw_only=True)
class DoseStarted(LogEntry):
    """A dose a clinician entered that no device had reported: the dose as created."""

    kind: ClassVar[str] = "episode.start"
    episode: InfusionEpisode

    def body(self) -> dict[str, Any]:
        return {**snapshot(self.episode), "given": as_given(self.episode)}


@dataclass(frozen=True, kw_only=True)
class DoseStopped(LogEntry):
    """A clinician's end of a dose; `was` is the end it replaced (None: it was running)."""

    kind: ClassVar[str] = "episode.stop"
    dose: int
    end: float
    was: float | None

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "end": self.end, "was": self.was}


@dataclass(frozen=True, kw_only=True)
class DeviceStopped(LogEntry):
    """A device's or the eMAR's end of a dose."""

    kind: ClassVar[str] = "episode.stop"
    dose: int
    end: float
    source: str
    reason: str | None

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "end": self.end, "source": self.source, "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class CandidateStarted(LogEntry):
    """The nurse's "infusion started" on a dose a device had reported: `was` is that dose as it stood."""

    kind: ClassVar[str] = "episode.confirm"
    dose: int
    start: float
    was: InfusionEpisode
    given: InfusionEpisode | None = None
    """The dose as the nurse's start left it: its product and cell dose as stored."""

    def body(self) -> dict[str, Any]:
        out = {"dose": self.dose, "start": self.start, "was": snapshot(self.was)}
        if self.given is not None:
            out["given"] = as_given(self.given)
        return out


@dataclass(frozen=True, kw_only=True)
class DoseConfirmed(LogEntry):
    """A clinician confirmed a dose's start (`source`: where the start it confirmed came from)."""

    kind: ClassVar[str] = "episode.confirm"
    dose: int
    start: float
    source: str

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "start": self.start, "source": self.source}


@dataclass(frozen=True, kw_only=True)
class DoseEdited(LogEntry):
    """A dose's start or end moved. The optional fields appear in the payload only when given:
    `reason` for a clinician's correction, `why` for a re-anchoring start, `source` for a device's
    better time."""

    kind: ClassVar[str] = "episode.edit"
    dose: int
    start: Change | None = None
    end: Change | None = None
    reason: str | None = None
    why: str | None = None
    source: str | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dose": self.dose}
        if self.reason is not None:
            out["reason"] = self.reason
        if self.start is not None:
            out["start"] = change_payload(self.start)
        if self.end is not None:
            out["end"] = change_payload(self.end)
        if self.why is not None:
            out["why"] = self.why
        if self.source is not None:
            out["source"] = self.source
        return out


@dataclass(frozen=True, kw_only=True)
class TargetsSet(LogEntry):
    """The intensivist's own limits for a dose, before and after."""

    kind: ClassVar[str] = "episode.targets"
    dose: int
    before: Mapping[str, float]
    after: Mapping[str, float]
    reason: str

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "from": dict(self.before), "to": dict(self.after), "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class DoseCancelled(LogEntry):
    """A dose entered in error: `was` is the dose as it stood."""

    kind: ClassVar[str] = "episode.cancel"
    dose: int
    reason: str
    was: InfusionEpisode

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "reason": self.reason, "was": snapshot(self.was)}


@dataclass(frozen=True, kw_only=True)
class CandidateAccepted(LogEntry):
    """A device start nobody confirmed in time, accepted as the dose."""

    kind: ClassVar[str] = "episode.accepted"
    dose: int
    start: float
    source: str
    why: str

    def body(self) -> dict[str, Any]:
        return {"dose": self.dose, "start": self.start, "source": self.source, "why": self.why}
