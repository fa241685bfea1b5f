"""The engine evaluates each rule through the table of its kind: every kind the rule set accepts has one."""

from bedside.rules.engine import EVALUATORS
from bedside.rules.ruleset import KINDS


def test_every_rule_kind_has_an_evaluator() -> None:
    assert set(EVALUATORS) == set(KINDS)
