"""An unconfirmed death ADT reported runs its SAE report's clock from the message's receipt."""

from __future__ import annotations

from bedside.death_sae_reported import reported_death_clock, reported_death_text

T = 1_780_000_000.0


def test_the_clock_runs_from_the_receipt_and_the_line_says_unconfirmed() -> None:
    clock = reported_death_clock(T + 600, T + 3600)
    assert (clock.state, clock.due) == ("due", T + 600 + 86400)
    line = reported_death_text(T, T + 600, T + 90000, lambda t: f"t+{t - T:g}")
    assert line.startswith("death reported by ADT on t+0, not yet confirmed: ")
    assert "receipt at t+600 (SAE report OVERDUE since t+87000" in line
