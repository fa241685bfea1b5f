"""One engine alerts at a time per database: it holds a lease in `alerting_heartbeat`, renewed every
tick, which is also what the screens read to say "alerting live". An engine whose lease lapsed
(stopped, hung, cut off) is replaced by the next that asks."""

from __future__ import annotations

import logging

from bedside_adapters.db.alerting_store import hold_lease
from bedside_adapters.db.engine import Engine

from bedside.log_entries import ENGINE_ACTOR, RulesetLoaded
from bedside.rules.ruleset import RuleSet

log = logging.getLogger("bedside.alerting")
LEASE_SECONDS = 10.0


class Lease:
    def __init__(self, engine: Engine, rules: RuleSet, instance: str) -> None:
        self.engine = engine
        self.rules = rules
        self.instance = instance
        self.held = False

    def hold(self, now: float) -> bool:
        """Take or renew the lease; whether this engine holds it. Taking it logs the rule set."""
        taken = None
        if not self.held:
            taken = RulesetLoaded(
                actor=ENGINE_ACTOR,
                ruleset=self.rules.label,
                digest=self.rules.digest,
                grading=self.rules.grading,
                path=self.rules.path,
                instance=self.instance,
                rearm_minutes=self.rules.rearm_minutes,
                escalation_minutes=self.rules.escalation_minutes,
                candidate_confirm_minutes=self.rules.candidate_confirm_minutes,
            )
        took = hold_lease(self.engine, self.instance, self.rules.label, now, LEASE_SECONDS, taken)
        if bool(took) != self.held:
            log.info(
                "alerting %s on this instance",
                "active" if took else "standing by (another engine holds the lease)",
            )
        self.held = bool(took)
        return self.held
