"""The typed safety-log entries: every kind has its class, and each writes the payload the log holds."""

from __future__ import annotations

from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.log_entries import (
    ENTRY_TYPES,
    AdverseEventRecorded,
    AlertAcknowledged,
    AlertsMuted,
    CandidateStarted,
    DoseEdited,
    ReportExported,
    VitalsRecorded,
)
from bedside.safety_log import KINDS
from bedside.vitals import ManualValue


def test_every_kind_has_an_entry_class_and_every_class_a_known_kind() -> None:
    kinds = {cls.kind for cls in ENTRY_TYPES}
    assert kinds == set(KINDS)


def _episode() -> InfusionEpisode:
    return InfusionEpisode(
        id=7,
        patient="MRN1^HOSP",
        dose_number=1,
        start=1000.0,
        end=None,
        start_source="pump",
        state=EpisodeState.CANDIDATE,
        product="AT-MSC",
    )


def test_a_started_candidate_keeps_the_dose_as_it_stood() -> None:
    entry = CandidateStarted(
        actor="RN", patient_ref="MRN1^HOSP", episode_id=7, dose=1, start=990.0, was=_episode()
    )
    assert entry.payload() == {
        "dose": 1,
        "start": 990.0,
        "was": {
            "dose": 1,
            "start": 1000.0,
            "end": None,
            "start_source": "pump",
            "end_source": "",
            "state": "candidate",
            "product": "AT-MSC",
            "cells_per_kg": None,
        },
    }


def test_an_edit_names_only_what_its_origin_gives() -> None:
    assert DoseEdited(actor="RN", dose=2, start=(1.0, 2.0)).payload() == {
        "dose": 2,
        "start": {"from": 1.0, "to": 2.0},
    }
    assert DoseEdited(actor="RN", dose=2, end=(None, 5.0), reason="").payload() == {
        "dose": 2,
        "reason": "",
        "end": {"from": None, "to": 5.0},
    }


def test_an_acknowledgement_names_the_alert_it_came_with_only_when_folded() -> None:
    alone = AlertAcknowledged(actor="RN", comment="seen", rule="R1", severity="high")
    assert "with" not in alone.payload()
    folded = AlertAcknowledged(actor="RN", comment="seen", rule="R2", severity="low", with_alert=3)
    assert folded.payload()["with"] == 3


def test_a_mute_gives_its_length_in_minutes_and_the_alerts_sorted() -> None:
    payload = AlertsMuted(actor="RN", at=0.0, until=150.0, alert_ids=[5, 2]).payload()
    assert payload["minutes"] == 2.5 and payload["alerts"] == [2, 5]


def test_the_screens_report_entry_has_no_table_rows_the_clis_always_has() -> None:
    common = {"actor": "RN", "file": "r.pdf", "pages": 3, "sha256": "ab", "log_head": (4, "cd")}
    assert "csv_rows" not in ReportExported(**common).payload()
    assert ReportExported(**common, with_tables=True).payload()["csv_rows"] is None


def test_an_adverse_event_names_its_dose() -> None:
    entry = AdverseEventRecorded(
        actor="RN",
        episode_id=9,
        id=1,
        term="Fever",
        grade=2,
        relatedness="possible",
        onset=None,
        alert_ids=(4,),
        notes="",
        reported_by="RN",
    )
    assert entry.payload()["episode_id"] == 9 and entry.payload()["alert_ids"] == [4]


def test_vitals_name_each_stored_observation() -> None:
    values = (ManualValue("temp", "Cel", 38.4, "core"), ManualValue("hr", "/min", 110.0))
    payload = VitalsRecorded(actor="RN", observed_at=60.0, values=values, series_ids=(11, 12)).payload()
    assert payload["observations"] == ["obs:11:60000", "obs:12:60000"]
    assert payload["temp_site"] == "core" and payload["values"] == {"temp": 38.4, "hr": 110.0}
