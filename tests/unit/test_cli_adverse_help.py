"""Every option of the adverse-event commands says in --help what it takes: a clinician recording a
follow-up or a report to the sponsor reads what each option means, in the language chosen."""

from __future__ import annotations

import argparse

import pytest
from bedside_adapters.cli import build_parser

COMMANDS = ("adverse-event", "adverse-event-follow-up", "adverse-event-reported", "adverse-events")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_has_its_help(command: str) -> None:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    unexplained = [a.dest for a in sub.choices[command]._actions if not a.help]
    assert unexplained == [], unexplained
