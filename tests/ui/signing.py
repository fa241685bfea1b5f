"""Who acts in the UI tests: a few accounts behind an in-test authenticator, signing in without the
login dialog where a test is about something else, and answering the signature dialog that a signed
action opens after its own."""

from __future__ import annotations

from collections.abc import Callable

from bedside_ui.screen_lock import ScreenLock
from bedside_ui.signature_dialog import SignatureDialog
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from bedside.session import Session
from bedside.users import AuthError, Role, User

ANA = User(username="ana", full_name="Ana Lopez", role=Role.NURSE)
LUIS = User(username="luis", full_name="Luis Ortega", role=Role.INTENSIVIST)
ADMIN = User(username="admin", full_name="Site Admin", role=Role.ADMIN)
# The tests that predate signing in act as users named by their initials, printed name and all.
AB = User(username="AB", full_name="AB", role=Role.NURSE)
CD = User(username="CD", full_name="CD", role=Role.NURSE)
EF = User(username="EF", full_name="EF", role=Role.INTENSIVIST)
GH = User(username="GH", full_name="GH", role=Role.INTENSIVIST)
USERS = (ANA, LUIS, ADMIN, AB, CD, EF, GH)


def password(user: User) -> str:
    return f"{user.username}-pw"


class Accounts:
    """An authenticator over USERS, each with the password `password(user)`."""

    def __init__(self, users: tuple[User, ...] = USERS) -> None:
        self._users = {u.username: u for u in users}
        self.asked: list[str] = []

    def authenticate(self, username: str, password_: str) -> User:
        self.asked.append(username)
        user = self._users.get(username)
        if user is None or password_ != password(user) or not user.active:
            raise AuthError()
        return user


def signed_in(window, user: User):  # type: ignore[no-untyped-def]
    """`user` takes the window's screen without the login dialog (and without its log entry): for the
    tests about what is done once signed in."""
    window.session.sign_in(user)
    window.screen_lock.changed.emit()
    return window


def acting_as(user: User) -> ScreenLock:
    """A session signed in as `user`, for a window that acts on the nurse's screen's session (the
    review); parent it to that window."""
    lock = ScreenLock(Session(60), Accounts(), None)
    lock.session.sign_in(user)
    return lock


def when_modal(kind: type, act: Callable[[object], None]) -> None:
    """Once a modal dialog of `kind` is open (others may come first), `act` on it."""

    tries = [0]

    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            tries[0] += 1
            if tries[0] < 500:  # 10 s: a test that fails first must not leave it answering the next
                QTimer.singleShot(20, go)
            return
        act(dialog)

    QTimer.singleShot(0, go)


def fill_signature(dialog: SignatureDialog, user: User, pw: str | None = None, meaning: str = "") -> None:
    if dialog.request.both_components:
        dialog.username.setText(user.username)
    if dialog.request.implied is None:
        dialog.meaning.setText(meaning or "Documented: as recorded")
    dialog.password.setText(password(user) if pw is None else pw)


def sign_when_asked(user: User, meaning: str = "") -> None:
    """Sign the next signature dialog as `user`, with the right password."""

    def sign(dialog) -> None:  # type: ignore[no-untyped-def]
        fill_signature(dialog, user, meaning=meaning)
        dialog.accept()

    when_modal(SignatureDialog, sign)
