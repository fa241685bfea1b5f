"""What the severity panel reads: the SOFA inputs (labs, GCS, MAP, ventilator settings, vasopressors)
and the ventilator's plateau readings, for the days the review shows."""

from __future__ import annotations

from collections.abc import Sequence

from bedside_adapters.db import schema as t
from bedside_adapters.db.co_medication_store import administrations
from bedside_adapters.db.numeric_streams import NumericStreams
from bedside_adapters.db.read_store import SqlSeriesStore
from sqlalchemy import Connection, Engine, select

from bedside.clock import from_ms
from bedside.mechanics import respiratory_mechanics
from bedside.model import PatientRef
from bedside.review import DAY, Samples, pf_samples
from bedside.severity import Severity
from bedside.sofa import SofaInputs, VasopressorRate, daily_sofa
from bedside.status import DoseInfo
from bedside.vasopressors import vasopressor_rates

SOFA_LABS = ("pao2", "platelets", "bilirubin", "creatinine", "gcs")
NUMERICS = ("abp_mean", "nibp_mean", "fio2_set", "fio2", "peep", "peep_set", "pplat", "vt_exp", "vt")
DAYS_BEFORE_FIRST_DOSE = 3
"""As the review: the three days before the first dose (the baseline), and everything after it."""


def _vasopressors(conn: Connection, patient: PatientRef, since: float) -> Sequence[VasopressorRate]:
    """The patient's recorded vasopressor rates (eMAR or entered), from `since` on."""
    return vasopressor_rates(administrations(conn, patient, since_ms=int(since * 1000)))


def _labs(conn: Connection, patient_ref: str, since: float) -> tuple[dict[str, Samples], dict[str, list]]:
    """(analyte → scorable values, analyte → results kept but not scorable, with their text as sent)."""
    c = t.lab_result.c
    found: dict[str, list[tuple[float, float]]] = {}
    unscorable: dict[str, list[tuple[float, str]]] = {}
    for r in conn.execute(
        select(c.analyte, c.observed_ms, c.value, c.comparator, c.value_as_sent, c.unit_as_sent).where(
            c.patient_ref == patient_ref,
            c.current.is_(True),
            c.retracted.is_(False),
            c.analyte.in_(SOFA_LABS),
            c.observed_ms >= int(since * 1000),
        )
    ):
        at = from_ms(r.observed_ms)
        if r.value is not None and r.comparator == "":
            found.setdefault(r.analyte, []).append((at, float(r.value)))
            continue
        # A bound ('<20') or a unit the catalogue cannot convert: kept, named, never scored.
        value = r.value_as_sent.replace("^", "").strip()
        if r.comparator and not value.startswith(r.comparator):
            value = r.comparator + value
        sent = f"{value} {r.unit_as_sent}".strip()
        unscorable.setdefault(r.analyte, []).append((at, f"'{sent}'"))
    return {k: Samples.of(v) for k, v in found.items()}, unscorable


def load_severity(engine: Engine, patient: PatientRef, now: float, doses: Sequence[DoseInfo]) -> Severity:
    store = SqlSeriesStore(engine)
    # Labs come from feeds, kept under the reference as sent (`str`).
    ref, patient_ref = patient, str(patient)
    given = [d for d in doses if d.state != "cancelled"]
    since = (given[0].start - DAYS_BEFORE_FIRST_DOSE * DAY) if given else now - 14 * DAY
    stream = NumericStreams(store, ref, NUMERICS, since, now).first

    with engine.connect() as conn:
        labs, unscorable = _labs(conn, patient_ref, since)
        vasopressors = _vasopressors(conn, ref, since)
    fio2 = stream("fio2_set", "fio2")
    inputs = SofaInputs(
        pao2=labs.get("pao2", Samples()),
        fio2=fio2,
        # The measured PEEP first: the pressure a plateau is read against (driving pressure).
        peep=stream("peep", "peep_set"),
        platelets=labs.get("platelets", Samples()),
        bilirubin=labs.get("bilirubin", Samples()),
        creatinine=labs.get("creatinine", Samples()),
        gcs=labs.get("gcs", Samples()),
        arterial_map=stream("abp_mean"),
        cuff_map=stream("nibp_mean"),
        vasopressors=vasopressors,
        unscorable=unscorable,
    )
    firsts = [
        float(s.times[0]) for s in (*labs.values(), inputs.arterial_map, inputs.cuff_map, fio2) if len(s)
    ]
    anchor = given[0].start if given else (min(firsts) if firsts else now)
    first = max(min(firsts), since) if firsts else now
    return Severity(
        anchor=anchor,
        days=daily_sofa(inputs, anchor, first, now),
        pf=pf_samples(inputs.pao2, fio2),
        mechanics=respiratory_mechanics(stream("pplat"), inputs.peep, stream("vt_exp", "vt")),
        vasopressors_recorded=vasopressors is not None,
    )
