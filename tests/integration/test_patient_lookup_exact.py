"""A typed patient identifier is compared exactly, never as a SQL LIKE pattern: `_` and `%` in an MRN
are characters, not wildcards (`A_1` once matched `AB1`, and a dose was recorded for the wrong
patient). The dose, alert, safety-log and event lookups, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.alert_store import alerts
from bedside_adapters.db.listing import episode_listing
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.db.patient_store import SqlPatients
from bedside_adapters.db.safety_store import log_listing, record

from bedside.log_entries import DoseStopped
from bedside.model import PatientRef

AT_MS = 1_767_225_600_000
# Each MRN is a LIKE pattern that would match another one here: `A_1` matches AB1 and A%1, `A%1`
# matches all four.
MRNS = ("AB1", "A%1", "A1", "A_1")


def add_patient(engine, mrn: str) -> None:  # type: ignore[no-untyped-def]
    """A dose of `mrn` under authority HOSP, with its pump's start event, an alert and a log entry."""
    ref = f"{mrn}^HOSP"
    with engine.begin() as conn:
        episode_id = conn.execute(
            t.infusion_episode.insert().values(
                patient_ref=ref,
                dose_number=1,
                start_ms=AT_MS,
                start_source="manual",
                state="confirmed",
                created_ms=AT_MS,
                updated_ms=AT_MS,
            )
        ).inserted_primary_key[0]
        conn.execute(
            t.infusion_event.insert().values(
                patient_ref=ref, source="pcd10", kind="start", at_ms=AT_MS, received_ms=AT_MS
            )
        )
        conn.execute(
            t.alert.insert().values(
                episode_id=episode_id,
                patient_ref=ref,
                rule_id="R1",
                ruleset="test",
                ruleset_digest="0" * 64,
                grading="test",
                severity="high",
                state="raised",
                message=f"alert of {mrn}",
                onset_ms=AT_MS,
                fired_ms=AT_MS,
                last_true_ms=AT_MS,
                raised_ms=AT_MS,
            )
        )
        record(
            conn,
            DoseStopped(
                actor="test",
                patient_ref=PatientRef.parse(ref),
                episode_id=int(episode_id),
                dose=1,
                end=AT_MS / 1000,
                was=None,
            ),
            AT_MS / 1000,
        )


def found(engine, typed: str) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Whose rows each lookup by `typed` returned."""
    with engine.connect() as conn:
        dosed = {str(p) for p in SqlPatients(conn).dosed(PatientRef(typed))}
    return {
        "dosed": dosed,
        "alerts": {str(a.patient) for a in alerts(engine, PatientRef.parse(typed))},
        "log": {e["patient"] for e in log_listing(engine, MrnQuery.parse(typed))},
        "events": {e["patient"] for e in episode_listing(engine, MrnQuery.parse(typed))},
    }


@pytest.mark.parametrize("typed", ["A_1", "A%1"])
def test_a_wildcard_in_an_unknown_mrn_finds_nobody(engine, typed: str) -> None:
    for mrn in MRNS:
        if mrn != typed:
            add_patient(engine, mrn)
    # `dosed` empty: the dose entered for the typed MRN goes to a new patient, not to AB1's record.
    assert found(engine, typed) == {"dosed": set(), "alerts": set(), "log": set(), "events": set()}


def test_each_mrn_finds_only_its_own_rows(engine) -> None:
    for mrn in MRNS:
        add_patient(engine, mrn)
    for typed in MRNS:
        own = {f"{typed}^HOSP"}
        assert found(engine, typed) == {"dosed": own, "alerts": own, "log": own, "events": own}, typed
        # As MRN^AUTHORITY too; an authority's own wildcard matches nothing either.
        assert found(engine, f"{typed}^HOSP") == {"dosed": set(), "alerts": own, "log": own, "events": own}
        assert found(engine, f"{typed}^H_SP")["alerts"] == set()
