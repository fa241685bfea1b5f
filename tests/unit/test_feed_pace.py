"""A backlog is not a clock skew: the feed line says how far behind a catching-up feed is."""

from __future__ import annotations

from bedside.feeds import FeedActivity, FeedPace, assess_feed, catching_up, describe_clock


def _look(pace: FeedPace, now: float, observed: float, received: float | None = None) -> str:
    status = assess_feed(FeedActivity("mon", now if received is None else received, observed, 10), now, 15.0)
    return describe_clock(pace.assess(status, now))


def test_history_sent_at_full_speed_is_catching_up_not_a_skewed_clock() -> None:
    pace = FeedPace()
    now = 1_000_000.0
    first = _look(pace, now, now - 217_450.0)
    assert "clock" not in first  # one look cannot tell: no 217450 s skew on the screen
    said = _look(pace, now + 1, now - 217_450.0 + 1800)  # half an hour of history in a second
    assert said == ", catching up: 60 h behind"
    # Between two batches the value time stands still: still catching up, not a skew.
    assert _look(pace, now + 2, now - 217_450.0 + 1800) == ", catching up: 60 h behind"
    # Caught up: on time, nothing said.
    assert _look(pace, now + 30, now + 29.5) == ""


def test_a_clock_behind_by_minutes_is_a_skew() -> None:
    pace = FeedPace()
    now = 1_000_000.0
    for k in range(4):  # values arrive at the clock's pace, 5 min behind it
        said = _look(pace, now + k, now + k - 300.0)
    assert said == ", clock +300 s"
    assert _look(FeedPace(), now, now - 5.0) == ", clock +5 s"
    assert _look(FeedPace(), now, now + 4.0) == ", clock -4 s"


def test_a_catching_up_feed_that_stops_racing_is_no_longer_said_to_catch_up() -> None:
    pace = FeedPace()
    now = 1_000_000.0
    _look(pace, now, now - 7200.0)
    assert "catching up" in _look(pace, now + 1, now - 3600.0)
    # Its value time no longer moves for longer than the hold: the lag is shown as what it is.
    assert _look(pace, now + 20, now - 3600.0, received=now + 1) == ", clock +3601 s"


def test_the_review_hears_how_far_behind_the_history_still_is() -> None:
    pace = FeedPace()
    now = 1_000_000.0

    def looks(at: float, observed: float) -> float | None:
        return catching_up([assess_feed(FeedActivity("mon", at, observed, 10), at, 15.0)], pace, at)

    assert looks(now, now - 217_450.0) is None  # one look cannot tell a backlog from a skew
    assert looks(now + 1, now - 217_450.0 + 1800) == 217_450.0 - 1800 + 1  # racing: a backlog
    assert looks(now + 30, now + 29.5) is None  # caught up
