"""The review screen driven through its widgets on a SQLite file of the simulated `reaction` course."""

from __future__ import annotations

import json

import pyqtgraph as pg
import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.db.review_store import load_review
from bedside_adapters.review_tables import review_json
from bedside_ui.review_window import ALL_DOSES, ReviewWindow
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from bedside.model import PatientRef
from bedside.review import aligned
from bedside.units import format_value
from bedside.users import User
from tests.ui.conftest import REACTION_NOW as NOW
from tests.ui.conftest import REACTION_PATIENT as PATIENT
from tests.ui.signing import ANA, GH, acting_as, sign_when_asked


@pytest.fixture
def engine(reaction_engine):  # type: ignore[no-untyped-def]
    return reaction_engine


def open_review(qtbot, engine, user: User = GH) -> ReviewWindow:  # type: ignore[no-untyped-def]
    """The review, acting as `user` (GH, an intensivist, unless told) signed in on the nurse's screen."""
    acting = acting_as(user)
    w = ReviewWindow(sql_ports(engine), PatientRef.parse(PATIENT), clock=lambda: NOW, acting=acting)
    acting.setParent(w)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.data is not None, timeout=20_000)
    return w


def answer(fill) -> None:  # type: ignore[no-untyped-def]
    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, go)
            return
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, go)


def test_tables_and_plots_show_the_stored_course(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, engine)
    try:
        data = load_review(engine, PatientRef.parse(PATIENT), NOW)
        expected = review_json(data)
        assert "SYNTHETIC, Patient A" in w.header.text() and "day 28: not known yet" in w.header.text()
        # No intubation entered: counted from the first ventilator value held, so at least that long.
        assert data.outcomes.intubation_to_first_dose_is_lower_bound
        assert "(first ventilator value), ≥ " in w.header.text() and " days before dose 1" in w.header.text()
        crp = next(r for r in expected["doses"][0]["before_after"] if r["marker"] == "crp")
        row = next(i for i in range(w.table.rowCount()) if w.table.item(i, 0).text().startswith("CRP"))
        assert w.table.item(row, 1).text().startswith(format_value("crp", crp["baseline"]["value"]))
        assert w.table.item(row, 4).text().startswith("—")  # +7 d of a 4-day course: missing, said so
        names = [w.coverage.item(i, 0).text() for i in range(w.coverage.rowCount())]
        assert "Heart rate" in names and "Blood gases (PaO2)" in names
        hr = names.index("Heart rate")
        assert (
            w.coverage.item(hr, 1).text()
            == f"{100 * expected['doses'][0]['coverage']['Heart rate']['0-6 h']:.0f} %"
        )
        # Each marker plot holds the dose's values on hours from its start; alerts are marked.
        crp_plot = w.plots["crp"]
        (curve,) = crp_plot.listDataItems()
        shown = aligned(data.streams["crp"], data.doses[0].start, -24, 168)
        assert list(curve.xData) == pytest.approx(list(shown.times)) and len(shown) >= 3
        assert list(curve.yData) == pytest.approx(list(shown.values))
        assert "Clinical alerts" in w.footer.text() and expected["ruleset"] in w.footer.text()
        assert w.align_choice.findData(ALL_DOSES) == -1  # one dose: nothing to overlay
        w.lo.setValue(-6)
        qtbot.waitUntil(lambda: min(w.plots["crp"].listDataItems()[0].xData, default=0) >= -6, timeout=5_000)
    finally:
        w.shutdown()


def test_extubation_confirmed_from_the_screen_is_logged(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, engine)
    try:
        assert w.extubation_button.isEnabled()

        def confirm(dialog) -> None:  # type: ignore[no-untyped-def]
            dialog.note.setText("extubated to high-flow oxygen")

        answer(confirm)
        sign_when_asked(GH)  # a course event from a screen is signed, as on the command line
        w.extubation_button.click()
        qtbot.waitUntil(lambda: "confirmed by GH" in w.header.text(), timeout=20_000)
        with engine.connect() as conn:
            event = conn.execute(select(t.course_event)).one()
            log = conn.execute(select(t.safety_log).where(t.safety_log.c.kind == "course.event")).one()
        assert event.kind == "extubation" and event.entered_by == "GH"
        payload = json.loads(log.payload)
        assert payload["text"] == "extubated to high-flow oxygen"
        assert (payload["signature"]["role"], payload["signature"]["meaning"]) == (
            "intensivist",
            "Recorded: this course event happened as I entered it",
        )
        assert not w.extubation_button.isEnabled()
    finally:
        w.shutdown()


