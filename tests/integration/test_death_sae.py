"""A recorded death starts the serious adverse event report ICH E2A calls for: `bedside-cli
adverse-events` says so with the 24-hour clock until an event with a fatal outcome is recorded or an
investigator signs why none is needed (`death-no-sae`, signed and logged, refused to a nurse); an
adverse event's outcome the death contradicts is refused or flagged, naming the conflict."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from bedside_ui.cli import main as cli_main

from bedside.users import Role
from tests.signed_in import signed_in

REF = "P1^H"


def iso(offset: float) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


def cli(url: str, *args: str) -> int:
    return cli_main(["--db", url, *args])


@pytest.fixture
def url(engine) -> str:  # type: ignore[no-untyped-def]
    url = engine.url.render_as_string(hide_password=False)
    dose = ["episode", "start", "--json", "--patient", REF, "--dose", "1", "--at", iso(-7200)]
    assert cli(url, *dose, *signed_in(url, "RN")) == 0
    return url


def event(url: str, *more: str, grade: str = "3") -> list[str]:
    return [
        "adverse-event",
        "--json",
        *("--patient", REF, "--dose", "1", "--term", "Hypotension", "--grade", grade),
        *("--relatedness", "possible", "--onset", iso(-5400)),
        *more,
        *signed_in(url, "marta", Role.INVESTIGATOR, meaning=True),
    ]


def listed(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert cli(url, "adverse-events", "--patient", REF) == 0
    return capsys.readouterr().out


def death(url: str, when: str | None = None) -> None:
    at = ["course-event", "--patient", REF, "--kind", "death", "--at", when or iso(-1800)]
    assert cli(url, *at, *signed_in(url, "luis")) == 0


def test_a_death_is_listed_with_its_sae_clock_until_an_investigator_signs_why_none_is_needed(
    url, engine, capsys
) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.db.read_store import SqlSeriesStore

    from bedside.model import PatientRef

    assert "death on" not in listed(url, capsys)
    death(url)
    # The nurse's screen reads it with the patient's status.
    status = SqlSeriesStore(engine).patient_status(PatientRef.parse(REF), time.time())
    assert status.death_sae is not None and status.death_sae.state == "due"
    out = listed(url, capsys)
    assert (
        "death on " in out and ": no serious adverse event recorded; an SAE report is due within 24 h" in out
    )
    assert "SAE report due " in out and "(in 23 h " in out  # awareness: when the death was entered

    why = [
        "death-no-sae",
        "--patient",
        REF,
        "--reason",
        "unrelated: progression of ARDS; reported as a death on study",
    ]
    assert cli(url, *why, *signed_in(url, "ana", Role.NURSE, meaning=True)) == 2
    assert "may not" in capsys.readouterr().err
    assert (
        cli(
            url,
            "death-no-sae",
            "--patient",
            REF,
            "--reason",
            "n/a",
            *signed_in(url, "marta", Role.INVESTIGATOR, meaning=True),
        )
        == 2
    )
    assert "say why the death needs no SAE report" in capsys.readouterr().err
    assert cli(url, *why, *signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)) == 0
    status = SqlSeriesStore(engine).patient_status(PatientRef.parse(REF), time.time())
    assert status.death_sae is not None and status.death_sae.state == "explained"
    assert json.loads(capsys.readouterr().out)["reason"].startswith("unrelated: progression of ARDS")
    out = listed(url, capsys)
    assert "no serious adverse event recorded" not in out
    assert "no SAE report needed, as marta (investigator) recorded " in out
    assert out.rstrip().endswith(": unrelated: progression of ARDS; reported as a death on study")
    # The reason is a signed entry of the safety log, and the log still verifies.
    assert cli(url, "verify-log", "--anchors", "/dev/null") == 0


def test_a_fatal_event_settles_the_death_and_needs_the_death_on_record(url, capsys) -> None:  # type: ignore[no-untyped-def]
    died = iso(-1800)  # one instant for the death and the fatal event's end (a fatal event ends there)
    fatal = ["--outcome", "fatal", "--serious", "death", "--awareness", iso(-1700), "--end", died]
    argv = event(url, *fatal, grade="5")
    assert cli(url, *argv) == 2
    assert "a fatal outcome needs P1^H's death on record, and none is" in capsys.readouterr().err
    death(url, died)
    assert cli(url, *argv) == 0
    out = listed(url, capsys)
    assert "recorded as serious adverse event #1" in out and "no serious adverse event recorded" not in out


def test_an_event_ongoing_at_the_death_is_refused_as_recovering_and_flagged_until_followed_up(
    url, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert cli(url, *event(url, "--outcome", "not_recovered")) == 0
    death(url)
    out = listed(url, capsys)
    assert "outcome and death disagree: #1 Hypotension: ongoing at the death (" in out
    assert "its outcome says not recovered: record a follow-up with its outcome at the death" in out
    follow = ["adverse-event-follow-up", "--json", "1", "--patient", REF]
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli(url, *follow, "--outcome", "recovering", *investigator) == 2
    assert "ongoing then: it cannot be recovering" in capsys.readouterr().err
    note = "ongoing at the death, which it did not cause"
    assert cli(url, *follow, "--outcome", "not_recovered", "--notes", note, *investigator) == 0
    assert "outcome and death disagree" not in listed(url, capsys)


def test_death_no_sae_is_refused_by_the_handler_for_an_unknown_patient_and_resolves_a_bare_mrn(
    url, capsys
) -> None:  # type: ignore[no-untyped-def]
    death(url)
    capsys.readouterr()
    marta = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    why = ["--reason", "unrelated: progression of ARDS; reported as a death on study"]
    assert cli(url, "death-no-sae", "--patient", "NOBODY", *why, *marta) == 2
    assert "no patient 'NOBODY' in this database: nothing was recorded" in capsys.readouterr().err
    assert cli(url, "death-no-sae", "--patient", "P1", *why, *marta) == 0
    assert json.loads(capsys.readouterr().out)["patient"] == REF
