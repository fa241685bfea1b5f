"""Refusals logged once per address per window, not once per connection.

A scanner or a misconfigured sender that reconnects in a loop is refused hundreds of times a minute;
a line for each would bury the log (and cost more than the refusal). The first refusal from an address
is logged at once; the ones after it in the same window are counted and summed up in one line when the
window has passed (or when the listener stops).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0


@dataclass
class _Address:
    logged_at: float
    held: int = 0
    """Refusals since the last line, not yet logged."""
    reasons: dict[str, int] = field(default_factory=dict)


class RefusalLog:
    """`refused(address, reason)` for each refusal; at most one log line per address per window.
    `tick()` (the listener's sweep) writes the summaries whose window has passed."""

    def __init__(
        self,
        log: logging.Logger,
        clock: Callable[[], float],
        window: float = WINDOW_SECONDS,
        what: str = "connection",
    ) -> None:
        self._log = log
        self._clock = clock
        self._window = window
        self._what = what
        self._addresses: dict[str, _Address] = {}

    def refused(self, address: str, reason: str) -> bool:
        """Count a refusal; returns True when it was logged (the first of its window)."""
        now = self._clock()
        seen = self._addresses.get(address)
        if seen is not None and now - seen.logged_at < self._window:
            seen.held += 1
            seen.reasons[reason] = seen.reasons.get(reason, 0) + 1
            return False
        if seen is not None and seen.held:
            self._summary(address, seen)
        self._addresses[address] = _Address(now)
        self._log.warning(
            "refused a %s from %s: %s (more from this address are summed up once a minute)",
            self._what,
            address,
            reason,
        )
        return True

    def tick(self) -> None:
        """Sum up the refusals held for a window; forget addresses quiet for one."""
        now = self._clock()
        for address in [a for a, s in self._addresses.items() if now - s.logged_at >= self._window]:
            seen = self._addresses[address]
            if seen.held:
                self._summary(address, seen)
                seen.logged_at = now
            else:
                del self._addresses[address]

    def flush(self) -> None:
        """Log what is held (the listener stops)."""
        for address, seen in self._addresses.items():
            if seen.held:
                self._summary(address, seen)
        self._addresses.clear()

    def _summary(self, address: str, seen: _Address) -> None:
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(seen.reasons.items()))
        self._log.warning(
            "refused %d more %ss from %s since the last line (%s)", seen.held, self._what, address, reasons
        )
        seen.held = 0
        seen.reasons.clear()
