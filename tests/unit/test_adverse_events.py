"""The derived parts of an adverse event: seriousness, the SUSAR flag (every combination of
relatedness, seriousness and expectedness, each known or not), expectedness against the reference
safety information, the special interest, and the 24-hour report clock."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bedside import adverse_events as ae
from bedside.commands import NOT_ASSESSED, RELATEDNESS
from bedside.ctcae import ctcae, load_rsi, rsi, special_interest
from bedside.sae_clock import clock_text, report_clock
from bedside.seriousness import serious

T = 1_780_000_000.0

SERIOUSNESS_CASES = {"serious": ("hospitalisation",), "not serious": (), "not assessed": None}
EXPECTEDNESS_CASES = {"unexpected": "unexpected", "expected": "expected", "not assessed": None}


@pytest.mark.parametrize(
    ("relatedness", "seriousness", "expectedness"),
    list(itertools.product(RELATEDNESS, SERIOUSNESS_CASES, EXPECTEDNESS_CASES)),
)
def test_susar_is_derived_from_every_combination(
    relatedness: str, seriousness: str, expectedness: str
) -> None:
    flag = ae.susar(relatedness, SERIOUSNESS_CASES[seriousness], EXPECTEDNESS_CASES[expectedness])
    related = {
        "possible": True,
        "probable": True,
        "definite": True,
        "unrelated": False,
        "unlikely": False,
    }.get(relatedness)
    parts = [related, {"serious": True, "not serious": False}.get(seriousness)]
    parts.append({"unexpected": True, "expected": False}.get(expectedness))
    if False in parts:
        assert flag.value is False and flag.text == "not a SUSAR"
    elif None in parts:
        assert flag.value is None
        names = [
            n for n, p in zip(("relatedness", "seriousness", "expectedness"), parts, strict=True) if p is None
        ]
        assert flag.missing == tuple(names)
        assert flag.text == f"cannot be derived: {' and '.join(names)} not assessed"
    else:
        assert flag.value is True and flag.text == "SUSAR"


def test_a_susar_needs_all_three() -> None:
    assert ae.susar("probable", ("death",), "unexpected").value is True
    assert ae.susar("unlikely", ("death",), "unexpected").value is False
    assert ae.susar("probable", (), "unexpected").value is False
    assert ae.susar("probable", ("death",), "expected").value is False
    assert ae.susar(NOT_ASSESSED, ("death",), "unexpected").missing == ("relatedness",)


def test_seriousness_is_any_criterion_and_unknown_when_not_assessed() -> None:
    assert serious(("disability", "medically_important")) is True
    assert serious(()) is False
    assert serious(None) is None


def test_expectedness_against_the_rsi_by_term_and_grade(tmp_path: Path) -> None:
    path = tmp_path / "rsi.toml"
    path.write_text(
        'product = "P"\ndocument = "IB 7"\nversion = "3"\n[[expected]]\nterm = "Fever"\nmax_grade = 2\n'
    )
    rsi = load_rsi(path)
    assert rsi.label == "IB 7, version 3"
    assert rsi.expectedness("Fever", 2) == "expected"
    assert rsi.expectedness("fever", 1) == "expected"
    # A higher severity than listed, a term not listed, or free text: unexpected (ICH E2A II.C).
    assert rsi.expectedness("Fever", 3) == "unexpected"
    assert rsi.expectedness("Hypotension", 1) == "unexpected"
    assert rsi.expectedness(None, 1) == "unexpected"


def test_the_shipped_catalogues_name_their_versions() -> None:
    catalogue = ctcae()
    assert catalogue.version == "5.0"
    for term in ("Infusion related reaction", "Fever", "Hypotension", "Hypoxia", "Sinus tachycardia"):
        assert catalogue.find(term) is not None
    assert rsi().version and rsi().document


@pytest.mark.parametrize(
    ("term", "aesi"),
    [
        ("Infusion related reaction", "infusion reaction"),
        ("Thromboembolic event", "thrombosis or embolism"),
        ("Lung infection", "infection"),
        ("Sepsis", "infection"),
        ("Fever", None),
        (None, None),
    ],
)
def test_adverse_events_of_special_interest(term: str | None, aesi: str | None) -> None:
    assert special_interest(term) == aesi


def test_the_clock_is_due_24_hours_after_awareness() -> None:
    clock = report_clock(("hospitalisation",), T, None, T + 3600)
    assert (clock.state, clock.due, clock.left, clock.open) == ("due", T + 86400, 86400 - 3600, True)
    assert clock_text(clock, lambda t: f"@{t - T:g}") == "SAE report due @86400 (in 23 h 00 min)"


def test_the_clock_is_overdue_after_24_hours() -> None:
    clock = report_clock(("death",), T, None, T + 86400 + 90 * 60)
    assert (clock.state, clock.left, clock.open) == ("overdue", -90 * 60, True)
    assert clock_text(clock, lambda t: "then") == "SAE report OVERDUE since then (by 1 h 30 min)"
    assert report_clock(("death",), T, None, T + 86400).state == "due"


def test_a_report_stops_the_clock_even_when_late() -> None:
    clock = report_clock(("death",), T, T + 90000, T + 200000)
    assert (clock.state, clock.reported_at, clock.open) == ("reported", T + 90000, False)
    assert clock_text(clock, lambda t: "at 9") == "reported to sponsor at 9 (after the 24 h)"


def test_no_clock_for_an_event_not_serious_or_not_assessed_and_a_missing_awareness_said() -> None:
    assert report_clock((), T, None, T).state == "not serious"
    assert report_clock(None, T, None, T).state == "not assessed"
    missing = report_clock(("death",), None, None, T)
    assert missing.open and "aware" in clock_text(missing, str)
    assert clock_text(report_clock((), T, None, T), str) == ""


def _version(
    event: int, criteria: tuple[str, ...] | None, sent: float | None = None
) -> ae.AdverseEventVersion:
    return ae.AdverseEventVersion(
        id=event,
        patient_ref="P^H",
        episode_id=None,
        term="Hypoxia",
        grade=4,
        relatedness="possible",
        onset=T,
        reported_by="x",
        reported_at=T,
        seriousness=criteria,
        awareness=T,
        sent_at=sent,
    )


def test_open_reports_lists_only_serious_unreported_events_overdue_first() -> None:
    events = [
        _version(1, ("death",)),
        _version(2, ()),
        _version(3, ("disability",), sent=T + 60),
        _version(4, None),
    ]
    now = T + 86400 + 60
    # Grade 4 with seriousness not assessed (#4) runs the clock provisionally and says so.
    assert ae.open_reports(events, now, lambda t: "then") == [
        ("overdue", "SAE #1 Hypoxia G4: SAE report OVERDUE since then (by 1 min)"),
        (
            "overdue",
            "SAE #4 Hypoxia G4: SAE report OVERDUE since then (by 1 min); "
            "grade 4-5: seriousness to be assessed (pending since then)",
        ),
    ]
    later = [*events, ae.AdverseEventVersion(**{**vars(_version(5, ("death",))), "awareness": now - 60})]
    assert [state for state, _ in ae.open_reports(later, now, str)] == ["overdue", "overdue", "due"]


def test_the_catalogues_the_seriousness_criteria_and_the_clock_are_read_where_they_live() -> None:
    """One home per name: a reader imports the CTCAE catalogue, the ICH E2A criteria and the 24-hour
    clock's texts from their own modules, not through adverse events."""
    for name in ("ctcae", "rsi", "special_interest", "SERIOUSNESS", "criterion_text", "follow_up_text"):
        assert not hasattr(ae, name), name


