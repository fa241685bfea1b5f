"""A password checked off the GUI thread.

A directory sign-in can take as long as the directory's timeout for each of its servers; a local
argon2id check takes a noticeable moment by design. Checked on the GUI thread, either would freeze the
screen: no repaint, no new alert in the banner. The check runs as a job of the screens' worker harness
(`bedside_ui.worker.Worker`, a thread of its own for this one check) while the dialog waits in a local
event loop, so the screen behind it keeps drawing and raising alerts, and the dialog still returns only
once the answer is known.
"""

from __future__ import annotations

from collections.abc import Sequence

from bedside_ui.worker import Worker
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEventLoop, QObject, Slot
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from bedside.users import Authenticator, AuthError, User

CHECKING = QT_TRANSLATE_NOOP("PasswordCheck", "Checking the password…")
"""Shown while the password is checked (translated where it is shown)."""


class _Answer(QObject):
    """Receives the worker's answer on the GUI thread (a slot of a GUI-thread object) and ends the
    dialog's wait."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.outcome: dict[str, object] = {}

    @Slot(str, object)
    def done(self, _what: str, user: object) -> None:
        self.outcome["user"] = user
        self.loop.quit()

    @Slot(str, object)
    def failed(self, _what: str, error: object) -> None:
        self.outcome["refused" if isinstance(error, AuthError) else "failed"] = error
        self.loop.quit()


def check_password(
    dialog: QDialog,
    authenticator: Authenticator,
    username: str,
    password: str,
    inputs: Sequence[QWidget],
    status: QLabel,
) -> User | None:
    """The user the authenticator accepts (AuthError when it refuses). While it checks, `inputs` are
    disabled and `status` says so; both are put back afterwards. None when `dialog` was closed
    meanwhile (the screen locked, or the window closed): the answer no longer has anyone to act for."""
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    loop = QEventLoop()
    answer = _Answer(loop)
    worker = Worker("bedside-password-check")
    worker.done.connect(answer.done)
    worker.failed.connect(answer.failed)
    was = [(w, w.isEnabled()) for w in inputs]
    shown, text, style = status.isVisible(), status.text(), status.styleSheet()
    for w in inputs:
        w.setEnabled(False)
    status.setStyleSheet("")
    status.setText(QCoreApplication.translate("PasswordCheck", CHECKING))
    status.show()
    worker.submit("password", lambda: authenticator.authenticate(username, password))
    # The answer is queued to the GUI thread, so one that comes before the loop starts is taken by it.
    loop.exec()
    worker.stop()
    outcome = answer.outcome
    dialog.finished.disconnect(closed.append)
    _restore(was, status, shown, text, style)
    if closed:
        return None
    if "refused" in outcome:
        raise outcome["refused"]  # type: ignore[misc]
    if "failed" in outcome:
        raise outcome["failed"]  # type: ignore[misc]
    return outcome["user"]  # type: ignore[return-value]


def _restore(was: Sequence[tuple[QWidget, bool]], status: QLabel, shown: bool, text: str, style: str) -> None:
    for w, enabled in was:
        w.setEnabled(enabled)
    status.setStyleSheet(style)
    status.setText(text)
    status.setVisible(shown)
