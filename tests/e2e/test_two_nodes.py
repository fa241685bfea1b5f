"""A ward server of two bedside-ingest services on one PostgreSQL survives losing either: the simulator
sends to both addresses while the node holding the alerting lease is killed (SIGKILL) again and again
and restarted, and PostgreSQL itself restarts mid-stream. Every acknowledged message is stored once,
the lease moves to the survivor within LEASE_DEADLINE, no alert is raised twice and no escalation is
missed or late beyond the lease's move. tests/bench/failover.py runs the same with 20 kills."""

from __future__ import annotations

import os

import pytest

from tests.e2e.two_nodes import Postgres, Ward, check, run

KILLS = 3


def own_postgres() -> Postgres:
    try:
        return Postgres()
    except RuntimeError as exc:
        if os.environ.get("BEDSIDE_REQUIRE_POSTGRES") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


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
