"""What every safety-log entry carries, and the helpers the entries share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from bedside.episodes import InfusionEpisode
from bedside.model import PatientRef
from bedside.users import Signature

ENGINE_ACTOR = "bedside-rules"
"""Who the alerting engine's own entries name."""


@dataclass(frozen=True, kw_only=True)
class LogEntry:
    """What every entry carries besides its payload."""

    kind: ClassVar[str]
    actor: str
    patient_ref: PatientRef | None = None
    """The patient it is about (None: none, as for a session's entries)."""
    episode_id: int | None = None
    alert_id: int | None = None
    signature: Signature | None = None
    """The actor's electronic signature, for the actions that are signatures."""

    def payload(self) -> dict[str, Any]:
        """The entry's own fields, with the signature (printed name, role, meaning, time) when it
        was signed: what the review and the report show beside the record."""
        out = self.body()
        if self.signature is not None:
            out["signature"] = self.signature.payload()
        return out

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


Change = tuple[float | None, float | None]
"""A time before and after an edit: (from, to)."""


def snapshot(ep: InfusionEpisode) -> dict[str, Any]:
    """A dose as it stood, for the entries that keep what a change replaced."""
    return {
        "dose": ep.dose_number,
        "start": ep.start,
        "end": ep.end,
        "start_source": ep.start_source,
        "end_source": ep.end_source,
        "state": ep.state.value,
        "product": ep.product,
        "cells_per_kg": ep.cells_per_kg,
    }


def change_payload(change: Change) -> dict[str, float | None]:
    return {"from": change[0], "to": change[1]}
