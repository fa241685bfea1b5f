"""What `bedside-cli`, `bedside` and `bedside-ingest` say when a command line is wrong, and the
placeholders and subcommand lines of their `--help`: sentences in the reader's language that name an
option as it is typed (`--grade`), never argparse's internal names ("argument action", "int")."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest
from bedside_adapters.cli import build_parser as cli_parser
from bedside_adapters.cli import main as cli_main
from bedside_adapters.cli_argparse import speak_the_language
from bedside_adapters.ingest.main import build_parser as ingest_parser
from bedside_adapters.ingest.main import main as ingest_main
from bedside_ui.app import build_parser as app_parser
from bedside_ui.app import main as app_main
from bedside_ui.cli import register_report

from bedside import i18n

CODES = {"CIDR", "BYTES", "CSV", "MEDDRA", "SPO2", "N", "N:HASH", "id", "mmHg", "/min", "°C", "%"}
"""Placeholders that are the same in both languages: codes, units and letters written as such."""


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def refusal(main, argv: list[str], capsys) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    return capsys.readouterr().err.splitlines()[-1]


CASES = [
    (
        [],
        "bedside-cli: error: missing: a command (see --help)",
        "bedside-cli: error: falta indicar: una orden (vea --help)",
    ),
    (
        ["action"],
        "bedside-cli: error: 'action' is not a command of bedside-cli; the commands are: db, stats, send,",
        "bedside-cli: error: «action» no es una orden de bedside-cli; las órdenes son: db, stats, send,",
    ),
    (
        ["ack", "x"],
        "bedside-cli ack: error: alert: 'x' is not a whole number",
        "bedside-cli ack: error: alerta: «x» no es un número entero",
    ),
    (
        ["adverse-event", "--grade", "x"],
        "bedside-cli adverse-event: error: --grade: 'x' is not a whole number",
        "bedside-cli adverse-event: error: --grade: «x» no es un número entero",
    ),
    (
        ["send", "--timeout", "1,5", "a.hl7"],
        "bedside-cli send: error: --timeout: '1,5' is not a number (decimals with a point: 1.5)",
        "bedside-cli send: error: --timeout: «1,5» no es un número (los decimales, con punto: 1.5)",
    ),
    (
        ["adverse-event", "--relatedness", "maybe"],
        "bedside-cli adverse-event: error: --relatedness: 'maybe' is not one of: unrelated, unlikely,",
        "bedside-cli adverse-event: error: --relatedness: «maybe» no está entre: no_relacionada,",
    ),
    (
        ["medication", "add", "--patient", "MRN1"],
        "bedside-cli medication add: error: missing: --drug, --class, --dose, --unit, --route, --at",
        "bedside-cli medication add: error: falta indicar: --drug, --class, --dose, --unit, --route, --at",
    ),
    (
        ["medication"],
        "bedside-cli medication: error: missing: a command (see --help)",
        "bedside-cli medication: error: falta indicar: una orden (vea --help)",
    ),
    (
        ["review", "--patient"],
        "bedside-cli review: error: --patient: a value must follow it",
        "bedside-cli review: error: --patient: debe ir seguida de un valor",
    ),
    (
        ["stats", "--what"],
        "bedside-cli: error: not understood: --what (see --help)",
        "bedside-cli: error: no se entiende: --what (vea --help)",
    ),
]


@pytest.mark.parametrize(("argv", "english", "spanish"), CASES)
def test_a_usage_error_is_a_sentence_naming_the_option_as_typed(argv, english, spanish, capsys) -> None:  # type: ignore[no-untyped-def]
    said_en = refusal(cli_main, ["--lang", "en", *argv], capsys)
    said_es = refusal(cli_main, ["--lang", "es", *argv], capsys)
    assert said_en.startswith(english), said_en
    assert said_es.startswith(spanish), said_es
    for internal in ("argument", "argumento", "invalid", "int value", "valor int", "required", "command:"):
        assert internal not in said_en + said_es, internal


def test_the_apps_own_refusals_read_in_both_languages(capsys) -> None:  # type: ignore[no-untyped-def]
    said = refusal(app_main, ["--lang", "es", "--theme", "rosa"], capsys)
    assert said == "bedside: error: --theme: «rosa» no está entre: oscuro, claro"
    said = refusal(app_main, ["--lang", "en", "--history", "two"], capsys)
    assert said == "bedside: error: --history: 'two' is not a number (decimals with a point: 1.5)"
    said = refusal(app_main, ["--lang", "es", "--listen", "1.2.3"], capsys)
    assert (
        said
        == "bedside: error: --listen: «1.2.3» no es una dirección: escriba HOST:PUERTO, como 0.0.0.0:2575"
    )
    said = refusal(ingest_main, ["--lang", "en", "--listen", "x"], capsys)
    assert (
        said
        == "bedside-ingest: error: --listen: 'x' is not an address: write HOST:PORT, such as 0.0.0.0:2575"
    )


def test_a_theme_is_typed_in_either_language() -> None:
    speak_the_language()
    i18n.set_language("es")
    assert app_parser().parse_args(["--theme", "oscuro"]).theme == "dark"
    assert app_parser().parse_args(["--theme", "light"]).theme == "light"


def _parsers() -> Iterator[tuple[str, argparse.ArgumentParser]]:
    def walk(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, argparse.ArgumentParser]]:
        yield path, parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, f"{path} {name}")

    yield from walk(cli_parser(register_report), "bedside-cli")
    yield from walk(app_parser(), "bedside")
    yield from walk(ingest_parser(), "bedside-ingest")


def _placeholders(language: str) -> dict[str, str]:
    """Every placeholder `--help` shows for a value (not a list of choices), by command and option."""
    speak_the_language()
    i18n.set_language(language)
    shown: dict[str, str] = {}
    for path, parser in _parsers():
        formatter = parser._get_formatter()
        for action in parser._actions:
            if action.nargs == 0 or action.help == argparse.SUPPRESS:
                continue
            if action.choices is not None and action.metavar is None:
                continue  # {a,b}: the words typed, checked by the words' own tests
            default = action.dest.upper() if action.option_strings else action.dest
            name = "/".join(action.option_strings) or action.dest
            shown[f"{path} {name}"] = formatter._metavar_formatter(action, default)(1)[0]
    return shown


def test_every_placeholder_says_in_spanish_what_to_type() -> None:
    english, spanish = _placeholders("en"), _placeholders("es")
    assert english.keys() == spanish.keys()
    untranslated = {
        where: word
        for where, word in spanish.items()
        if word == english[where] and word not in CODES and re.search("[A-Za-z]{2}", word)
    }
    assert not untranslated, untranslated
    # The placeholder names what the value is, not the option's name.
    assert spanish["bedside --history"] == "HORAS" and english["bedside --history"] == "HOURS"
    assert spanish["bedside --screenshot-after"] == "SEGUNDOS"
    assert spanish["bedside-cli vitals --temp-site"] == "LUGAR"
    assert spanish["bedside-cli export sdtm --site"] == "CENTRO"  # a trial's site is a centre
    assert spanish["bedside-cli adverse-event --serious"] == "CRITERIO"


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_subcommand_has_its_line_in_the_list(language: str) -> None:
    speak_the_language()
    i18n.set_language(language)
    missing = []
    for path, parser in _parsers():
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                described = {c.dest: c.help for c in action._choices_actions}
                missing += [f"{path} {name}" for name in action.choices if not described.get(name)]
    assert not missing, missing


def test_subcommand_lines_are_in_spanish(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        cli_main(["--lang", "es", "episode", "--help"])
    said = capsys.readouterr().out
    assert "ORDEN" in said and "{start,stop" not in said
    assert "introducir el fin de una dosis" in said and "enter a dose's end" not in said
    with pytest.raises(SystemExit):
        cli_main(["--lang", "es", "rules", "--help"])
    assert "comprobar un conjunto de reglas e imprimir" in capsys.readouterr().out


def test_codes_typed_as_such_are_explained_in_the_readers_language(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        cli_main(["--lang", "es", "medication", "add", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "PO oral" in said and "INH inhalada" in said and "IV intravenosa" in said
    with pytest.raises(SystemExit):
        cli_main(["--lang", "en", "medication", "add", "--help"])
    assert "INH inhaled" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        app_main(["--lang", "es", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "reaction (una reacción infusional aguda durante la dosis 1)" in said
    assert "{oscuro,claro}" in said
    with pytest.raises(SystemExit):
        cli_main(["--lang", "es", "episode", "start", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "'AT-MSC lote 24-117'" in said and " lot " not in said
    with pytest.raises(SystemExit):
        cli_main(["--lang", "es", "simulate", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "enviar una evolución sintética: calm-with-artefacts (sin reacción" in said


ENGLISH = re.compile(
    r"\b(the|and|of|with|default|lot|e\.g|only|when|from|this|its|each|every|file|patient)\b"
)
"""Words that are English only: none of them is a Spanish word."""


def test_no_english_word_in_any_spanish_help() -> None:
    """Every `--help` of every command in Spanish, with what is typed as such taken out (options,
    placeholders, names joined by hyphens such as the scenarios'): no English word is left."""
    speak_the_language()
    i18n.set_language("es")
    english = []
    for path, parser in _parsers():
        for line in parser.format_help().splitlines():
            words = [w for w in line.split() if "-" not in w and not w.strip("[]{}(),.:;").isupper()]
            if found := ENGLISH.findall(" ".join(words)):
                english.append(f"{path}: {found}: {line.strip()}")
    assert not english, english
