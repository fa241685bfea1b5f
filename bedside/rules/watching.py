"""What the engine is watching for one dose: said on screen instead of a reassuring "no alert".

A relative rule (a rise of FiO2 or PEEP, a fall of SBP from the pre-dose value) cannot be evaluated
without a pre-dose baseline. That must be visible: "Watching 24 rules; 3 without baseline: O3, V1, V2".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bedside.i18n import _, ngettext
from bedside.rules.messages import shown_title
from bedside.rules.ruleset import RuleSet


class HasValue(Protocol):
    @property
    def value(self) -> float | None: ...


@dataclass(frozen=True)
class Watching:
    rules: int
    """Rules that raise alerts of their own for this dose."""
    without_baseline: dict[str, str]
    """Rule id → why it cannot be evaluated ("no pre-dose fio2, peep")."""
    absolute_only: tuple[str, ...] = ()
    """Rules reading their absolute criterion only, for want of a baseline."""
    titles: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        text = ngettext("Watching {n} rule", "Watching {n} rules", self.rules).format(n=self.rules)
        if self.without_baseline:
            ids = ", ".join(f"{r} {self.titles.get(r, '')}".strip() for r in self.without_baseline)
            text += "; " + _("{n} without baseline: {rules}").format(n=len(self.without_baseline), rules=ids)
        if self.absolute_only:
            text += "; " + _("absolute criteria only: {rules}").format(rules=", ".join(self.absolute_only))
        return text


def not_evaluable(rules: RuleSet, baselines: Mapping[str, HasValue]) -> dict[str, str]:
    """Signal rules no level of which can fire for want of a baseline, with the baselines missing."""
    return watching(rules, baselines).without_baseline


def watching(rules: RuleSet, baselines: Mapping[str, HasValue]) -> Watching:
    def missing(names: frozenset[str]) -> list[str]:
        return sorted(
            n[5:]
            for n in names
            if n.startswith("base.") and (n[5:] not in baselines or baselines[n[5:]].value is None)
        )

    without: dict[str, str] = {}
    partial: list[str] = []
    for rule in rules.rules:
        if rule.kind != "signal" or not rule.alert:
            continue
        gaps = [missing(lv.when.names) for lv in rule.levels]
        if not any(gaps):
            continue
        can_fire = [not g or lv.no_baseline is not None for g, lv in zip(gaps, rule.levels, strict=True)]
        if any(can_fire):
            partial.append(rule.id)
        else:
            signals = sorted({s for g in gaps for s in g})
            without[rule.id] = f"no pre-dose {', '.join(signals)}"
    alerting = sum(1 for r in rules.rules if r.alert)
    titles = {r.id: shown_title(rules, r.id, r.title) for r in rules.rules}
    return Watching(alerting, without, tuple(partial), {k: titles[k] for k in without})
