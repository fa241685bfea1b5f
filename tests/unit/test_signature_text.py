"""Electronic signatures in words, read from safety-log entries as the review, the Alerts list and the
report show them: printed name, role, meaning and time; unsigned entries shown as before."""

from __future__ import annotations

from datetime import datetime

from bedside import i18n
from bedside.review_signatures import (
    SIGNATURE_COLUMNS,
    record_text,
    signature_text,
    signatures_of,
    signed_rows,
)
from bedside.users import SignedBy

AT = 1_790_000_000.0
SIGNED = {
    "name": "Ana Ruiz, RN",
    "role": "nurse",
    "meaning": "Acknowledged: I have seen this alert",
    "at": AT,
}


def local(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%d %b %H:%M")


def entry(kind: str, payload: dict, **columns) -> dict:  # type: ignore[type-arg,no-untyped-def]
    return {"seq": 1, "at": AT, "kind": kind, "actor": "ana", "payload": payload, **columns}


def test_a_signature_is_read_from_its_entry_and_none_when_unsigned() -> None:
    assert SignedBy.of({"signature": SIGNED}) == SignedBy("Ana Ruiz, RN", "nurse", SIGNED["meaning"], AT)
    assert SignedBy.of({"comment": "seen"}) is None


def test_a_signature_in_words_with_or_without_its_meaning() -> None:
    signed = SignedBy.of({"signature": SIGNED})
    assert signature_text(signed) == f"Ana Ruiz, RN (nurse) {local(AT)}: Acknowledged: I have seen this alert"
    assert signature_text(signed, meaning=False) == f"Ana Ruiz, RN (nurse) {local(AT)}"
    assert signature_text(None) == ""


def test_each_signed_entry_is_one_row_and_the_unsigned_are_left_out() -> None:
    log = [
        entry(
            "alert.acknowledged",
            {"rule": "C1", "severity": "high", "comment": "seen", "signature": SIGNED},
            alert_id=7,
        ),
        entry("alert.raised", {"rule": "C1", "severity": "high"}, alert_id=7),
        entry(
            "adverse_event.recorded",
            {"id": 3, "term": "Fever", "grade": 2, "relatedness": "not yet assessed", "signature": SIGNED},
        ),
        entry("episode.cancel", {"dose": 2, "reason": "entered in error", "signature": SIGNED}),
    ]
    rows = signed_rows(log)
    assert len(rows) == 3 and all(len(r) == len(SIGNATURE_COLUMNS) for r in rows)
    assert rows[0] == [
        local(AT),
        "Alert C1 high acknowledged (seen)",
        "Ana Ruiz, RN",
        "nurse",
        "Acknowledged: I have seen this alert",
        local(AT),
    ]
    assert rows[1][1] == "Adverse event: Fever G2, not yet assessed"
    assert rows[2][1] == "Dose 2 cancelled: entered in error"
    assert (
        record_text(entry("check.done", {"label": "+15 min", "findings": "rash"}))
        == "Check +15 min signed: rash"
    )


def test_signatures_by_the_record_they_sign() -> None:
    log = [
        entry("alert.acknowledged", {"signature": SIGNED}, alert_id=7),
        entry("adverse_event.recorded", {"id": 3, "signature": {**SIGNED, "name": "Dr Luis Pereira"}}),
    ]
    assert set(signatures_of(log, "alert.acknowledged", "alert_id")) == {7}
    assert signatures_of(log, "adverse_event.recorded", "id")[3].name == "Dr Luis Pereira"


def test_a_signed_checks_name_is_said_once_and_without_its_state() -> None:
    # The check after a HIGH alert is stored by its own name ("check after a HIGH alert"): the
    # sentence that already says "Check" names it by what it follows, in both languages.
    signed = entry("check.done", {"check": "alert7", "label": "check after a HIGH alert"})
    assert record_text(signed) == "Check after a HIGH alert signed"
    i18n.set_language("es")
    try:
        assert record_text(signed) == "Control tras alerta ALTA firmado"
        assert record_text(entry("check.done", {"check": "during+15", "label": "+15 min"})) == (
            "Control +15 min firmado"
        )
    finally:
        i18n.set_language("en")
