"""A rule's text as a person reads it: comparisons written ≥ and ≤ (the stored text keeps '>=' and
'<='), and Bedside's own technical checks named by their title, never by a code such as STALE."""

from __future__ import annotations

import pytest

from bedside import i18n
from bedside.rules.messages import readable_comparisons, shown_message, shown_rule
from bedside.rules.ruleset import RuleSet

STORED = "Heart rate 132/min for 5 min (> 130/min or >= 40/min above the pre-dose 95/min)."


@pytest.fixture
def rules() -> RuleSet:
    return RuleSet.load()


@pytest.fixture
def spanish():  # type: ignore[no-untyped-def]
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_comparisons_are_written_as_a_person_writes_them() -> None:
    assert readable_comparisons("hr >= 40 and sbp <= 80 and map > 65") == "hr ≥ 40 and sbp ≤ 80 and map > 65"


def test_an_alerts_message_shows_greater_or_equal_in_english(rules: RuleSet) -> None:
    assert shown_message(rules, "H2", STORED) == (
        "Heart rate 132/min for 5 min (> 130/min or ≥ 40/min above the pre-dose 95/min)."
    )


def test_an_alerts_message_shows_greater_or_equal_in_spanish(rules: RuleSet, spanish) -> None:  # type: ignore[no-untyped-def]
    said = shown_message(rules, "H2", STORED)
    assert "≥ 40/min por encima" in said and ">=" not in said, said


def test_a_feed_stopped_is_named_by_its_title_a_rule_by_its_id(rules: RuleSet) -> None:
    assert shown_rule(rules, "STALE", "Feed stopped") == "Feed stopped"
    assert shown_rule(rules, "H2", "Tachycardia") == "H2"


def test_a_feed_stopped_is_named_in_spanish(rules: RuleSet, spanish) -> None:  # type: ignore[no-untyped-def]
    assert shown_rule(rules, "STALE", "Feed stopped") == "Señal detenida"
    assert shown_rule(rules, "H2", "Tachycardia") == "H2"


def test_a_log_entry_names_a_feed_stopped_by_its_title(spanish) -> None:  # type: ignore[no-untyped-def]
    from bedside.log_text import what_text

    assert what_text({"rule": "STALE", "severity": "medium"}).startswith("regla Señal detenida, ")
    assert what_text({"rule": "H2"}) == "regla H2"
    i18n.set_language("en")
    assert what_text({"rule": "STALE"}) == "rule Feed stopped"
