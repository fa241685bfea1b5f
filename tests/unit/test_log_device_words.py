"""A pump's entry in the safety log read in words: the reason Bedside kept with a stop that gave
none, and where the entry came from, never their codes ("pump-stopped-not-specified", "pcd10")."""

from __future__ import annotations

from bedside import i18n
from bedside.log_text import what_text

STOPPED = {"reason": "pump-stopped-not-specified", "source": "pcd10"}


def test_a_pump_stops_reason_and_source_in_words_in_both_languages() -> None:
    said = what_text(STOPPED)
    assert "the pump stopped, giving no reason" in said and "PCD-10" in said, said
    i18n.set_language("es")
    try:
        said = what_text(STOPPED)
    finally:
        i18n.set_language("en")
    assert "la bomba se detuvo sin indicar el motivo" in said, said
    assert "pump-stopped-not-specified" not in said and "pcd10" not in said, said
    # A reason the pump sent is its own code, quoted as sent.
    assert "“occlusion-downstream”" in what_text({"reason": "occlusion-downstream"})


def test_a_signed_checks_entry_says_which_check_what_was_seen_and_found() -> None:
    signed = {"check": "alert7", "label": "check after a HIGH alert", "values": "HR 98.5", "findings": "rash"}
    assert what_text(signed) == "check after a HIGH alert, values HR 98.5, findings “rash”"
    i18n.set_language("es")
    try:
        said = what_text(signed)
    finally:
        i18n.set_language("en")
    assert said == "control tras alerta ALTA, valores HR 98,5, hallazgos “rash”", said


def test_a_screen_locks_reason_in_words_in_both_languages() -> None:
    from bedside.log_entries.sessions import SessionLocked

    said = {
        reason: what_text(SessionLocked(actor="ana", reason=reason, screen="ward").body())
        for reason in ("switch user", "idle", "locked", "wrong passwords")
    }
    assert said["switch user"] == "reason switch of user" and said["idle"] == "reason no activity", said
    i18n.set_language("es")
    try:
        said = what_text({"reason": "switch user"}), what_text({"reason": "locked"})
    finally:
        i18n.set_language("en")
    assert said == ("motivo: cambio de usuario", "motivo: bloqueo manual"), said
