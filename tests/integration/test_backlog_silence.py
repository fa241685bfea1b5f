"""A feed catching up a backlog is not silent; a feed that stops is, whether it was live or catching up.

The demo sends a course's history at full speed before going live: its values are hours behind the
clock while they arrive. Judged on the clock, every minute not sent yet looked silent and the live
engine raised STALE (and TECH_SPO2) that the import of the same course does not.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bedside_adapters.alerting.feeds import DELIVERING_SECONDS
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db.alert_store import alerts
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.pcd01 import SimulatedMonitor

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet
from tests.signed_in import signed_in

RULES = RuleSet.load()
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC).timestamp()
CALM = {"hr": 88.0, "pr_spo2": 88.0, "spo2": 96.0, "abp_sys": 118.0, "abp_dia": 60.0, "abp_mean": 80.0}


class Clock:
    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def _setup(engine, capsys, wall: Clock, until: float) -> tuple[IngestPipeline, SimulatedMonitor, str]:  # type: ignore[no-untyped-def]
    """A patient with a dose at T0 and monitor values every 10 s from 70 min before it to `until`,
    received at `wall` (hours later for a backlog), the last report's SpO2 not sent yet."""
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), wall, UTC)
    mon = SimulatedMonitor(eui64="BACKLOG000000001", mrn="BACKLOG1", room="12")
    assert p.handle(mon.admit_message("A1", T0 - 3 * 3600).encode(), "10.0.0.3:1").ack_code in ("AA", "CA")
    n = int((until - (T0 - 70 * 60)) // 10)
    for i in range(n):
        at = T0 - 70 * 60 + i * 10.0
        assert p.handle(mon.message(f"M{i}", at, CALM).encode(), "10.0.0.3:1").ack_code in ("AA", "CA")
    # The newest report carries the heart rate only: its SpO2 comes with the next commit.
    last = {"hr": 88.0, "pr_spo2": 88.0}
    assert p.handle(mon.message("M-last", until, last).encode(), "10.0.0.3:1").ack_code in ("AA", "CA")
    ref = f"BACKLOG1^{mon.authority}"
    url = engine.url.render_as_string(hide_password=False)
    at = datetime.fromtimestamp(T0, UTC).isoformat()
    assert (
        cli_main(
            [
                "--db",
                url,
                "episode",
                "start",
                "--json",
                "--patient",
                ref,
                "--dose",
                "1",
                "--at",
                at,
                *signed_in(url, "RN"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    return p, mon, ref


def _technical(engine, ref: str) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(
        a.rule_id
        for a in alerts(engine, patient=PatientRef.parse(ref))
        if a.rule_id.startswith(("STALE", "TECH"))
    )


def test_a_backlog_being_delivered_is_not_silence(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    wall = Clock(T0 + 70 * 3600)  # the history of a course, sent 70 h later at full speed
    _p, _mon, ref = _setup(engine, capsys, wall, T0 + 20 * 60 + 5)
    service = AlertingService(engine, RULES, clock=wall)
    service.evaluate_patient(PatientRef.parse(ref), wall.at)
    service.evaluate_patient(PatientRef.parse(ref), wall.at + DELIVERING_SECONDS - 1)
    assert _technical(engine, ref) == []


def test_a_backlog_feed_that_stops_is_stale(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    wall = Clock(T0 + 70 * 3600)
    _p, _mon, ref = _setup(engine, capsys, wall, T0 + 20 * 60 + 5)
    service = AlertingService(engine, RULES, clock=wall)
    service.evaluate_patient(PatientRef.parse(ref), wall.at)
    assert _technical(engine, ref) == []
    # Nothing newer arrives: it is not catching up any more, it stopped.
    service.evaluate_patient(PatientRef.parse(ref), wall.at + DELIVERING_SECONDS + 1)
    assert "STALE" in _technical(engine, ref)


def test_a_backlog_feed_that_sends_only_messages_without_values_is_stale(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    wall = Clock(T0 + 70 * 3600)
    p, mon, ref = _setup(engine, capsys, wall, T0 + 20 * 60 + 5)
    service = AlertingService(engine, RULES, clock=wall)
    service.evaluate_patient(PatientRef.parse(ref), wall.at)
    for k in range(1, 5):  # the same sender keeps talking (an admission update), its values do not move
        wall.at += 5
        assert p.handle(mon.admit_message(f"K{k}", T0).encode(), "10.0.0.3:1").ack_code in ("AA", "CA")
    wall.at += DELIVERING_SECONDS
    service.feeds.table = None  # the next second's read of the feed table
    service.evaluate_patient(PatientRef.parse(ref), wall.at)
    assert "STALE" in _technical(engine, ref)


@pytest.mark.parametrize("silent", [30.0, 61.0])
def test_a_live_feed_that_stops_is_stale_within_60_s(engine, capsys, silent: float) -> None:  # type: ignore[no-untyped-def]
    last = T0 + 20 * 60
    wall = Clock(last)  # live: each value received as it is measured
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), wall, UTC)
    mon = SimulatedMonitor(eui64="LIVE000000000001", mrn="LIVE1", room="13")
    wall.at = T0 - 3 * 3600
    assert p.handle(mon.admit_message("A1", wall.at).encode(), "10.0.0.3:1").ack_code in ("AA", "CA")
    for i in range(int((last - (T0 - 70 * 60)) // 10) + 1):
        wall.at = T0 - 70 * 60 + i * 10.0
        assert p.handle(mon.message(f"M{i}", wall.at, CALM).encode(), "10.0.0.3:1").ack_code in ("AA", "CA")
    ref = f"LIVE1^{mon.authority}"
    url = engine.url.render_as_string(hide_password=False)
    at = datetime.fromtimestamp(T0, UTC).isoformat()
    assert (
        cli_main(
            [
                "--db",
                url,
                "episode",
                "start",
                "--json",
                "--patient",
                ref,
                "--dose",
                "1",
                "--at",
                at,
                *signed_in(url, "RN"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    service = AlertingService(engine, RULES, clock=wall)
    wall.at = wall.at + silent
    service.evaluate_patient(PatientRef.parse(ref), wall.at)
    assert _technical(engine, ref) == ([] if silent < 60 else ["STALE"])


def test_stats_say_a_backlog_is_catching_up_not_a_clock_skew(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.ingest.stats import ingest_stats

    wall = Clock(T0 + 70 * 3600)
    p = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), wall, UTC)
    mon = SimulatedMonitor(eui64="BACKLOG000000002", mrn="BACKLOG2", room="14")
    for i in range(50):  # 50 min of history in 5 s
        wall.at += 0.1
        assert p.handle(mon.message(f"H{i}", T0 + i * 60.0, CALM).encode(), "10.0.0.3:1").ack_code in (
            "AA",
            "CA",
        )
    (sender,) = [s for name, s in ingest_stats(engine)["senders"].items() if "BACKLOG000000002" in name]
    assert sender["clock_skew_s"] is None
    assert sender["catching_up_behind_s"] == pytest.approx(wall.at - (T0 + 49 * 60.0), abs=0.01)
    # Then live, its clock 3 s behind: that is a skew.
    wall.at = float(round(wall.at))  # MSH-7 has whole seconds
    for i in range(50, 300):
        wall.at += 60.0
        assert p.handle(mon.message(f"L{i}", wall.at - 3.0, CALM).encode(), "10.0.0.3:1").ack_code in (
            "AA",
            "CA",
        )
    (sender,) = [s for name, s in ingest_stats(engine)["senders"].items() if "BACKLOG000000002" in name]
    assert sender["clock_skew_s"] == pytest.approx(3.0, abs=0.01) and sender["catching_up_behind_s"] is None


def test_a_backlog_running_ahead_while_the_engine_reads_is_not_silence(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """A backlog's value time runs hours a second: by the time the engine looks at the feed table,
    values far newer than those it read have arrived. Silence is judged up to what it read."""
    import time

    wall = Clock(T0 + 70 * 3600)
    _p, mon, ref = _setup(engine, capsys, wall, T0 + 20 * 60 + 5)
    service = AlertingService(engine, RULES, clock=wall)
    ahead = T0 + 20 * 60 + 5 + 600.0  # ten minutes of course arrived since the values were read
    service.feeds.table = (time.monotonic(), {mon.eui64: (wall.at, ahead, wall.at)})
    service.evaluate_patient(PatientRef.parse(ref), wall.at)
    assert _technical(engine, ref) == []
