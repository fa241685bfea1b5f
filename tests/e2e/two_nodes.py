"""A ward server of two `bedside-ingest` services on one PostgreSQL of its own (so that it can be
restarted mid-stream), a simulator sending to both, and the means to kill (SIGKILL, the whole process
group: the service and its alerting process, as when a machine fails) and restart them. The
reliability test (test_two_nodes.py) and the failover figures (tests/bench/failover.py) share it.

Waits are conditions polled until a deadline, never a guessed duration."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import make_engine
from sqlalchemy import Engine, func, select

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RULES = ROOT / "resources" / "rules" / "infusion-reaction.toml"
LEASE_DEADLINE = 10.0
"""Seconds within which the standby must hold the lease after the holder's node is killed."""
ESCALATE_AFTER_MINUTES = 0.5
"""The test's rule set escalates an unacknowledged alert after this (the shipped one: 5 and 15 min),
so that escalations fall inside the run and across the kills."""

T = TypeVar("T")


def wait_for(condition: Callable[[], T], seconds: float, what: str) -> T:
    """The condition's first truthy value, polled until `seconds` have passed (then a failure)."""
    deadline = time.monotonic() + seconds
    poll = threading.Event()
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        poll.wait(0.05)  # the interval between looks, not a guess at how long it takes
    return value


