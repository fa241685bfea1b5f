"""An acknowledgement's comment on screen: the engine's own ("acknowledged with alert 12", stored in
English as part of the record) in the screen's language; a clinician's comment as written."""

from __future__ import annotations

from bedside import i18n
from bedside.alert_screen import ack_comment_text


def test_the_engines_comment_follows_the_language_and_a_clinicians_stays() -> None:
    assert ack_comment_text("acknowledged with alert 12") == "acknowledged with alert 12"
    assert ack_comment_text(None) == "" and ack_comment_text("") == ""
    i18n.set_language("es")
    try:
        assert ack_comment_text("acknowledged with alert 12") == "reconocida con la alerta 12"
        assert ack_comment_text("Avisado intensivista") == "Avisado intensivista"
        # Only the engine's whole sentence: a clinician's text that merely contains it stays as written.
        assert (
            ack_comment_text("acknowledged with alert 12 and called")
            == "acknowledged with alert 12 and called"
        )
    finally:
        i18n.set_language("en")