def test_day_zero_is_never_later_than_the_first_record() -> None:
    """ICH E2A day 0 is the first knowledge by anyone at the site: recording the event is knowing of
    it. A follow-up's later awareness, or none at all, never starts the clock after the first record."""
    nurse = ae.AdverseEventVersion(
        **{**vars(_version(1, None)), "awareness": None, "grade": 4, "first_recorded": T}
    )
    # Grade 4, seriousness not assessed, no awareness time given: the provisional clock runs from the record.
    clock = nurse.clock(T + 3600)
    assert (clock.state, clock.due, clock.provisional, clock.from_first_record) == (
        "due",
        T + 86400,
        True,
        True,
    )
    assert clock_text(clock, lambda t: f"@{t - T:g}").startswith(
        "SAE report due @86400 (in 23 h 00 min) (24 h from the first record)"
    )
    # The investigator's follow-up 80 s later gives "now" as the awareness: the clock keeps day 0.
    follow_up = ae.AdverseEventVersion(
        **{
            **vars(nurse),
            "id": 2,
            "event": 1,
            "version": 2,
            "reported_at": T + 80,
            "seriousness": ("life_threatening",),
            "awareness": T + 80,
            "first_awareness": T + 80,
        }
    )
    assert (follow_up.clock_awareness, follow_up.clock_from_first_record) == (T, True)
    assert follow_up.clock(T + 3600).due == T + 86400
    # An awareness given earlier than the record is day 0 itself, and no note is due.
    earlier = ae.AdverseEventVersion(**{**vars(follow_up), "awareness": T - 600, "first_awareness": T - 600})
    assert (earlier.clock_awareness, earlier.clock_from_first_record) == (T - 600, False)
    assert "first record" not in clock_text(earlier.clock(T), str)


def test_a_history_names_every_field_a_follow_up_changed() -> None:
    """A follow-up that changes only the action taken, the treatment, the MedDRA code, the onset, the
    linked alerts or the notes says which, with before and after."""
    first = ae.AdverseEventVersion(**{**vars(_version(1, ("hospitalisation",))), "action_taken": "slowed"})
    second = ae.AdverseEventVersion(
        **{
            **vars(first),
            "id": 2,
            "event": 1,
            "version": 2,
            "action_taken": "stopped",
            "meddra_code": "10021097",
            "treatment": "noradrenaline",
            "onset": T - 60,
            "alert_ids": (7,),
            "notes": "worse",
        }
    )
    (_, _, changed) = ae.history_lines([first, second], lambda t: f"@{t - T:g}")
    assert changed == (
        "    changed: onset: @0 → @-60; action taken with the product: infusion slowed → infusion "
        "stopped; treatment given: none → noradrenaline; MedDRA code: none → 10021097; linked alerts: "
        "none → #7; notes: none → worse"
    )
    (_, _, same) = ae.history_lines([first, ae.AdverseEventVersion(**{**vars(first), "version": 2})], str)
    assert same == "    changed: nothing (the same as the version before)"
