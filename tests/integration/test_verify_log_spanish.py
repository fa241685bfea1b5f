"""verify-log names what in PostgreSQL's catalogue opens the safety log in the command's language
(a grant, a rule, a function's settings), the SQL to undo it as SQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bedside_adapters.cli import main as cli_main

from bedside import i18n
from tests.integration.test_log_tampering import _owner_does, pg_logged  # noqa: F401 (a fixture)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_a_grant_that_opens_the_log_is_named_in_spanish(pg_logged: str, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _owner_does(pg_logged, "GRANT DELETE ON safety_log TO bedside_screens")
    rc = cli_main(["--lang", "es", "--db", pg_logged, "verify-log"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "los permisos sobre safety_log" in err and "bedside_screens tiene DELETE sobre ella" in err, err
    assert "REVOKE DELETE ON safety_log FROM bedside_screens" in err
    assert "the grants on" not in err and "holds" not in err


def test_a_rule_on_the_log_is_named_in_spanish(pg_logged: str, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _owner_does(pg_logged, "CREATE RULE swallow AS ON INSERT TO safety_log DO INSTEAD NOTHING")
    rc = cli_main(["--lang", "es", "--db", pg_logged, "verify-log"])
    err = capsys.readouterr().err
    assert rc == 1 and "regla swallow sobre safety_log" in err and "una regla sobre INSERT" in err, err
