"""A patient's stored numeric series over a span, read once, each parameter as one time-ordered
stream: what the review and its severity tab compute from."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from bedside_adapters.db.read_store import SqlSeriesStore

from bedside.model import PatientRef, Series
from bedside.review import Samples


class NumericStreams:
    def __init__(
        self, store: SqlSeriesStore, ref: PatientRef, parameters: Iterable[str], since: float, now: float
    ) -> None:
        self._parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {p: [] for p in parameters}
        self.series: list[Series] = list(store.series_for(ref, list(self._parts)))
        for w in store.windows(self.series, since, now):
            if len(w):
                self._parts[w.series.key.parameter].append((w.times, w.values.astype(float)))

    def first(self, *parameters: str) -> Samples:
        """The first of `parameters` the patient has (a set value before a measured one, or the
        reverse), its devices' values merged in time order."""
        for p in parameters:
            parts = self._parts.get(p) or []
            if parts:
                times = np.concatenate([x[0] for x in parts])
                values = np.concatenate([x[1] for x in parts])
                order = np.argsort(times, kind="stable")
                return Samples(times[order], values[order])
        return Samples()
