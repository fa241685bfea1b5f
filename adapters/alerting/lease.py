"""One engine alerts at a time per database: it holds a lease in `alerting_heartbeat`, renewed every
tick, which is also what the screens read to say "alerting live". An engine whose lease lapsed
(stopped, hung, cut off) is replaced by the next that asks."""

from __future__ import annotations

import logging

from bedside_adapters.db import schema as t
from bedside_adapters.db.safety_store import record
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from bedside.clock import to_ms
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
        h = t.alerting_heartbeat.c
        now_ms = to_ms(now)
        values = {
            "instance": self.instance,
            "beat_ms": now_ms,
            "ruleset": self.rules.label[:120],
            "evaluated_ms": now_ms,
        }
        try:
            with self.engine.begin() as conn:
                took = conn.execute(
                    update(t.alerting_heartbeat)
                    .where(h.name == "alerting")
                    .where((h.instance == self.instance) | (h.beat_ms < now_ms - int(LEASE_SECONDS * 1000)))
                    .values(**values)
                ).rowcount
                if not took:
                    exists = conn.execute(select(h.name).where(h.name == "alerting")).first()
                    if exists is None:
                        conn.execute(insert(t.alerting_heartbeat).values(name="alerting", **values))
                        took = 1
                if took and not self.held:
                    entry = RulesetLoaded(
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
                    record(conn, entry, now)
        except IntegrityError:
            took = 0
        if bool(took) != self.held:
            log.info(
                "alerting %s on this instance",
                "active" if took else "standing by (another engine holds the lease)",
            )
        self.held = bool(took)
        return self.held
