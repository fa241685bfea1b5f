"""A database made by the oldest schema, with data in it, upgraded to head: nothing lost."""

from __future__ import annotations

from bedside_adapters.db import message_senders
from bedside_adapters.db import schema as t
from bedside_adapters.db.compaction import compact_all
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.migrate import head_revision, upgrade
from bedside_adapters.db.read_store import SqlSeriesStore
from sqlalchemy import func, select, text

from bedside.model import PatientRef

OLDEST = "0001"
T0_MS = 1_780_000_000_000


def test_upgrade_from_the_oldest_revision_keeps_every_row(db_url: str) -> None:
    engine = make_engine(db_url)
    assert upgrade(engine, OLDEST) == OLDEST
    # Data as revision 0001 stored it: raw SQL, because today's code writes today's schema.
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO inbound_message (received_ms, peer, sender, sha256, raw, raw_size, ack_code, ack) "
                "VALUES (:r, 'p', 'GW', 'x', :raw, 3, 'AA', 'ACK')"
            ),
            {"r": T0_MS, "raw": b"MSH"},
        )
        conn.execute(
            text(
                "INSERT INTO inbound_message (received_ms, peer, sender, sha256, raw, raw_size, ack_code, ack, "
                "quarantine_reason) VALUES (:r, 'p', 'X', 'y', :raw, 4, 'AR', 'ACK', 'bad')"
            ),
            {"r": T0_MS, "raw": b"junk"},
        )
        for _ in range(2):  # a message resent before duplicates were detected (revision 0003)
            conn.execute(
                text(
                    "INSERT INTO inbound_message (received_ms, peer, sender, control_id, message_time, sha256, "
                    "raw, raw_size, ack_code, ack) VALUES (:r, 'p', 'GW', 'C1', '2026', 'h', :raw, 3, 'AA', 'ACK')"
                ),
                {"r": T0_MS, "raw": b"MSH"},
            )

        conn.execute(
            text(
                "INSERT INTO patient (identifier, authority, family_name, given_name, bed, updated_ms) "
                "VALUES ('P1', 'H', 'OLD', 'Data', 'ICU^1^1', :r)"
            ),
            {"r": T0_MS},
        )
        conn.execute(
            text(
                "INSERT INTO series (patient_ref, patient_id, parameter, unit, device, instance) "
                "VALUES ('P1^H', 1, 'hr', '/min', 'dev', '')"
            )
        )
        for i in range(5000):  # 83 minutes of 1 Hz heart rate
            conn.execute(
                text(
                    "INSERT INTO observation (series_id, observed_ms, received_ms, value, status, message_id) "
                    "VALUES (1, :t, :t, :v, 'R', 1)"
                ),
                {"t": T0_MS + i * 1000, "v": 50 + i % 100},
            )
        # the resent copy (id 4) carried a value too
        conn.execute(
            text(
                "INSERT INTO observation (series_id, observed_ms, received_ms, value, status, message_id) "
                "VALUES (1, :t, :t, 149, 'R', 4)"
            ),
            {"t": T0_MS + 4999 * 1000},
        )
        conn.execute(
            text(
                "INSERT INTO feed (sender, first_received_ms, last_received_ms, messages) VALUES ('GW', :r, :r, 1)"
            ),
            {"r": T0_MS},
        )

    assert upgrade(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.inbound_message)).scalar_one() == 3
        first_copy = conn.execute(
            select(t.inbound_message.c.id, t.inbound_message.c.duplicates).where(
                t.inbound_message.c.control_id == "C1"
            )
        ).one()
        assert tuple(first_copy) == (3, 1)  # one message, its copy counted
        assert (
            conn.execute(
                select(func.count()).select_from(t.observation).where(t.observation.c.message_id == 3)
            ).scalar_one()
            == 1
        )
        assert (
            conn.execute(
                select(t.inbound_message.c.raw).where(
                    t.inbound_message.c.sender_id == message_senders.id_of("X")
                )
            ).scalar_one()
            == b"junk"
        )
        assert conn.execute(select(t.patient.c.family_name)).scalar_one() == "OLD"
    store = SqlSeriesStore(engine)
    (hr,) = store.series_for(PatientRef("P1", "H"))
    before = store.window(hr, T0_MS / 1000, T0_MS / 1000 + 5000)
    assert len(before) == 5000
    compact_all(engine, 0)  # the old rows become chunks; still every value
    after = store.window(hr, T0_MS / 1000, T0_MS / 1000 + 5000)
    assert after.values.tolist() == [50 + i % 100 for i in range(5000)]
    assert after.times.tolist() == before.times.tolist()
    engine.dispose()
