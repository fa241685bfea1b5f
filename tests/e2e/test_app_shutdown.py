"""The real `bedside --demo` and its process tree: Ctrl+C, SIGTERM, closing the window and SIGKILL of
the window all leave no process behind (ingest, its alerting process, the simulated monitor).

Every process of the tree is found by a marker in its environment (inherited by every descendant,
also after a dead window's children were re-parented to init), and by walking /proc from the window's
pid; leftovers are killed in a finally so a failing test never leaks processes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")]

ROOT = Path(__file__).resolve().parents[2]


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def tree(marker: str, root: int | None = None) -> dict[int, str]:
    """Live (not zombie) processes carrying `marker` in their environment, or descending from `root`."""
    parents: dict[int, int] = {}
    found: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        pid = int(entry)
        st = _stat(pid)
        if st is None or st[0] == "Z":
            continue
        parents[pid] = st[1]
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            env = []
        if marker.encode() in env:
            found[pid] = _cmdline(pid)
    if root is not None:
        for pid in parents:
            p = pid
            while p in parents and p != root:
                p = parents[p]
            if p == root and pid != root:
                found[pid] = _cmdline(pid)
    return found


def wait_for(what: str, check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def children_up(procs: dict[int, str]) -> bool:
    cmds = list(procs.values())
    return (
        any("bedside_adapters.ingest.main" in c for c in cmds)
        and any("simulate" in c for c in cmds)
        and any("spawn_main" in c for c in cmds)  # the alerting process of ingest
    )


def kill_leftovers(marker: str) -> dict[int, str]:
    left = tree(marker)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return left


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`bedside --demo` started for real, offscreen, in its own session (so a group signal is a Ctrl+C)."""
    marker = f"BEDSIDE_TEST_TREE={uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BEDSIDE_DB_URL")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        BEDSIDE_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # the window's saved layout stays out of $HOME
    )
    key, _, value = marker.partition("=")
    env[key] = value
    log = (tmp_path / "app.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bedside_ui.app", "--demo", "--history", "2", "--size", "1024x700"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        try:
            wait_for(
                "the window to start ingest, alerting and the simulator",
                lambda: proc.poll() is None and children_up(tree(marker, proc.pid)),
                90,
            )
        except BaseException:
            log.flush()
            print((tmp_path / "app.log").read_text(errors="replace")[-4000:], tree(marker, proc.pid))
            raise
        yield proc, marker
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        leaked = kill_leftovers(marker)
        log.close()
        assert not leaked, f"processes left running: {leaked}"


def assert_all_gone(proc: subprocess.Popen[bytes], marker: str, window_exits: bool = True) -> None:
    if window_exits:
        wait_for("the window to exit", lambda: proc.poll() is not None, 30)
    wait_for("every process of the tree to exit", lambda: not tree(marker), 30)


def test_ctrl_c_stops_the_window_and_every_child(demo) -> None:  # type: ignore[no-untyped-def]
    proc, marker = demo
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends to the foreground group on Ctrl+C
    assert_all_gone(proc, marker)
    assert proc.returncode in (0, 130)


def test_sigterm_to_the_window_stops_every_child(demo) -> None:  # type: ignore[no-untyped-def]
    proc, marker = demo
    os.kill(proc.pid, signal.SIGTERM)
    assert_all_gone(proc, marker)
    assert proc.returncode in (0, 143)


def test_children_end_when_the_window_is_killed(demo) -> None:  # type: ignore[no-untyped-def]
    proc, marker = demo
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert_all_gone(proc, marker, window_exits=False)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_closing_the_window_stops_every_child_and_review_opens_once_the_patient_exists(
    qapp, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """In this process (closing needs the window's own hands): `bedside --demo --review --listen …`;
    the review shows the demo patient once ingest has stored it, then the window is closed. The
    application exists first (`qapp`, which main() reuses): a timer needs its event loop."""
    from bedside_ui.app import main
    from bedside_ui.main_window import MainWindow
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    QSettings.setPath(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qt-settings"))
    )
    marker = uuid.uuid4().hex
    monkeypatch.setenv("BEDSIDE_TEST_TREE", marker)
    port = _free_port()
    seen: dict[str, object] = {}
    started = time.monotonic()

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows:
            return
        window = windows[0]
        procs = tree(f"BEDSIDE_TEST_TREE={marker}")
        review = window.review
        loaded = review is not None and review.data is not None
        if children_up(procs) and loaded:
            seen["ingest"] = [c for c in procs.values() if "bedside_adapters.ingest.main" in c]
            seen["review"] = review.patient_ref  # type: ignore[union-attr]
        elif time.monotonic() - started < 90:
            return
        timer.stop()
        window.close()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(200)
    try:
        code = main(
            ["--demo", "--review", "--history", "2", "--size", "1024x700", "--listen", f"127.0.0.1:{port}"]
        )
        assert code == 0
        assert str(seen.get("review", "")).startswith("SIM4417^"), "the review never showed the demo patient"
        assert any(f"--listen 127.0.0.1:{port}" in c for c in seen["ingest"])  # type: ignore[attr-defined]
        wait_for("every process of the tree to exit", lambda: not tree(f"BEDSIDE_TEST_TREE={marker}"), 30)
    finally:
        timer.stop()
        kill_leftovers(f"BEDSIDE_TEST_TREE={marker}")


def test_without_a_display_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from bedside_ui.app import main

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--demo"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "bedside: no display: set DISPLAY or use make screenshot\n"
