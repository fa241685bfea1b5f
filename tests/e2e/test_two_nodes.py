"""A ward server of two bedside-ingest services on one PostgreSQL survives losing either: the simulator
sends to both addresses while the node holding the alerting lease is killed (SIGKILL) again and again
and restarted, and PostgreSQL itself restarts mid-stream. Every acknowledged message is stored once,
the lease moves to the survivor within LEASE_DEADLINE, no alert is raised twice and no escalation is
missed or late beyond the lease's move. tests/bench/failover.py runs the same with 20 kills."""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter

import pytest
from bedside_adapters.db import schema as t
from sqlalchemy import select

from tests.e2e.two_nodes import ESCALATE_AFTER_MINUTES, LEASE_DEADLINE, Postgres, Ward, wait_for

KILLS = 3
PROGRESS = 20
"""Messages acknowledged between two kills: the simulator has moved to the survivor."""


def own_postgres() -> Postgres:
    try:
        return Postgres()
    except RuntimeError as exc:
        if os.environ.get("BEDSIDE_REQUIRE_POSTGRES") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def run(ward: Ward, pg: Postgres, kills: int, live_seconds: float, restart_postgres_after: int = 1) -> dict:
    """Start both nodes and the simulator, kill the lease holder `kills` times (PostgreSQL restarted
    after the given kill), let the simulator finish; the figures."""
    a, b = ward.nodes["a"], ward.nodes["b"]
    ward.start(a)
    wait_for(lambda: ward.holder() is a, 60, "node a holds the alerting lease")
    ward.start(b)
    ward.start_simulator(live_seconds)
    for k in range(kills):
        wanted = len(ward.acks()) + PROGRESS
        wait_for(lambda n=wanted: len(ward.acks()) >= n, 120, "the simulator's messages acknowledged")
        ward.kill_holder()
        if k + 1 == restart_postgres_after:
            pg.restart()
    acknowledged = ward.simulator_done()
    acks = ward.acks()
    refused = Counter(code for _, code, _ in acks if code not in ("AA", "CA"))
    assert len(acks) - sum(refused.values()) == acknowledged
    assert set(refused) <= {"AE", "CE"}  # "the database failed" while it restarted: sent again
    switches = sum(1 for x, y in itertools.pairwise(acks) if x[2] != y[2])
    return {
        "kills": ward.kills,
        "postgres_restarts": pg.restarts,
        "acknowledged": acknowledged,
        "resent_after_a_database_error": sum(refused.values()),
        "failovers": switches,
        "takeover_max_s": max(x.seconds for x in ward.takeovers),
        "takeovers_s": [round(x.seconds, 2) for x in ward.takeovers],
    }


def check(ward: Ward, figures: dict) -> dict:
    """Nothing acknowledged lost or stored twice; no alert raised twice; no escalation missed."""
    acked = [c for c, code, _ in ward.acks() if code in ("AA", "CA")]
    resent = {c for c, code, _ in ward.acks() if code in ("AE", "CE")}
    assert resent <= set(acked)  # each message the database failed was sent again and stored
    stored = ward.stored_counts()
    lost = [c for c in acked if stored[c] == 0]
    twice = {c: n for c, n in stored.items() if n > 1}
    figures.update(lost=len(lost), stored_twice=len(twice))
    assert not lost, lost[:10]
    assert not twice, list(twice.items())[:10]
    assert all(x.seconds <= LEASE_DEADLINE for x in ward.takeovers), ward.takeovers
    # Every alert raised once: one log entry each, and never a second alert of a rule for a dose
    # while the first is still open (what a new lease holder unaware of the old one's would do).
    assert set(ward.raised_entries().values()) == {1}
    a = t.alert.c
    columns = (a.id, a.episode_id, a.rule_id, a.severity, a.raised_ms, a.resolved_ms, a.escalated_ms)
    columns += (a.folded_into, a.acked_ms)
    with ward.engine.connect() as conn:
        rows = conn.execute(select(*columns).order_by(a.id)).all()
    assert rows, "the reaction raised no alert"
    for r in rows:
        for s in rows:
            if s.id > r.id and (s.episode_id, s.rule_id) == (r.episode_id, r.rule_id):
                assert r.resolved_ms is not None and r.resolved_ms <= s.raised_ms, (r, s)
    # Escalations: each due one made, at most a lease move after it was due.
    limit_ms = ESCALATE_AFTER_MINUTES * 60_000
    late_ms = (LEASE_DEADLINE + 3.0) * 1000

    def escalations() -> tuple[list, list]:
        """(escalated, missed or late) among the alerts that escalate."""
        now_ms = time.time() * 1000
        with ward.engine.connect() as conn:
            rows = conn.execute(select(*columns).order_by(a.id)).all()
        made, missed = [], []
        for r in rows:
            if r.severity not in ("high", "medium") or r.folded_into is not None:
                continue
            due = r.raised_ms + limit_ms
            if r.escalated_ms is not None:
                (missed if r.escalated_ms > due + late_ms else made).append(r)
            elif min(x for x in (r.resolved_ms, r.acked_ms, now_ms) if x is not None) > due + late_ms:
                missed.append(r)
        return made, missed

    made = wait_for(
        lambda: escalations()[0] if not escalations()[1] else [],
        ESCALATE_AFTER_MINUTES * 60 + 30,
        "the escalations due made, none missed or late",
    )
    figures["escalations"] = len(made)
    assert not escalations()[1]
    return figures


@pytest.mark.e2e
@pytest.mark.timeout(600)
def test_the_ward_server_survives_losing_either_node_and_a_database_restart(tmp_path) -> None:
    pg = own_postgres()
    ward = Ward(pg.url, tmp_path)
    try:
        figures = check(ward, run(ward, pg, KILLS, live_seconds=40))
    finally:
        ward.close()
        pg.stop()
    print("two nodes:", figures)
    assert figures["kills"] == KILLS and figures["failovers"] >= KILLS
