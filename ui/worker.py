"""The one worker-thread harness of the screens: database reads, the user's actions and report
exports run off the GUI thread, one job at a time and in the order given, so the GUI never waits on
a lock and a write never overtakes the read before it.

The runner is a QObject moved to its own QThread. Its results reach the window through signals
connected to slots of GUI-thread objects: PySide6 runs a lambda receiver in the thread that emits,
which here would be the worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


class _Runner(QObject):
    done = Signal(str, object)  # what was run, its result
    failed = Signal(str, object)  # what was run, the exception it raised

    @Slot(str, object)
    def run(self, what: str, job: Callable[[], object]) -> None:
        try:
            result = job()
        except Exception as exc:  # the window shows it and stays usable
            self.failed.emit(what, exc)
            return
        self.done.emit(what, result)


class Worker(QObject):
    """Owns the thread. `submit(what, job)` queues `job` (a function of no argument); `done(what,
    result)` or `failed(what, exception)` comes back on the GUI thread. A screen that polls asks
    again only after an answer came back, so jobs never pile up."""

    done = Signal(str, object)
    failed = Signal(str, object)
    progress = Signal(int, str)
    """How far a long job is (percent, what). Emitted from a job on the worker thread, it is queued
    to the window's slots; from the GUI thread, it calls them at once."""
    _queued = Signal(str, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._runner = _Runner()
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._runner.moveToThread(self._thread)
        self._queued.connect(self._runner.run)
        self._runner.done.connect(self.done)
        self._runner.failed.connect(self.failed)
        self._thread.start()

    def submit(self, what: str, job: Callable[[], object]) -> None:
        self._queued.emit(what, job)

    def stop(self) -> None:
        """Finish the job in hand, then end the thread."""
        self._thread.quit()
        if not self._thread.wait(10_000):
            log.error("%s did not stop within 10 s", self._name)
