"""The review's outcome tab, its windows with two and three doses, the cohort's numbers and the
report's outcome set, on simulated courses stored through the real ingest path (`improving`: two
doses; `reintubated`: three doses, a reintubation and a tracheostomy; `died`: a death 16 h after a
dose) with the clinicians' entries."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.db.review_store import load_review
from bedside_ui.report import build
from bedside_ui.report_outcomes import SIZE, page_metrics
from bedside_ui.report_pdf import MARGIN, PAGE_W
from bedside_ui.review_window import ALL_DOSES, ReviewWindow
from sqlalchemy import Engine

from bedside.course_spec import DAY
from bedside.model import PatientRef
from bedside.outcome_cohort import UNCONTROLLED
from bedside.review_data import dose_rows
from bedside.review_text import table_rows
from tests.integration.test_outcomes_ground_truth import START, ingest_course
from tests.ui.signing import GH, acting_as

NOW = START + 31 * DAY
"""After day 28 of every course's first dose."""
PATIENTS = {
    "improving": "SIM4417^BEDSIDE_DEMO",
    "reintubated": "SIM5211^BEDSIDE_DEMO",
    "died": "SIM5212^BEDSIDE_DEMO",
}


@pytest.fixture(scope="module")
def courses_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outcome-courses") / "courses.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    for name in PATIENTS:
        ingest_course(engine, name)
    engine.dispose()
    return path


@pytest.fixture
def engine(courses_file: Path, data_dir: Path) -> Iterator[Engine]:
    path = data_dir / "courses.sqlite3"
    shutil.copy(courses_file, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


def open_review(qtbot, engine: Engine, patient: str) -> ReviewWindow:  # type: ignore[no-untyped-def]
    acting = acting_as(GH)
    w = ReviewWindow(sql_ports(engine), PatientRef.parse(patient), clock=lambda: NOW, acting=acting)
    acting.setParent(w)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.data is not None, timeout=20_000)
    return w


def shown_rows(w: ReviewWindow) -> list[list[str]]:
    return [
        [w.table.item(r, c).text() for c in range(w.table.columnCount())] for r in range(w.table.rowCount())
    ]


@pytest.mark.parametrize(("scenario", "doses"), [("improving", 2), ("reintubated", 3)])
def test_the_windows_follow_the_dose_chosen(qtbot, engine: Engine, scenario: str, doses: int) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, engine, PATIENTS[scenario])
    try:
        data = w.data
        assert data is not None and len(data.doses) == doses
        choices = [w.align_choice.itemData(i) for i in range(w.align_choice.count())]
        assert choices == [*range(1, doses + 1), ALL_DOSES]
        later_marks = 0
        for dose in data.doses:
            w.align_choice.setCurrentIndex(w.align_choice.findData(dose.dose))
            w._align_chosen(w.align_choice.currentIndex())
            expected = table_rows(dose_rows(data, dose), dose.start, sep="\n")
            assert shown_rows(w) == expected
            assert w.coverage.horizontalHeaderItem(0).text() == f"Coverage, dose {dose.dose}"
            later_marks += sum("after dose" in cell for row in shown_rows(w) for cell in row)
            for row in shown_rows(w):
                for cell in row:
                    # only a later dose is ever named, never this one or an earlier one
                    for n in range(1, dose.dose + 1):
                        assert f"after dose {n}" not in cell
        assert later_marks > 0  # the first dose's later time points fall after the next doses
        w.align_choice.setCurrentIndex(w.align_choice.findData(ALL_DOSES))
        w._align_chosen(w.align_choice.currentIndex())
        assert len(w.plots["crp"].listDataItems()) == doses  # each dose's course on its own start
    finally:
        w.shutdown()


def test_the_outcome_tab_shows_each_outcome_with_its_source(qtbot, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, engine, PATIENTS["died"])
    try:
        table = w.outcomes_view.table
        rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
        assert set(rows) >= {
            "Ventilator-free days at day 28",
            "ICU-free days at day 28",
            "Death",
            "Reintubation",
        }
        death = rows["Death"]
        assert "within 24 h of dose 2" in table.item(death, 1).text()
        assert table.item(death, 1).background().color().name() == "#d32f2f"
        assert table.item(rows["Ventilator-free days at day 28"], 1).text().startswith("0 (died on day")
        assert "Day 0: the start of the first dose" in w.outcomes_view.day0.text()
        for r in range(table.rowCount()):
            assert table.item(r, 2).text()  # every outcome names its source
    finally:
        w.shutdown()


def test_the_cohort_shows_n_median_iqr_denominators_and_the_plain_statement(qtbot, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, engine, PATIENTS["reintubated"])
    try:
        w.tabs.setCurrentIndex(w.tabs.indexOf(w.cohort))
        qtbot.waitUntil(lambda: w.cohort_rows is not None, timeout=60_000)
        assert UNCONTROLLED in w.cohort.note.text()
        outcomes = w.cohort.outcomes
        lines = {outcomes.item(r, 0).text(): outcomes.item(r, 1).text() for r in range(outcomes.rowCount())}
        vfd = [load_review(engine, PatientRef.parse(p), NOW).outcome_set[0] for p in PATIENTS.values()]
        have = sorted(o.value for o in vfd if o.value is not None)
        # improving: the ventilator stopped but nobody confirmed the extubation: no value, counted out
        assert len(have) == 2 and have[0] == 0.0
        assert lines["Ventilator-free days at day 28 (days)"].endswith("n = 2 of 3 with a value")
        assert lines["Death"].startswith("1 of 3 with one recorded; 1 flagged")
        assert lines["Reintubation"].startswith("1 of 3")
        markers = w.cohort.markers
        header = [markers.horizontalHeaderItem(c).text() for c in range(markers.columnCount())]
        assert header[:2] == ["Marker", "Pre-dose value"] and "+28 d" in header
        crp = next(r for r in range(markers.rowCount()) if markers.item(r, 0).text() == "CRP")
        assert markers.item(crp, 1).text().endswith("n = 3 of 3 with a value")
    finally:
        w.shutdown()


def test_the_report_has_the_outcome_set(qtbot, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(engine, PatientRef.parse(PATIENTS["reintubated"]), NOW)
    report, _footer = build(data)
    headings = [b.text for b in report.blocks if b.kind == "heading"]
    assert "Outcome set" in headings
    table = next(
        b
        for b in report.blocks[headings and 0 :]
        if b.kind == "table" and b.rows and b.rows[0][0] == "Outcome"
    )
    labels = [row[0].replace("\n", " ") for row in table.rows[1:]]
    assert labels == [o.label for o in data.outcome_set]
    vfd = next(row for row in table.rows if row[0].replace("\n", " ") == "Ventilator-free days at day 28")
    assert vfd[1] == f"{data.outcome_set[0].value:.1f} days"
    # Every line of every cell fits its column at the page's resolution: the painter cuts none.
    metrics = page_metrics(SIZE)
    total = sum(table.widths)
    for row in table.rows[1:]:
        for c, cell in enumerate(row):
            room = (PAGE_W - 2 * MARGIN) * table.widths[c] / total - 8
            assert all(metrics.horizontalAdvance(line) <= room for line in cell.split("\n")), cell
    assert [" ".join(row[1].split("\n")) for row in table.rows[1:]] == [o.text for o in data.outcome_set]
