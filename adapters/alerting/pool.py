"""Evaluation workers: processes that read a patient's data and run the rules, in parallel.

When many beds close a minute at once (their monitors share the wall clock), evaluating them one after
the other makes the last alert of a ward wait for every other bed's evaluation.
Reading and rule evaluation write nothing, so they run in worker processes; what an evaluation changes
(alerts, the safety log) is still written by one thread, in the order results arrive. A patient always
goes to the same worker (its incremental data cache lives there), and a worker takes one job at a
time, so a patient's evaluations stay in order.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bedside_adapters.alerting.service import Computed

from bedside.episodes import InfusionEpisode
from bedside.model import PatientRef

log = logging.getLogger("bedside.alerting")


@dataclass(frozen=True)
class Job:
    job_id: int
    patient: PatientRef | None
    episodes: tuple[tuple[InfusionEpisode, float | None], ...]
    now: float
    events_changed: bool
    latency_from: float | None


@dataclass(frozen=True)
class Done:
    job: Job
    computed: tuple[Computed, ...]
    error: str | None = None


def _worker(url: str, rules_file: str | None, conn: Any, level: int) -> None:
    from pathlib import Path

    from bedside_adapters.alerting.service import AlertingService
    from bedside_adapters.db.engine import make_engine

    from bedside.rules.ruleset import RuleSet

    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    engine = make_engine(url)
    service = AlertingService(engine, RuleSet.load(Path(rules_file) if rules_file else None))
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return  # the alerting process is gone
            if job is None:
                return
            try:
                out = tuple(
                    service.compute(ep, nxt, job.now, events_changed=job.events_changed)
                    for ep, nxt in job.episodes
                )
                conn.send(Done(job, out))
            except Exception as exc:  # reported to the runner, which logs it; the worker goes on
                log.exception("evaluating %s failed in a worker", job.patient)
                conn.send(Done(job, (), f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()


class _Worker:
    def __init__(self, ctx: Any, args: tuple[str, str | None], index: int, results: queue.Queue) -> None:
        self._ctx = ctx
        self._args = args
        self.index = index
        self._results = results
        self.busy: Job | None = None
        self.on_done: Callable[[], None] = lambda: None
        self._start()

    def _start(self) -> None:
        self.conn, child = self._ctx.Pipe()
        level = logging.getLogger().getEffectiveLevel()
        self.proc = self._ctx.Process(
            target=_worker,
            args=(*self._args, child, level),
            name=f"bedside-evaluation-{self.index}",
            daemon=True,
        )
        self.proc.start()
        child.close()
        self._reader = threading.Thread(target=self._read, name=f"evaluation-{self.index}", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        conn = self.conn
        while True:
            try:
                done = conn.recv()
            except (EOFError, OSError):
                job = self.busy
                if job is not None:  # died with a job: the runner puts the patient back
                    self._results.put(Done(job, (), "the evaluation worker exited"))
                    self.on_done()
                return
            self._results.put(done)
            self.on_done()

    def submit(self, job: Job) -> None:
        if not self.proc.is_alive():
            log.error(
                "evaluation worker %d exited (code %s): starting it again", self.index, self.proc.exitcode
            )
            self._start()
        self.busy = job
        self.conn.send(job)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=5)
        self.conn.close()


class EvaluationPool:
    """`workers` processes; results arrive on `results` and `on_done` is called for each."""

    def __init__(self, url: str, rules_file: str | None, workers: int, on_done: Callable[[], None]) -> None:
        ctx = mp.get_context("spawn")  # no fork of a process holding threads and a database
        self.results: queue.Queue[Done] = queue.Queue()
        self._workers = [_Worker(ctx, (url, rules_file), i, self.results) for i in range(workers)]
        for w in self._workers:
            w.on_done = on_done
        self._ids = 0

    def __len__(self) -> int:
        return len(self._workers)

    def worker_of(self, patient: PatientRef | None) -> int:
        """Sticky: a patient's data cache lives in its worker. A checksum of the reference's text,
        which (unlike Python's hash of a str) is the same in every process and every run."""
        text = "" if patient is None else str(patient)
        return zlib.crc32(text.encode("utf-8")) % len(self._workers)

    def free(self, index: int) -> bool:
        return self._workers[index].busy is None

    def submit(
        self,
        patient: PatientRef | None,
        episodes: list[tuple[InfusionEpisode, float | None]],
        now: float,
        events_changed: bool,
        latency_from: float | None,
    ) -> None:
        self._ids += 1
        job = Job(self._ids, patient, tuple(episodes), now, events_changed, latency_from)
        self._workers[self.worker_of(patient)].submit(job)

    def finished(self, done: Done) -> None:
        """The runner took `done`: its worker may have the next job."""
        for w in self._workers:
            if w.busy is not None and w.busy.job_id == done.job.job_id:
                w.busy = None

    def stop(self) -> None:
        for w in self._workers:
            w.stop()


def default_workers() -> int:
    """Two from four cores up. On two cores, workers do not shorten a ward's burst of minute closes
    (the workers, the recording thread, ingest and its senders share them), so there the runner
    evaluates by itself."""
    return 2 if (os.cpu_count() or 1) >= 4 else 0
