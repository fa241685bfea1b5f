"""One subject's record as the export reads it, through the read functions the review, the
`observations` listing and the co-medication store offer (no SQL of the export's own): the review's
doses, adverse events, course events and outcomes; every stored lab result; the co-medication; and
the vital signs reduced to hourly medians."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from bedside_adapters.db.co_medication_store import administrations_of
from bedside_adapters.db.engine import Engine
from bedside_adapters.db.listing import patient_listing
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.db.patient_store import birth_date_and_sex_of
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.db.review_store import first_value_time_of, load_review
from bedside_adapters.sdtm.terms import VITAL_TESTS

from bedside.co_medication import MedicationAdministration
from bedside.model import PatientRef
from bedside.review_data import ReviewData
from bedside.vitals import MANUAL_DEVICE

HOUR = 3600.0
DAY = 24 * HOUR


@dataclass(frozen=True)
class HourlyVital:
    """The median of one parameter's values in one clock hour (UTC), and how many there were."""

    parameter: str
    unit: str
    """As stored (UCUM)."""
    start: float
    median: float
    count: int
    manual: bool = False
    """A value a clinician charted by hand: one row at its own time (`start`), never in a median."""
    site: str = ""
    """Where a hand-charted temperature was taken (the manual series' instance: tympanic, bladder …)."""


@dataclass
class SubjectRecord:
    ref: PatientRef
    review: ReviewData
    labs: list[dict[str, Any]]
    """Every stored version of every lab result, as `bedside-cli observations` lists them."""
    vitals: list[HourlyVital] = field(default_factory=list)
    medications: list[MedicationAdministration] = field(default_factory=list)
    """Co-medication: the eMAR's administrations, pharmacy orders, clinicians' entries."""
    birth_date: str = ""
    """PID-7 as the latest ADT or result message sent it ("": never sent)."""
    sex: str = ""
    """PID-8 (HL7 table 0001) as the latest message sent it ("": never sent)."""


def read_subject(engine: Engine, ref: PatientRef, now: float) -> SubjectRecord:
    review = load_review(engine, ref, now)
    listing = patient_listing(engine, MrnQuery.of(ref))
    labs = list(listing["labs"]) if listing else []
    medications = administrations_of(engine, ref)
    birth_date, sex = birth_date_and_sex_of(engine, ref)
    vitals = list(hourly_vitals(engine, ref, now))
    return SubjectRecord(ref, review, labs, vitals, medications, birth_date, sex)


def hourly_vitals(engine: Engine, ref: PatientRef, now: float) -> Iterator[HourlyVital]:
    """Each vital-sign parameter's median per clock hour, over the whole record: monitors report
    every second or so, far more than a trial's VS dataset takes, and an hour's median is robust to
    the artefacts (a probe off, a flushed line) that single values carry. An hour without a value
    gives no row, nor does the hour still running; values in another unit than the series' are
    another series and another row."""
    store = SqlSeriesStore(engine)
    series = store.series_for(ref, list(VITAL_TESTS))
    if not series:
        return
    first = first_value_time_of(engine, series)
    if first is None:
        return
    by_key: dict[tuple[str, str], dict[int, list[np.ndarray]]] = {}
    manual: list[HourlyVital] = []
    day = math.floor(first / HOUR) * HOUR
    while day <= now:
        # A day at a time: the store reads a window into a dense per-second array.
        for w in store.windows(series, day, min(day + DAY, now + 1.0) - 0.5):
            if not len(w):
                continue
            values = w.values.astype(np.float64)
            keep = np.isfinite(values)
            times, values = w.times[keep], values[keep]
            key = w.series.key
            if key.device == MANUAL_DEVICE:
                # A measurement a nurse took and charted is a value of its own: a 39.9 °C at 15:30
                # must not vanish into the monitor's median for 15:00.
                # The window holds single precision: 6 significant digits give back what was typed.
                manual.extend(
                    HourlyVital(key.parameter, key.unit, float(at), float(f"{v:.6g}"), 1, True, key.instance)
                    for at, v in zip(times, values, strict=True)
                )
                continue
            hours = np.floor(times / HOUR).astype(np.int64)
            slots = by_key.setdefault((w.series.key.parameter, w.series.key.unit), {})
            for hour in np.unique(hours):
                slots.setdefault(int(hour), []).append(values[hours == hour])
        day += DAY
    for (parameter, unit), slots in sorted(by_key.items()):
        for hour, parts in sorted(slots.items()):
            if (hour + 1) * HOUR > now:
                continue  # an hour still running: its median is not yet the hour's
            values = np.concatenate(parts)
            yield HourlyVital(parameter, unit, hour * HOUR, float(np.median(values)), int(values.size))
    yield from sorted(manual, key=lambda v: (v.start, v.parameter))