def test_a_nurses_report_is_refused_before_it_is_written_and_logged(
    qtbot, engine, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    w = open_review(qtbot, engine, ANA)
    try:
        pdf = tmp_path / "review.pdf"
        w.export_report(str(pdf))
        qtbot.waitUntil(lambda: bool(warnings), timeout=20_000)
        assert "Sign in as an intensivist or investigator" in warnings[0]
        assert not pdf.exists() and w.exported is None
        log = t.safety_log.c
        with engine.connect() as conn:
            refused = conn.execute(select(log.actor, log.payload).where(log.kind == "action.refused")).all()
        assert [(actor, json.loads(p)["action"]) for actor, p in refused] == [("ana", "export_report")]
    finally:
        w.shutdown()


def test_a_nurses_tables_are_refused_before_they_are_written_and_logged(
    qtbot, engine, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The CSV export is the report's data too: the same role decides, and a refusal is logged."""
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    w = open_review(qtbot, engine, ANA)
    try:
        assert not w.csv_button.isEnabled() and not w.report_button.isEnabled()
        table = tmp_path / "review.csv"
        w.export_tables(str(table))
        qtbot.waitUntil(lambda: bool(warnings), timeout=20_000)
        assert "Sign in as an intensivist or investigator" in warnings[0]
        assert not table.exists() and w.exported is None
        log = t.safety_log.c
        with engine.connect() as conn:
            refused = conn.execute(select(log.actor, log.payload).where(log.kind == "action.refused")).all()
            exported = conn.execute(
                select(log.seq).where(log.kind.in_(("report.exported", "tables.exported")))
            ).all()
        assert [(actor, json.loads(p)["action"]) for actor, p in refused] == [("ana", "export_report")]
        assert exported == []
    finally:
        w.shutdown()


def test_exported_tables_are_logged_with_their_rows_and_hash(qtbot, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    w = open_review(qtbot, engine)
    try:
        assert w.csv_button.isEnabled()
        table = tmp_path / "tables.csv"
        w.export_tables(str(table))
        qtbot.waitUntil(lambda: w.exported is not None, timeout=20_000)
        assert w.exported == {"file": str(table), "rows": w.exported["rows"]} and w.exported["rows"] > 0
        written = table.read_bytes()
        lines = written.decode("utf-8").splitlines()
        log = t.safety_log.c
        with engine.connect() as conn:
            entries = conn.execute(
                select(log.actor, log.payload, log.patient_ref).where(log.kind == "tables.exported")
            ).all()
            reports = conn.execute(select(log.seq).where(log.kind == "report.exported")).all()
        assert len(entries) == 1 and reports == []  # a data export, not a report
        actor, payload, patient = entries[0]
        body = json.loads(payload)
        assert (actor, patient) == ("GH", PATIENT)
        assert body["file"] == "tables.csv" and "pages" not in body
        assert body["rows"] == w.exported["rows"] == len(lines) - 1  # the header is not a row
        assert body["sha256"] == hashlib.sha256(written).hexdigest()
    finally:
        w.shutdown()


def test_report_exported_from_the_screen_and_the_cohort_tab(qtbot, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = open_review(qtbot, engine)
    try:
        pdf = tmp_path / "review.pdf"
        w.export_report(str(pdf))
        qtbot.waitUntil(lambda: w.exported is not None, timeout=20_000)  # logged on the worker
        assert w.exported is not None and w.exported["pages"] >= 3
        assert pdf.read_bytes().startswith(b"%PDF")
        assert w._progress is not None and w._progress.value() in (-1, 100)  # closed at 100 %
        table = tmp_path / "review.csv"
        w.export_tables(str(table))
        qtbot.waitUntil(
            lambda: w.exported is not None and w.exported.get("file") == str(table), timeout=20_000
        )
        assert table.read_text(encoding="utf-8").startswith("patient,section,dose")
        w.tabs.setCurrentIndex(w.tabs.indexOf(w.cohort))
        qtbot.waitUntil(lambda: w.cohort_rows is not None, timeout=30_000)
        assert w.cohort_table.rowCount() == 1 and "SIM1729" in w.cohort_table.item(0, 0).text()
        assert w.cohort_table.item(0, 1).text() == "1"
        assert len(w.cohort_plots["crp"].listDataItems()) == 1
        # Days read as days (no SI prefix such as "x0.001"), and the patients named off the data.
        for plot in w.cohort_plots.values():
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                assert not axis.autoSIPrefix and "x0.001" not in axis.labelString()
            assert plot.legend is None
        legend = w.cohort.plots_view.ci.getItem(1, 0)
        assert isinstance(legend, pg.LegendItem) and len(legend.items) == 1
    finally:
        w.shutdown()


def test_the_export_buttons_ask_where_to_write(qtbot, qapp, engine, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.i18n import install_language
    from PySide6.QtWidgets import QFileDialog

    install_language(qapp, "en")  # English's own plural forms ("110 rows"), as the app installs them

    asked: list[str] = []
    targets = {"PDF (*.pdf)": tmp_path / "from-button.pdf", "CSV (*.csv)": tmp_path / "from-button.csv"}

    def save_as(_parent, _title, default, kind):  # type: ignore[no-untyped-def]
        asked.append(default)
        return str(targets[kind]), kind

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    w = open_review(qtbot, engine)
    try:
        w.report_button.click()
        qtbot.waitUntil(lambda: w.exported is not None, timeout=20_000)
        assert targets["PDF (*.pdf)"].read_bytes().startswith(b"%PDF")
        w.csv_button.click()
        qtbot.waitUntil(lambda: targets["CSV (*.csv)"].exists(), timeout=20_000)
        assert [a.rsplit(".", 1)[1] for a in asked] == ["pdf", "csv"]  # the dialog was asked each time
        # The status bar says what was written in words, not the record's dict.
        qtbot.waitUntil(lambda: w.statusBar().currentMessage().endswith(" rows"), timeout=20_000)
        shown = w.statusBar().currentMessage()
        assert shown.endswith(" rows") and str(targets["CSV (*.csv)"]) in shown and "{" not in shown
    finally:
        w.shutdown()


def test_a_death_reported_by_adt_is_confirmed_in_one_click(qtbot, engine) -> None:  # type: ignore[no-untyped-def]
    """Offered on the outcomes, never counted, until one click and the signature confirm it."""
    died = NOW - 3600
    with engine.begin() as conn:
        conn.execute(
            t.adt_death.insert().values(patient_ref=PATIENT, at_ms=int(died * 1000), source="PV1-36")
        )
    w = open_review(qtbot, engine)
    try:
        assert w.adt_death_button.isVisible() and w.adt_death_button.isEnabled()
        shown = {o.key: o for o in w.data.outcome_set}
        assert (
            shown["death_adt"].label == "Death reported by ADT (unconfirmed)" and shown["death"].value == 0.0
        )
        sign_when_asked(GH)
        w.adt_death_button.click()
        qtbot.waitUntil(lambda: not w.adt_death_button.isVisible(), timeout=20_000)
        with engine.connect() as conn:
            event = conn.execute(select(t.course_event).where(t.course_event.c.kind == "death")).one()
        assert event.at_ms == int(died * 1000) and event.entered_by == "GH"
        assert event.text == "death reported by ADT (PV1-36), confirmed"  # how, from the record
        assert {o.key: o for o in w.data.outcome_set}["death"].value == 1.0
    finally:
        w.shutdown()
