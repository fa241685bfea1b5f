"""The read-ahead process: reads and maps frames for the listener, on another core.

    python -m bedside_adapters.ingest.read_worker      (started by adapters.ingest.read_ahead, never by hand)

Stdin carries length-prefixed records: first the pipeline's settings (pickle), then batches of
(ticket, frame, peer, received_at) (marshal). Stdout answers each batch with (ticket, kind, payload)
records (adapters.ingest.prepared_codec). It never touches the database and holds nothing the
listener does not also hold: if it dies, the listener reads the frames itself.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import pickle
import sys
import time
from pathlib import Path
from typing import BinaryIO

from bedside_adapters.ingest import prepared_codec
from bedside_adapters.ingest.pipeline import IngestPipeline

from bedside.labs import LabCatalog
from bedside.parameters import ParameterCatalog

FAILED = 2
"""A result kind: reading this frame raised; the listener reads it itself (and quarantines it)."""
READY = ("ready",)
"""The first record the worker writes, once it has loaded what it reads with."""


def read_record(stream: BinaryIO) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    size = int.from_bytes(head, "big")
    data = stream.read(size)
    return data if len(data) == size else None


def write_record(stream: BinaryIO, data: bytes) -> None:
    stream.write(len(data).to_bytes(4, "big") + data)
    stream.flush()


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    settings = read_record(inp)
    if settings is None:
        return
    zone, fallback_codec, sender_codecs, lab_codes, log_level, clock_window = pickle.loads(settings)
    logging.basicConfig(
        level=log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s[read-ahead]: %(message)s",
    )
    labs = LabCatalog.load().with_local_codes(Path(lab_codes)) if lab_codes else None
    # Reading only: prepare() never uses the store.
    pipeline = IngestPipeline(
        None,  # type: ignore[arg-type]
        ParameterCatalog.load(),
        time.time,
        zone,
        fallback_codec,
        sender_codecs,
        labs,
        clock_window,
    )
    write_record(out, marshal.dumps(READY))
    while (record := read_record(inp)) is not None:
        answers = []
        for ticket, frame, peer, received_at in marshal.loads(record):
            try:
                kind, payload = prepared_codec.encode(pipeline.prepare(frame, peer, received_at))
            except Exception as exc:  # the listener reads it again and keeps it as internal_error
                kind, payload = FAILED, f"{type(exc).__name__}: {exc}"
            answers.append((ticket, kind, payload))
        write_record(out, marshal.dumps(answers))


def main() -> int:
    # Below the rule engine and the listener: an alert's latency and the ACKs matter more than
    # reading ahead. (Priority alone did not keep the worker from slowing alerts on 2 cores: that
    # is why `--read-ahead auto` leaves it off there while the rule engine runs; see main.py.)
    with contextlib.suppress(OSError):
        os.nice(10)
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):  # the listener went away
        serve(sys.stdin.buffer, sys.stdout.buffer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
