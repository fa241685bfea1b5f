"""The report's painter: a table cell longer than its column (a Spanish translation, a long code) is
wrapped onto more lines, never cut, and the page footer is in the report's language."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bedside_ui.i18n import install_language
from bedside_ui.report_pdf import Report, render


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    return out.stdout


def test_a_long_cell_is_wrapped_not_cut(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    long_text = "Acontecimientos adversos de especial interés registrados tras la segunda dosis"
    code = "TECH_SPO2_SENSOR_DISCONNECTED"
    report = Report()
    report.table(["Regla", "Texto"], [[code, long_text]], [0.3, 1.0])
    pdf = tmp_path / "t.pdf"
    render(report, pdf, "pie")
    text = pdf_text(pdf)
    assert "…" not in text
    flat = "".join(text.split())
    assert "".join(long_text.split()) in flat  # on one line or several, every word
    assert code in flat.replace("".join(long_text.split()), "")  # split between its characters, all printed


def test_the_footer_in_spanish(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = Report()
    report.heading("Título")
    pdf = tmp_path / "t.pdf"
    try:
        install_language(qapp, "es")
        render(report, pdf, "pie")
    finally:
        install_language(qapp, "en")
    assert "página 1 de 1 · pie" in pdf_text(pdf)
    render(report, pdf, "foot")
    assert "page 1 of 1 · foot" in pdf_text(pdf)


def test_a_heading_never_stands_alone_at_the_foot_of_a_page(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for lines in range(40, 70, 3):  # the heading lands at every height near the foot of page 1
        report = Report()
        for i in range(lines):
            report.text(f"line {i} of the course")
        report.heading("Dose 1 heading")
        report.text("what the heading heads")
        pdf = tmp_path / f"h{lines}.pdf"
        render(report, pdf, "foot")
        pages = pdf_text(pdf).split("\f")
        page = next(p for p in pages if "Dose 1 heading" in p)
        assert "what the heading heads" in page, f"{lines} lines: the heading ends its page alone"


def test_a_tall_cell_leaves_room_above_and_below_in_its_row(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A cell of ten lines centred in its row: the row is taller than the text the painter lays out,
    # by at least a third of a line on each side, so it touches neither the header band nor the rule.
    from bedside_ui.report_pdf import DPI, _font, _row_heights
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QFontMetricsF, QPainter, QPdfWriter

    cell = "\n".join(f"line {n} of the outcome" for n in range(10))
    report = Report()
    report.table(["Event", "Outcome"], [["Death", cell], ["Fever", "recovered"]], [1.0, 1.0], size=6.0)
    (block,) = report.blocks
    writer = QPdfWriter(str(tmp_path / "t.pdf"))
    writer.setResolution(DPI)
    painter = QPainter(writer)
    try:
        painter.setFont(_font(6.0))
        text = painter.boundingRect(
            QRectF(0, 0, 10_000, 10_000), int(Qt.AlignmentFlag.AlignLeft), cell
        ).height()
        line = QFontMetricsF(_font(6.0), writer).lineSpacing()
        heights = _row_heights(block, writer)
    finally:
        painter.end()
    assert heights[1] >= text + 2 * line / 3
    assert heights[2] >= line * 1.3  # a one-line row keeps its own room


def test_a_heading_keeps_with_a_long_paragraph_an_image_or_a_tables_first_row(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QImage

    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    paragraph = " ".join(f"word{i}" for i in range(400))  # taller than a fixed allowance below a heading
    tall_row = ["\n".join(f"row line {i}" for i in range(30)), "x"]
    heads = {
        "paragraph": lambda r: r.text(paragraph),
        "image": lambda r: r.image(image, 700.0),
        "table": lambda r: (r.heading("Subheading", size=10.0), r.table(["A", "B"], [tall_row], [0.5, 0.5])),
    }
    for what, add in heads.items():
        for lines in range(30, 70, 4):  # the heading lands at every height down page 1
            report = Report()
            for i in range(lines):
                report.text(f"line {i} of the course")
            report.heading(f"Heading over a {what}")
            add(report)
            report.text("after it")
            pdf = tmp_path / f"{what}{lines}.pdf"
            render(report, pdf, "foot")
            pages = pdf_text(pdf).split("\f")
            page = next(p for p in pages if f"Heading over a {what}" in p)
            start = {"paragraph": "word0", "table": "row line 0"}.get(what, "")
            if what == "image":  # no text to find: the image's page, as pdfimages lists it
                listed = subprocess.run(
                    ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
                )
                (row,) = [line.split() for line in listed.stdout.splitlines()[2:] if line.strip()]
                assert int(row[0]) == pages.index(page) + 1, (
                    f"{lines} lines: the heading over an image ends alone"
                )
                continue
            assert start in page, f"{lines} lines: the heading over a {what} ends its page alone"


def test_a_co_medication_time_in_a_narrow_column_breaks_at_its_dash_never_inside_a_date(
    qapp, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from bedside_ui.report_co_medication import time_span

    from bedside import i18n

    start = datetime(2026, 12, 6, 23, 27).timestamp()
    for end, parts in (
        (start + 300, ["%d %b %H:%M–", "%H:%M"]),  # within the day: '06 Dec 23:27–23:32'
        (start + 3600, ["%d %b %H:%M", "%d %b %H:%M"]),  # over midnight: both dates whole
    ):
        report = Report()
        long_note = "a note long enough to take the rest of the table's width " * 3
        report.table(["Dose", "Time", "Note"], [["1", time_span(start, end), long_note]], [0.1, 0.12, 1.0])
        pdf = tmp_path / "t.pdf"
        render(report, pdf, "foot")
        lines = [" ".join(line.replace("\xa0", " ").split()) for line in pdf_text(pdf).splitlines()]
        for at, fmt in zip((start, end), parts, strict=True):
            whole = i18n.strftime(datetime.fromtimestamp(at), fmt)
            assert any(whole in line for line in lines), (whole, lines)


def test_an_sae_deadline_in_a_narrow_column_keeps_its_date_on_one_line(qapp) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from bedside_ui.report_sae import _when, _wrap

    from bedside import i18n

    at = datetime(2026, 12, 8, 13, 8).timestamp()
    install_language(qapp, "es")
    try:
        cell = f"no notificado: Notificación de AAG antes del {_when(at)} (quedan 3 h 05 min)"
        date = i18n.strftime(datetime.fromtimestamp(at), "%d %b %Y")
        for chars in (12, 14, 18, 24):
            lines = [line.replace("\xa0", " ") for line in _wrap(cell, chars).split("\n")]
            assert any(date in line for line in lines), (chars, lines)
            assert not any(line.endswith("-") for line in lines), (chars, lines)
    finally:
        install_language(qapp, "en")
