"""`bedside-cli report` asks whether its user may export before it writes a file: a nurse's report
leaves nothing on disk and is logged as refused; an investigator's is written and logged. A dose may
be entered for a patient no feed has named yet; a report of a patient the database does not know
is refused with nothing written."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from bedside_adapters.db import schema as t
from bedside_ui.cli import main as cli_main
from sqlalchemy import select

from bedside.users import Role
from tests.signed_in import PROVISIONER, signed_in


def _log(engine) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def]
    log = t.safety_log.c
    with engine.connect() as conn:
        rows = conn.execute(select(log.kind, log.actor, log.payload).order_by(log.seq)).all()
    return [(kind, actor, json.loads(payload)) for kind, actor, payload in rows if actor != PROVISIONER]


def test_a_report_is_written_only_for_a_role_that_may_export_it(sqlite_engine, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    start = datetime.fromtimestamp(time.time() - 30 * 3600, UTC).isoformat(timespec="seconds")
    # No feed has named P1^H: the dose is entered before the admission arrives, deliberately allowed.
    started = ["episode", "start", "--json", "--patient", "P1^H", "--dose", "1", "--at", start]
    assert cli_main(["--db", url, *started, *signed_in(url, "RN")]) == 0, capsys.readouterr().err
    capsys.readouterr()

    pdf, table = tmp_path / "review.pdf", tmp_path / "review.csv"
    report = ["--db", url, "report", "--patient", "P1^H", "--out", str(pdf), "--csv", str(table)]
    assert cli_main([*report, *signed_in(url, "ana", Role.NURSE)]) == 2
    assert "bedside-cli:" in capsys.readouterr().err
    assert not pdf.exists() and not table.exists()
    refused = [p for kind, actor, p in _log(sqlite_engine) if kind == "action.refused" and actor == "ana"]
    assert len(refused) == 1 and refused[0]["action"] == "export_report"
    assert not [k for k, _a, _p in _log(sqlite_engine) if k == "report.exported"]

    assert cli_main([*report, *signed_in(url, "marta", Role.INVESTIGATOR)]) == 0, capsys.readouterr().err
    assert pdf.read_bytes().startswith(b"%PDF") and table.exists()
    (exported,) = [(a, p) for kind, a, p in _log(sqlite_engine) if kind == "report.exported"]
    assert exported[0] == "marta" and exported[1]["file"] == "review.pdf"


def test_a_report_of_a_patient_the_database_does_not_know_writes_nothing(
    sqlite_engine, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    pdf = tmp_path / "x.pdf"
    report = ["--db", url, "report", "--patient", "NOBODY^H", "--out", str(pdf)]
    assert cli_main([*report, *signed_in(url, "marta", Role.INVESTIGATOR)]) == 2
    assert "bedside-cli:" in capsys.readouterr().err
    assert not pdf.exists()
    assert not [k for k, _a, _p in _log(sqlite_engine) if k == "report.exported"]
