"""A death an ADT message reports (PV1-36 discharge disposition "expired", HL7 table 0112 code 20; or
A03 with the PID-30 death indicator and PID-29 its time) is offered on the review's outcomes as "death
reported by ADT (unconfirmed)", never counted as the death, until an investigator confirms it with
one command: a signed course event at the time the message gave."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.review_store import load_review
from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_ui.cli import main as cli_main

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.users import Role
from tests.signed_in import signed_in

T0 = 1_780_000_000.0
H = 3600.0
REF = "DTH1^HOSP"


def adt(event: str, control: str, at: float, pid_more: str = "", pv1_36: str = "") -> bytes:
    ts = format_dtm(at)
    pv1 = "PV1||I|ICU^07^1" + "|" * 33 + pv1_36 if pv1_36 else "PV1||I|ICU^07^1"
    return (
        f"MSH|^~\\&|ADT|HOSP|BEDSIDE|ICU|{ts}||ADT^{event}^ADT_A01|{control}|P|2.5\r"
        f"EVN|{event}|{ts}||||{ts}\rPID|||DTH1^^^HOSP^MR||PATIENT^DTH{pid_more}\r{pv1}\r"
    ).encode()


def send(engine, *messages: bytes) -> None:  # type: ignore[no-untyped-def]
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: T0 + 10 * H, UTC)
    for m in messages:
        assert pipeline.handle(m, "127.0.0.1:9").ack_code == "AA"


def outcomes(engine) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {o.key: o for o in load_review(engine, PatientRef.parse(REF), T0 + 10 * H).outcome_set}


def test_an_expired_discharge_is_offered_and_confirmed_in_one_command(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    send(engine, adt("A01", "1", T0), adt("A03", "2", T0 + 5 * H, pv1_36="20"))
    shown = outcomes(engine)
    offered = shown["death_adt"]
    assert offered.label == "Death reported by ADT (unconfirmed)" and offered.value is None
    assert offered.times == (T0 + 5 * H,) and "PV1-36 discharge disposition: expired" in offered.source
    assert "not confirmed" in offered.text and shown["death"].value == 0.0  # never counted as the death

    url = engine.url.render_as_string(hide_password=False)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", REF, *investigator]) == 0
    confirmed = json.loads(capsys.readouterr().out)
    assert (confirmed["kind"], confirmed["at"]) == ("death", T0 + 5 * H)
    shown = outcomes(engine)
    assert "death_adt" not in shown and shown["death"].value == 1.0 and shown["death"].times == (T0 + 5 * H,)
    # ICH E2A: the confirmed death is serious; with no fatal event recorded its SAE report is due.
    assert "no serious adverse event recorded; an SAE report is due within 24 h" in shown["death"].flag
    assert cli_main(["--db", url, "log", "--json"]) == 0
    [entry] = [e for e in json.loads(capsys.readouterr().out) if e["kind"] == "course.event"]
    assert entry["actor"] == "marta" and entry["payload"]["signature"]["role"] == "investigator"
    assert entry["payload"]["text"] == "death reported by ADT (PV1-36), confirmed"


@pytest.mark.parametrize(
    ("pid_more", "pv1_36", "offered"),
    [
        ("|" * 24 + "202601011030+0000|Y", "", True),  # PID-29 its time, PID-30 Y (after PID-5)
        ("", "01", False),  # discharged home
        ("|" * 25 + "N", "", False),  # death indicator N
    ],
)
def test_the_death_indicator_gives_its_own_time_and_other_dispositions_nothing(
    engine, pid_more: str, pv1_36: str, offered: bool
) -> None:  # type: ignore[no-untyped-def]
    send(engine, adt("A01", "1", T0), adt("A03", "2", T0 + 5 * H, pid_more=pid_more, pv1_36=pv1_36))
    shown = outcomes(engine)
    assert ("death_adt" in shown) is offered
    if offered:
        assert shown["death_adt"].source == "ADT message (PID-30 patient death indicator)"
        assert shown["death_adt"].times[0] != T0 + 5 * H  # PID-29's time, not the discharge's


def test_a_cancelled_discharge_takes_back_its_death(engine) -> None:  # type: ignore[no-untyped-def]
    send(engine, adt("A01", "1", T0), adt("A03", "2", T0 + 5 * H, pv1_36="20"), adt("A13", "3", T0 + 6 * H))
    assert "death_adt" not in outcomes(engine)


def test_an_unconfirmed_death_is_never_exported_as_a_discharge_alive(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """SDTM DS: while ADT's death waits for confirmation there is no "DISCHARGED FROM THE ICU (ADT)"
    row, and the free days are not computed; once confirmed, the death is the disposition."""
    from bedside_adapters.sdtm.common import Study
    from bedside_adapters.sdtm.source import read_subject
    from bedside_adapters.sdtm.subject import disposition

    send(engine, adt("A01", "1", T0), adt("A03", "2", T0 + 5 * H, pv1_36="20"))
    study = Study("STUDY", "01")

    def terms() -> list[str]:
        return [
            r["DSTERM"]
            for r in disposition(study, [read_subject(engine, PatientRef.parse(REF), T0 + 10 * H)]).rows
        ]

    assert terms() == []
    assert "not computable: a death reported by ADT" in outcomes(engine)["icufd28"].text  # type: ignore[attr-defined]
    url = engine.url.render_as_string(hide_password=False)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", REF, *investigator]) == 0
    assert terms() == ["DEATH"]


def test_a_death_reported_for_a_patient_without_an_authority_is_offered_and_confirmed(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """ADT's tables keep the reference as the message sent it (a bare MRN when PID-3 names no
    assigning authority): the death and the ICU stay are found for that patient all the same."""

    def bare(message: bytes) -> bytes:
        return message.replace(b"DTH1^^^HOSP^MR", b"DTH2")

    send(engine, bare(adt("A01", "1", T0)), bare(adt("A03", "2", T0 + 5 * H, pv1_36="20")))
    shown = {o.key: o for o in load_review(engine, PatientRef("DTH2"), T0 + 10 * H).outcome_set}
    assert shown["death_adt"].times == (T0 + 5 * H,)
    url = engine.url.render_as_string(hide_password=False)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", "DTH2", *investigator]) == 0
    confirmed = json.loads(capsys.readouterr().out)
    assert (confirmed["patient"], confirmed["kind"], confirmed["at"]) == ("DTH2", "death", T0 + 5 * H)
    shown = {o.key: o for o in load_review(engine, PatientRef("DTH2"), T0 + 10 * H).outcome_set}
    assert "death_adt" not in shown and shown["death"].value == 1.0


def test_confirm_death_for_an_unknown_patient_is_the_handlers_refusal(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    url = engine.url.render_as_string(hide_password=False)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", "NOBODY", *investigator]) == 2
    assert "no patient 'NOBODY' in this database: nothing was recorded" in capsys.readouterr().err


def test_confirm_death_when_adt_reported_none_is_refused_and_records_nothing(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    send(engine, adt("A01", "1", T0))  # admitted, no death reported
    url = engine.url.render_as_string(hide_password=False)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", REF, *investigator]) == 2
    assert "no death reported by ADT for DTH1^HOSP: nothing was recorded" in capsys.readouterr().err
    assert outcomes(engine)["death"].value == 0.0
