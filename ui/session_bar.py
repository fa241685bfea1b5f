"""The nurse's screen's sign-in control, at the right of its header: locked, a "Locked — sign in"
button naming who was signed in last; signed in, who (printed name and role) with "Switch user" and
"Lock". Colour stays neutral: red, yellow and cyan mean alarms on this screen."""

from __future__ import annotations

from bedside_ui.fit import FitLabel
from bedside_ui.theme import Theme
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from bedside.session import Session
from bedside.users import role_name


class SessionBar:
    def __init__(self) -> None:
        self.layout = QHBoxLayout()
        self.layout.setSpacing(4)
        self.sign_in_button = QPushButton(QCoreApplication.translate("SessionBar", "Locked — sign in"))
        self.sign_in_button.setToolTip(
            QCoreApplication.translate(
                "SessionBar",
                "The screen is locked: it shows the trends, values and alerts, and takes no action until "
                "you sign in",
            )
        )
        # A long printed name and role (longer still in Spanish) shrink their font rather than widen
        # the header past a 1366 px screen; never elided.
        self.who = FitLabel("", 11, smallest=7)
        # Locked, the button keeps its short text and who was signed in last stands beside it, in a
        # label that shrinks the same way: a button asks for its whole text's width, so a long name in
        # it would widen the window past the screen, and keep it wide after the name is gone.
        self.last_user = FitLabel("", 11, smallest=7)
        self.switch_button = QPushButton(QCoreApplication.translate("SessionBar", "Switch user"))
        self.switch_button.setToolTip(
            QCoreApplication.translate("SessionBar", "Lock, and sign in as someone else at once")
        )
        self.lock_button = QPushButton(QCoreApplication.translate("SessionBar", "Lock"))
        self.lock_button.setToolTip(
            QCoreApplication.translate("SessionBar", "Lock the screen now (it locks by itself when idle)")
        )
        self.layout.addWidget(self.sign_in_button)
        self.layout.addWidget(self.last_user)
        self.layout.addWidget(self.who)
        self.layout.addWidget(self.switch_button)
        self.layout.addWidget(self.lock_button)

    def apply_theme(self, theme: Theme) -> None:
        self.sign_in_button.setStyleSheet(
            f"font-weight:600; padding:3px 10px; border:2px solid {theme.text}; border-radius:3px;"
        )

    def show_session(self, session: Session) -> None:
        # What goes away is hidden before what comes is shown, each new text set while still hidden:
        # for a moment both sets would ask for their room together, and a window asked for more than
        # the screen grows past it and stays that wide.
        locked = session.locked
        going = (
            (self.who, self.switch_button, self.lock_button)
            if locked
            else (self.sign_in_button, self.last_user)
        )
        for w in going:
            w.setVisible(False)
        if locked:
            last = session.last_user
            self.last_user.setText(
                QCoreApplication.translate("SessionBar", "last: {name}").format(name=last.full_name)
                if last is not None
                else ""
            )
            self.sign_in_button.setVisible(True)
            self.last_user.setVisible(last is not None)
            return
        user = session.current()
        self.who.setText(f"{user.full_name} · {role_name(user.role)}")
        self.who.setToolTip(
            QCoreApplication.translate(
                "SessionBar", "Signed in as {user}; the screen locks when idle"
            ).format(user=user.username)
        )
        for w in (self.who, self.switch_button, self.lock_button):
            w.setVisible(True)
