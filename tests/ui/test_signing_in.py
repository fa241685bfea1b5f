"""Signing in, locking and signing at the nurse's screen, through its real widgets on a SQLite file the
`reaction` course was ingested into: the screen starts locked and still shows what it watches, a wrong
password signs nobody in, the screen locks when idle and on "Switch user", and an acknowledgement is a
signature (both components the first time in a session, the password only after) that the Alerts
list, the banner, the review and the report then show."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bedside_adapters.db import schema as t
from bedside_adapters.db.queries import sql_ports
from bedside_ui.dialogs import AckDialog
from bedside_ui.login_dialog import DemoAccount, LoginDialog
from bedside_ui.main_window import MainWindow
from bedside_ui.report import build
from bedside_ui.signature_dialog import SignatureDialog
from PySide6.QtCore import QSettings, Qt
from sqlalchemy import select

from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.session import MAX_FAILED_SIGNATURES
from bedside.users import IMPLIED_MEANING, Action
from tests.ui.signing import ANA, LUIS, Accounts, fill_signature, password, signed_in, when_modal
from tests.ui.test_alert_acknowledgement import TWO_PROBLEMS, acked, open_list, templates, two_problems
from tests.ui.test_nurse_screen import PATIENT

__all__ = ["templates", "two_problems"]  # the fixtures this module uses

ACK_MEANING = IMPLIED_MEANING[Action.ACKNOWLEDGE]


class IdleClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def window_for(qtbot, engine, idle: IdleClock | None = None, **kw) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        sql_ports(engine),
        ParameterCatalog.load(),
        clock=lambda: TWO_PROBLEMS,
        refresh_ms=100,
        settings=settings,
        authenticator=Accounts(),
        idle_clock=idle or IdleClock(),
        **kw,
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def kinds(engine, kind: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    with engine.connect() as conn:
        return conn.execute(
            select(t.safety_log).where(t.safety_log.c.kind == kind).order_by(t.safety_log.c.seq)
        ).all()


def action_buttons(window: MainWindow) -> dict[str, bool]:
    buttons = {
        "start": window.start_button,
        "acknowledge": window.ack_button,
        "sign check": window.sign_button,
        "adverse event": window.ae_button,
        "vitals": window.vitals_button,
        "mute": window.mute_button,
    }
    return {name: b.isEnabled() for name, b in buttons.items()}


def test_the_screen_starts_locked_showing_the_alerts_and_trends_with_every_action_disabled(
    qtbot, two_problems
) -> None:
    window = window_for(qtbot, two_problems)
    try:
        qtbot.waitUntil(lambda: len(window.status.alerts) == 2 and window.refreshes >= 3, timeout=15_000)
        assert window.session.locked
        bar = window.header.session_bar
        assert bar.sign_in_button.isVisible() and bar.sign_in_button.text() == "Locked — sign in"
        assert not bar.switch_button.isVisible() and not bar.lock_button.isVisible()
        # What it watches is on screen and live: the banner, the tiles, the trends.
        assert "Feed stopped" in window.banner.text() and "not acknowledged" in window.banner.text()
        assert window.numerics.tiles["hr"].reading is not None
        assert any(plot.points() for plot in window.trends.plots)
        assert window.banner_frame.isVisible() and window.trends.isVisible()
        assert not any(action_buttons(window).values()), action_buttons(window)
        assert window.review_button.isEnabled()  # the review is read while locked; its actions wait
        # The list can be looked at; acknowledging from it waits for a sign-in.
        dialog = open_list(qtbot, window)
        dialog.select_alert(window.status.alerts[0].id)
        assert not dialog.ack_button.isEnabled() and "sign in" in dialog.signer.text()
    finally:
        window.shutdown()


def test_a_wrong_password_signs_nobody_in_and_the_right_one_unlocks(qtbot, two_problems) -> None:
    demo = [DemoAccount("ana", password(ANA), "nurse", "Ana Lopez")]
    window = window_for(qtbot, two_problems, demo_accounts=demo)
    try:
        qtbot.waitUntil(lambda: len(window.status.alerts) == 2, timeout=15_000)
        seen: list[str] = []

        def login(dialog: LoginDialog) -> None:
            assert dialog.demo_list is not None and "ana / ana-pw" in dialog.demo_list.item(0).text()
            dialog.username.setText("ana")
            dialog.password.setText("not-her-password")
            dialog.accept()
            seen.append(dialog.error.text())
            assert dialog.isVisible() and dialog.password.text() == "" and dialog.username.text() == "ana"
            assert window.session.locked
            dialog.password.setText(password(ANA))
            dialog.accept()

        when_modal(LoginDialog, login)
        qtbot.mouseClick(window.header.session_bar.sign_in_button, Qt.MouseButton.LeftButton)
        assert seen == ["Not signed in: unknown user or wrong password."]
        assert window.session.user == ANA
        qtbot.waitUntil(
            lambda: window.ack_button.isEnabled() and window.sign_button.isEnabled(), timeout=15_000
        )
        buttons = action_buttons(window)
        assert all(buttons.values()), buttons
        bar = window.header.session_bar
        assert bar.who.text() == "Ana Lopez · nurse" and bar.switch_button.isVisible()
        assert not bar.sign_in_button.isVisible()
        qtbot.waitUntil(lambda: bool(kinds(two_problems, "session.signed_in")), timeout=15_000)
        (refused,) = kinds(two_problems, "session.refused")
        (signed,) = kinds(two_problems, "session.signed_in")
        assert refused.actor == "ana" and json.loads(refused.payload)["at"] == "sign-in"
        assert "not-her-password" not in refused.payload
        assert signed.actor == "ana" and json.loads(signed.payload)["role"] == "nurse"
    finally:
        window.shutdown()


def test_the_screen_locks_when_idle_and_activity_postpones_it(qtbot, two_problems) -> None:
    idle = IdleClock()
    window = signed_in(window_for(qtbot, two_problems, idle, idle_lock_minutes=5), ANA)
    try:
        qtbot.waitUntil(lambda: window.ack_button.isEnabled(), timeout=15_000)
        idle.now += 299
        qtbot.keyClick(window, Qt.Key.Key_Shift)  # a key anywhere: the event filter sees it
        idle.now += 299
        refreshes = window.refreshes
        qtbot.waitUntil(lambda: window.refreshes >= refreshes + 3, timeout=15_000)
        assert not window.session.locked  # 598 s since the sign-in, 299 since the key
        idle.now += 2
        qtbot.waitUntil(lambda: window.session.locked, timeout=15_000)
        bar = window.header.session_bar
        assert bar.sign_in_button.text() == "Locked — sign in"
        assert bar.last_user.isVisible() and bar.last_user.text() == "last: Ana Lopez"
        assert not any(action_buttons(window).values())
        assert "Feed stopped" in window.banner.text()  # still watching
        qtbot.waitUntil(lambda: bool(kinds(two_problems, "session.locked")), timeout=15_000)
        (locked,) = kinds(two_problems, "session.locked")
        assert locked.actor == "ana" and json.loads(locked.payload)["reason"] == "idle"
    finally:
        window.shutdown()


def test_a_lock_closes_an_unfinished_dialog_and_nothing_is_written(qtbot, two_problems) -> None:
    idle = IdleClock()
    window = signed_in(window_for(qtbot, two_problems, idle), ANA)
    try:
        qtbot.waitUntil(lambda: window.ack_button.isEnabled(), timeout=15_000)
        top = window.status.alerts[0]
        opened: list[AckDialog] = []

        def walk_away(dialog: AckDialog) -> None:
            opened.append(dialog)
            dialog.comment.setText("half typed")
            idle.now += window.session.idle_after  # nobody touches the screen for the idle time

        when_modal(AckDialog, walk_away)
        qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
        assert opened and not opened[0].isVisible() and window.session.locked
        assert acked(two_problems, top.id)[1] == []
    finally:
        window.shutdown()


def test_switch_user_locks_and_signs_the_next_user_in_at_once(qtbot, two_problems) -> None:
    window = signed_in(window_for(qtbot, two_problems), ANA)
    try:
        qtbot.waitUntil(lambda: window.ack_button.isEnabled(), timeout=15_000)

        def login(dialog: LoginDialog) -> None:
            assert window.session.locked  # Ana's session ended before the login opened
            dialog.username.setText("luis")
            dialog.password.setText(password(LUIS))
            dialog.accept()

        when_modal(LoginDialog, login)
        qtbot.mouseClick(window.header.session_bar.switch_button, Qt.MouseButton.LeftButton)
        assert window.session.user == LUIS and window.session.last_user == ANA
        assert window.header.session_bar.who.text() == "Luis Ortega · intensivist"
        qtbot.waitUntil(lambda: bool(kinds(two_problems, "session.signed_in")), timeout=15_000)
        (locked,) = kinds(two_problems, "session.locked")
        assert locked.actor == "ana" and json.loads(locked.payload)["reason"] == "switch user"
        assert [r.actor for r in kinds(two_problems, "session.signed_in")] == ["luis"]
    finally:
        window.shutdown()


def test_acknowledging_is_a_signature_shown_in_the_list_and_the_banner(qtbot, two_problems) -> None:
    window = signed_in(window_for(qtbot, two_problems), ANA)
    try:
        qtbot.waitUntil(
            lambda: len(window.status.alerts) == 2 and window.ack_button.isEnabled(), timeout=15_000
        )
        stale, desat = window.status.alerts
        asked: list[tuple[bool, bool, str]] = []

        def sign(dialog: SignatureDialog) -> None:
            asked.append(
                (dialog.request.both_components, dialog.username.isVisible(), dialog.printed_name.text())
            )
            assert dialog.implied is not None and dialog.implied.text() == ACK_MEANING
            fill_signature(dialog, ANA)
            dialog.accept()

        # The first signature of the session: username and password.
        when_modal(AckDialog, lambda d: d.accept())
        when_modal(SignatureDialog, sign)
        qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Desaturation" in window.banner.text(), timeout=15_000)
        # The next one: the password only.
        when_modal(AckDialog, lambda d: d.accept())
        when_modal(SignatureDialog, sign)
        qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.ack_button.isEnabled(), timeout=15_000)
        assert asked == [(True, True, "<b>Ana Lopez</b> (nurse)"), (False, False, "<b>Ana Lopez</b> (nurse)")]

        for alert in (stale, desat):
            row, log = acked(two_problems, alert.id)
            assert row.acked_by == "ana" and len(log) == 1 and log[0].actor == "ana"
            signature = json.loads(log[0].payload)["signature"]
            assert (signature["name"], signature["role"], signature["meaning"]) == (
                "Ana Lopez",
                "nurse",
                ACK_MEANING,
            )
        qtbot.waitUntil(lambda: "acknowledged by Ana Lopez (nurse)" in window.banner.text(), timeout=15_000)

        dialog = open_list(qtbot, window)
        row = dialog.row_of(desat.id)
        assert dialog.table.item(row, 6).text() == "Ana Lopez"
        assert dialog.table.item(row, 9).text() == f"nurse · {ACK_MEANING}"
        assert "Signed: Ana Lopez (nurse)" in dialog.table.item(row, 6).toolTip()

    finally:
        window.shutdown()


def test_the_signatures_are_shown_in_the_review_and_the_report(qtbot, two_problems) -> None:
    from functools import partial

    from bedside_adapters.db.unit_of_work import SqlUnitOfWork
    from bedside_ui import actions
    from bedside_ui.review_window import ReviewWindow

    from bedside.users import Signature
    from tests.ui.signing import acting_as

    with two_problems.connect() as conn:
        ids = [r.id for r in conn.execute(select(t.alert.c.id).where(t.alert.c.state == "raised"))]
    signature = Signature.of(ANA, Action.ACKNOWLEDGE, TWO_PROBLEMS)
    actions.ack_alerts(partial(SqlUnitOfWork, two_problems), ids, ANA, signature, "")
    with two_problems.connect() as conn:
        episode = conn.execute(select(t.infusion_episode.c.id)).scalars().first()
    check = Signature.of(ANA, Action.SIGN_CHECK, TWO_PROBLEMS + 60)
    actions.sign_check(
        partial(SqlUnitOfWork, two_problems),
        PatientRef.parse(PATIENT),
        episode,
        "p60",
        "+60 min",
        "HR 118",
        "flushed",
        ANA,
        check,
    )
    acting = acting_as(LUIS)
    review = ReviewWindow(
        sql_ports(two_problems), PatientRef.parse(PATIENT), clock=lambda: TWO_PROBLEMS, acting=acting
    )
    acting.setParent(review)
    qtbot.addWidget(review)
    review.show()
    try:
        qtbot.waitUntil(lambda: review.data is not None, timeout=20_000)
        table = review.signatures
        rows = [
            [table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())
        ]
        assert len(ids) == 2 and len(rows) == 3
        acks = [r for r in rows if "acknowledged" in r[1]]
        assert len(acks) == 2 and all(r[2:5] == ["Ana Lopez", "nurse", ACK_MEANING] for r in acks)
        checked = [r for r in rows if r[1].startswith("Check")]
        assert [r[1:4] for r in checked] == [["Check +60 min signed: flushed", "Ana Lopez", "nurse"]]
        assert review.tabs.tabText(review.tabs.indexOf(table)) == "Signatures (3)"
        assert review.data is not None
        report, _footer = build(review.data)
        tables = [b.rows for b in report.blocks if b.kind == "table"]
        alerts = next(rows for rows in tables if rows[0][-1] == "Acknowledged")
        assert all(r[-1].startswith("Ana Lopez (nurse) ") for r in alerts[1:])
        signed = next(rows for rows in tables if rows[0][2] == "Signed by")
        assert "Check +60 min signed: flushed" in [r[1] for r in signed[1:]]
        assert [r[2:4] for r in signed[1:]] == [["Ana Lopez", "nurse"]] * 3
    finally:
        review.shutdown()


def test_a_wrong_password_acknowledges_nothing_and_says_so(qtbot, two_problems) -> None:
    window = signed_in(window_for(qtbot, two_problems), ANA)
    try:
        qtbot.waitUntil(lambda: window.ack_button.isEnabled(), timeout=15_000)
        top = window.status.alerts[0]
        said: list[str] = []

        def wrong(dialog: SignatureDialog) -> None:
            fill_signature(dialog, ANA, pw="guess")
            dialog.accept()
            said.append(dialog.error.text())
            assert dialog.isVisible() and dialog.signature is None
            dialog.reject()

        when_modal(AckDialog, lambda d: d.accept())
        when_modal(SignatureDialog, wrong)
        qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
        assert said == ["Not signed: unknown user or wrong password. Nothing was recorded."]
        assert window.statusBar().currentMessage() == "Not signed: nothing was recorded"
        qtbot.waitUntil(lambda: bool(kinds(two_problems, "session.refused")), timeout=15_000)
        row, log = acked(two_problems, top.id)
        assert row.state == "raised" and row.acked_by == "" and log == []
        (refused,) = kinds(two_problems, "session.refused")
        assert refused.actor == "ana" and json.loads(refused.payload)["at"] == "signature"
        assert not window.session.locked and window.ack_button.isEnabled()
    finally:
        window.shutdown()


def test_wrong_passwords_at_a_signature_lock_the_screen(qtbot, two_problems) -> None:
    window = signed_in(window_for(qtbot, two_problems), ANA)
    try:
        qtbot.waitUntil(lambda: window.ack_button.isEnabled(), timeout=15_000)
        top = window.status.alerts[0]

        def wrong(dialog: SignatureDialog) -> None:
            for _ in range(MAX_FAILED_SIGNATURES):
                fill_signature(dialog, ANA, pw="guess")
                dialog.accept()

        when_modal(AckDialog, lambda d: d.accept())
        when_modal(SignatureDialog, wrong)
        qtbot.mouseClick(window.ack_button, Qt.MouseButton.LeftButton)
        assert window.session.locked and window.session.lock_reason == "wrong passwords"
        assert not window.ack_button.isEnabled()
        assert acked(two_problems, top.id)[1] == []
    finally:
        window.shutdown()


def test_a_role_sees_only_the_actions_it_may_take(qtbot, two_problems) -> None:
    from tests.ui.signing import ADMIN

    window = signed_in(window_for(qtbot, two_problems), ADMIN)
    try:
        qtbot.waitUntil(lambda: window.refreshes >= 3, timeout=15_000)
        buttons = action_buttons(window)
        assert not any(buttons.values()), buttons  # an admin takes no clinical action
    finally:
        window.shutdown()


def test_the_reviews_actions_follow_the_session_and_the_role(qtbot, two_problems) -> None:
    from bedside_ui.review_window import ReviewWindow

    from tests.ui.signing import acting_as

    acting = acting_as(LUIS)
    review = ReviewWindow(
        sql_ports(two_problems), PatientRef.parse(PATIENT), clock=lambda: TWO_PROBLEMS, acting=acting
    )
    acting.setParent(review)
    qtbot.addWidget(review)
    review.show()
    try:
        qtbot.waitUntil(lambda: review.data is not None, timeout=20_000)
        assert review.outcome_button.isEnabled() and review.report_button.isEnabled()
        acting.lock()
        assert not review.outcome_button.isEnabled() and not review.report_button.isEnabled()
        acting.start_session(ANA)  # a nurse neither records outcomes nor exports the report
        assert not review.outcome_button.isEnabled() and not review.report_button.isEnabled()
    finally:
        review.shutdown()
