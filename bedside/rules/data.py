"""What the rule engine reads about one patient: raw samples, lab results, device alarms, drug starts.

Plain values filled by an adapter (from the database, or from a test), so the engine is a pure function
of its inputs: the same data gives the same alerts live, on import and on replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Samples:
    """One stored series of a parameter: sample times (epoch s) and values in its canonical unit."""

    series_id: int
    times: npt.NDArray[np.float64]
    values: npt.NDArray[np.float32]
    device: str = ""
    channel: str = ""
    """OBX-4's first three levels (MDS.VMD.channel): which pump channel a rate or concentration is of."""


@dataclass(frozen=True)
class LabPoint:
    id: int
    """The stored result version's id (lab_result.id): what an alert on it names."""
    at: float
    """Specimen time (OBX-14): the time the value describes."""
    value: float
    upper_limit: float = float("nan")
    """From the performing lab's OBX-7 range; NaN when the lab sent none."""
    status: str = "F"
    corrects: int | None = None
    """The id of the version this one corrected (OBX-11 C), if any."""
    specimen: str = ""
    """The specimen's condition codes (HL7 table 0493, `~`-joined), e.g. HEM for haemolysed."""


@dataclass(frozen=True)
class AlarmPoint:
    id: int
    at: float
    event: str
    """The alarm's event REFID (MDC_EVT_…) or text."""


@dataclass(frozen=True)
class DrugStart:
    id: int
    at: float
    label: str
    device: str = ""


@dataclass(frozen=True)
class Documented:
    """Something a clinician wrote down: an adverse event's term and notes, a signed check's findings."""

    ref: str
    """adverse:<id> or check:<safety-log seq>: what an alert on it names."""
    at: float
    text: str


@dataclass
class PatientData:
    parameters: dict[str, list[Samples]] = field(default_factory=dict)
    labs: dict[str, list[LabPoint]] = field(default_factory=dict)
    alarms: list[AlarmPoint] = field(default_factory=list)
    drugs: list[DrugStart] = field(default_factory=list)
    documented: list[Documented] = field(default_factory=list)
    heard_until: float | None = None
    """Data time up to which the monitor feeds have delivered, when a feed is still catching up a
    backlog (history sent late, a gateway reconnecting): the minutes after it are not sent yet, which
    is not silence. None: silence is judged up to `now`."""

    def add(
        self,
        parameter: str,
        series_id: int,
        times: npt.ArrayLike,
        values: npt.ArrayLike,
        device: str = "",
        instance: str = "",
    ) -> None:
        self.parameters.setdefault(parameter, []).append(
            Samples(
                series_id,
                np.asarray(times, dtype=np.float64),
                np.asarray(values, dtype=np.float32),
                device,
                channel_of(instance),
            )
        )


def channel_of(instance: str) -> str:
    """The channel an OBX-4 names: "1.2.1.157784" → "1.2.1" (rows of one pump channel share it)."""
    return ".".join(instance.split(".")[:3])


def upper_limit(reference_range: str) -> float:
    """The upper limit of an OBX-7 range: "120-250" → 250, "<8" or "<8.0" → 8; NaN when unreadable."""
    text = reference_range.strip().replace(" ", "")
    if not text:
        return float("nan")
    try:
        if text.startswith(("<=", "≤")):
            return float(text.lstrip("<=≤"))
        if text.startswith("<"):
            return float(text[1:])
        if "-" in text[1:]:
            i = text.index("-", 1)
            return float(text[i + 1 :])
    except ValueError:
        return float("nan")
    return float("nan")
