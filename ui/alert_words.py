"""An alert's title and message as a person reads them, in the screen's language: what is stored
(and logged) is the English text; the rule set's Spanish title and message are written with the
stored values at display (bedside.rules.messages)."""

from __future__ import annotations

from functools import cache

from bedside.alerts import Alert
from bedside.rules.messages import shown_message, shown_rule, shown_title
from bedside.rules.ruleset import RuleSet
from bedside.rules.technical import is_technical


@cache
def default_rules() -> RuleSet:
    """The shipped rule set, for a screen that was not given the one in use (read once)."""
    return RuleSet.load()


def alert_rule(alert: Alert, rules: RuleSet | None = None) -> str:
    return shown_rule(rules or default_rules(), alert.rule_id, alert.title)


def rule_before_title(alert: Alert) -> str:
    """The rule's id where a text gives it before the alert's title ("H2 Tachycardia"); empty for
    Bedside's own technical checks, whose title is all a reader needs (never "STALE Feed stopped")."""
    return "" if is_technical(alert.rule_id) else alert.rule_id


def alert_title(alert: Alert, rules: RuleSet | None = None) -> str:
    return shown_title(rules or default_rules(), alert.rule_id, alert.title)


def alert_message(alert: Alert, rules: RuleSet | None = None) -> str:
    return shown_message(rules or default_rules(), alert.rule_id, alert.message)
