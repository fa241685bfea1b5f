"""A supervised child that ends cleanly having done all it had to (the demo's simulator at the end of
its scenario's course) is not restarted: started again it would send the course again, shifted in
time. A child that fails is restarted, and so is one not marked as ending (ingest). Real processes."""

from __future__ import annotations

from bedside_ui.supervisor import SupervisedProcess


def test_a_child_that_finished_cleanly_is_not_restarted(qtbot) -> None:  # type: ignore[no-untyped-def]
    done = SupervisedProcess(
        "simulated monitor", "bedside_adapters.cli", ["--help"], None, ends_when_done=True
    )
    with qtbot.waitSignal(done.state_changed, check_params_cb=lambda s: s == "finished", timeout=30_000):
        done.start()
    assert done.restarts == 0 and not done._restart_timer.isActive()
    assert done.state_text() == "finished: its course has ended"
    done.stop()


def test_a_child_that_fails_or_is_not_marked_as_ending_is_restarted(qtbot) -> None:  # type: ignore[no-untyped-def]
    failing = SupervisedProcess(
        "simulated monitor", "bedside_adapters.cli", ["--no-such-option"], None, ends_when_done=True
    )
    ingest_like = SupervisedProcess("ingest", "bedside_adapters.cli", ["--help"], None)
    try:
        for proc, code in ((failing, 2), (ingest_like, 0)):
            with qtbot.waitSignal(
                proc.state_changed, check_params_cb=lambda s: s.startswith("exited"), timeout=30_000
            ):
                proc.start()
            assert proc.restarts == 1 and proc.exited[0] == code and proc._restart_timer.isActive()
    finally:
        failing.stop()
        ingest_like.stop()
