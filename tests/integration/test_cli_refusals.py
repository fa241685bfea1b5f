"""`bedside-cli` refuses what it cannot do in one line, never a traceback: a database that is not
there (a mistyped --db is not created by commands that read), a time that is not a time, an adverse
event for a patient or an alert this database does not know."""

from __future__ import annotations

from pathlib import Path

import pytest
from bedside_adapters.db import schema as t
from bedside_ui.cli import main as cli_main
from sqlalchemy import func, select

from tests.signed_in import signed_in

READERS = [
    ["alerts"],
    ["alerts", "--open", "--json"],
    ["episodes"],
    ["log"],
    ["verify-log"],
    ["stats"],
    ["db", "current"],
    ["observations", "--patient", "X"],
    ["devices"],
    ["review", "--patient", "X"],
    ["cohort"],
    ["rules", "replay", "--patient", "X"],
    ["report", "--patient", "X", "--out", "x.pdf"],
    ["compact"],
    ["backup", "copy.sqlite3"],
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c))
def test_a_missing_database_is_refused_and_not_created(command, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    mistyped = tmp_path / "bedisde.sqlite3"
    code = cli_main(["--db", str(mistyped), *command])
    err = capsys.readouterr().err
    assert code == 1
    assert f"no database at {mistyped}" in err and len(err.strip().splitlines()) == 1, err
    assert not mistyped.exists()


def test_db_upgrade_still_creates_a_database(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    new = tmp_path / "new.sqlite3"
    assert cli_main(["--db", str(new), "db", "upgrade"]) == 0
    assert new.exists()
    capsys.readouterr()
    assert cli_main(["--db", str(new), "alerts"]) == 0


@pytest.fixture
def url(sqlite_engine) -> str:  # type: ignore[no-untyped-def]
    return sqlite_engine.url.render_as_string(hide_password=False)


def cli(url: str, *args: str) -> int:
    return cli_main(["--db", url, *args])


def start(url: str, patient: str = "P1^H", at: str = "2026-03-02T10:00Z") -> int:
    return cli(
        url,
        "episode",
        "start",
        "--json",
        "--patient",
        patient,
        "--dose",
        "1",
        "--at",
        at,
        *signed_in(url, "RN Ada"),
    )


BAD_TIMES = [
    (
        "--at",
        ["episode", "start", "--json", "--patient", "P2^H", "--dose", "1", "--user", "x", "--at", "10h30"],
    ),
    (
        "--planned",
        [
            "episode",
            "start",
            "--json",
            "--patient",
            "P2^H",
            "--dose",
            "1",
            "--user",
            "x",
            "--at",
            "now",
            "--planned",
            "tomorrow",
        ],
    ),
    (
        "--at",
        [
            "episode",
            "stop",
            "--json",
            "--patient",
            "P1^H",
            "--dose",
            "1",
            "--user",
            "x",
            "--at",
            "2026-02-30",
        ],
    ),
    (
        "--at",
        ["episode", "confirm", "--json", "--patient", "P1^H", "--dose", "1", "--user", "x", "--at", "noon"],
    ),
    (
        "--start",
        ["episode", "edit", "--json", "--patient", "P1^H", "--dose", "1", "--user", "x", "--start", "x"],
    ),
    (
        "--end",
        ["episode", "edit", "--json", "--patient", "P1^H", "--dose", "1", "--user", "x", "--end", "3pm"],
    ),
    (
        "--onset",
        [
            "adverse-event",
            "--json",
            "--patient",
            "P1^H",
            "--term",
            "Fever",
            "--grade",
            "1",
            "--relatedness",
            "possible",
            "--user",
            "x",
            "--onset",
            "yesterday",
        ],
    ),
    ("--at", ["course-event", "--patient", "P1^H", "--kind", "intubation", "--at", "12:00", "--user", "x"]),
    (
        "--start",
        [
            "simulate",
            "--scenario",
            "improving",
            "--out",
            "/nonexistent/sim-out",
            "--start",
            "2026-03-02T25:00",
        ],
    ),
]


@pytest.mark.parametrize(("option", "command"), BAD_TIMES, ids=lambda v: v if isinstance(v, str) else v[0])
def test_a_bad_time_gets_one_line_naming_the_formats(url, option: str, command, capsys) -> None:  # type: ignore[no-untyped-def]
    assert start(url) == 0
    capsys.readouterr()
    assert cli(url, *command) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert f"bedside-cli: {option} " in err and "is not a date and time" in err and "ISO 8601" in err


def test_adverse_event_for_an_unknown_patient_or_alert_is_refused(url, sqlite_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    event = [
        "--term",
        "Fever",
        "--grade",
        "1",
        "--relatedness",
        "possible",
        "--onset",
        "now",
        *signed_in(url, "Dr Lee", meaning=True),
    ]
    assert cli(url, "adverse-event", "--json", "--patient", "NOBODY", *event) == 2
    err = capsys.readouterr().err
    assert "no patient 'NOBODY'" in err and len(err.strip().splitlines()) == 1
    assert start(url) == 0
    capsys.readouterr()
    assert cli(url, "adverse-event", "--json", "--patient", "P1^H", *event, "--alerts", "999") == 2
    err = capsys.readouterr().err
    assert "no alert #999" in err and len(err.strip().splitlines()) == 1
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.adverse_event)).scalar_one() == 0
    # A known patient (here: through the dose entered for them) without alerts is accepted.
    assert cli(url, "adverse-event", "--json", "--patient", "P1^H", *event) == 0


PATIENT_READERS = [
    ["review", "--patient"],
    ["rules", "replay", "--patient"],
    ["episodes", "--patient"],
    ["episodes", "--events", "--patient"],
]


@pytest.mark.parametrize("command", PATIENT_READERS, ids=lambda c: " ".join(c[:-1]))
def test_a_reader_refuses_an_unknown_or_ambiguous_patient_in_one_line(
    url, sqlite_engine, command, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert start(url) == 0  # P1^H: known through the dose entered for them
    capsys.readouterr()
    assert cli(url, *command, "NOBODY") == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == "bedside-cli: no patient 'NOBODY' in this database" and not captured.out
    with sqlite_engine.begin() as conn:
        conn.execute(
            t.patient.insert(),
            [{"identifier": "P7", "authority": a, "updated_ms": 0} for a in ("H", "CLINIC")],
        )
    assert cli(url, *command, "P7") == 1
    err = capsys.readouterr().err
    assert "P7 is known under several authorities" in err and len(err.strip().splitlines()) == 1, err
    assert cli(url, *command, "P1") == 0


def test_alerts_of_an_unknown_patient_are_refused_and_none_said_in_words(url, capsys) -> None:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert cli(url, "alerts", "--patient", "NOEXISTE") == 1
    err = capsys.readouterr().err
    assert "no patient 'NOEXISTE'" in err and len(err.strip().splitlines()) == 1, err
    assert cli(url, "alerts") == 0
    assert capsys.readouterr().out.strip() == "no alerts"
    assert cli_main(["--lang", "es", "--db", url, "alerts", "--open"]) == 0
    assert capsys.readouterr().out.strip() == "ninguna alerta abierta"
