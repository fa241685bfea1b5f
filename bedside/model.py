"""Domain vocabulary of the core: parameters, series and observations."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from bedside import i18n


@dataclass(frozen=True, slots=True)
class MdcCode:
    """One IEEE 11073-10101 numeric code (OBX-3.1) and its REFID (OBX-3.2), the cross-check."""

    code: int
    refid: str


FLOAT32_MAX = 3.4028234663852886e38
"""The largest magnitude a stored numeric can hold (values are kept as float32)."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """A measured quantity the app knows, with its canonical UCUM unit and fixed display range."""

    key: str
    label_en: str
    short_en: str
    unit: str
    codes: tuple[MdcCode, ...]
    display_min: float
    display_max: float
    group: str = "vitals"
    label_es: str = ""
    short_es: str = ""
    """Spanish names (empty: the English one is shown)."""
    refids: frozenset[str] = frozenset()
    """The REFIDs of `codes`, the cross-check at ingest (filled in by the catalogue)."""
    conversions: tuple[tuple[str, float, float], ...] = ()
    """Other UCUM units accepted: (unit, factor, offset), canonical = value × factor + offset."""
    physical_min: float = -FLOAT32_MAX
    physical_max: float = FLOAT32_MAX
    """What the quantity can physically be, in the canonical unit: wide on purpose, so that an
    abnormal value always passes and only a value that cannot be a measurement (a wrong unit, an
    encoding fault, an overflow) is refused."""

    @property
    def label(self) -> str:
        """The name a person reads, in the language Bedside is shown in."""
        return (self.label_es or self.label_en) if i18n.language() == "es" else self.label_en

    @property
    def short(self) -> str:
        """The short name (tile, plot legend) in the language Bedside is shown in."""
        return (self.short_es or self.short_en) if i18n.language() == "es" else self.short_en

    def implausible(self, value: float) -> str | None:
        """Why a value in the canonical unit cannot be a measurement of this quantity, or None.
        Also refuses what is not finite or does not fit the float32 it would be stored as."""
        if self.physical_min <= value <= self.physical_max:
            return None
        shown = f"{value:g}" if math.isfinite(value) else str(value)
        if not math.isfinite(value):
            return f"{self.key}: value {shown} is not finite"
        if abs(value) > FLOAT32_MAX:
            return f"{self.key}: value {shown} {self.unit} does not fit a stored value (float32)"
        return (
            f"{self.key}: value {shown} {self.unit} is outside what it can physically be "
            f"({self.physical_min:g} to {self.physical_max:g} {self.unit})"
        )

    def conversion(self, unit: str) -> tuple[float, float] | None:
        if unit == self.unit:
            return (1.0, 0.0)
        for u, factor, offset in self.conversions:
            if u == unit:
                return (factor, offset)
        return None


class PatientRef(NamedTuple):
    """A patient identifier as a sender gave it (PID-3 id + assigning authority).

    Identities are NamedTuples rather than dataclasses: ingest hashes them for every value it
    stores, so their hash is on the hot path of every message, and a tuple's hash is computed in C
    where a frozen dataclass's runs Python code on each call.
    """

    identifier: str
    authority: str = ""

    def __str__(self) -> str:
        return f"{self.identifier}^{self.authority}" if self.authority else self.identifier

    @classmethod
    def parse(cls, text: str) -> PatientRef:
        """The patient named by text as typed on a command line or kept in a setting or a list's
        entry: MRN^AUTHORITY, or a bare MRN (an empty authority). Read where text comes in, so the
        rest is handed a PatientRef."""
        identifier, _, authority = text.strip().partition("^")
        return cls(identifier, authority)


class SeriesKey(NamedTuple):
    """What makes a series: patient, parameter, unit, source device and instance (OBX-4).

    The unit is part of the identity: a value in another unit is another series (rule 4), so a
    conversion mistake can never silently mix into a trend.
    """

    patient: PatientRef | None
    parameter: str
    unit: str
    device: str
    instance: str = ""


@dataclass(frozen=True, slots=True)
class Series:
    id: int
    key: SeriesKey
    attached: tuple[tuple[float, float], ...] | None = None
    """For a device's series shown for a patient: the intervals in which the device was bound to a
    bed the patient occupied (end inf = still). None: the series belongs to the patient as a whole."""

    def clip(self, times: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Which of `times` fall in the attached intervals (all of them when unclipped)."""
        if self.attached is None:
            return np.ones(times.shape[0], dtype=bool)
        keep = np.zeros(times.shape[0], dtype=bool)
        for start, end in self.attached:
            keep |= (times >= start) & (times < end)
        return keep


class Observation(NamedTuple):
    """One value of one series. Two times: when it was measured and when Bedside received it.

    A NamedTuple like the identities above: ingest makes one per value, and a tuple is made in a
    fraction of the time a frozen dataclass takes."""

    series: SeriesKey
    observed_at: float
    received_at: float
    value: float
    status: str = "R"
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class DeviceState:
    """A device's state sent as text (ventilation mode, pump infusing status): kept when it changes."""

    device: str
    key: str
    value: str
    at: float


@dataclass(frozen=True, slots=True)
class Patient:
    ref: PatientRef
    family_name: str = ""
    given_name: str = ""
    bed: str = ""
    birth_date: str = ""
    """PID-7 as sent (HL7 DTM, YYYYMMDD or shorter); "" when the message sent none."""
    sex: str = ""
    """PID-8, administrative sex as sent (HL7 table 0001: F, M, U, A, N, O); "" when not sent."""

    @property
    def display_name(self) -> str:
        if self.family_name and self.given_name:
            return f"{self.family_name.upper()}, {self.given_name}"
        return self.family_name.upper() or self.given_name or i18n._("(no name sent)")

    @property
    def location(self) -> str:
        """PV1-3 as 'unit^room^bed' rendered for people: 'ICU · room 12 · bed 1'."""
        unit, _, rest = self.bed.partition("^")
        room, _, bed = rest.partition("^")
        # The unit is the hospital's own code, shown as sent; "ICU", the code the demo and most
        # systems send, is read in the screen's language (UCI).
        unit = i18n._("ICU") if unit == "ICU" else unit
        parts = [unit]
        parts += [i18n._("room {room}").format(room=room)] if room else []
        parts += [i18n._("bed {bed}").format(bed=bed)] if bed else []
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True, eq=False)
class SeriesWindow:
    """Values of one series inside a time window, ready to plot: float64 times (epoch s) and the
    values (float32 for stored numerics, their storage precision; float64 otherwise).

    The arrays are never mutated after construction, so a window can cross threads as it is.
    """

    series: Series
    times: npt.NDArray[np.float64]
    values: npt.NDArray[np.floating]

    def __len__(self) -> int:
        return int(self.times.shape[0])
