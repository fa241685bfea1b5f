"""`bedside-cli stats` counts each after its name, so the name never disagrees with the count:
"confirmados 1", never "1 confirmados"."""

from __future__ import annotations

from bedside_adapters.cli_counts import sender_text

from bedside import i18n

ONE_EACH = {
    "messages_received": 1,
    "messages_acknowledged": 1,
    "messages_quarantined": 0,
    "duplicates": 0,
    "observations": 21,
    "last_message_at": None,
}


def test_a_senders_counts_read_right_for_one_in_both_languages() -> None:
    assert sender_text("mon", ONE_EACH).startswith(
        "mon: messages received 1, acknowledged 1, quarantined 0, duplicates 0, observations 21"
    )
    i18n.set_language("es")
    try:
        said = sender_text("mon", ONE_EACH)
    finally:
        i18n.set_language("en")
    assert said.startswith(
        "mon: mensajes recibidos 1, confirmados 1, en cuarentena 0, duplicados 0, observaciones 21"
    ), said
    assert "1 recibidos" not in said and "1 confirmados" not in said
