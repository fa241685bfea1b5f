"""The alerting lease between two engines on one database (two ingest services): one alerts, the other
takes over within LEASE_SECONDS (+ its tick) of the holder's last renewal, never while it renews."""

from __future__ import annotations

from bedside_adapters.alerting.lease import LEASE_SECONDS, Lease
from bedside_adapters.db import schema as t
from sqlalchemy import select

from bedside.rules.ruleset import RuleSet

T0 = 1_780_000_000.0


def holder(engine) -> str:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(t.alerting_heartbeat.c.instance)).scalar_one()


def rulesets_loaded(engine) -> list[str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(t.safety_log.c.kind)) if r[0] == "ruleset.loaded"]


def test_the_standby_takes_the_lease_when_the_holder_stops_renewing(engine) -> None:
    rules = RuleSet.load()
    a, b = Lease(engine, rules, "node-a"), Lease(engine, rules, "node-b")
    assert a.hold(T0) and not b.hold(T0 + 0.5)
    # The holder renews every second: the standby, asking every second, never gets it.
    for s in range(1, 30):
        assert a.hold(T0 + s) and not b.hold(T0 + s + 0.5)
    assert holder(engine) == "node-a"
    # node-a dies after its renewal at T0 + 29: node-b asks each second and has it within the lease.
    last = T0 + 29
    took = next(s for s in range(1, 20) if b.hold(last + s))
    assert took <= LEASE_SECONDS + 1 <= 10
    assert b.held and holder(engine) == "node-b"
    # node-a, restarted (or back from a hang), stands by: it does not take the lease back.
    assert not a.hold(last + took + 0.5) and not a.held
    assert b.hold(last + took + 1)
    assert len(rulesets_loaded(engine)) == 2  # each taking logged the rule set it alerts with
