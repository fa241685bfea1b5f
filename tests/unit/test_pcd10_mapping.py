"""What each IHE PCD-10 (IPEC) event does to a dose: the reader's mapping of the framework's events,
the older OBX-3 form, and the pause and resume of a dose in the lifecycle and the candidate list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bedside_adapters.hl7 import pcd10_terms as terms
from bedside_adapters.hl7.er7 import read_er7
from bedside_adapters.hl7.pump import read_pump_events

from bedside.episode_lifecycle import MoveEnd, NewCandidate, ReopenEnd, device_event_transition
from bedside.episodes import InfusionEpisode
from bedside.infusion import EventKind, EventSource, InfusionEvent, candidate_episodes
from bedside.model import PatientRef

P = PatientRef("HO2009002", "IHE")
T0 = 1_444_933_266.0
K = EventKind


@pytest.mark.parametrize(
    ("event", "status", "cumulative", "expected"),
    [
        (terms.DELIVERY_START, "pump-delivery-status-delivering", 0.0, K.START),
        (terms.DELIVERY_START, "pump-delivery-status-delivering", None, K.START),
        (terms.DELIVERY_START, "pump-delivery-status-delivering", 10.0, K.RESUME),  # restart
        (terms.DELIVERY_START, "pump-delivery-status-kvo", 0.0, K.CHANGE),
        (terms.DELIVERY_STOP, "pump-delivery-status-not-delivering", 10.0, K.PAUSE),
        (terms.DELIVERY_STOP, "pump-delivery-status-transitioning", 15.1, K.CHANGE),  # rate change
        (terms.DELIVERY_COMPLETE, "pump-delivery-status-transitioning", 250.0, K.STOP),
        (terms.DELIVERY_COMPLETE, "pump-delivery-status-not-delivering", 250.0, K.STOP),
        (terms.PROGRAM_CLEARED, "", None, K.CHANGE),
        (terms.AUTO_PROGRAM_CLEARED, "", None, K.CHANGE),
    ],
)
def test_each_delivery_event_maps_to_what_it_does_to_the_dose(event, status, cumulative, expected) -> None:  # type: ignore[no-untyped-def]
    kind, _ = terms.event_kind(event, terms.DeliveryContext(status, cumulative, "pump-stopped-alarming"))
    assert kind is expected


def test_events_not_about_delivery_are_no_infusion_events() -> None:
    for refid in ("MDC_EVT_COMM_STATUS_CHANGE", "MDC_EVT_PATIENT_CHANGE", "MDC_EVT_DEVICE_TIME_CHANGED"):
        assert terms.delivery_event("0", refid) is None
    assert terms.delivery_event("197288", "") is terms.DELIVERY_START  # the code alone
    assert terms.delivery_event("0", "mdc_evt_pump_deliv_comp") is terms.DELIVERY_COMPLETE  # REFID alone


def report(*rows: str) -> str:
    return "\r".join(
        [
            "MSH|^~\\&|GW^0012211839000001^EUI-64|ICU|BEDSIDE|ICU|20151015140000+0000||ORU^R42^ORU_R01|C1|P|2.6",
            "PID|||HO2009002^^^IHE^PI||Hon^Charles",
            "OBR|1|AB12345^PCD-03|CD12345^HL7|2222^Dopamine|||20151015140000+0000",
            *rows,
        ]
    )


def test_the_older_form_with_the_event_in_obx3_is_still_read() -> None:
    msg = read_er7(
        report(
            "OBX|1|CWE|197292^MDC_EVT_PUMP_DELIV_COMP^MDC|1.1.1.1|197292^MDC_EVT_PUMP_DELIV_COMP^MDC"
            "||||||R|||20151015144500+0000||||PUMP-0042",
            "OBX|2|CWE|158006^MDC_DEV_PUMP_NOT_DELIVERING_REASON^MDC|1.1.1.5|pump-stopped-completed^pump-stopped-completed^MDC||||||R",
        )
    )
    (e,) = read_pump_events(msg, UTC)
    assert (e.kind, e.device, e.reason, e.order) == (K.STOP, "PUMP-0042", "pump-stopped-completed", "CD12345")
    assert e.at == datetime(2015, 10, 15, 14, 45, tzinfo=UTC).timestamp()  # OBX-14, not OBR-7


def test_an_event_condition_row_without_a_pump_row_names_the_system_id_then_the_gateway() -> None:
    stop = "OBX|1|CWE|68487^MDC_ATTR_EVT_COND^MDC|1.0.0.2|^MDC_EVT_PUMP_DELIV_STOP^MDC||||||R"
    reason = "OBX|2|CWE|0^MDC_DEV_PUMP_NOT_DELIVERING_REASON^MDC|1.1.2.14|^pump-stopped-alarming||||||R"
    sys_id = "OBX|3|ST|67972^MDC_ATTR_SYS_ID^MDC|1.1.0.9|a1b2c3||||||F"
    (e,) = read_pump_events(read_er7(report(stop, reason, sys_id)), UTC)
    assert (e.kind, e.reason, e.device) == (K.PAUSE, "pump-stopped-alarming", "a1b2c3")
    (e,) = read_pump_events(read_er7(report(stop)), UTC)
    assert (e.kind, e.reason, e.device) == (K.PAUSE, "pump-stopped-not-specified", "0012211839000001")
    other = "OBX|1|CWE|68487^MDC_ATTR_EVT_COND^MDC|1.0.0.2|0^MDC_EVT_PATIENT_ID_CHANGE^MDC||||||R"
    assert read_pump_events(read_er7(report(other)), UTC) == []


def dose(start: float, end: float | None = None, end_source: str = "") -> InfusionEpisode:
    return InfusionEpisode(11, str(P), 1, start, end, "pcd10", end_source=end_source)


def ev(kind: EventKind, at: float, reason: str = "") -> InfusionEvent:
    return InfusionEvent(P, EventSource.PUMP_EVENT, kind, at, device="E0002", order="CD12345", reason=reason)


def test_a_pause_ends_the_running_dose_and_never_moves_an_end_already_set() -> None:
    t = device_event_transition(ev(K.PAUSE, T0 + 2334.0, "pump-stopped-by-clinician"), [dose(T0)])
    assert t is not None and t.change == MoveEnd(11, T0 + 2334.0, "pcd10")
    # Stopping the keep-vein-open flow after completion: the completion's end stands.
    assert device_event_transition(ev(K.PAUSE, T0 + 900.0), [dose(T0 - 9000.0, T0, "pcd10")]) is None


def test_a_resume_takes_back_a_device_end_but_never_a_clinicians() -> None:
    t = device_event_transition(ev(K.RESUME, T0 + 5334.0), [dose(T0, T0 + 2334.0, "pcd10")])
    assert t is not None and t.change == ReopenEnd(11)
    assert t.entry.body()["end"] == {"from": T0 + 2334.0, "to": None}
    assert device_event_transition(ev(K.RESUME, T0 + 5334.0), [dose(T0, T0 + 2334.0, "manual")]) is None
    assert device_event_transition(ev(K.RESUME, T0 + 5334.0), [dose(T0)]) is None  # running: nothing
    # A resume of a delivery never seen started: the running infusion is shown as a candidate.
    fresh = device_event_transition(ev(K.RESUME, T0), [])
    assert fresh is not None and isinstance(fresh.change, NewCandidate)
    assert device_event_transition(ev(K.CHANGE, T0 + 60.0), [dose(T0)]) is None


def test_candidate_episodes_pair_a_delivery_across_its_pauses() -> None:
    episodes = candidate_episodes(
        [
            ev(K.START, T0),
            ev(K.PAUSE, T0 + 2334.0, "pump-stopped-by-clinician"),
            ev(K.RESUME, T0 + 5334.0),
            ev(K.CHANGE, T0 + 6534.0),
            ev(K.RESUME, T0 + 6534.0),
            ev(K.STOP, T0 + 34734.0),
            ev(K.CHANGE, T0 + 34734.0),
            ev(K.PAUSE, T0 + 35634.0),  # nothing delivering: ignored
            ev(K.START, T0 + 90000.0),
            ev(K.PAUSE, T0 + 91000.0, "pump-stopped-alarming"),  # never resumed
        ]
    )
    assert [(e.start, e.end, e.end_reason) for e in episodes] == [
        (T0, T0 + 34734.0, ""),
        (T0 + 90000.0, T0 + 91000.0, "pump-stopped-alarming"),
    ]
