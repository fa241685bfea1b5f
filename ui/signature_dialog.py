"""An electronic signature: what is signed, who signs it (printed name and role), what the signature
means (the action's implied meaning, or one the signer states), and the signer's password, with the
username too for the first signature of a session. The password is checked by the site's
authenticator; a wrong one refuses without acting and says so, and the session locks after a few."""

from __future__ import annotations

from bedside_ui.action_dialog import role_text
from bedside_ui.password_check import check_password
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bedside.i18n import _
from bedside.session import Session, SignatureRequest
from bedside.users import ACTION_PHRASES, Authenticator, AuthError, Signature, SignatureError

ERROR_STYLE = "background:#c62828; color:#ffffff; padding:4px;"

MEANING_HINTS = {
    "record_adverse_event": QT_TRANSLATE_NOOP(
        "SignatureDialog", "e.g. Documented: I observed this event at the bedside"
    ),
    "edit_dose": QT_TRANSLATE_NOOP("SignatureDialog", "e.g. Corrected: the pump's clock was wrong"),
    "cancel_dose": QT_TRANSLATE_NOOP(
        "SignatureDialog", "e.g. Cancelled: entered in error, no dose was given"
    ),
}


class SignatureDialog(QDialog):
    refused = Signal(str)
    """A wrong password: the username given (the safety log keeps the attempt)."""

    def __init__(
        self,
        request: SignatureRequest,
        authenticator: Authenticator,
        session: Session,
        what: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # The action's phrase is the core's (its catalogue).
        self.setWindowTitle(self.tr("Sign: {action}").format(action=_(ACTION_PHRASES[request.action])))
        self.setMinimumWidth(480)
        self.request = request
        self._authenticator = authenticator
        self._session = session
        self.signature: Signature | None = None
        """The signature, once the password was accepted (the dialog is then accepted)."""
        self.refusals = 0
        self.locked = False
        """The screen locked on one wrong password too many while this dialog was open."""
        signer = request.signer
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "<b>You are signing:</b> {what}<br>Your signature is recorded in the safety log with your "
                "printed name, your role, the time and its meaning, and shown wherever this record is "
                "shown. It is the legally binding equivalent of your handwritten signature."
            ).format(what=what)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.printed_name = QLabel(
            self.tr("<b>{name}</b> ({role})").format(name=signer.full_name, role=role_text(signer.role))
        )
        form.addRow(self.tr("Signer"), self.printed_name)
        self.meaning = QLineEdit()
        if request.implied is None:
            hint = MEANING_HINTS.get(str(request.action))
            self.meaning.setPlaceholderText(
                QCoreApplication.translate("SignatureDialog", hint)
                if hint
                else self.tr("what your signature means")
            )
            form.addRow(self.tr("Meaning"), self.meaning)
            self.implied: QLabel | None = None
        else:
            # The implied meaning is the core's text (its catalogue): shown in the signer's language.
            self.implied = QLabel(_(request.implied))
            self.implied.setWordWrap(True)
            form.addRow(self.tr("Meaning"), self.implied)
        self.username = QLineEdit()
        if request.both_components:
            # The first signature of a session: both components, nothing filled in for the signer.
            self.username.setPlaceholderText(self.tr("your username"))
            form.addRow(self.tr("Username"), self.username)
        else:
            self.username.setText(signer.username)
            self.username.hide()
            form.addRow(self.tr("Username"), QLabel(signer.username))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("your password"))
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText(self.tr("Sign"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for field in (self.meaning, self.username, self.password):
            field.textChanged.connect(self._check)
        self._check()
        (self.username if request.both_components else self.password).setFocus()

    def _check(self) -> None:
        ok = bool(self.username.text().strip() and self.password.text())
        if self.request.implied is None:
            ok = ok and bool(self.meaning.text().strip())
        self.sign_button.setEnabled(ok)

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()
        self.adjustSize()

    def accept(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            return
        inputs = [self.meaning, self.username, self.password, self.buttons]
        try:
            signer = check_password(self, self._authenticator, username, password, inputs, self.error)
        except AuthError as exc:
            self.refusals += 1
            self.refused.emit(username)
            if self._session.signature_refused():
                self.locked = True
                self.reject()
                return
            self._refuse(self.tr("Not signed: {reason}. Nothing was recorded.").format(reason=exc))
            return
        if signer is None:  # closed while the password was checked: nothing is signed
            self.password.clear()
            return
        try:
            self.signature = self._session.sign(self.request, signer, self.meaning.text())
        except SignatureError as exc:
            self._refuse(self.tr("Not signed: {reason}. Nothing was recorded.").format(reason=exc))
            return
        self.password.clear()  # the password is not kept beyond its check
        super().accept()