class Postgres:
    """A throwaway server (tests/postgres.sh) that this test may restart."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bedside-pg-failover."))
        self.dir.chmod(0o755)  # the server runs as `postgres` when the tests run as root
        out = subprocess.run(
            [str(ROOT / "tests" / "postgres.sh"), "start", str(self.dir / "pg")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if out.returncode != 0:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise RuntimeError(f"no PostgreSQL server could be started: {out.stderr.strip()}")
        self.url = out.stdout.strip()
        self.restarts = 0

    def restart(self) -> None:
        subprocess.run(
            [str(ROOT / "tests" / "postgres.sh"), "restart", str(self.dir / "pg")], check=True, timeout=120
        )
        self.restarts += 1

    def stop(self) -> None:
        subprocess.run([str(ROOT / "tests" / "postgres.sh"), "stop", str(self.dir / "pg")], timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Node:
    name: str
    port: int = 0
    proc: subprocess.Popen[str] | None = None
    logs: list[Path] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass
class Takeover:
    killed: str
    seconds: float
    """From the SIGKILL of the holder's node to the standby's taking of the lease (its safety-log
    entry's time)."""


class Ward:
    """Two ingest services (a, b) on one database; a simulator sends to a, then b."""

    def __init__(self, url: str, workdir: Path) -> None:
        self.url = url
        self.workdir = workdir
        self.rules = workdir / "rules.toml"
        text = RULES.read_text()
        head, _, rest = text.partition("[escalation_minutes]")
        body = rest.split("\n[", 1)[1]  # the next table after the escalation limits
        self.rules.write_text(
            f"{head}[escalation_minutes]\nhigh = {ESCALATE_AFTER_MINUTES}\n"
            f"medium = {ESCALATE_AFTER_MINUTES}\n\n[{body}"
        )
        self.nodes = {"a": Node("a"), "b": Node("b")}
        self.engine: Engine = make_engine(url)
        self.sim: subprocess.Popen[str] | None = None
        self._sim_log: IO[str] | None = None
        self.acks_file = workdir / "acks.tsv"
        self.takeovers: list[Takeover] = []
        self.kills = 0

    # ---- nodes -------------------------------------------------------------------------------

    def start(self, node: Node, *extra: str) -> None:
        """Start (or restart, on the same port) a service; returns when it listens."""
        log = self.workdir / f"ingest-{node.name}-{len(node.logs)}.log"
        node.logs.append(log)
        with log.open("w") as err:
            proc = subprocess.Popen(
                [
                    str(BIN / "bedside-ingest"),
                    "--db",
                    self.url,
                    "--listen",
                    f"127.0.0.1:{node.port}",
                    "--rules",
                    str(self.rules),
                    "--log-level",
                    "WARNING",
                    *extra,
                ],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                start_new_session=True,  # its own process group: killed with its alerting process
            )
        assert proc.stdout is not None
        line = proc.stdout.readline()  # pytest-timeout guards this read
        if not line.startswith("bedside-ingest: listening on 127.0.0.1:"):
            proc.kill()
            proc.wait(timeout=30)
            raise AssertionError(line + log.read_text())
        node.port = int(line.rsplit(":", 1)[1])
        node.proc = proc

    def kill(self, node: Node) -> float:
        """SIGKILL the service and its children at once; the wall-clock time of the kill."""
        assert node.proc is not None
        at = time.time()
        os.killpg(node.proc.pid, signal.SIGKILL)
        node.proc.wait(timeout=30)
        assert node.proc.stdout is not None
        node.proc.stdout.close()
        node.proc = None
        self.kills += 1
        return at

    def node_of_pid(self, pid: int) -> Node | None:
        return next((n for n in self.nodes.values() if n.proc is not None and n.proc.pid == pid), None)

    def holder(self) -> Node | None:
        """The node whose engine holds the lease (instance 'host-PID-xxxxxx')."""
        with self.engine.connect() as conn:
            instance = conn.execute(select(t.alerting_heartbeat.c.instance)).scalar_one_or_none()
        if not instance:
            return None
        return self.node_of_pid(int(instance.rsplit("-", 2)[1]))

    def taken_since(self, since: float) -> float | None:
        """When the lease was last taken (a 'ruleset.loaded' entry) at or after `since`."""
        s = t.safety_log.c
        with self.engine.connect() as conn:
            at_ms = conn.execute(
                select(func.max(s.at_ms)).where(s.kind == "ruleset.loaded", s.at_ms >= int(since * 1000))
            ).scalar_one_or_none()
        return None if at_ms is None else at_ms / 1000.0

    def kill_holder(self) -> Takeover:
        """Kill the lease holder's node, wait for the other to take the lease, restart the killed one."""
        victim = wait_for(self.holder, 60, "a node holds the alerting lease")
        killed_at = self.kill(victim)
        taken = wait_for(lambda: self.taken_since(killed_at), 60, "the standby takes the alerting lease")
        survivor = wait_for(self.holder, 30, "the lease holder is a running node")
        assert survivor is not victim
        takeover = Takeover(victim.name, taken - killed_at)
        self.takeovers.append(takeover)
        self.start(victim)
        return takeover

    # ---- the simulator ---------------------------------------------------------------------------

    def start_simulator(self, live_seconds: float, report_interval: float = 0.25) -> None:
        """The reaction course (dose 1 at 20 h, the reaction from 20 h 25 min) started 21.5 h ago:
        its history at full speed, then `live_seconds` live, the devices reporting every
        `report_interval` s (a gateway's fastest rate is 1 s: faster here, for more messages between
        kills)."""
        a, b = self.nodes["a"], self.nodes["b"]
        self._sim_log = (self.workdir / "simulator.log").open("w")
        self.sim = subprocess.Popen(
            [
                str(BIN / "bedside-cli"),
                "simulate",
                "--scenario",
                "reaction",
                "--to",
                a.address,
                "--to",
                b.address,
                "--timeout",
                "5",
                "--ack-log",
                str(self.acks_file),
                "--backfill",
                "21.5",
                "--report-interval",
                str(report_interval),
                "--live-seconds",
                str(live_seconds),
            ],
            stdout=subprocess.PIPE,
            stderr=self._sim_log,
            text=True,
        )

    def acks(self) -> list[tuple[str, str, str]]:
        """(control ID, code, listener) per ACK the simulator received, complete lines only."""
        if not self.acks_file.exists():
            return []
        text = self.acks_file.read_text()
        lines = text.split("\n")[:-1]  # the last piece is an unfinished line (or empty)
        return [tuple(line.split("\t")) for line in lines]  # type: ignore[misc]

    def simulator_done(self) -> int:
        """Wait for the simulator's end; the number of messages it says were acknowledged."""
        assert self.sim is not None and self.sim.stdout is not None
        out = self.sim.stdout.read()
        assert self.sim.wait(timeout=60) == 0, (self.workdir / "simulator.log").read_text()[-3000:]
        self.sim.stdout.close()
        return int(out.split("bedside-cli: ", 1)[1].split()[0])

    # ---- what was stored -------------------------------------------------------------------------

    def stored_counts(self) -> Counter[str]:
        m = t.inbound_message.c
        with self.engine.connect() as conn:
            return Counter(
                {c: n for c, n in conn.execute(select(m.control_id, func.count()).group_by(m.control_id))}
            )

    def alerts(self) -> list[dict]:
        out = subprocess.run(
            [str(BIN / "bedside-cli"), "--db", self.url, "alerts", "--json"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        return json.loads(out)

    def first_alert(self) -> float | None:
        """When the first alert was raised (None: none yet)."""
        with self.engine.connect() as conn:
            at_ms = conn.execute(select(func.min(t.alert.c.raised_ms))).scalar_one_or_none()
        return None if at_ms is None else at_ms / 1000.0

    def raised_entries(self) -> Counter[int]:
        """Safety-log 'alert.raised' entries per alert id (one each: never raised twice)."""
        s = t.safety_log.c
        with self.engine.connect() as conn:
            return Counter(a for (a,) in conn.execute(select(s.alert_id).where(s.kind == "alert.raised")))

    def close(self) -> None:
        if self.sim is not None and self.sim.poll() is None:
            self.sim.kill()
            self.sim.wait(timeout=30)
        if self.sim is not None and self.sim.stdout is not None:
            self.sim.stdout.close()
        if self._sim_log is not None:
            self._sim_log.close()
        for node in self.nodes.values():
            if node.proc is not None:
                os.killpg(node.proc.pid, signal.SIGTERM)
                node.proc.wait(timeout=60)
                if node.proc.stdout is not None:
                    node.proc.stdout.close()
                node.proc = None
        self.engine.dispose()


# ---- the run and its checks (the test's and the bench's) -----------------------------------------

PROGRESS = 20
"""Messages acknowledged between two kills: the simulator has moved to the survivor."""


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
        "takeover_max_s": round(max(x.seconds for x in ward.takeovers), 2),
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
