"""`bedside`: the Qt app and the UI composition root.

Standalone (SQLite, the default): starts and supervises the ingest service as a child process.
Ward (`--db postgresql://…` or `--no-ingest`): only reads the database a `bedside-ingest` service fills.
`--demo`: a fresh synthetic database plus the simulator sending a synthetic course (`--scenario`) over MLLP.

Who may sign in at the screens comes from the site's bedside.toml (`--auth-config`, else the data
dir's): Bedside's own accounts or the hospital's directory, and the idle time before a screen locks.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import shutil
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bedside import __version__
from bedside.i18n import LANGUAGES
from bedside.resources import scenario_names

if TYPE_CHECKING:
    from bedside_ui.main_window import MainWindow
    from PySide6.QtWidgets import QApplication

NO_DISPLAY = "bedside: no display: set DISPLAY or use make screenshot"


def _listen_address(text: str) -> tuple[str, int]:
    from bedside_adapters.ingest.main import parse_address

    return parse_address(text)


def build_parser() -> argparse.ArgumentParser:
    from bedside_adapters import cli_app_help as said
    from bedside_adapters.cli_words import choice

    from bedside.i18n import _

    p = argparse.ArgumentParser(prog="bedside", description=_(said.DESCRIPTION))
    p.add_argument(
        "--version",
        action="version",
        version=f"bedside {__version__}",
        help=_("show program's version number and exit"),
    )
    p.add_argument("--db", help=_(said.DB))
    p.add_argument("--listen", type=_listen_address, metavar="HOST:PORT", help=_(said.LISTEN))
    p.add_argument("--demo", action="store_true", help=_(said.DEMO))
    p.add_argument(
        "--scenario",
        default="improving",
        help=_(said.SCENARIO).format(names=said.scenarios_text(scenario_names())),
    )
    p.add_argument("--history", type=float, default=None, metavar="HOURS", help=_(said.HISTORY))
    p.add_argument("--ingest", dest="ingest", action="store_true", default=None, help=_(said.INGEST))
    p.add_argument("--no-ingest", dest="ingest", action="store_false", help=_(said.NO_INGEST))
    p.add_argument("--ward", action="store_true", help=_(said.WARD))
    p.add_argument("--patient", help=_(said.PATIENT))
    p.add_argument("--stale-after", type=float, default=15.0, metavar="SECONDS", help=_(said.STALE_AFTER))
    p.add_argument("--screenshot", metavar="FILE", help=_(said.SCREENSHOT))
    p.add_argument(
        "--screenshot-after", type=float, default=20.0, metavar="SECONDS", help=_(said.SCREENSHOT_AFTER)
    )
    p.add_argument("--theme", **choice(said.THEMES), help=_(said.THEME))
    p.add_argument("--size", metavar="WIDTHxHEIGHT", help=_(said.SIZE))
    p.add_argument("--sound", action="store_true", help=_(said.SOUND))
    p.add_argument("--review", action="store_true", help=_(said.REVIEW))
    p.add_argument("--span", type=float, default=None, metavar="HOURS", help=_(said.SPAN))
    p.add_argument("--lang", choices=sorted(LANGUAGES), help=_(said.LANG))
    p.add_argument("--auth-config", type=Path, metavar="FILE", help=_(said.AUTH_CONFIG))
    return p


def forget_demo_anchors(url: str) -> None:
    """The demo's database is deleted and created anew under the same path at every start: its
    anchors from the run before name a log that no longer exists, so they go with it (another
    database's anchors in the same file stay)."""
    from bedside_adapters import anchors
    from bedside_adapters.db.engine import data_dir
    from bedside_adapters.db.log_verify import database_identity

    anchors.forget_database(anchors.anchor_path(data_dir()), database_identity(url))


def demo_accounts(engine, demo_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The demo's fresh database, at this version's schema, with the demo's accounts (their
    credentials files in the demo's folder, for scripts)."""
    from bedside_adapters.auth.demo import create_demo_accounts
    from bedside_adapters.db.migrate import upgrade

    upgrade(engine)
    create_demo_accounts(engine, demo_dir / "credentials")


def signing_in(engine, config: Path | None, demo: bool):  # type: ignore[no-untyped-def]
    """The site's authenticator, idle time and (in the demo) the accounts the login lists."""
    from bedside_adapters.auth.config import load_auth_config
    from bedside_adapters.auth.site import site_authenticator
    from bedside_ui.login_dialog import DemoAccount

    from bedside.users import Role

    listed: list[DemoAccount] = []
    if demo:
        from bedside_adapters.auth.demo import DEMO_ACCOUNTS

        listed = [
            DemoAccount(name, password, str(role), full)
            for name, full, role, password in DEMO_ACCOUNTS
            if role is not Role.SERVICE
        ]
    return site_authenticator(engine, config), load_auth_config(config).idle_lock_minutes, listed


def main(argv: list[str] | None = None) -> int:
    from bedside_adapters.cli import preset_language

    preset_language(argv)  # --help and the parser's refusals in the language asked for
    args = build_parser().parse_args(argv)
    if sys.platform.startswith("linux") and not any(
        os.environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        # Qt's own message (no xcb plugin) sends people looking for a missing library.
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    from bedside_adapters.db.engine import (
        data_dir,
        is_standalone,
        open_or_create,
        password_on_command_line,
        resolve_url,
    )
    from bedside_adapters.db.migrate import DatabaseTooNew, check_not_newer
    from bedside_adapters.db.queries import sql_ports
    from bedside_ui.i18n import install_language
    from bedside_ui.main_window import MainWindow
    from bedside_ui.supervisor import Supervisor
    from bedside_ui.window_fit import KeptOnScreen, fit_to_screen
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

    from bedside.model import PatientRef
    from bedside.parameters import ParameterCatalog

    exposed = password_on_command_line(args.db)
    if exposed:
        logging.getLogger("bedside").warning("%s", exposed)
    if args.demo and not args.db:
        demo_dir = data_dir() / "demo"
        shutil.rmtree(demo_dir, ignore_errors=True)  # synthetic data only: every demo starts fresh
        url = resolve_url(str(demo_dir / "bedside-demo.sqlite3"))
        forget_demo_anchors(url)
    else:
        url = resolve_url(args.db)
    standalone = is_standalone(url)
    run_ingest = standalone if args.ingest is None else args.ingest

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Bedside")
    app.setOrganizationName("Bedside")
    install_language(app, args.lang)
    engine = open_or_create(url, migrate=False)  # ingest (or the import) brings the schema
    try:
        check_not_newer(engine)
    except DatabaseTooNew as exc:
        QMessageBox.critical(
            None, QCoreApplication.translate("Bedside", "Bedside cannot open this database"), str(exc)
        )
        return 2
    except Exception:
        pass  # not reachable yet: the window says so and keeps retrying

    if args.demo and not args.db:
        demo_accounts(engine, demo_dir)
    from bedside_adapters.auth.config import AuthConfigError

    try:
        authenticator, idle_minutes, listed = signing_in(engine, args.auth_config, args.demo)
    except AuthConfigError as exc:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("Bedside", "Bedside cannot read the site's sign-in settings"),
            str(exc),
        )
        return 2

    history = args.history
    if history is None:
        from bedside.course_spec import load_beds

        history = load_beds(args.scenario, time.time())[0].spec.demo_history_hours
    supervisor = (
        Supervisor(
            url, demo=args.demo, demo_history_hours=history, demo_scenario=args.scenario, listen=args.listen
        )
        if run_ingest
        else None
    )
    stop_collecting = _collect_on_the_gui_thread()
    # The screens read and write through these ports only: this is the one place that knows the database.
    ports = sql_ports(engine)
    window = MainWindow(
        ports,
        ParameterCatalog.load(),
        clock=time.time,
        supervisor=supervisor,
        demo=args.demo,
        stale_after=args.stale_after,
        patient=PatientRef.parse(args.patient) if args.patient else None,
        theme=args.theme,
        restore_geometry=not args.size,
        authenticator=authenticator,
        idle_lock_minutes=idle_minutes,
        demo_accounts=listed,
    )
    if args.screenshot and args.demo:
        # The picture shows the screen as a nurse uses it: the demo's nurse signed in.
        nurse = next(a for a in listed if a.role == "nurse")
        window.screen_lock.start_session(authenticator.authenticate(nurse.username, nurse.password))
    ward = None
    if args.ward or (args.demo and args.scenario == "ward"):
        # A central station: every bed on one screen, the nurse's screen of a bed one click away.
        from bedside_ui.ward_window import WardWindow

        ward = WardWindow(ports.ward, window, clock=time.time, stale_after=args.stale_after, demo=args.demo)
    top: QMainWindow = ward if ward is not None else window
    if args.size or not window.restored or ward is not None:
        width, _, height = (args.size or "1366x768").partition("x")
        top.resize(int(width), int(height))
    if args.span:
        window.on_view_changed(args.span * 3600.0, None)
        window.trends.span = args.span * 3600.0
    top.show()
    # What is built by now lives as long as the window: frozen out of the collector's sight, a full
    # collection no longer walks it in the middle of a frame (gc.freeze, Python 3.7+).
    gc.collect()
    gc.freeze()
    # Never wider or taller than the screen's free area, frame included (the ward's window too: a bed's
    # screen opens inside it): the window manager frames and places the window only after it is
    # shown, so look again once it has.
    for ms in (0, 500, 2000):
        QTimer.singleShot(ms, lambda: fit_to_screen(top))
    KeptOnScreen(top)  # and whenever a long text has grown it since
    if supervisor is not None:
        supervisor.start()
    window.sound_button.setChecked(args.sound)
    # The person's own close asks first while a High alert is unacknowledged; a screenshot run does not.
    window.confirm_close = not args.screenshot
    if args.review:
        _open_review_when_known(window, args.screenshot_after - 12 if args.screenshot else 0.0)
    if args.screenshot:

        def grab() -> None:
            shown = window.review if args.review and window.review is not None else top
            shown.grab().save(args.screenshot)
            app.quit()

        QTimer.singleShot(int(args.screenshot_after * 1000), grab)
    stopped_by = _stop_on_signals(app, window)
    code = app.exec()
    if ward is not None:
        ward.shutdown()
    window.shutdown()
    if supervisor is not None:
        supervisor.stop()
    engine.dispose()
    signum = stopped_by()
    stop_collecting()
    return 128 + signum if signum else int(code)


def _open_review_when_known(window: MainWindow, not_before: float) -> None:
    """`--review`: the review of the patient on screen, once there is one. The demo's patient only
    exists once ingest has stored its admission, and a review opened before showed "Loading…" for
    good. It waits for the patient's first dose too (the backfill brings it within seconds), but
    not forever: a patient without a dose gets the review that says so. `not_before`: seconds
    (the screenshot wants the review of the whole backfill)."""
    from PySide6.QtCore import QTimer

    started = time.monotonic()
    known_at: list[float] = []
    timer = QTimer(window)

    def check() -> None:
        now = time.monotonic()
        snapshot = window.snapshot
        if snapshot is None or snapshot.patient is None:
            return
        if not known_at:
            known_at.append(now)
        if now - started < not_before or (not window.status.doses and now - known_at[0] < 10.0):
            return
        timer.stop()
        window.open_review()

    timer.timeout.connect(check)
    timer.start(250)


def _collect_on_the_gui_thread() -> Callable[[], None]:
    """Python's cycle collector runs on whichever thread allocates when a threshold is crossed, a
    screen's worker thread included; a closed review's pyqtgraph menus (widgets Python owns) freed
    there deadlock or crash Qt. Collection is moved to a timer on the GUI thread (pyqtgraph's
    GarbageCollector) while the windows run; returns what puts the automatic collector back."""
    from pyqtgraph.util.garbage_collector import GarbageCollector

    collector = GarbageCollector(interval=1.0)

    def stop() -> None:
        collector.timer.stop()
        gc.enable()

    return stop


def _stop_on_signals(app: QApplication, window: MainWindow) -> Callable[[], int]:
    """SIGINT (Ctrl+C), SIGTERM and SIGHUP close the windows like their close buttons, so the
    children are stopped on the way out, without the question a close button asks while a High alert
    is unacknowledged: a signal stops everything at once. Returns a function that puts the previous
    handlers back and tells which signal came (0: none).

    Python runs a handler only when the interpreter gets control, and the Qt event loop is C++:
    the signal module writes to a socket that wakes the loop, so the handler runs at once."""
    from PySide6.QtCore import QSocketNotifier

    caught: list[int] = []
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(256)

    def on_signal(signum: int, _frame: object) -> None:
        caught.append(signum)
        window.confirm_close = False
        app.closeAllWindows()
        app.quit()

    notifier.activated.connect(drain)
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    wanted = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {sig: signal.signal(sig, on_signal) for sig in wanted}

    def restore() -> int:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        reader.close()
        writer.close()
        return caught[0] if caught else 0

    return restore


if __name__ == "__main__":
    sys.exit(main())
