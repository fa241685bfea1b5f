"""Which connection the limits close: over the buffer budget, and at the total connection limit."""

from __future__ import annotations

from dataclasses import dataclass

from bedside_adapters.mllp.limits import idle_to_replace, largest_holder


@dataclass
class Conn:
    host: str
    held: int = 0
    last_active: float = 0.0
    busy: bool = False


def test_over_the_budget_the_address_holding_most_loses_its_largest() -> None:
    one_big = Conn("10.0.0.1", held=3_000_000)
    many = [Conn("10.0.0.2", held=900_000 + i) for i in range(4)]
    assert largest_holder([one_big, *many]) is many[-1]
    assert largest_holder([Conn("10.0.0.3")]) is None  # nothing held: nothing to close


def test_at_the_total_limit_the_longest_idle_of_the_address_holding_most_makes_room() -> None:
    a = [Conn("a", last_active=t) for t in (5.0, 1.0, 3.0)]
    b = [Conn("b", last_active=0.5)]
    conns = [*a, *b]
    per_host = {"a": 3, "b": 1}
    assert idle_to_replace(conns, per_host, "new") is a[1]  # not b's, though it is older
    assert idle_to_replace(conns, per_host, "b") is a[1]  # b holds two fewer than a
    assert idle_to_replace(conns, per_host, "a") is None  # a holds the most itself
    assert idle_to_replace(conns, {"a": 2, "b": 1}, "b") is None  # no address holds two more
    for conn in a:
        conn.busy = True
    assert idle_to_replace(conns, per_host, "new") is None  # a busy connection is never closed
    assert idle_to_replace([], {}, "new") is None
