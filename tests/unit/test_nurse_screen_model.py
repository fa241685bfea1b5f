"""What the nurse's screen and the ward overview say, decided without Qt (bedside.nurse_screen,
bedside.ward_text), and the review's CSV written without Qt (bedside.review_text)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from bedside import nurse_checks
from bedside import nurse_screen as screen
from bedside.alerts import Alert
from bedside.checks import CheckState, Signature
from bedside.feeds import FeedPace, FeedState, FeedStatus
from bedside.model import Patient, PatientRef
from bedside.rules.ruleset import RuleSet
from bedside.status import EMPTY_STATUS, DoseInfo, PatientStatus
from bedside.ward import WardView
from bedside.ward_text import system_warnings
from tests.helpers import shown_alert

M, H = 60.0, 3600.0
T0 = 1_790_000_000.0
RULES = RuleSet.load()
DOSE = DoseInfo(7, 1, T0, None, "confirmed", "manual", weight_kg=70.0)


def alert(id: int, severity: str, state: str = "raised", **kw) -> Alert:  # type: ignore[no-untyped-def]
    return shown_alert(id, 7, f"R{id}", f"alert {id}", severity, state, T0 + id * M, f"message {id}", **kw)


def status(*alerts: Alert, beat: float | None = T0 + H, doses=(DOSE,), **kw) -> PatientStatus:  # type: ignore[no-untyped-def]
    return PatientStatus(beat, "rules-1", tuple(alerts), (), tuple(doses), kw.get("signatures", {}), {})


def test_the_header_names_the_patient_and_says_what_is_missing() -> None:
    assert screen.patient_line(None, ()).name == "No patient yet"
    line = screen.patient_line(Patient(PatientRef("MRN1", "H"), "DOE", "Jane", "ICU^3"), (DOSE,))
    assert line.details.startswith("MRN MRN1") and line.details.endswith("70 kg")
    assert screen.patient_line(Patient(PatientRef("MRN1", "H")), ()).details.endswith("weight not entered")


def test_the_dose_line_says_infusing_ended_or_unconfirmed() -> None:
    assert not screen.dose_line(None, T0).recorded
    running = screen.dose_line(DOSE, T0 + 90 * M)
    assert (
        running.running and running.state.startswith("<b>INFUSING</b> 01:30:00") and not running.unconfirmed
    )
    candidate = DoseInfo(8, 2, T0, T0 + H, "candidate", "pcd10")
    ended = screen.dose_line(candidate, T0 + 3 * H)
    assert not ended.running and ended.candidate and ended.state.startswith("Ended 2 h")
    assert ended.unconfirmed == "start not confirmed (from the pump)"


def test_the_banner_shows_the_worst_unacknowledged_problem_and_counts_the_rest() -> None:
    high, medium = alert(1, "high"), alert(2, "medium")
    folded = alert(3, "low", folded_into=1)
    b = screen.banner(status(high, medium, folded), DOSE, RULES)
    assert b.severity == "high" and b.can_acknowledge
    assert "HIGH&nbsp; alert 1" in b.text and "1 more open, 1 not acknowledged" in b.text
    assert "Acknowledged with it: R3." in b.text
    # The button counts every open row of the Alerts list (the folded one too), as the ward tile does.
    assert b.alerts_button == "Alerts (3 open, 2 to acknowledge)…"
    acked = screen.banner(status(alert(1, "high", "acknowledged", acked_by="AB", acked_at=T0)), DOSE, RULES)
    assert not acked.can_acknowledge and "acknowledged by AB" in acked.text


def test_with_no_alert_the_banner_says_what_is_watched_never_a_bare_all_clear() -> None:
    assert screen.banner(EMPTY_STATUS, None, RULES).text.startswith("No dose recorded")
    b = screen.banner(status(), DOSE, RULES)
    assert b.severity is None and "baselines not read yet" in b.text


def test_technical_warnings_name_what_bedside_cannot_see() -> None:
    silent = FeedStatus("MON^X", FeedState.STALE, 120.0, None)
    during = screen.technical_warnings([silent], status(), DOSE, T0 + H + 5)
    assert any("MON: no data for" in w and "dose 1" in w for w in during)
    assert "is not running" in screen.technical_warnings([], status(beat=None), None, T0)[0]
    assert screen.technical_warnings([silent], status(), None, T0 + H + 5) == []


def test_a_patient_recorded_as_deceased_is_said_first() -> None:
    dead = replace(status(), deceased_at=T0 + 2 * H)
    (first, *_rest) = screen.technical_warnings([], dead, DOSE, T0 + 3 * H)
    assert (
        first.startswith("■ This patient is recorded as deceased at ") and screen.local(T0 + 2 * H) in first
    )
    assert not any("deceased" in w for w in screen.technical_warnings([], status(), DOSE, T0 + H))


def test_checks_list_the_schedule_and_what_can_be_signed() -> None:
    assert nurse_checks.checks(EMPTY_STATUS, None, T0).dose is None
    signed = {7: [Signature("baseline", T0 - 10 * M, "AB")]}
    c = nurse_checks.checks(status(signatures=signed), DOSE, T0 + 15 * M)
    assert c.dose == 1 and c.rows[0].state is CheckState.DONE and "signed AB" in c.rows[0].detail
    assert c.due == "during+15" and "during+15" in dict(c.signable)
    assert "baseline" not in dict(c.signable)  # signed already


def test_feed_chips_and_the_alerting_and_services_lines() -> None:
    chips = screen.feed_chips([], FeedPace(), T0)
    assert chips[0].technical and "No device feed" in chips[0].text
    stale = screen.feed_chips([FeedStatus("MON^X", FeedState.STALE, 60.0, None)], FeedPace(), T0)
    assert stale[-1].technical and stale[-1].text.startswith("■ MON: no data for")
    assert screen.alerting_live(status(beat=T0), T0 + 3) is not None
    assert screen.alerting_live(status(beat=T0), T0 + 60) is None
    assert screen.services_text("ingest running", T0, T0 + 5) == "ingest running"
    assert "ingest silent for" in screen.services_text(None, T0, T0 + 60)


def test_the_ward_says_what_it_cannot_see() -> None:
    view = WardView(T0, (), alerting_beat=None, ruleset="", ingest_beat=T0 - 60)
    said = system_warnings(view, "Cannot read the database", T0 - 30)
    assert said[0].startswith("■ Cannot read the database.") and "not current" in said[0]
    assert any("alerting is not running" in s for s in said)
    assert any("ingest service is silent" in s for s in said)
    assert any("No patient in a bed" in s for s in said)


def test_the_review_csv_needs_no_qt() -> None:
    code = "import sys, bedside.review_text; assert 'PySide6' not in sys.modules, 'Qt imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_cohort_row_in_words_never_hides_a_missing_value() -> None:
    from bedside.review import CohortRow
    from bedside.review_text import COHORT_COLUMNS, cohort_cells

    row = CohortRow(
        PatientRef("MRN1", "H"), "DOE, Jane", 2, None, {2: 1}, None, None, {"crp": -42.4, "pf": None}
    )
    cells = dict(zip(COHORT_COLUMNS, cohort_cells(row), strict=True))
    assert cells["Patient"] == "DOE, Jane (MRN1)" and cells["Doses"] == "2"
    assert cells["Ventilated days before dose 1"] == "—" and cells["Adverse events by grade"] == "G2: 1"
    assert cells["Extubated"] == "no" and cells["Alive at day 28"] == "not known yet"
    assert cells["CRP Δ7d"] == "-42 %" and cells["P/F Δ7d"] == "—" and cells["D-dimer Δ7d"] == "—"


def test_the_alerting_line_names_the_node_holding_the_lease() -> None:
    held = PatientStatus(T0, "rules-1", (), (), (), {}, {}, "ward-b-4242")
    line = screen.alerting_live(held, T0 + 3)
    assert line is not None and line.endswith("· alerting: node ward-b-4242")
    assert "node" not in (screen.alerting_live(status(beat=T0), T0 + 3) or "")


def test_alerts_folded_under_a_resolved_composite_are_counted_on_their_own() -> None:
    # Their composite (id 9) resolved and is no longer open: they are open problems of their own.
    b = screen.banner(status(alert(1, "high", folded_into=9), alert(2, "medium", folded_into=9)), DOSE, RULES)
    assert b.severity == "high"
    assert b.alerts_button == "Alerts (2 open, 2 to acknowledge)…"


def test_after_a_recorded_death_no_check_is_due_and_the_line_says_why() -> None:
    signed = {7: [Signature("baseline", T0 - 10 * M, "AB")]}
    dead = replace(status(signatures=signed), deceased_at=T0 + 30 * M)
    c = nurse_checks.checks(dead, DOSE, T0 + 5 * H)
    assert c.signable == () and c.due is None and c.more_missed == 0
    assert not any(r.state in (CheckState.DUE, CheckState.OVERDUE, CheckState.MISSED) for r in c.rows)
    assert c.rows[0].state is CheckState.DONE and "signed AB" in c.rows[0].detail
    assert c.rows[-1].label == "No check is due" and c.rows[-1].detail.startswith("the patient died ")
    alive = nurse_checks.checks(status(signatures=signed), DOSE, T0 + 5 * H)
    assert any(r.state is CheckState.MISSED for r in alive.rows)  # the same schedule, alive: missed
