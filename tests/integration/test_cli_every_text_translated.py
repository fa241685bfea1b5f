"""Every text the command line prints for a person is marked for translation: the same
pseudo-translation as the screens' test (tests/ui/test_every_text_translated.py), installed for the
core's and the command line's gettext catalogues, and each command's text output (not --json, which
machines read) walked for a word outside the markers that is not data."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bedside_adapters import cli

from bedside import i18n
from bedside.co_medication import ROUTES
from bedside.course_spec import load_beds
from tests.helpers import COURSE_START, build_course_db
from tests.ui.test_every_text_translated import PseudoGettext, leftover, mark_data_tables

NOW = COURSE_START + 4 * 86400


@pytest.fixture(scope="module")
def course_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reaction") / "course.sqlite3"
    build_course_db(path, "reaction", NOW)
    return path


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def pseudo_language(requested: str | None = None) -> str:
        i18n.use_translation(PseudoGettext(), "es")
        return "es"

    monkeypatch.setattr(cli, "set_language", pseudo_language)
    mark_data_tables(monkeypatch)
    yield
    i18n.set_language("en")


COMMANDS = {
    "observations": ["observations", "--patient", "{mrn}"],
    "episodes": ["episodes", "--patient", "{mrn}"],
    "alerts": ["alerts", "--patient", "{mrn}"],
    "adverse-events": ["adverse-events", "--patient", "{mrn}"],
    "medication list": ["medication", "list", "--patient", "{mrn}"],
    "verify-log": ["verify-log"],
    "log": ["log", "--patient", "{mrn}"],
    "stats": ["stats"],
    "devices": ["devices"],
}
"""The commands whose text output a person reads (each with --json for machines)."""
ACK_CODES = {"AA", "AE", "AR", "CA", "CE", "CR"}
"""HL7 acknowledgement codes (MSA-1), counted by `stats` as sent."""


ROUTE_CODES = set(ROUTES)
"""A route as the prescription writes it (IV, SC, PO): the same in both languages' charts."""
ZONES = {*time.tzname, "UTC"}
"""The time zone's abbreviation a listing writes after a local time."""


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_prints_only_marked_text(pseudo, course_file, capsys, name) -> None:  # type: ignore[no-untyped-def]
    (bed,) = load_beds("reaction", COURSE_START)
    args = [a.format(mrn=bed.mrn) for a in COMMANDS[name]]
    db = f"sqlite:///{course_file}"
    # A dose's product is the pump's or the eMAR's text as sent ("AT-MSC dose 1 1.0e6/kg"): data.
    cli.main(["--db", db, "episodes", "--json"])
    products = {ep["product"] for ep in json.loads(capsys.readouterr().out) if ep["product"]}
    # A sender is named as it names itself (MSH-3 @ MSH-4: "SIM_ADT @ HOSP"): data.
    cli.main(["--db", db, "stats", "--json"])
    products |= set(json.loads(capsys.readouterr().out)["senders"])
    # The log's actor is the account or process as logged ("bedside-rules (import)", a username).
    cli.main(["--db", db, "log", "--json"])
    products |= {e["actor"] for e in json.loads(capsys.readouterr().out)}
    cli.main(["--db", db, *args])
    out, err = capsys.readouterr()
    lines = [
        functools.reduce(lambda line, p: line.replace(p, ""), sorted(products, key=len, reverse=True), line)
        for line in (*out.splitlines(), *err.splitlines())
    ]
    found = []
    for line in lines:
        words = [w for w in leftover(line) if w not in ROUTE_CODES | ZONES | ACK_CODES]
        if words:
            found.append(f"{name}: {line!r:.160} (unmarked: {' '.join(dict.fromkeys(words))})")
    assert out.strip() or err.strip(), "the command printed nothing"
    assert not found, "\n".join(found)
