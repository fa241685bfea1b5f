"""A refused sign-in at the command line is logged the way the screens log theirs: the core's session
entry, appended through a unit of work (the one append path), never by writing the log directly."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from bedside_adapters.db import schema as t
from bedside_ui.cli import main as cli_main
from sqlalchemy import select

from tests.signed_in import credentials_file, ensure_user

ADAPTERS = Path(__file__).resolve().parents[2] / "adapters"


def test_outside_the_database_adapters_nothing_appends_to_the_log_directly() -> None:
    direct = []
    for path in sorted(ADAPTERS.rglob("*.py")):
        if path.relative_to(ADAPTERS).parts[0] == "db":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("db.safety_store"):
                direct += [f"{path.name}: {a.name}" for a in node.names if a.name == "record"]
    assert direct == []


def test_a_wrong_password_is_logged_as_a_refused_sign_in(sqlite_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    ensure_user(url, "ana")
    wrong = credentials_file("ana", "not the password")
    episode = ["episode", "start", "--json", "--patient", "P1^H", "--dose", "1", "--at", "now"]
    assert cli_main(["--db", url, *episode, "--credentials", str(wrong)]) == 2
    assert "bedside-cli:" in capsys.readouterr().err
    log = t.safety_log.c
    with sqlite_engine.connect() as conn:
        rows = conn.execute(select(log.actor, log.payload).where(log.kind == "session.refused")).all()
        episodes = conn.execute(select(t.infusion_episode.c.id)).all()
    ((actor, payload),) = rows
    assert actor == "ana" and json.loads(payload)["reason"] == "wrong password"
    assert episodes == []  # refused before anything was recorded
