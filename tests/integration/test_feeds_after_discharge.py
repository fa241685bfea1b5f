"""The feeds a patient's screen lists after the patient left the bed (a discharge, a death): the
monitor that was theirs and stopped then is still listed, stopped, with how long it has been silent;
a monitor now sending another patient's values is not; and the nurse's feed line never says that no
device has sent any value for a patient who has hundreds."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from bedside_adapters.db.read_store import SqlSeriesStore
from sqlalchemy import Engine, insert

from bedside.feeds import FeedPace, FeedState, assess_feed
from bedside.model import PatientRef
from bedside.nurse_screen import feed_chips

T0 = 1_780_000_000.0
HOUR = 3600.0
ANN = PatientRef("ANN1", "H")
BOB = PatientRef("BOB2", "H")


def ms(at: float) -> int:
    return round(at * 1000)


def seed(engine: Engine, bob_in_bed: bool) -> None:
    """Ann in bed 1 for 10 h (until her death), its monitor bound there all along, sending until
    then; then, when `bob_in_bed`, Bob in the same bed and the monitor sending his values."""
    last = T0 + (12 * HOUR if bob_in_bed else 10 * HOUR)
    with engine.begin() as conn:
        stays = [{"patient_ref": str(ANN), "bed": "ICU^1", "from_ms": ms(T0), "to_ms": ms(T0 + 10 * HOUR)}]
        if bob_in_bed:
            stays.append(
                {"patient_ref": str(BOB), "bed": "ICU^1", "from_ms": ms(T0 + 11 * HOUR), "to_ms": None}
            )
        conn.execute(insert(t.bed_stay), [{**s, "kind": "ADT"} for s in stays])
        conn.execute(
            insert(t.device_binding).values(
                device="MON1", bed="ICU^1", from_ms=ms(T0), to_ms=None, source="PV1-3"
            )
        )
        conn.execute(
            insert(t.feed).values(
                sender="GW^MON1^EUI-64", first_received_ms=ms(T0), last_received_ms=ms(last),
                last_observed_ms=ms(last), messages=36000,
            )
        )  # fmt: skip


def test_the_monitor_that_stopped_at_the_death_is_listed_stopped(engine: Engine) -> None:
    seed(engine, bob_in_bed=False)
    now = T0 + 14 * HOUR
    feeds = [assess_feed(a, now, 60.0) for a in SqlSeriesStore(engine).feed_activity(ANN, now)]
    assert [(f.sender, f.state) for f in feeds] == [("GW^MON1^EUI-64", FeedState.STALE)]
    texts = [c.text for c in feed_chips(feeds, FeedPace(), now)]
    assert not any("No device feed" in x for x in texts), texts
    assert any(": no data for 4 h" in x for x in texts), texts


def test_a_monitor_now_sending_another_patients_values_is_not_listed(engine: Engine) -> None:
    seed(engine, bob_in_bed=True)
    now = T0 + 12 * HOUR
    assert SqlSeriesStore(engine).feed_activity(ANN, now) == []
    assert [a.sender for a in SqlSeriesStore(engine).feed_activity(BOB, now)] == ["GW^MON1^EUI-64"]


def test_a_history_caught_up_after_the_death_still_lists_the_monitor(engine: Engine) -> None:
    """The values of the hours before the death arrive after it (a history caught up): the feed was
    received after the death yet its newest value is from before it, so it is still this patient's."""
    seed(engine, bob_in_bed=False)
    now = T0 + 14 * HOUR
    with engine.begin() as conn:
        conn.execute(t.feed.update().values(last_received_ms=ms(now - 5)))
    feeds = [assess_feed(a, now, 60.0) for a in SqlSeriesStore(engine).feed_activity(ANN, now)]
    assert [f.sender for f in feeds] == ["GW^MON1^EUI-64"]
    texts = [c.text for c in feed_chips(feeds, FeedPace(), now)]
    assert not any("No device feed" in x for x in texts), texts
