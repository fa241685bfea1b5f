"""`bedside-cli --lang es adverse-event --help`: the outcome's choices are one token each, as every
command-line word is, the English codes are said to work too, and the term's example is the Spanish
CTCAE term."""

from __future__ import annotations

import pytest
from bedside_adapters.cli_words import read_word
from bedside_ui.cli import main as cli_main

from bedside import adverse_events as ae
from bedside import i18n


def _help(lang: str, capsys) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        cli_main(["--lang", lang, "adverse-event", "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_the_spanish_help_lists_one_token_words_and_the_english_codes(capsys) -> None:  # type: ignore[no-untyped-def]
    said = _help("es", capsys)
    assert "{recuperado,en_recuperación,no_recuperado," in said and "en recuperación" not in said, said
    assert "(o los códigos en inglés: recovered, recovering, not_recovered," in said, said
    assert "p. ej. «Reacción relacionada con la infusión»" in said and "Infusion related reaction" not in said


def test_the_english_help_lists_the_codes_once(capsys) -> None:  # type: ignore[no-untyped-def]
    said = _help("en", capsys)
    assert "recovered, recovering, not_recovered" in said and "English codes" not in said, said
    assert "e.g. 'Infusion related reaction'" in said


@pytest.mark.parametrize("typed", ["en_recuperación", "en recuperacion", "recovering", "EN_RECUPERACION"])
def test_an_outcome_is_read_from_the_spanish_word_or_the_english_code(typed: str) -> None:
    i18n.set_language("es")
    try:
        assert read_word(ae.OUTCOMES)(typed) == "recovering"
    finally:
        i18n.set_language("en")
