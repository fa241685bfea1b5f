"""Send a scenario's course over MLLP (backfilled history, then live), or write it to batch files."""

from __future__ import annotations

import heapq
import json
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.mllp.client import Address
from bedside_adapters.sim.course_feed import CourseFeed
from bedside_adapters.sim.sender import FeedSender

from bedside.course import CourseModel
from bedside.course_spec import HOUR, load_beds

log = logging.getLogger(__name__)


class WardFeed:
    """All the beds of a scenario as one time-ordered stream (one bed for most scenarios)."""

    def __init__(self, name: str, start: float) -> None:
        self.beds = [
            CourseFeed(CourseModel(b.spec), b.mrn, b.room, b.family_name, b.given_name, co_medication=True)
            for b in load_beds(name, start)
        ]
        self.first = self.beds[0].model

    def messages(self, t0: float, t1: float, step: float):  # type: ignore[no-untyped-def]
        return heapq.merge(*(bed.messages(t0, t1, step) for bed in self.beds), key=lambda m: m.at)


def run_scenario(
    name: str,
    host: str,
    port: int,
    backfill_hours: float,
    speed: float = 1.0,
    history_step: float = 60.0,
    live_seconds: float | None = None,
    stop: threading.Event | None = None,
    report_interval: float | None = None,
    also: Sequence[Address] = (),
    ack_log: TextIO | None = None,
    timeout: float = 15.0,
) -> int:
    """The course starts `backfill_hours` ago: its history is sent at full speed (device reports
    every `history_step` s), then it goes on live at the scenario's report interval, `speed` times
    faster than real time, to `host`:`port` or, when it fails, to the listeners in `also`.
    `report_interval` overrides the scenario's (the demo's live part uses 1 s,
    as a bedside gateway set to its fastest rate would). Returns the number of messages acknowledged."""
    stop = stop or threading.Event()
    now = time.time()
    feed = WardFeed(name, now - backfill_hours * HOUR)
    model = feed.first
    sender = FeedSender(host, port, stop, also=also, ack_log=ack_log, timeout=timeout)

    # History until caught up with the clock (sending it takes a while itself), then live.
    acked, sent_until = 0, model.spec.start - 2 * HOUR
    while not stop.is_set() and time.time() - sent_until > model.spec.report_interval:
        until = time.time()
        acked += sum(sender.send(m.text) for m in feed.messages(sent_until, until, history_step))
        sent_until = until
    log.info("simulator: %d history messages acknowledged", acked)
    step = report_interval or model.spec.report_interval
    now = course_time = sent_until
    wall = time.time()
    end = model.spec.start + model.spec.days * 86400.0
    while not stop.is_set() and course_time < end:
        if live_seconds is not None and time.time() - wall >= live_seconds:
            break
        for m in feed.messages(course_time, course_time + step, step):
            acked += sender.send(m.text)
        course_time += step
        stop.wait(max(0.0, wall + (course_time - now) / speed - time.time()))
    sender.close()
    return acked


def write_scenario(name: str, out: Path, start: float, history_step: float = 60.0) -> dict[str, int]:
    """The whole course (every bed) as HL7 batch files, one per feed and day, plus ground_truth.json."""
    ward = WardFeed(name, start)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[str]] = {}
    end = max(b.model.spec.start + b.model.spec.days * 86400.0 for b in ward.beds)
    for m in ward.messages(start - 2 * HOUR, end, history_step):
        day = format_dtm(m.at)[:8]
        files.setdefault(f"{name}-{m.feed}-{day}.hl7", []).append(m.text)
    counts = {}
    for filename, messages in files.items():
        header = f"BHS|^~\\&|BEDSIDE_SIM|{name}|||{format_dtm(start)}\r"
        trailer = f"BTS|{len(messages)}\r"
        (out / filename).write_text(header + "".join(messages) + trailer, encoding="utf-8", newline="")
        counts[filename] = len(messages)
    truths = [
        {
            "mrn": b.monitor.mrn,
            "bed": f"{b.monitor.unit}^{b.monitor.room}^{b.monitor.bed}",
            **b.model.ground_truth(),
        }
        for b in ward.beds
    ]
    truth = truths[0] if len(truths) == 1 else {"scenario": name, "beds": truths}
    (out / "ground_truth.json").write_text(json.dumps(truth, indent=2) + "\n")
    return counts
