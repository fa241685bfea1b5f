"""One engine alerts at a time per database: it holds a lease in `alerting_heartbeat`, renewed every
tick, which is also what the screens read to say "alerting live" and which node alerts. An engine
whose lease lapsed (stopped, hung, cut off, its node killed) is replaced by the next that asks: with
two ingest services on one database, the standby's tick asks every second.

The engine taking over starts from the database alone: it reconciles each evaluation with the alerts
stored (an alert the old holder raised is never raised again) and escalates from the stored alerts'
times (an escalation due while nobody held the lease is made at its first tick)."""

from __future__ import annotations

import logging

from bedside_adapters.db.alerting_store import hold_lease
from bedside_adapters.db.engine import Engine

from bedside.log_entries import ENGINE_ACTOR, RulesetLoaded
from bedside.rules.ruleset import RuleSet

log = logging.getLogger("bedside.alerting")
LEASE_SECONDS = 8.0
"""A holder silent this long is replaced. The holder renews every tick (1 s, postponed up to 3 s in
a burst of evaluations), so a live holder is never replaced; a dead one is replaced within this plus
one tick of the standby: under the 10 s a ward can go without alerting when a node fails."""


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
