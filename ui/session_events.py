"""Who acts at the nurse's screen: the session bar and the buttons follow each sign-in and lock, and
every sign-in, lock and refused password goes to the safety log. Mixed into the main window; its texts
keep the main window's translation context."""

from __future__ import annotations

import platform
from functools import partial

from bedside_ui import actions
from bedside_ui.screen_lock import lock_reason_text
from PySide6.QtCore import QCoreApplication, Slot

from bedside.users import User, role_name

SESSION = "Session"
"""The worker's name for the record of a sign-in or a lock."""


class SessionEvents:
    @Slot()
    def _session_changed(self) -> None:
        self.header.session_bar.show_session(self.session)
        self._gate_actions()
        self.refresh()  # the buttons the screen's state enables come back with the next read

    def _session_event(self, kind: str, username: str, user: User | None, detail: str) -> None:
        """Sign-ins, locks and refused passwords go to the safety log, written on the worker thread
        like every action."""
        if user is not None:
            self.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "Signed in: {name} ({role})").format(
                    name=user.full_name, role=role_name(user.role)
                )
                if kind == "signed_in"
                else QCoreApplication.translate("MainWindow", "Locked ({reason}): {name} signed out").format(
                    reason=lock_reason_text(detail), name=user.full_name
                ),
                8000,
            )
        job = partial(actions.session_event, self._writes, kind, username, platform.node(), detail, user)
        self._worker.submit(SESSION, job)
