"""A password checked off the GUI thread.

A directory sign-in can take as long as the directory's timeout for each of its servers; a local
argon2id check takes a noticeable moment by design. Checked on the GUI thread, either would freeze the
screen: no repaint, no new alert in the banner. The check runs on a worker thread while the dialog
waits in a local event loop, so the screen behind it keeps drawing and raising alerts, and the dialog
still returns only once the answer is known.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEventLoop, QObject, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from bedside.users import Authenticator, AuthError, User

CHECKING = QT_TRANSLATE_NOOP("PasswordCheck", "Checking the password…")
"""Shown while the password is checked (translated where it is shown)."""


class _Finished(QObject):
    done = Signal()


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
    outcome: dict[str, object] = {}
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    finished = _Finished()
    loop = QEventLoop()
    # Emitted on the worker thread, delivered on the GUI thread (the loop's): a queued connection.
    finished.done.connect(loop.quit)

    def work() -> None:
        try:
            outcome["user"] = authenticator.authenticate(username, password)
        except AuthError as exc:
            outcome["refused"] = exc
        except Exception as exc:
            outcome["failed"] = exc
        finally:
            finished.done.emit()

    was = [(w, w.isEnabled()) for w in inputs]
    shown, text, style = status.isVisible(), status.text(), status.styleSheet()
    for w in inputs:
        w.setEnabled(False)
    status.setStyleSheet("")
    status.setText(QCoreApplication.translate("PasswordCheck", CHECKING))
    status.show()
    worker = threading.Thread(target=work, name="bedside-password-check", daemon=True)
    worker.start()
    # A check that ends before the loop starts has queued its `done`: the loop takes it and returns.
    loop.exec()
    worker.join()
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
