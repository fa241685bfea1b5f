"""The intensivist's own SpO2 / MAP targets for a dose: set, cleared, refused, logged, read by the rules."""

from __future__ import annotations

import json

from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.episode_store import load_episodes
from sqlalchemy import select

from bedside.model import PatientRef
from tests.signed_in import signed_in


def cli(url: str, *args: str) -> int:
    return cli_main(["--db", url, *args])


def test_targets_are_set_cleared_refused_and_logged(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    url = engine.url.render_as_string(hide_password=False)
    start = ["episode", "start", "--json", "--patient", "T1^H", "--dose", "1", "--at", "2026-03-02T10:00Z"]
    assert cli(url, *start, *signed_in(url, "RN Ada")) == 0
    capsys.readouterr()
    base = ["episode", "targets", "--json", "--patient", "T1^H", "--dose", "1", *signed_in(url, "Dr Lee")]
    assert cli(url, *base, "--spo2", "85", "--map", "60", "--reason", "ARDS: SpO2 85-90 accepted") == 0
    assert json.loads(capsys.readouterr().out)["targets"] == {"abp_mean": 60.0, "spo2": 85.0}
    with engine.connect() as conn:
        (ep,) = load_episodes(conn, PatientRef("T1", "H"))
    assert dict(ep.targets) == {"abp_mean": 60.0, "spo2": 85.0}  # what the rules read
    assert cli(url, *base, "--spo2", "120") == 2
    assert "outside 70-100" in capsys.readouterr().err
    assert cli(url, *base, "--spo2", "auto") == 0
    assert json.loads(capsys.readouterr().out)["targets"] == {"abp_mean": 60.0}
    log = t.safety_log.c
    with engine.connect() as conn:
        entries = conn.execute(
            select(log.actor, log.payload).where(log.kind == "episode.targets").order_by(log.seq)
        ).all()
    assert [e.actor for e in entries] == ["Dr Lee", "Dr Lee"]
    first = json.loads(entries[0].payload)
    assert first["to"] == {"abp_mean": 60.0, "spo2": 85.0} and first["reason"].startswith("ARDS")


def test_a_folded_alert_escalates_with_its_problem_not_on_its_own(engine) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.alerting.service import AlertingService
    from sqlalchemy import insert

    from bedside.rules.ruleset import RuleSet

    url = engine.url.render_as_string(hide_password=False)
    assert (
        cli(
            url,
            "episode",
            "start",
            "--json",
            "--patient",
            "E1^H",
            "--dose",
            "1",
            "--at",
            "2026-03-02T10:00Z",
            *signed_in(url, "RN"),
        )
        == 0
    )
    with engine.begin() as conn:
        (ep,) = load_episodes(conn, PatientRef("E1", "H"))
        common = {
            "episode_id": ep.id,
            "patient_ref": "E1^H",
            "ruleset": "r",
            "ruleset_digest": "d",
            "grading": "g",
            "severity": "high",
            "state": "raised",
            "message": "m",
            "onset_ms": 0,
            "fired_ms": 0,
            "last_true_ms": 0,
            "raised_ms": 1_000,
        }
        problem = conn.execute(
            insert(t.alert).values(rule_id="C1", **common).returning(t.alert.c.id)
        ).scalar_one()
        conn.execute(insert(t.alert).values(rule_id="B2", folded_into=problem, **common))
    assert AlertingService(engine, RuleSet.load()).escalate_due(3_600.0) == 1
    with engine.connect() as conn:
        rows = dict(conn.execute(select(t.alert.c.rule_id, t.alert.c.escalated_ms)).all())
    assert rows["C1"] is not None and rows["B2"] is None
