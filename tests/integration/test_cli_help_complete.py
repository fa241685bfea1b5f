"""Every option of `bedside`, `bedside-cli` (every command) and `bedside-ingest` says what it is for
in `--help`; under `--lang es` that help reads in Spanish, argparse's own words and the placeholders
of the values (PACIENTE, ARCHIVO, MOMENTO) included."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest
from bedside_adapters.cli import build_parser as cli_parser
from bedside_adapters.ingest.main import build_parser as ingest_parser
from bedside_ui.app import build_parser as app_parser
from bedside_ui.app import main as app_main
from bedside_ui.cli import main as cli_main
from bedside_ui.cli import register_report

from bedside import i18n


def _without_help(parser: argparse.ArgumentParser, path: str) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _without_help(sub, f"{path} {name}")
        elif not action.help:  # (SUPPRESS: an option deliberately hidden, such as a test hook)
            yield f"{path} {'/'.join(action.option_strings) or action.dest}"


def test_every_option_has_its_help_text() -> None:
    missing = [
        *_without_help(cli_parser(register_report), "bedside-cli"),
        *_without_help(app_parser(), "bedside"),
        *_without_help(ingest_parser(), "bedside-ingest"),
    ]
    assert not missing, missing


@pytest.fixture
def spanish() -> Iterator[None]:
    yield
    i18n.set_language("en")


def _help(main, argv: list[str], capsys) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


def test_the_apps_help_reads_in_spanish(spanish, capsys) -> None:  # type: ignore[no-untyped-def]
    said = _help(app_main, ["--lang", "es", "--help"], capsys)
    assert said.startswith("uso: bedside") and "opciones:" in said
    assert "--patient PACIENTE" in said and "--auth-config ARCHIVO" in said
    assert "muestra el número de versión del programa y termina" in said
    for english in ("usage:", "options:", "default", "show program's", "synthetic", "PATIENT"):
        assert english not in said, english
    # English again without --lang es.
    assert _help(app_main, ["--lang", "en", "--help"], capsys).startswith("usage: bedside")


def test_a_commands_help_names_its_values_in_spanish(spanish, capsys) -> None:  # type: ignore[no-untyped-def]
    said = _help(cli_main, ["--lang", "es", "report", "--help"], capsys)
    assert "--patient PACIENTE" in said and "--out SALIDA" in said and "--credentials ARCHIVO" in said
    assert "PATIENT" not in said and "FILE" not in said
    said = _help(cli_main, ["--lang", "es", "ack", "--help"], capsys)
    assert "posicionales" in said and "alerta" in said and "--comment COMENTARIO" in said


def test_the_ingest_services_help_reads_in_spanish(spanish, capsys) -> None:  # type: ignore[no-untyped-def]
    from bedside_adapters.ingest.main import main as ingest_main

    said = _help(ingest_main, ["--lang", "es", "--help"], capsys)
    assert said.startswith("uso: bedside-ingest") and "--listen HOST:PUERTO" in said
    assert "Recibe HL7 v2 por MLLP" in said and "--tls-senders ARCHIVO" in said
    for english in ("usage:", "(default", "address to listen on", "FILE"):
        assert english not in said, english
