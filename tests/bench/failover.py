"""Failover figures of a two-node ward server (docs/deploy/two-nodes.md). Run alone:

    tests/with-postgres.sh .venv/bin/python -m tests.bench.failover [--kills 20]

1. Messages acknowledged and lost across N SIGKILLs of the node holding the alerting lease, the
   simulator sending to both nodes (PostgreSQL restarted once mid-stream): the reliability test's run
   (tests/e2e/test_two_nodes.py) with more kills, and the same checks.
2. The time to the first alert after the alerting node dies, when an alert is waiting to be raised:
   the reaction course is stored by a node that does not alert, a node with alerting starts and takes
   the lease, and is killed before its first tick could raise anything; the second node (started at
   once, as a standby would be running) takes the lease and raises the alerts.

Each part runs on a PostgreSQL server of its own (tests/postgres.sh), which it restarts.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from tests.e2e.two_nodes import Postgres, Ward, check, run, wait_for


def kills_figures(kills: int) -> dict:
    pg = Postgres()
    ward = Ward(pg.url, Path(tempfile.mkdtemp(prefix="bedside-failover.")))
    try:
        # The live part outlasts the kills: each round waits for progress, then for the lease.
        return check(ward, run(ward, pg, kills, live_seconds=14.0 * kills))
    finally:
        ward.close()
        pg.stop()


def first_alert_figures() -> dict:
    pg = Postgres()
    ward = Ward(pg.url, Path(tempfile.mkdtemp(prefix="bedside-failover.")))
    a, b = ward.nodes["a"], ward.nodes["b"]
    try:
        ward.start(a, "--no-alerting")
        ward.start_simulator(live_seconds=1.0, report_interval=1.0)
        ward.simulator_done()
        ward.kill(a)
        assert ward.first_alert() is None
        started = time.time()
        ward.start(a)
        wait_for(lambda: ward.holder() is a and ward.taken_since(started), 60, "node a takes the lease")
        killed_at = ward.kill(a)
        if ward.first_alert() is not None:
            raise RuntimeError("node a raised an alert before it was killed: run again")
        ward.start(b)
        first = wait_for(ward.first_alert, 120, "the survivor raises the first alert")
        taken = ward.taken_since(killed_at)
        assert taken is not None
        return {
            "lease_taken_after_s": round(taken - killed_at, 2),
            "first_alert_after_s": round(first - killed_at, 2),
        }
    finally:
        ward.close()
        pg.stop()


def bench_failover(kills: int = 20) -> list[dict]:
    """The figures as `make bench` rows."""

    def figure(name: str, value: float, unit: str, note: str, target: float | None = None) -> dict:
        row = {"name": f"failover.{name}", "value": value, "unit": unit, "baseline": None, "ratio": None}
        row.update(target=target, note=note)
        if target is not None:
            row["target_is"] = "max"
        return row

    first = first_alert_figures()
    figures = kills_figures(kills)
    runs = f"{figures['kills']} SIGKILLs of the lease holder, PostgreSQL restarted {figures['postgres_restarts']}x"
    return [
        figure("acknowledged", figures["acknowledged"], "msgs", f"acknowledged across {runs}"),
        figure("acknowledged_lost", figures["lost"], "msgs", "acknowledged, then not stored", 1.0),
        figure("stored_twice", figures["stored_twice"], "msgs", "stored more than once", 1.0),
        figure("lease_takeover_max_s", figures["takeover_max_s"], "s", f"worst of {runs}", 10.0),
        figure(
            "first_alert_after_node_death_s",
            first["first_alert_after_s"],
            "s",
            f"an alert waiting when the alerting node died; lease taken after {first['lease_taken_after_s']} s",
            10.0,
        ),
    ]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kills", type=int, default=20)
    args = p.parse_args()
    first = first_alert_figures()
    print("first alert after the alerting node dies:", json.dumps(first))
    figures = kills_figures(args.kills)
    print(f"{args.kills} kills with failover:", json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
