"""Who acts at a screen, in Qt: the login, the idle lock, "Switch user" and the signatures, around the
Qt-free session (bedside.session).

Idleness is measured by an event filter on the application: every key and mouse event, in any of the
screen's windows and dialogs, postpones the lock; a timer looks whether the idle time has passed.
When the screen locks, an open dialog is closed unfinished (nothing of it is written) and the screen
goes read-only; what it watches stays on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bedside_ui.login_dialog import DemoAccount, LoginDialog
from bedside_ui.signature_dialog import SignatureDialog
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from bedside.refusals import Refused
from bedside.session import Session
from bedside.users import Action, Authenticator, Signature, User

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)
"""The events that say someone is at the screen."""

LOCK_REASONS = {
    "locked": QT_TRANSLATE_NOOP("ScreenLock", "locked"),
    "switch user": QT_TRANSLATE_NOOP("ScreenLock", "switch user"),
    "idle": QT_TRANSLATE_NOOP("ScreenLock", "idle"),
    "wrong passwords": QT_TRANSLATE_NOOP("ScreenLock", "wrong passwords"),
}
"""Why a screen locked, as the safety log stores it (a code) and, translated, as a person reads it."""


def lock_reason_text(reason: str) -> str:
    """A lock's reason in the screen's language; one not known here as stored."""
    known = LOCK_REASONS.get(reason)
    return QCoreApplication.translate("ScreenLock", known) if known else reason


SessionEvent = Callable[[str, str, User | None, str], None]
"""Told of each sign-in ("signed_in"), lock ("locked") and refused password ("refused" at the
login, "refused_signature" at a signature): the kind, the username (as typed, for a refusal), the
user (None for a refusal) and the reason of a lock."""


class ActivityFilter(QObject):
    """Postpones the session's idle lock on every key and mouse event of the application."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._session.touch()
        return False  # only watching: every event goes on to its widget


class RefusingAuthenticator:
    """No accounts: every sign-in refused (a screen given no authenticator stays read-only)."""

    def authenticate(self, username: str, password: str) -> User:
        from bedside.users import AuthError

        raise AuthError()


class ScreenLock(QObject):
    changed = Signal()
    """Signed in, locked or switched: the screen enables what the user may do, or nothing."""

    def __init__(
        self,
        session: Session,
        authenticator: Authenticator,
        window: QWidget | None,
        *,
        demo_accounts: Sequence[DemoAccount] = (),
        check_ms: int = 1000,
        on_event: SessionEvent | None = None,
    ) -> None:
        super().__init__(window)
        self.session = session
        self.authenticator = authenticator
        self._window = window
        self._demo_accounts = tuple(demo_accounts)
        self._on_event = on_event
        self.dialog: QDialog | None = None
        """The last login or signature dialog opened (tests drive it)."""
        self._filter = ActivityFilter(session, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._filter)
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check_idle)
        self._timer.start()

    # ---- signing in and locking ------------------------------------------------------------------

    def sign_in(self) -> bool:
        """The login dialog; True once someone signed in. Signing in while someone is signed in
        switches user: the first session ends (is locked) before the second begins."""
        dialog = LoginDialog(
            self.authenticator,
            self._window,
            last_user=self.session.last_user if self.session.locked else self.session.user,
            demo_accounts=self._demo_accounts,
        )
        self.dialog = dialog
        dialog.refused.connect(lambda name: self._tell("refused", name, None, ""))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
            return False
        self.start_session(dialog.user)
        return True

    def start_session(self, user: User) -> None:
        """`user` (authenticated) takes the screen."""
        if not self.session.locked:
            self.lock("switch user")
        self.session.sign_in(user)
        self._tell("signed_in", user.username, user, "")
        self.changed.emit()

    def lock(self, reason: str = "locked") -> None:
        user = self.session.lock(reason)
        if user is None:
            return
        self._after_lock(user, reason)

    def switch_user(self) -> None:
        """The screen handed over at once: the current session ends and the login opens."""
        self.lock("switch user")
        self.sign_in()

    def check_idle(self) -> None:
        user = self.session.lock_if_idle()
        if user is not None:
            self._after_lock(user, "idle")

    def _after_lock(self, user: User, reason: str) -> None:
        _close_modal_dialogs()
        self._tell("locked", user.username, user, reason)
        self.changed.emit()

    def _tell(self, kind: str, username: str, user: User | None, reason: str) -> None:
        if self._on_event is not None:
            self._on_event(kind, username, user, reason)

    # ---- acting -----------------------------------------------------------------------------------

    def user(self) -> User | None:
        """Who acts: the user signed in, after the login when the screen is locked (None: nobody
        signed in)."""
        if self.session.locked and not self.sign_in():
            return None
        return self.session.user

    def sign(self, action: Action, what: str) -> Signature | None:
        """The signature of the user signed in for this action on `what` (None: not signed, and
        nothing is to be written)."""
        try:
            request = self.session.request(action)
        except Refused as exc:
            QMessageBox.warning(
                self._window,
                self.tr("Not allowed"),
                self.tr("{reason}.").format(reason=str(exc)[:1].upper() + str(exc)[1:]),
            )
            return None
        dialog = SignatureDialog(request, self.authenticator, self.session, what, self._window)
        self.dialog = dialog
        dialog.refused.connect(lambda name: self._tell("refused_signature", name, None, ""))
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if dialog.locked:
            self._after_lock(request.signer, "wrong passwords")
            return None
        if not accepted or self.session.locked:
            return None  # cancelled, or the screen locked while the dialog was open
        return dialog.signature

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._filter)


def _close_modal_dialogs() -> None:
    """An unfinished dialog is closed when the screen locks: nothing of it is written."""
    for _ in range(8):  # a dialog over a dialog at most, in practice
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            return
        dialog.reject()
