"""`bedside-cli report`: the PDF is made from a real database, its pages are rendered to PNG with
pdftoppm and looked at (not blank, A4), its text is extracted with pdftotext and checked, and the CSV
agrees with `bedside-cli review`."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import struct
import subprocess
import unicodedata
from pathlib import Path

import pytest
from bedside_ui.cli import main as cli

from bedside.course import CourseModel
from bedside.course_spec import load_beds
from bedside.review import DAY
from tests.helpers import COURSE_START, build_course_db
from tests.signed_in import signed_in


@pytest.fixture(scope="module")
def reaction_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reaction") / "course.sqlite3"
    build_course_db(path, "reaction", COURSE_START + 4 * DAY)
    return path


@pytest.fixture
def reaction(reaction_file: Path, data_dir: Path) -> str:
    path = data_dir / "course.sqlite3"
    shutil.copy(reaction_file, path)
    return f"sqlite:///{path}"


def png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])


def test_report_pdf_pages_text_and_csv(reaction, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    (bed,) = load_beds("reaction", COURSE_START)
    truth = CourseModel(bed.spec).ground_truth()
    assert cli(["--db", reaction, "alerts", "--json"]) == 0
    alerts = json.loads(capsys.readouterr().out)
    assert alerts, "the reaction raised alerts on import"
    assert (
        cli(
            [
                "--db",
                reaction,
                "adverse-event",
                "--json",
                "--patient",
                bed.mrn,
                "--term",
                "Infusion related reaction",
                "--grade",
                "3",
                "--relatedness",
                "probable",
                "--onset",
                "now",
                "--dose",
                "1",
                "--alerts",
                str(alerts[0]["id"]),
                *signed_in(reaction, "Dr Lee", meaning=True),
            ]
        )
        == 0
    )
    capsys.readouterr()
    pdf, table = tmp_path / "review.pdf", tmp_path / "review.csv"
    assert (
        cli(
            [
                "--db",
                reaction,
                "report",
                "--json",
                "--patient",
                bed.mrn,
                "--out",
                str(pdf),
                "--csv",
                str(table),
                *signed_in(reaction, "Dr Lee"),
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    info = json.loads(captured.out)
    assert "100 %" in captured.err  # the progress reached the end
    assert pdf.read_bytes().startswith(b"%PDF")

    # Every page rendered, A4-shaped and not blank.
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == info["pages"] >= 3
    for page in pages:
        w, h = png_size(page)
        assert h / w == pytest.approx(297 / 210, rel=0.02)
        assert page.stat().st_size > 3000  # a blank page compresses to a few hundred bytes

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # The font sets "ff" and "fi" as ligatures, which pdftotext returns as U+FB00…: compare as read.
    text = unicodedata.normalize("NFKC", text)
    assert "Bedside: post-dose review" in text and "SYNTHETIC, Patient" in text and bed.mrn in text
    assert f"page 1 of {info['pages']}" in text and f"page {info['pages']} of {info['pages']}" in text
    head_seq, head_hash = info["log_head"]
    assert head_hash in "".join(text.split())  # the chain head at export, in full on page 1 (wrapped)
    # The rule set's name may wrap after one of its hyphens in the header.
    assert alerts[0]["ruleset"] in re.sub(r"-\s+", "-", " ".join(text.split()))
    assert "Infusion related reaction" in text and "probable" in text
    for a in alerts:
        assert a["rule_id"] in text
    assert "Before and after" in text and "Data coverage" in text
    assert "CRP" in text and "P/F ratio" in text and "Lymphocytes" in text

    # The CSV holds the same values as the review's JSON.
    assert cli(["--db", reaction, "review", "--patient", bed.mrn, "--json"]) == 0
    review = json.loads(capsys.readouterr().out)
    with table.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == info["csv_rows"]
    crp = next(r for r in review["doses"][0]["before_after"] if r["marker"] == "crp")
    by_point = {
        r["timepoint"]: r
        for r in rows
        if r["section"] == "before_after" and r["marker"] == "crp" and r["dose"] == "1"
    }
    assert float(by_point["baseline"]["value"]) == crp["baseline"]["value"]
    if crp["+24 h"]["value"] is None:
        assert by_point["+24 h"]["value"] == "" and by_point["+24 h"]["missing"]
    else:
        assert float(by_point["+24 h"]["value"]) == crp["+24 h"]["value"]
    assert by_point["+7 d"]["value"] == "" and by_point["+7 d"]["missing"]  # the course is 4 days long
    assert abs(float(by_point["baseline"]["hours_from_start"])) <= 24
    assert truth["doses"][0]["start"] == pytest.approx(review["doses"][0]["start"], abs=60)

    # The export is itself in the safety log, naming the file's digest and the head it printed.
    assert cli(["--db", reaction, "log", "--json"]) == 0
    exported = [e for e in json.loads(capsys.readouterr().out) if e["kind"] == "report.exported"]
    assert len(exported) == 1 and exported[0]["actor"] == "Dr Lee"
    assert exported[0]["payload"]["sha256"] == info["sha256"] and exported[0]["payload"]["log_head"] == [
        head_seq,
        head_hash,
    ]
    # The CSV is a data export of its own, logged as one: its file, digest and rows.
    assert cli(["--db", reaction, "log", "--json"]) == 0
    (tables,) = [e for e in json.loads(capsys.readouterr().out) if e["kind"] == "tables.exported"]
    assert tables["actor"] == "Dr Lee" and tables["payload"] == {
        "file": table.name,
        "sha256": hashlib.sha256(table.read_bytes()).hexdigest(),
        "rows": info["csv_rows"],
    }
    assert "csv_rows" not in exported[0]["payload"]
    assert cli(["--db", reaction, "log"]) == 0
    assert "tables exported (CSV)" in capsys.readouterr().out
    assert cli(["--lang", "es", "--db", reaction, "log"]) == 0
    assert "tablas exportadas (CSV)" in capsys.readouterr().out
    assert cli(["--db", reaction, "verify-log"]) == 0


def test_report_for_a_patient_without_a_dose_says_so(reaction, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli(["--db", reaction, "report", "--patient", "NOBODY", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "bedside-cli:" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_report_in_spanish(reaction, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`bedside-cli --lang es report`: the headings, notes, table headers and footers in Spanish, a
    number with the decimal comma and dates in Spanish order with Spanish months; no English heading
    left."""
    from bedside_ui.i18n import install_language
    from PySide6.QtWidgets import QApplication

    (bed,) = load_beds("reaction", COURSE_START)
    pdf = tmp_path / "informe.pdf"
    try:
        args = ["--lang", "es", "--db", reaction, "report", "--patient", bed.mrn, "--out", str(pdf)]
        assert cli([*args, *signed_in(reaction, "Dr Lee")]) == 0
    finally:
        install_language(QApplication.instance(), "en")
    captured = capsys.readouterr()
    # What it wrote, in a sentence in Spanish (--json for scripts), its progress in Spanish too.
    said = re.fullmatch(
        r"Informe escrito en (\S+): (\d+) páginas; SHA-256 ([0-9a-f]{64})\.", captured.out.strip()
    )
    assert said is not None, captured.out
    assert said[1] == str(pdf) and said[3] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    info = {"pages": int(said[2])}
    assert "página" in captured.err  # the progress a person reads
    progress = captured.err.strip().splitlines()
    assert progress and all(line.startswith("informe: ") for line in progress), progress
    text = unicodedata.normalize(
        "NFKC",
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout,
    )
    flat = " ".join(text.split())
    for heading in (
        "Bedside: revisión tras la dosis",
        "Evolución",
        "Variables de desenlace",
        "Resumen de seguridad",
        "Antes y después",
        "Cobertura de datos",
        "Alertas (del registro de seguridad)",
        "Acontecimientos adversos graves (listado de AAG)",
        "Firmas electrónicas",
        "Extracto del registro de seguridad",
    ):
        assert heading in flat, heading
    for english in (
        "post-dose review",
        "Safety summary",
        "Before and after",
        "Data coverage",
        "Alerts (from the safety log)",
        "Serious adverse events",
        "Electronic signatures",
        "Safety log extract",
        "page 1 of",
    ):
        assert english not in flat, english
    assert f"página 1 de {info['pages']}" in flat and f"página {info['pages']} de {info['pages']}" in flat
    # Days on mechanical ventilation before the first dose: one decimal, with the comma; a lower bound
    # (no intubation entered in this course: counted from the first ventilator value held).
    assert re.search(r"Días de ventilación mecánica antes de la primera dosis: ≥ \d+,\d\.", flat)
    # Dates day first with Spanish months, 24-hour clock (no English month).
    months = "ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic"
    assert re.search(rf"Generado el \d\d ({months}) \d{{4}} [0-2]\d:[0-5]\d", flat)
    assert not re.search(r"\d\d (Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}", flat)
