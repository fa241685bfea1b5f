"""Signing in at a screen: a username and a password, checked by the site's authenticator (local
accounts or the hospital's directory, chosen by the composition root). A refusal says only that the
user or the password was wrong, never which, and leaves the dialog open with the username kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bedside_ui.action_dialog import role_text
from bedside_ui.password_check import check_password
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bedside.users import Authenticator, AuthError, User

ERROR_STYLE = "background:#c62828; color:#ffffff; padding:4px;"


@dataclass(frozen=True)
class DemoAccount:
    """An account the demo creates, with its published password: listed on the demo's login."""

    username: str
    password: str
    role: str
    full_name: str = ""


class LoginDialog(QDialog):
    refused = Signal(str)
    """A sign-in refused: the username as typed (the safety log keeps the attempt)."""

    def __init__(
        self,
        authenticator: Authenticator,
        parent: QWidget | None = None,
        *,
        title: str = "",
        intro: str = "",
        last_user: User | None = None,
        demo_accounts: Sequence[DemoAccount] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Sign in"))
        self.setMinimumWidth(420)
        self._authenticator = authenticator
        self.user: User | None = None
        """Who signed in (set when the dialog is accepted)."""
        self.refusals = 0
        layout = QVBoxLayout(self)
        text = QLabel(
            intro
            or self.tr(
                "Sign in to act on this screen. While it is locked it shows the trends, the values and "
                "the alerts, and takes no action."
            )
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        if last_user is not None:
            last = QLabel(
                self.tr("Last signed in: {name} ({role})").format(
                    name=last_user.full_name, role=role_text(last_user.role)
                )
            )
            last.setWordWrap(True)
            layout.addWidget(last)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("your username"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        self.demo_list: QListWidget | None = None
        if demo_accounts:
            layout.addWidget(QLabel(self.tr("Demo accounts (synthetic data only): click one to fill it in")))
            self.demo_list = QListWidget()
            for account in demo_accounts:
                role = role_text(account.role)
                item = QListWidgetItem(
                    self.tr("{username} / {password}   ({name}, {role})").format(
                        username=account.username,
                        password=account.password,
                        name=account.full_name,
                        role=role,
                    )
                    if account.full_name
                    else self.tr("{username} / {password}   ({role})").format(
                        username=account.username, password=account.password, role=role
                    )
                )
                item.setData(Qt.ItemDataRole.UserRole, account)
                self.demo_list.addItem(item)
            self.demo_list.setMaximumHeight(22 * len(demo_accounts) + 8)
            self.demo_list.itemClicked.connect(self._demo_chosen)
            layout.addWidget(self.demo_list)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for field in (self.username, self.password):
            field.textChanged.connect(self._check)
        self._check()
        self.username.setFocus()

    def _check(self) -> None:
        ok = bool(self.username.text().strip() and self.password.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _inputs(self) -> list[QWidget]:
        fields: list[QWidget] = [self.username, self.password, self.buttons]
        return fields + ([self.demo_list] if self.demo_list is not None else [])

    def _demo_chosen(self, item: QListWidgetItem) -> None:
        account: DemoAccount = item.data(Qt.ItemDataRole.UserRole)
        self.username.setText(account.username)
        self.password.setText(account.password)

    def accept(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            return
        try:
            user = check_password(self, self._authenticator, username, password, self._inputs(), self.error)
        except AuthError as exc:
            self.refusals += 1
            self.refused.emit(username)
            self.error.setText(self.tr("Not signed in: {reason}.").format(reason=exc))
            self.error.show()
            self.password.clear()
            self.password.setFocus()
            self.adjustSize()
            return
        self.password.clear()  # the password is not kept beyond its check
        if user is None:
            return
        self.user = user
        super().accept()
