"""The report's SAE listing: made with `bedside-cli report` from a database where a serious event
was recorded, followed up and reported, another is serious and not yet reported, one is not serious
and one not assessed; its text read back with pdftotext."""

from __future__ import annotations

import json
import subprocess
import time
import unicodedata
from datetime import UTC, datetime

from bedside_ui.cli import main as cli_main

from bedside.users import Role
from tests.signed_in import dose_start, signed_in


def iso(offset: float) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


def test_the_report_lists_the_serious_adverse_events(sqlite_engine, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)

    def cli(*args: str) -> None:
        assert cli_main(["--db", url, *args]) == 0, capsys.readouterr().err

    cli(
        *dose_start(iso(-30 * 3600)),
        *signed_in(url, "RN"),
    )
    marta = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    event = ["--patient", "P1^H", "--dose", "1", "--onset", iso(-29 * 3600)]
    cli(
        "adverse-event",
        "--json",
        *event,
        "--term",
        "Hypotension",
        "--grade",
        "3",
        "--relatedness",
        "probable",
        "--serious",
        "life_threatening",
        "--awareness",
        iso(-28 * 3600),
        *marta,
    )
    cli("adverse-event-follow-up", "--json", "1", "--patient", "P1^H", "--outcome", "recovered", *marta)
    cli("adverse-event-reported", "--json", "1", "--patient", "P1^H", "--sent", iso(-27 * 3600), *marta)
    cli(
        "adverse-event",
        "--json",
        *event,
        "--term",
        "Thromboembolic event",
        "--grade",
        "3",
        "--relatedness",
        "unlikely",
        "--serious",
        "hospitalisation",
        "medically_important",
        "--awareness",
        iso(-26 * 3600),
        *marta,
    )
    cli(
        "adverse-event",
        "--json",
        *event,
        "--term",
        "Fever",
        "--grade",
        "1",
        "--relatedness",
        "possible",
        "--not-serious",
        *marta,
    )
    nurse = signed_in(url, "ana", Role.NURSE, meaning=True)
    cli(
        "adverse-event",
        "--json",
        *event,
        "--term",
        "Chills",
        "--grade",
        "1",
        "--relatedness",
        "not yet assessed",
        *nurse,
    )
    capsys.readouterr()
    # Serious and overdue, then reassessed as not serious by an intensivist: still listed, with who,
    # when, and that its report was overdue then.
    cli(
        "adverse-event",
        "--json",
        *event,
        "--term",
        "Dyspnea",
        "--grade",
        "3",
        "--relatedness",
        "probable",
        "--serious",
        "medically_important",
        "--awareness",
        iso(-28 * 3600),
        *marta,
    )
    dyspnea = json.loads(capsys.readouterr().out)["event"]
    luis = signed_in(url, "luis", Role.INTENSIVIST, meaning=True)
    cli("adverse-event-follow-up", "--json", str(dyspnea), "--patient", "P1^H", "--not-serious", *luis)
    capsys.readouterr()

    pdf = tmp_path / "review.pdf"
    cli("report", "--json", "--patient", "P1^H", "--out", str(pdf), *signed_in(url, "luis"))
    info = json.loads(capsys.readouterr().out)
    raw = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = unicodedata.normalize("NFKC", raw)
    words = " ".join(text.split())
    start = words.index("Serious adverse events (SAE listing)")
    section = words[start : words.index("Electronic signatures", start)]
    # The chain head the report was read at, in full (it may wrap).
    assert info["log_head"][1] in "".join(section.split())
    # Cells wrap, and pdftotext -layout interleaves a row's lines: look for each cell's words.
    assert "#1 Hypotension" in section and "life threatening" in section and "recovered" in section
    assert "2 of 2" in section  # the follow-up's version, of two
    assert "SUSAR" in section and "unexpected" in section
    # The second, unreported for 26 h: overdue; unlikely related, so not a SUSAR.
    assert "#3" in section and "Thromboembolic" in section and "thrombosis or" in section
    assert "OVERDUE" in section and "hospitalisation" in section
    # Not serious (Fever) is not listed; the nurse's unassessed one is counted, not hidden.
    assert "Fever" not in section and "Chills" not in section
    assert "1 adverse event of this patient has no seriousness assessment yet" in section
    assert "Investigator's Brochure" in section
    assert f"#{dyspnea} Dyspnea" in section and "reassessed" in section and "luis" in section
    assert "overdue" in section and "not serious since" in section
