"""A password is checked off the GUI thread: a slow directory leaves the screen drawing, and the dialog
still answers only once the check is done."""

from __future__ import annotations

import threading

import pytest
from bedside_ui.login_dialog import LoginDialog
from bedside_ui.password_check import CHECKING
from bedside_ui.signature_dialog import SignatureDialog
from PySide6.QtCore import QTimer

from bedside.session import Session
from bedside.users import Action, AuthError, Role, User

ANA = User(username="ana", full_name="Ana Lopez", role=Role.NURSE)


class SlowDirectory:
    """An authenticator that answers only when the test lets it (a directory at its timeout)."""

    def __init__(self, accept: bool = True) -> None:
        self.gate = threading.Event()
        self.threads: list[threading.Thread] = []
        self.accept = accept

    def authenticate(self, username: str, password: str) -> User:
        self.threads.append(threading.current_thread())
        if not self.gate.wait(30):
            raise AuthError("the directory did not answer")
        if not self.accept:
            raise AuthError("unknown user or wrong password")
        return ANA


def while_checking(directory: SlowDirectory, look: list[tuple[str, bool]], dialog, field) -> None:  # type: ignore[no-untyped-def]
    """Runs on the GUI thread during the check (so the GUI thread is free), notes what the dialog
    shows, and lets the directory answer."""

    def during() -> None:
        look.append((dialog.error.text(), field.isEnabled()))
        directory.gate.set()

    QTimer.singleShot(0, during)


@pytest.mark.parametrize("accept", [True, False])
def test_signing_in_checks_the_password_on_a_worker_while_the_screen_runs(qtbot, accept: bool) -> None:  # type: ignore[no-untyped-def]
    directory = SlowDirectory(accept)
    dialog = LoginDialog(directory)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("ana")
    dialog.password.setText("a password")
    look: list[tuple[str, bool]] = []
    while_checking(directory, look, dialog, dialog.username)
    dialog.accept()
    assert look == [(CHECKING, False)]  # the GUI thread ran while the directory was asked
    assert directory.threads and directory.threads[0] is not threading.main_thread()
    assert dialog.username.isEnabled() and dialog.password.text() == ""
    if accept:
        assert dialog.user == ANA and not dialog.isVisible()
    else:
        assert dialog.user is None and dialog.isVisible()
        assert dialog.error.text() == "Not signed in: unknown user or wrong password."


def test_a_dialog_closed_during_the_check_signs_nobody(qtbot) -> None:  # type: ignore[no-untyped-def]
    directory = SlowDirectory()
    session = Session(5)
    session.sign_in(ANA)
    request = session.request(Action.ACKNOWLEDGE)
    dialog = SignatureDialog(request, directory, session, "alert 1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("ana")
    dialog.password.setText("a password")

    def lock_meanwhile() -> None:
        dialog.reject()  # the screen locked while the directory was slow
        directory.gate.set()

    QTimer.singleShot(0, lock_meanwhile)
    dialog.accept()
    assert dialog.signature is None and session.signatures == 0
