"""`bedside-cli course-event` and `medication add` are signed as the other signed actions are: with
the meaning --meaning states, else the one the record implies; a meaning that says nothing is refused
in one line. The same drug entered twice for the same time is refused unless said so (--again)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.review_store import load_review
from bedside_ui.cli import main as cli_main

from bedside.model import PatientRef
from bedside.review_signatures import SIGNATURE_COLUMNS, signed_rows
from bedside.users import Role
from tests.signed_in import dose_start, signed_in


@pytest.fixture
def url(sqlite_engine) -> str:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    assert cli(
        url,
        *dose_start(iso(-7200)),
        *signed_in(url, "RN"),
    )
    return url


def cli(url: str, *args: str) -> bool:
    return cli_main(["--db", url, *args]) == 0


def iso(offset: float) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


def signatures(url: str, kind: str, capsys) -> list[dict | None]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert cli(url, "log", "--json")
    return [e["payload"].get("signature") for e in json.loads(capsys.readouterr().out) if e["kind"] == kind]


def test_a_course_event_and_a_medication_signed_with_their_meaning(url, capsys) -> None:  # type: ignore[no-untyped-def]
    doctor = signed_in(url, "lee")
    event = ["course-event", "--patient", "P1^H", "--kind", "extubation", "--at", iso(-600)]
    assert cli(url, *event, *doctor, "--meaning", "Recorded: extubated as I saw it")
    given = [
        *("medication", "add", "--patient", "P1^H", "--drug", "Paracetamol", "--class", "antipyretic"),
        *("--dose", "1", "--unit", "g", "--route", "IV", "--at", iso(-900)),
    ]
    assert cli(url, *given, *signed_in(url, "ada", Role.NURSE), "--meaning", "Given: as charted")
    (course,) = signatures(url, "course.event", capsys)
    assert course is not None and (course["meaning"], course["role"]) == (
        "Recorded: extubated as I saw it",
        "intensivist",
    )
    (drug,) = signatures(url, "medication.recorded", capsys)
    assert drug is not None and drug["meaning"] == "Given: as charted"
    # The review's signatures (its tab and the report's table) list both, in words.
    engine = make_engine(url)
    try:
        rows = signed_rows(load_review(engine, PatientRef.parse("P1^H"), time.time()).log)
    finally:
        engine.dispose()
    records = [row[SIGNATURE_COLUMNS.index("Record")] for row in rows]
    assert any(r.startswith("Course event: extubation ") for r in records)
    assert any(r.startswith("Co-medication: Paracetamol 1 g IV ") for r in records)
    assert not cli(url, *event, *doctor, "--meaning", "x")
    err = capsys.readouterr().err
    assert "does not say what your signature" in err and len(err.strip().splitlines()) == 1


def test_a_record_without_meaning_is_signed_with_the_meaning_it_implies(url, capsys) -> None:  # type: ignore[no-untyped-def]
    """Every clinician write is signed, as on the screens: without --meaning, with what the record
    implies (as `ack` signs an acknowledgement)."""
    doctor = signed_in(url, "lee")
    capsys.readouterr()
    assert cli(url, "course-event", "--patient", "P1^H", "--kind", "thrombosis", "--at", iso(-600), *doctor)
    said = capsys.readouterr().out
    assert "signed by" in said and "not signed" not in said
    given = [
        *("medication", "add", "--patient", "P1^H", "--drug", "Paracetamol", "--class", "antipyretic"),
        *("--dose", "1", "--unit", "g", "--route", "IV", "--at", iso(-900)),
    ]
    assert cli(url, *given, *signed_in(url, "ada", Role.NURSE))
    said = capsys.readouterr().out
    assert "signed by ada (nurse)" in said and "not signed" not in said
    (course,) = signatures(url, "course.event", capsys)
    assert course is not None and course["meaning"] == "Recorded: this course event happened as I entered it"
    (drug,) = signatures(url, "medication.recorded", capsys)
    assert drug is not None and drug["meaning"] == "Recorded: this drug was given as I entered it"
    assert drug["role"] == "nurse"


def test_the_same_drug_at_the_same_time_is_refused_unless_given_again(url, capsys) -> None:  # type: ignore[no-untyped-def]
    at = iso(-900)
    given = [
        *("medication", "add", "--patient", "P1^H", "--drug", "Paracetamol", "--class", "antipyretic"),
        *("--dose", "1", "--unit", "g", "--route", "IV", "--at", at),
    ]
    assert cli(url, *given, *signed_in(url, "ada", Role.NURSE))
    capsys.readouterr()
    twice = [*given[:5], "paracetamol", *given[6:]]  # the same drug, typed in other letters
    assert not cli(url, *twice, *signed_in(url, "ada", Role.NURSE))
    err = capsys.readouterr().err
    assert "Paracetamol at " in err and "is already recorded for P1^H (#" in err, err
    assert "nothing was recorded" in err and "--again" in err
    assert cli_main(["--lang", "es", "--db", url, *twice, *signed_in(url, "ada", Role.NURSE)]) != 0
    err = capsys.readouterr().err
    assert "ya está registrado para P1^H" in err and "no se ha registrado nada" in err, err
    assert cli(url, "medication", "list", "--patient", "P1^H", "--json")
    assert len(json.loads(capsys.readouterr().out)) == 1
    # Another drug at that time, or the same drug an hour later, is no repeat.
    assert cli(url, *given[:5], "Ibuprofeno", *given[6:], *signed_in(url, "ada", Role.NURSE))
    assert cli(url, *given[:-1], iso(-4500), *signed_in(url, "ada", Role.NURSE))
    # A second one given at once is recorded when said so.
    assert cli(url, *twice, *signed_in(url, "ada", Role.NURSE), "--again")
    capsys.readouterr()
    assert cli(url, "medication", "list", "--patient", "P1^H", "--json")
    assert len(json.loads(capsys.readouterr().out)) == 4


def test_the_person_who_entered_a_record_is_named_not_their_account(url, capsys) -> None:  # type: ignore[no-untyped-def]
    given = [
        *("medication", "add", "--patient", "P1^H", "--drug", "Adrenalina", "--class", "vasopressor"),
        *("--dose", "0.5", "--unit", "mg", "--route", "IM", "--at", iso(-900)),
    ]
    capsys.readouterr()
    assert cli(url, *given, *signed_in(url, "ada", Role.NURSE), "--meaning", "Given: as charted")
    added = capsys.readouterr().out
    # The test's accounts carry their username as printed name: the role says it is the person's.
    assert "Adrenalina 0.5 mg IM" in added and "by ada (nurse) (#" in added
    assert cli(url, "medication", "list", "--patient", "P1^H")
    listed = capsys.readouterr().out
    assert "(nurse) [ada]" in listed, listed
    assert cli(url, "log")
    logged = capsys.readouterr().out
    assert "the alert engine" in logged or "bedside-rules" not in logged
    assert "(nurse) [ada]" in logged, logged


def test_a_unit_and_a_route_as_the_screen_writes_them_in_spanish(url, capsys) -> None:  # type: ignore[no-untyped-def]
    given = [
        *("medication", "add", "--patient", "P1^H", "--drug", "Noradrenalina", "--class", "vasopressor"),
        *("--dose", "0,1", "--unit", "µg/kg/min", "--route", "IV", "--at", iso(-900)),
    ]
    capsys.readouterr()
    assert cli_main(["--lang", "es", "--db", url, *given, *signed_in(url, "ada", Role.NURSE)]) == 0
    said = capsys.readouterr().out
    assert "Noradrenalina 0,1 µg/kg/min IV" in said, said
    assert cli(url, "medication", "list", "--patient", "P1^H", "--json")
    (row,) = json.loads(capsys.readouterr().out)
    assert row["unit"] == "ug/kg/min"  # stored as UCUM codes it
    wrong = [*given[:-4], "--unit", "mcg", *given[-4:]]
    with pytest.raises(SystemExit) as refused:
        cli_main(["--lang", "es", "--db", url, *wrong, *signed_in(url, "ada", Role.NURSE)])
    assert refused.value.code == 2
    assert "no es una unidad" in capsys.readouterr().err
