"""A thrombosis or secondary infection recorded as an outcome with no adverse event of special
interest: an intensivist or investigator signs why none is needed (`bedside-cli outcome-no-aesi`),
logged and signed, refused to a nurse; read back from the safety log (its only record)."""

from __future__ import annotations

import json

import pytest
from bedside_adapters.db.outcome_reasons import no_aesi_reasons

from bedside.model import PatientRef
from bedside.users import Role
from tests.integration.test_death_sae import REF, cli, iso, url  # noqa: F401  (the fixture)
from tests.signed_in import signed_in

REASON = "catheter-related jugular thrombosis, unrelated to the study product"


def test_an_outcome_without_its_aesi_gets_a_signed_reason(
    url,  # noqa: F811
    engine,
    capsys: pytest.CaptureFixture[str],
) -> None:  # type: ignore[no-untyped-def]
    clot = iso(-3600)
    assert (
        cli(
            url,
            "course-event",
            "--patient",
            REF,
            "--kind",
            "thrombosis",
            "--at",
            clot,
            *signed_in(url, "luis"),
        )
        == 0
    )
    capsys.readouterr()
    ask = ["outcome-no-aesi", "--patient", REF, "--outcome", "thrombosis", "--reason", REASON]
    assert cli(url, *ask, *signed_in(url, "ana", Role.NURSE, meaning=True)) == 2
    assert "nurse may not" in capsys.readouterr().err
    assert cli(url, *ask[:-1], "n/a", *signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)) == 2
    assert "say why the thrombosis needs no adverse event of special interest" in capsys.readouterr().err
    assert cli(url, *ask, "--at", iso(-60), *signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)) == 2
    assert "no thrombosis is recorded for P1^H at" in capsys.readouterr().err

    assert cli(url, "adverse-events", "--patient", REF) == 0
    assert "as an outcome: no adverse event of special interest recorded for it" in capsys.readouterr().out

    assert cli(url, *ask, *signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)) == 0
    printed = json.loads(capsys.readouterr().out)
    assert cli(url, "adverse-events", "--patient", REF) == 0
    listed = capsys.readouterr().out
    assert "no adverse event of special interest recorded for it" not in listed
    assert (
        "as an outcome: no adverse event of special interest needed, as marta (investigator) signed "
        in listed
    )
    assert listed.rstrip().endswith(REASON)
    assert (printed["outcome"], printed["reason"]) == ("thrombosis", REASON)
    with engine.connect() as conn:
        (reason,) = no_aesi_reasons(conn, PatientRef.parse(REF))
    assert (reason.outcome, reason.reason, reason.role) == ("thrombosis", REASON, "investigator")
    assert reason.at == printed["at"]
    assert cli(url, "log", "--json") == 0
    (entry,) = [e for e in json.loads(capsys.readouterr().out) if e["kind"] == "outcome.no_aesi"]
    assert entry["actor"] == "marta" and entry["payload"]["signature"]["role"] == "investigator"
    assert cli(url, "verify-log", "--anchors", "/dev/null") == 0
