"""The PDF report names who exported it (the signed-in user's name and role beside "Made … by
Bedside"), lists the co-medication around each dose as the review's tab does, never breaks a log
entry's kind inside a word, and says what an `adverse_event.reported` entry was. Read back with
pdftotext, on the simulated `reaction` course."""

from __future__ import annotations

import subprocess
import unicodedata

from bedside_adapters.db.review_store import load_review
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_ui.report import _what, export_pdf
from bedside_ui.report_co_medication import co_medication_rows
from bedside_ui.report_outcomes import page_metrics
from bedside_ui.report_pdf import _fit

from bedside.commands import RecordMedication
from bedside.handlers.medication import record_medication
from bedside.log_text import kind_name
from bedside.model import PatientRef
from bedside.review import HOUR
from bedside.users import Role, Signature, User
from tests.acting import STATED, acts
from tests.listed_events import listed, version
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT


def test_the_report_names_its_maker_and_lists_the_co_medication(qapp, reaction_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = load_review(reaction_engine, PatientRef.parse(PATIENT), NOW).doses[0].start
    record_medication(
        SqlUnitOfWork(reaction_engine),
        RecordMedication(
            patient=PatientRef.parse(PATIENT),
            drug="Dexamethasone",
            drug_class="corticosteroid",
            dose=6.0,
            unit="mg",
            route="IV",
            start=first - 2 * HOUR,
            **acts("ada", Role.NURSE),
            signature=Signature(
                username="ada", full_name="Ada Byrne", role=Role.NURSE, meaning=STATED, signed_at=first
            ),
            recorded_at=first,
        ),
    )
    data = load_review(reaction_engine, PatientRef.parse(PATIENT), NOW)
    pdf = tmp_path / "report.pdf"
    export_pdf(data, pdf, made_by=User(username="ana", full_name="Dr Ana Ruiz", role=Role.INVESTIGATOR))
    raw = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    assert "by Bedside" in text and "Exported by Dr Ana Ruiz (investigator)." in text
    assert "Co-medication around each dose" in text
    assert "Dexamethasone" in text and "Corticosteroid given 2 h before: fever and CRP may be blunted" in text
    # Who entered it by printed name and role, as signed (the account stays what is stored).
    assert "entered by Ada Byrne (nurse)" in text and "entered by ada" not in text
    rows = [r for r in co_medication_rows(data) if r[4] == "Dexamethasone" and r[7] != "eMAR"]
    assert rows and {r[7] for r in rows} == {"entered by Ada Byrne (nurse)"}
    # The chain head vouches for what verify-log checks, and says what it does not cover.
    assert "lab and device values come from the received messages and are not in the log" in text
    # Every kind in the log extract in words, whole; its code stays in the machine exports.
    words = " ".join(unicodedata.normalize("NFKC", raw).split())
    for kind in {e["kind"] for e in data.log}:
        assert kind_name(kind) in words and kind not in words, kind


def test_a_long_code_breaks_at_its_dot_never_inside_a_word(qapp) -> None:  # type: ignore[no-untyped-def]
    metrics = page_metrics(7.0)
    room = metrics.horizontalAdvance("adverse_event.rec")
    assert _fit("adverse_event.recorded", room, metrics) == ["adverse_event.", "recorded"]


def test_a_report_to_the_sponsor_says_what_it_was(qapp) -> None:  # type: ignore[no-untyped-def]
    what = _what({"id": 4, "event": 2, "version": 1, "sent_at": 1_790_000_000.0})
    assert what.startswith("adverse event 2 version 1 reported to the sponsor ")


def _properties(pdf) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def test_the_pdf_properties_name_who_made_it_and_the_software(qapp, reaction_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A copy sent to a sponsor keeps, in its document properties, who produced it and with which
    version, as the first page says; nobody signed in is said so, never left blank."""
    from bedside import __version__

    data = load_review(reaction_engine, PatientRef.parse(PATIENT), NOW)
    signed = tmp_path / "signed.pdf"
    export_pdf(data, signed, made_by=User(username="ana", full_name="Dr Ana Ruiz", role=Role.INVESTIGATOR))
    props = _properties(signed)
    assert props["Author"] == "Dr Ana Ruiz (ana, investigator)"
    assert props["Creator"] == f"Bedside {__version__}"
    anonymous = tmp_path / "anonymous.pdf"
    export_pdf(data, anonymous)
    assert _properties(anonymous)["Author"] == "not recorded (nobody signed in)"


def test_the_adverse_event_table_names_who_assessed_the_causality(qapp) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.report import _causality_by

    assessed = version(assessed_by="marta", assessor_role="investigator", reported_by="ana")
    people = {"marta": ("Marta Gil", "intensivist")}  # as her signatures give her
    # The printed name as signed, with the role she assessed it in (the study's AECAUSRL).
    assert _causality_by(assessed, people) == "\nassessed by Marta Gil (investigator)"
    assert _causality_by(assessed) == "\nassessed by marta (investigator)"  # never signed: as stored
    assert _causality_by(version(assessed_by=None, reported_by="ana")) == ""


def test_the_sae_listing_names_assessors_as_signed_and_keeps_the_accounts(qapp) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.report_sae import named

    events = [
        listed(id=1, assessed_by="marta", history=[{"version": 1, "by": "luis"}, {"version": 2, "by": ""}])
    ]
    people = {"marta": ("Marta Gil", "intensivist"), "luis": ("Luis Ortega", "intensivist")}
    (shown,) = named(events, people)
    assert shown.latest.assessed_by == "Marta Gil"
    assert [h.by for h in shown.history] == ["Luis Ortega", ""]
    assert events[0].latest.assessed_by == "marta" and events[0].history[0].by == "luis"  # a copy


def test_a_narrow_column_takes_room_so_that_its_words_stay_whole(qapp) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.report_outcomes import DPI
    from bedside_ui.report_pdf import Block, _wrap_cells
    from PySide6.QtGui import QImage

    page = QImage(8, 8, QImage.Format.Format_RGB32)
    page.setDotsPerMeterX(round(DPI / 0.0254))
    page.setDotsPerMeterY(round(DPI / 0.0254))
    long = "texto libre con muchas palabras cortas que caben en cualquier columna de la tabla " * 2
    rows = [["Dosis", "Vía", "Nota"], ["0,5 mg", "intravenosa", long], ["componentes", "IM", long]]
    block = Block("table", rows=rows, widths=[0.3, 0.3, 4.0], size=7.0)
    _wrap_cells(block, page, 400.0)  # type: ignore[arg-type]
    assert block.rows is not None
    cells = [cell for row in block.rows for cell in row[:2]]
    assert {"Dosis", "intravenosa", "componentes"} <= set(cells), cells
    assert abs(sum(block.widths or []) - 400.0) < 0.01  # the table as wide as before


def test_a_word_too_wide_for_its_column_is_hyphenated_between_syllables(qapp) -> None:  # type: ignore[no-untyped-def]
    metrics = page_metrics(7.0)
    room = metrics.horizontalAdvance("(1 de 6 compo")
    # A word that fits a line of its own goes there whole.
    assert _fit("(1 de 6 componentes)", room, metrics) == ["(1 de 6", "componentes)"]
    # One no line holds is hyphenated at a syllable's start, never cut with no hyphen.
    lines = _fit("(1 de 6 componentes)", metrics.horizontalAdvance("compo"), metrics)
    assert lines[:2] == ["(1 de", "6"] and lines[2] == "com-", lines
    assert "".join(line.removesuffix("-") for line in lines[2:]) == "componentes)", lines
    assert all(line.endswith("-") for line in lines[2:-1]), lines


def test_a_time_range_stays_on_one_line_where_the_table_allows_it(qapp) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.report_outcomes import DPI
    from bedside_ui.report_pdf import Block, _wrap_cells
    from PySide6.QtGui import QImage

    page = QImage(8, 8, QImage.Format.Format_RGB32)
    page.setDotsPerMeterX(round(DPI / 0.0254))
    page.setDotsPerMeterY(round(DPI / 0.0254))
    span = "06\u00a0dic\u00a010:02–10:07"
    rows = [["Cuándo", "Qué"], [span, "nota corta"], [span, "otra nota corta que cabe"]]
    block = Block("table", rows=rows, widths=[0.5, 4.0], size=7.0)
    _wrap_cells(block, page, 400.0)  # type: ignore[arg-type]
    assert block.rows is not None
    assert [row[0] for row in block.rows[1:]] == [span, span], block.rows
