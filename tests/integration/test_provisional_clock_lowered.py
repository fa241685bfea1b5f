"""A grade 4 event nobody has assessed for seriousness runs the 24-hour SAE clock provisionally; a
follow-up that lowers it to grade 3 before the assessment ends that clock, and `bedside-cli
adverse-events` keeps that it ran and how it ended: the text listing, --json and --history."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from bedside_ui.cli import main as cli_main

from bedside.users import Role
from tests.signed_in import signed_in

REF = "P1^H"


def iso(offset: float) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


def test_a_grade_lowered_before_assessment_keeps_its_provisional_clock(sqlite_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)

    def cli(*args: str) -> str:
        assert cli_main(["--db", url, *args]) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    cli("episode", "start", "--patient", REF, "--dose", "1", "--at", iso(-200000), *signed_in(url, "RN"))
    nurse = signed_in(url, "ana", Role.NURSE, meaning=True)
    cli(
        *("adverse-event", "--json", "--patient", REF, "--dose", "1", "--term", "Hypotension"),
        *("--grade", "4", "--relatedness", "not_yet_assessed", "--onset", iso(-190000)),
        *("--awareness", iso(-180000), *nurse),
    )
    assert "grade 4-5: seriousness to be assessed" in cli("adverse-events", "--patient", REF)
    cli("adverse-event-follow-up", "--json", "1", "--patient", REF, "--grade", "3", *nurse)
    listed = cli("adverse-events", "--patient", REF)
    assert (
        "grade 4 not yet assessed for seriousness in version 1, its 24 h clock running provisionally"
        in listed
    )
    assert "grade lowered to 3 in version 2 at " in listed and "which ended that clock" in listed
    assert "its 24 h report was overdue then" in listed
    (shown,) = json.loads(cli("adverse-events", "--patient", REF, "--json"))
    ended = shown["provisional_clock_ended"]
    assert shown["reassessed_not_serious"] is None and ended["lowered_to"] == 3 and ended["grade"] == 4
    assert ended["state"] == "overdue"
    history = cli("adverse-events", "--patient", REF, "--history", "1")
    assert (
        "the 24 h clock that ran provisionally (grade 4-5, seriousness not assessed) ended: the grade"
        in history
    )
