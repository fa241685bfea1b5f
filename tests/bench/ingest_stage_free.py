"""`make bench ingest`, diagnosis only: bedside-ingest with one stage of its hot path made free.

    python tests/bench/ingest_stage_free.py reading|storage PREFIX:COUNT[,...] -- bedside-ingest args

- `reading`: the bench's frames are read and mapped (the real `IngestPipeline.prepare`) before the
  listener starts; while it runs, `prepare` is a dictionary lookup. What is left is sockets, the
  event loop, storing and committing: the rate no faster reader (compiled, or in other processes
  on spare cores) could go beyond.
- `storage`: nothing is written; each message gets the id a store would have given it. What is
  left is sockets, the event loop, reading and mapping.

Neither is a way to run ingest: every frame is still answered, but these runs store nothing real
(`storage`) or answer from a table made in advance (`reading`). They only say where the listener's
time goes, with the same client and messages as the real figures.
"""

from __future__ import annotations

import gc
import itertools
import sys
import time
from datetime import UTC
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bedside_adapters.db.ingest_store import IngestStore, StoredMessage
from bedside_adapters.inbound_message import InboundMessage
from bedside_adapters.ingest import main as ingest_main
from bedside_adapters.ingest.pipeline import IngestPipeline, Prepared

from bedside.parameters import ParameterCatalog
from tests.bench.messages import bench_messages


def _free_reading(plan: str) -> None:
    """Read the frames the bench will send now; answer `prepare` from that table later."""
    catalog = ParameterCatalog.load()
    reader = IngestPipeline(None, catalog, time.time, UTC)  # type: ignore[arg-type]  # prepare only
    table: dict[bytes, Prepared] = {}
    for item in plan.split(","):
        prefix, count = item.rsplit(":", 1)
        for frame in bench_messages(int(count), prefix):
            table[frame] = reader.prepare(frame, "127.0.0.1:0")
    # Out of the collector's sight: otherwise every full collection walks this whole table, a cost
    # the real listener does not have.
    gc.freeze()
    real = IngestPipeline.prepare

    def prepare(self: IngestPipeline, frame: bytes, peer: str) -> Prepared:
        done = table.get(frame)
        return done if done is not None else real(self, frame, peer)

    IngestPipeline.prepare = prepare  # type: ignore[method-assign]


def _free_storage() -> None:
    ids = itertools.count(1)

    def store_many(self: IngestStore, messages: list[InboundMessage]) -> list[StoredMessage]:
        return [StoredMessage(next(ids), m.ack) for m in messages]

    IngestStore.store_many = store_many  # type: ignore[method-assign]


def main() -> int:
    stage, plan, sep, *args = sys.argv[1:]
    assert sep == "--", "usage: ingest_stage_free.py reading|storage PREFIX:COUNT[,...] -- ARGS"
    if stage == "reading":
        _free_reading(plan)
    elif stage == "storage":
        _free_storage()
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    return ingest_main.main(args)


if __name__ == "__main__":
    sys.exit(main())
