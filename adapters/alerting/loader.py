"""Fill the rule engine's `PatientData` for one patient and time range from the database."""

from __future__ import annotations

import numpy as np
from bedside_adapters.db.engine import Engine
from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_adapters.db.rule_data import load_events

from bedside.model import PatientRef
from bedside.rules.data import PatientData, Samples
from bedside.rules.ruleset import RuleSet
from bedside.rules.vasopressors import PUMP_PARAMETERS


def load_patient_data(
    engine: Engine,
    rules: RuleSet,
    patient: PatientRef,
    lo: float,
    hi: float,
    cached: tuple[float, PatientData] | None = None,
    events_changed: bool = True,
) -> PatientData:
    """Device values in [lo, hi] for every parameter the rule set's signals use, lab results from 3 days
    before (pre-dose baselines), device alarms and vasopressor pump labels of the patient's devices.

    `cached` = (until, data) from an earlier call with the same `lo`: device values before `until`
    are taken from it and only newer ones are read (the live engine evaluates a patient every minute;
    re-reading hours of values each time would cost more than the rules themselves). Without
    `events_changed` (only device values arrived since), its labs, alarms and drug starts are reused."""
    data = PatientData()
    if cached is not None:
        until, old = cached
        fresh = PatientData()
        _numeric(engine, rules, patient, until, hi, fresh, fio2_lo=until)
        # One array per series, old values before `until` then the fresh ones: the cache must not
        # grow a piece per evaluation (a day of minutes would be 1,440 pieces per parameter).
        for parameter in set(old.parameters) | set(fresh.parameters):
            pieces: dict[int, list[Samples]] = {}
            for part in old.parameters.get(parameter, []):
                keep = part.times < until
                pieces.setdefault(part.series_id, []).append(
                    Samples(part.series_id, part.times[keep], part.values[keep], part.device, part.channel)
                )
            for part in fresh.parameters.get(parameter, []):
                pieces.setdefault(part.series_id, []).append(part)
            for sid, parts in pieces.items():
                data.parameters.setdefault(parameter, []).append(
                    Samples(
                        sid,
                        np.concatenate([x.times for x in parts]),
                        np.concatenate([x.values for x in parts]),
                        parts[0].device,
                        parts[0].channel,
                    )
                )
    else:
        _numeric(engine, rules, patient, lo, hi, data, fio2_lo=lo - 10 * 3600.0)
    if cached is not None and not events_changed:
        old = cached[1]
        data.labs, data.alarms, data.drugs = old.labs, old.alarms, old.drugs
        data.documented = old.documented
        return data
    analytes = {a for r in rules.rules if r.kind == "lab" for a in (r.analyte, *r.analytes)} | {"pao2"}
    drug_rules = any(r.kind == "drug" for r in rules.rules)
    load_events(engine, data, patient, analytes, lo, hi, drug_rules)
    return data


def _numeric(
    engine: Engine,
    rules: RuleSet,
    patient: PatientRef,
    lo: float,
    hi: float,
    data: PatientData,
    fio2_lo: float,
) -> None:
    store = SqlSeriesStore(engine)
    wanted = sorted(
        {p for s in rules.signals.values() for p in s.parameters}
        | ({*PUMP_PARAMETERS} if any(r.dose_limits for r in rules.rules) else set())
    )
    series = store.series_for(patient, wanted)
    # FiO2 from 12 h before: P/F needs the FiO2 in force at each pre-dose blood gas.
    fio2 = set(rules.signals["fio2"].parameters) if "fio2" in rules.signals else set()
    early = [s for s in series if s.key.parameter in fio2]
    rest = [s for s in series if s.key.parameter not in fio2]
    if fio2_lo == lo:  # the live engine's incremental read: one window, two queries fewer
        windows = store.windows(early + rest, lo, hi)
    else:
        windows = store.windows(early, fio2_lo, hi) + store.windows(rest, lo, hi)
    for w in windows:
        if len(w.times):
            k = w.series.key
            data.add(k.parameter, w.series.id, w.times, w.values, k.device, k.instance)
