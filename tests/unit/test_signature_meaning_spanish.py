"""A signature's meaning is stored and signed in English (the record's canonical text, part of the
signed payload) and read in the screen's language: the review's Signatures tab, the report, the
Alerts list's tooltip; a meaning the signer typed is shown as typed. The acknowledgement's record
names the severity in the language too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from bedside import i18n
from bedside.review_signatures import record_text, signature_text, signed_rows
from bedside.users import IMPLIED_MEANING, Action, Role, Signature, SignedBy, User, meaning_text

AT = 1_790_000_000.0
NURSE = User(username="ana", full_name="Ana Ruiz", role=Role.NURSE)
SIGNED = {"name": "Ana Ruiz", "role": "nurse", "meaning": "Acknowledged: I have seen this alert", "at": AT}
ACK = {
    "seq": 1,
    "at": AT,
    "kind": "alert.acknowledged",
    "actor": "ana",
    "payload": {"rule": "C1", "severity": "high", "signature": SIGNED},
}


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_the_implied_meanings_read_in_spanish_and_typed_ones_as_typed(spanish) -> None:
    assert meaning_text(IMPLIED_MEANING[Action.ACKNOWLEDGE]) == "Reconocida: he visto esta alerta"
    assert (
        meaning_text(IMPLIED_MEANING[Action.SIGN_CHECK]) == "Realizado: hice este control y vi estos valores"
    )
    for meaning in IMPLIED_MEANING.values():
        assert meaning_text(meaning) != meaning
    assert meaning_text("Revisado con la Dra. Sanz") == "Revisado con la Dra. Sanz"


def test_what_is_signed_and_stored_stays_english_whatever_the_language(spanish) -> None:
    signature = Signature.of(NURSE, Action.ACKNOWLEDGE, AT)
    assert signature.meaning == "Acknowledged: I have seen this alert"
    assert signature.payload()["meaning"] == "Acknowledged: I have seen this alert"
    assert signature.payload()["role"] == "nurse"


def test_the_signatures_tab_and_report_rows_in_spanish(spanish) -> None:
    when = i18n.strftime(datetime.fromtimestamp(AT), "%d %b %H:%M")
    assert signed_rows([ACK])[0] == [
        when,
        "Alerta C1 alta reconocida",
        "Ana Ruiz",
        "enfermería",
        "Reconocida: he visto esta alerta",
        when,
    ]
    assert signature_text(SignedBy.of({"signature": SIGNED})).endswith(": Reconocida: he visto esta alerta")


def test_english_unchanged() -> None:
    assert signed_rows([ACK])[0][1:5] == [
        "Alert C1 high acknowledged",
        "Ana Ruiz",
        "nurse",
        "Acknowledged: I have seen this alert",
    ]
    assert record_text(ACK) == "Alert C1 high acknowledged"
    assert meaning_text(IMPLIED_MEANING[Action.CONFIRM_DOSE]) == "Confirmed: this dose was given as recorded"
