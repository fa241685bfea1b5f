"""Send a simulated monitor's PCD-01 feed over MLLP: optional backfill, then live at a fixed interval."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from bedside_adapters.mllp.client import Address
from bedside_adapters.sim.pcd01 import SimulatedMonitor
from bedside_adapters.sim.sender import FeedSender
from bedside_adapters.sim.vitals import VitalsGenerator

log = logging.getLogger(__name__)


def run_monitor(
    host: str,
    port: int,
    interval: float = 1.0,
    count: int | None = None,
    backfill_seconds: float = 0.0,
    backfill_step: float = 5.0,
    monitor: SimulatedMonitor | None = None,
    stop: threading.Event | None = None,
    clock: Callable[[], float] = time.time,
    on_ack: Callable[[str, str], None] | None = None,
    admit: bool = True,
    also: Sequence[Address] = (),
    ack_log: TextIO | None = None,
    timeout: float = 15.0,
) -> int:
    """Returns the number of messages acknowledged. Reconnects when the listener restarts, and moves
    to the listeners in `also` when it fails (FeedSender).

    `count` limits the live messages sent after the backfill (None: until `stop` is set).
    """
    monitor = monitor or SimulatedMonitor()
    stop = stop or threading.Event()
    gen = VitalsGenerator()
    sent = 0
    seq = 0
    sender = FeedSender(host, port, stop, on_ack, also=also, ack_log=ack_log, timeout=timeout)

    def send(at: float) -> bool:
        nonlocal seq, sent
        seq += 1
        if sender.send(monitor.message(f"SIM{seq:08d}", at, gen.sample(at))):
            sent += 1
            return True
        return False

    now = clock()
    if admit:
        # The ADT system admits the patient to the monitor's bed first: device values reach a
        # patient only through the bed (never through the name typed into the monitor).
        admitted = now - backfill_seconds - 3600.0
        seq += 1
        if not sender.send(monitor.admit_message(f"SIMADT{seq:06d}", admitted)):
            return sent
    t = now - backfill_seconds
    while t < now and not stop.is_set():
        send(t)
        t += backfill_step
    next_at = clock()
    live = 0
    while not stop.is_set() and (count is None or live < count):
        send(clock())
        live += 1
        next_at += interval
        stop.wait(max(0.0, next_at - clock()))
    sender.close()
    return sent
