"""Standalone mode: the UI starts the ingest service (and, in the demo, a simulated monitor) as child
processes, restarts them when they exit (the simulator only when it did not finish its course), and
tells the window how they are.

Ingest lives in its own process so that a hung UI never stops ingest (docs/architecture.md).
"""

from __future__ import annotations

import logging
import os
import socket
import sys

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTimer,
    Signal,
    Slot,
)

from bedside import i18n

log = logging.getLogger(__name__)

MAX_BACKOFF_MS = 30_000
STATES = {
    "not started": QT_TRANSLATE_NOOP("Supervisor", "not started"),
    "starting": QT_TRANSLATE_NOOP("Supervisor", "starting"),
    "running": QT_TRANSLATE_NOOP("Supervisor", "running"),
    "stopped": QT_TRANSLATE_NOOP("Supervisor", "stopped"),
    "finished": QT_TRANSLATE_NOOP("Supervisor", "finished: its course has ended"),
}
"""A child's states, as the code compares them; the screen shows them translated."""


def free_port(host: str = "127.0.0.1") -> int:
    """A port that is free now; kept for the whole session so a restarted ingest reuses it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class SupervisedProcess(QObject):
    """One child process, restarted with back-off whenever it exits unless we stopped it."""

    state_changed = Signal(str)
    line = Signal(str)

    def __init__(
        self,
        name: str,
        module: str,
        args: list[str],
        ready_marker: str | None = "listening on",
        parent: QObject | None = None,
        env: dict[str, str] | None = None,
        ends_when_done: bool = False,
    ) -> None:
        """`env`: variables the child gets on top of this process's environment (a secret goes there:
        another account may read a process's command line, never its environment).
        `ends_when_done`: a clean exit (code 0) means the child did all it had to (the simulator sent
        its scenario's whole course) and it is not restarted; a crash or an error still is."""
        super().__init__(parent)
        self.name = name
        self._ready_marker = ready_marker
        self._module = module
        self._args = args
        self._stopping = False
        self._ends_when_done = ends_when_done
        self.restarts = 0
        self._backoff_ms = 1000
        self.state = "not started"
        self._proc = QProcess(self)
        self._proc.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        # A session of its own: Ctrl+C in the terminal reaches only the window, which then stops its
        # children in order. When the terminal's SIGINT reached ingest too, ingest stopped by itself
        # and was restarted as if it had crashed.
        self._proc.setUnixProcessParameters(QProcess.UnixProcessFlag.CreateNewSession)
        if env:
            environment = QProcessEnvironment.systemEnvironment()
            for name, value in env.items():
                environment.insert(name, value)
            self._proc.setProcessEnvironment(environment)
        self._proc.readyReadStandardOutput.connect(self._on_stdout)
        self._proc.readyReadStandardError.connect(self._on_stderr)
        self._proc.finished.connect(self._on_finished)
        self._proc.errorOccurred.connect(self._on_error)
        self._proc.started.connect(self._on_started)
        self._restart_timer = QTimer(self)
        self._restart_timer.setSingleShot(True)
        self._restart_timer.timeout.connect(self.start)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    @Slot()
    def start(self) -> None:
        self._stopping = False
        # Through adapters.lifeline: the child ends when this process ends, even by SIGKILL.
        lifeline = ["-m", "bedside_adapters.lifeline", str(os.getpid()), self._module]
        self._proc.start(sys.executable, [*lifeline, *self._args])
        self._set_state("starting")

    @Slot()
    def _on_started(self) -> None:
        if self._ready_marker is None:
            self._set_state("running")

    @Slot()
    def _on_stdout(self) -> None:
        text = bytes(self._proc.readAllStandardOutput().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            if self._ready_marker is not None and self._ready_marker in line:
                self._backoff_ms = 1000
                self._set_state("running")
            self.line.emit(line)

    @Slot()
    def _on_stderr(self) -> None:
        text = bytes(self._proc.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            log.info("[%s] %s", self.name, line)

    @Slot(int, QProcess.ExitStatus)
    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        if self._stopping:
            self._set_state("stopped")
            return
        if self._ends_when_done and code == 0 and status == QProcess.ExitStatus.NormalExit:
            # Started again, a finished simulator would send its course again from a new start,
            # shifted in time: a second set of doses, deaths and readings on the same patient.
            self._set_state("finished")
            return
        self.restarts += 1
        self.exited = (code, self._backoff_ms // 1000)
        self._set_state(f"exited ({code}); restarting in {self._backoff_ms // 1000} s")
        self._restart_timer.start(self._backoff_ms)
        self._backoff_ms = min(MAX_BACKOFF_MS, self._backoff_ms * 2)

    exited: tuple[int, int] = (0, 0)
    """The last exit's code and the seconds until the restart."""

    def state_text(self) -> str:
        """The state as the screen says it, in the language chosen (`state` is for the code)."""
        if self.state.startswith("exited"):
            code, seconds = self.exited
            return QCoreApplication.translate(
                "Supervisor", "exited ({code}); restarting in {seconds} s"
            ).format(code=code, seconds=seconds)
        return QCoreApplication.translate("Supervisor", STATES.get(self.state, self.state))

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._on_finished(-1, QProcess.ExitStatus.CrashExit)

    @property
    def pid(self) -> int:
        return int(self._proc.processId())

    def stop(self, timeout_ms: int = 10_000) -> None:
        """SIGTERM, wait for a clean exit (ingest finishes the frames in hand), then kill."""
        self._stopping = True
        self._restart_timer.stop()
        if self._proc.state() == QProcess.ProcessState.NotRunning:
            return
        if self._proc.state() == QProcess.ProcessState.Starting:
            self._proc.waitForStarted(2000)  # a signal to a process not yet forked would be lost
        self._proc.terminate()
        if not self._proc.waitForFinished(timeout_ms):
            self._proc.kill()
            self._proc.waitForFinished(2000)


class Supervisor(QObject):
    """Ingest, and in the demo a simulated monitor, as supervised children."""

    changed = Signal()

    def __init__(
        self,
        db_url: str,
        demo: bool,
        parent: QObject | None = None,
        demo_history_hours: float = 100.0,
        demo_scenario: str = "improving",
        listen: tuple[str, int] | None = None,
    ) -> None:
        """`listen`: where ingest takes MLLP (a gateway sends there); default a loopback port that is
        free now, kept for the session (only this PC's simulator sends to it)."""
        super().__init__(parent)
        self.host, self.port = listen or ("127.0.0.1", free_port())
        # The simulator reaches an ingest listening on every interface through loopback.
        target = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        self.ingest = SupervisedProcess(
            "ingest",
            "bedside_adapters.ingest.main",
            # One bed's devices send a few messages a second: a read-ahead process would only cost
            # the bedside PC memory (it pays off under a ward's or hospital's load).
            [
                "--listen",
                f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}",
                "--read-ahead",
                "off",
            ],
            parent=self,
            # The database by the environment, not `--db`: a PostgreSQL URL may carry a password.
            env={"BEDSIDE_DB_URL": db_url},
        )
        self.ingest.state_changed.connect(self._on_changed)
        self.simulator: SupervisedProcess | None = None
        if demo:
            self.simulator = SupervisedProcess(
                "simulated monitor",
                "bedside_adapters.cli",
                # The synthetic course (bedside/course.py), started `demo_history_hours` ago so a new
                # user sees a patient mid-course with past doses, then live with a report every second.
                [
                    # The screens' language: a Spanish demo's eMAR writes its drugs in Spanish.
                    "--lang",
                    i18n.language(),
                    "simulate",
                    "--scenario",
                    demo_scenario,
                    "--report-interval",
                    "1",
                    "--to",
                    f"[{target}]:{self.port}" if ":" in target else f"{target}:{self.port}",
                    "--backfill",
                    f"{demo_history_hours:g}",
                ],
                ready_marker=None,
                parent=self,
                ends_when_done=True,
            )
            self.simulator.state_changed.connect(self._on_changed)

    @Slot(str)
    def _on_changed(self, _state: str) -> None:
        if (
            self.simulator is not None
            and self.ingest.state == "running"
            and self.simulator.state == "not started"
        ):
            self.simulator.start()
        self.changed.emit()

    def start(self) -> None:
        self.ingest.start()

    def stop(self) -> None:
        if self.simulator is not None:
            self.simulator.stop(3000)
        self.ingest.stop()

    def describe(self) -> str:
        parts = [
            QCoreApplication.translate("Supervisor", "Ingest {address}: {state}").format(
                address=f"{self.host}:{self.port}", state=self.ingest.state_text()
            )
        ]
        if self.ingest.restarts:
            parts[-1] += QCoreApplication.translate("Supervisor", " (restarted {n}×)").format(
                n=self.ingest.restarts
            )
        if self.simulator is not None:
            parts.append(
                QCoreApplication.translate("Supervisor", "Simulated monitor: {state}").format(
                    state=self.simulator.state_text()
                )
            )
        return " · ".join(parts)
