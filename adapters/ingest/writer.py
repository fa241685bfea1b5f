"""The database writer thread with group commit.

Frames from every connection queue here; the thread takes what has queued up (up to `max_batch`),
reads and maps each, stores them all in ONE transaction, commits, and only then hands each
connection its ACK. With one busy sender a batch is one message; with sixteen, one commit serves
many, which is where a durable listener's time goes. Housekeeping (compaction, heartbeat) runs on
the same thread between batches, so this process never has two writers.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from adapters.ingest.pipeline import IngestPipeline, IngestResult, Prepared

log = logging.getLogger(__name__)


@dataclass
class _Frame:
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[IngestResult]
    prepare: Callable[[], Prepared]


@dataclass
class _Task:
    future: Future[Any]
    fn: Callable[[], Any]


_STOP = object()


class DatabaseWriter:
    def __init__(
        self,
        pipeline: IngestPipeline,
        max_batch: int = 64,
        on_committed: Callable[[list[IngestResult]], None] | None = None,
    ) -> None:
        self._pipeline = pipeline
        self._on_committed = on_committed
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="bedside-db-writer", daemon=True)
        self.batches = 0
        self.largest_batch = 0

    def start(self) -> None:
        self._thread.start()

    async def submit(self, prepare: Callable[[], Prepared]) -> IngestResult:
        """Queue a frame (as a function that prepares it) and wait for its committed answer."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[IngestResult] = loop.create_future()
        self._queue.put(_Frame(loop, future, prepare))
        # A connection closing while its frame is stored cancels only this wait: the writer thread
        # stores the frame all the same (its answer then finds a cancelled future and is dropped).
        return await future

    async def run(self, fn: Callable[[], Any]) -> Any:
        """Run housekeeping on the writer thread, between batches."""
        future: Future[Any] = Future()
        self._queue.put(_Task(future, fn))
        return await asyncio.wrap_future(future)

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=60)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if isinstance(item, _Task):
                self._run_task(item)
                continue
            batch = [item]
            deferred: list[Any] = []
            while len(batch) < self._max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if isinstance(more, _Frame):
                    batch.append(more)
                else:
                    deferred.append(more)
            self._commit(batch)
            for other in deferred:
                if other is _STOP:
                    return
                self._run_task(other)

    def _run_task(self, task: _Task) -> None:
        try:
            task.future.set_result(task.fn())
        except Exception as exc:  # reported to whoever awaits it
            task.future.set_exception(exc)

    def _commit(self, batch: list[_Frame]) -> None:
        prepared = []
        for frame in batch:
            try:
                prepared.append(frame.prepare())
            except Exception:  # a bug in reading: never leave a sender without an answer
                log.exception("preparing a frame failed")
                prepared.append(None)
        ready = [p for p in prepared if p is not None]
        results = iter(self._pipeline.commit_many(ready)) if ready else iter(())
        self.batches += 1
        self.largest_batch = max(self.largest_batch, len(batch))
        answers: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[IngestResult], IngestResult]]] = {}
        for frame, p in zip(batch, prepared, strict=True):
            result = next(results) if p is not None else self._pipeline.internal_error()
            answers.setdefault(frame.loop, []).append((frame.future, result))
        for loop, pairs in answers.items():
            # One wake-up of the event loop per batch, not per message.
            loop.call_soon_threadsafe(_resolve, pairs)
        if self._on_committed is not None:
            try:  # the rule engine hears of the commit; it never delays or fails an ACK
                self._on_committed([r for pairs in answers.values() for _, r in pairs])
            except Exception:
                log.exception("notifying the rule engine failed")


def _resolve(pairs: list[tuple[asyncio.Future[IngestResult], IngestResult]]) -> None:
    for future, result in pairs:
        if not future.done():
            future.set_result(result)
