"""Simulator → MLLP → the real `bedside-ingest` process → its rule engine → `bedside-cli alerts --json`."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest
from bedside_adapters.db import schema as t
from bedside_adapters.db.engine import make_engine
from sqlalchemy import select

from tests.e2e.test_ingest_process import BIN, start_ingest


def cli_json(url: str, *args: str) -> list[dict]:
    out = subprocess.run(
        [str(BIN / "bedside-cli"), "--db", url, *args, "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(out)


@pytest.mark.e2e
@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_reaction_sent_by_the_simulator_raises_alerts_with_the_observations_that_fired_them(
    db_url: str, workers: str
) -> None:
    # 0: the alerting process evaluates by itself; 2: two evaluation worker processes compute and
    # the alerting process records (what bigger machines get by default).
    proc, port = start_ingest(db_url, "--alerting-workers", workers)
    try:
        # The reaction course, started 21.5 h ago: dose 1 at 20 h, the reaction from 20 h 25 min.
        subprocess.run(
            [
                str(BIN / "bedside-cli"),
                "simulate",
                "--scenario",
                "reaction",
                "--to",
                f"127.0.0.1:{port}",
                "--backfill",
                "21.5",
                "--live-seconds",
                "1",
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        engine = make_engine(db_url)
        wanted = {"H1", "B2", "F1", "O1", "C1"}
        try:
            for _ in range(200_000):  # poll (no sleeping) until the engine's tick has raised them
                with engine.connect() as conn:
                    rules = {r[0] for r in conn.execute(select(t.alert.c.rule_id))}
                if wanted <= rules:
                    break
            else:
                raise AssertionError(f"alerts raised: {rules}")
            with engine.connect() as conn:
                beat = conn.execute(select(t.alerting_heartbeat.c.beat_ms)).scalar_one()
            assert beat > 0  # the engine's heartbeat: what the screen reads to say "alerting live"
        finally:
            engine.dispose()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert proc.stdout is not None
        proc.stdout.close()
    alerts = {a["rule_id"]: a for a in cli_json(db_url, "alerts")}
    episodes = cli_json(db_url, "episodes")
    assert [(e["dose"], e["start_source"]) for e in episodes] == [(1, "pcd10")]
    h1 = alerts["H1"]
    assert h1["severity"] == "medium" and h1["ruleset"].startswith("bedside-infusion-reaction ")
    assert h1["start_unconfirmed"] is True and "not yet confirmed" in h1["message"]
    assert h1["raised_on_import"] is False
    # The observations that fired it are stored heart-rate samples: series id and time.
    series_ids = {int(o.split(":")[1]) for o in h1["observations"]}
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            params = {
                r[0] for r in conn.execute(select(t.series.c.parameter).where(t.series.c.id.in_(series_ids)))
            }
    finally:
        engine.dispose()
    assert params == {"hr"}
    onset_ms = [int(o.split(":")[2]) for o in h1["observations"]]
    assert min(onset_ms) / 1000 >= episodes[0]["start"] + 25 * 60 - 60
    log = cli_json(db_url, "log")
    assert {"ruleset.loaded", "episode.candidate", "alert.raised"} <= {e["kind"] for e in log}
    verify = subprocess.run(
        [str(BIN / "bedside-cli"), "--db", db_url, "verify-log"], capture_output=True, timeout=60
    )
    assert verify.returncode == 0, verify.stderr


@pytest.mark.e2e
def test_ingest_refuses_to_start_with_a_broken_rule_set(tmp_path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(
        'id = "x"\nversion = "1"\ngrading = "g"\n[windows]\nW6 = ["T0", "T_end+6h"]\n[signals]\n'
        '[[rule]]\nid = "Z1"\ntitle = "z"\nwindow = "W9"\nwhen = "hr > 1"\nseverity = "low"\n'
        'message = "m"\nsource = "s"\n'
    )
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    out = subprocess.run(
        [str(BIN / "bedside-ingest"), "--db", url, "--listen", "127.0.0.1:0", "--rules", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert "the rule set is not usable" in out.stderr and "rule Z1: unknown window 'W9'" in out.stderr
