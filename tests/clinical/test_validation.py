"""The clinical validation cases, one test each, through the same runner as `make validate`.

Each case is a synthetic course run through the real pipeline (HL7 messages → ingest → a SQLite file
in tmp_path → clinician entries through bedside-cli → the rule engine on import); the test asserts the
case's expected outcome, written from the clinical rule table, not from what the engine does. A case
the engine does not yet meet fails here, by design (docs/validation.md lists them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bedside_adapters.validation.build import CaseRun
from bedside_adapters.validation.cases import Case, Expect, load_case, load_cases, rule_info
from bedside_adapters.validation.report import run_case
from bedside_adapters.validation.score import score_case, summarise

CASES = load_cases()
REQUIRED_RULES = [
    "F1",
    "F2",
    "F3",
    "H1",
    "H2",
    "H3",
    "H4",
    "H4A",
    "H4C",
    "B1",
    "B2",
    "B3",
    "B4",
    "O1",
    "O2",
    "O3",
    "O4",
    "V1",
    "V2",
    "V3",
    "R1",
    "O2A",
    "V1A",
    "V3A",
    "C1",
    "C2",
    "C3",
    "L1",
    "L2",
    "L3",
    "L4",
    "L5",
    "L6",
]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_meets_its_expected_outcome(case: Case, tmp_path: Path) -> None:
    score = run_case(case, tmp_path)
    assert score.status != "n/a", f"{case.name} could not run: {score.unavailable}"
    problems = {
        "missed": score.missed,
        "late or early": [t for t in score.timings if t.after_onset_min is not None and not t.in_time],
        "false": score.false,
        "technical missing": score.technical_missing,
        "repeated": score.repeated,
        "too severe": score.too_severe,
        "errors": score.errors,
    }
    assert score.status == "pass", {k: v for k, v in problems.items() if v}


def test_the_library_covers_every_rule_and_every_kind() -> None:
    raised = {r for c in CASES for r in c.expect.raise_}
    assert set(REQUIRED_RULES) <= raised, set(REQUIRED_RULES) - raised
    assert len(CASES) >= 30
    kinds = {c.kind for c in CASES}
    assert kinds == {"reaction", "calm", "stable", "artefact"}
    artefacts = {a.kind for c in CASES for a in c.spec.artefacts}
    assert {
        "probe_off",
        "poor_signal",
        "motion",
        "flush",
        "temp_probe_off",
        "suction",
        "feed_stop",
    } <= artefacts
    for c in CASES:
        days = c.spec.days
        assert 1.5 <= days <= 3, c.name
        text = (Path(__file__).parents[2] / "resources/validation/cases" / f"{c.name}.toml").read_text()
        assert text.startswith("#"), f"{c.name}: say what the case represents and why"


def test_a_case_the_engine_handles_passes_and_a_wrong_expectation_fails(tmp_path: Path) -> None:
    """The harness itself: the calm course raises nothing and passes; the same run scored against an
    expectation of a fever it never had is a miss, and against no expectation at all in a reaction it
    is a false alert."""
    calm = next(c for c in CASES if c.name == "calm-one-dose")
    score = run_case(calm, tmp_path)
    assert score.status == "pass" and score.raised == [] and score.watched_days > 1.0
    wrong = Case(calm.name, calm.title, "reaction", calm.spec, Expect(raise_=("F1",), onset_minutes=30))
    missed = score_case(wrong, CaseRun([], 1, 0), rule_info())
    assert missed.status == "fail" and missed.missed == ["F1"]
    onset = wrong.onset_of("F1")
    assert onset is not None
    fever = {"rule_id": "F1", "fired_at": onset + 60.0, "severity": "low", "folded_into": None}
    late = {**fever, "fired_at": onset + 3600.0}
    tech = {"rule_id": "TECH_SPO2", "fired_at": onset, "severity": "medium"}
    assert score_case(wrong, CaseRun([fever, tech], 1, 0), rule_info()).status == "pass"
    assert score_case(wrong, CaseRun([late], 1, 0), rule_info()).late == ["F1"]
    folded = {**fever, "rule_id": "H1", "folded_into": 7}
    quiet = score_case(calm, CaseRun([folded, tech], 1, 0), rule_info())
    assert quiet.false == ["H1"] and quiet.top_level == 1  # folded: acknowledged with its composite
    summary = summarise([quiet])
    assert summary.false_per_patient_day == pytest.approx(1 / quiet.watched_days)
    assert "false clinical alerts per patient-day" in summary.missed_targets()


def test_deadlines_follow_the_rule_table_and_the_sampling(tmp_path: Path) -> None:
    info = rule_info()
    assert info.persistence["H1"] == 5 and info.persistence["O1"] == 1 and info.persistence["O3"] == 10
    assert info.persistence["C2"] >= 5  # a composite waits for its slowest component
    cuff = next(c for c in CASES if c.name == "cuff-hypotension")
    assert info.deadline(cuff, "B2") == 5 + 5 + 15  # the cuff's 15-min interval is allowed
    case_file = tmp_path / "x.toml"
    case_file.write_text(
        'kind = "reaction"\n[course]\nseed = 1\n[[course.dose]]\nafter_hours = 20\n[expect]\nraise = ["F1"]\n'
    )
    with pytest.raises(ValueError, match="no onset for F1"):
        load_case(case_file)
