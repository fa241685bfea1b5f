"""`bedside-cli` acting as a user the directory (a real slapd) authenticates: a command that records
runs as the directory's user in the role its group gives, and is refused with one line, recording
nothing, when the directory refuses, is down, or Bedside has disabled the account."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from bedside_adapters.auth import accounts
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import func, select

from bedside.parameters import ParameterCatalog
from bedside.users import Role
from tests.helpers import adt_a01
from tests.ldap_server import PEOPLE, Slapd, group_dn, person, running_slapd
from tests.signed_in import credentials_file


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


@pytest.fixture
def url(sqlite_engine) -> str:
    """A database with one admitted patient (MRN1) and no account of Bedside's own."""
    pipeline = IngestPipeline(IngestStore(sqlite_engine), ParameterCatalog.load(), time.time, UTC)
    assert pipeline.handle(adt_a01("ADT1", "DOE^JANE").encode(), "127.0.0.1:9").ack_code == "AA"
    return sqlite_engine.url.render_as_string(hide_password=False)


def site_config(folder: Path, ldap_url: str) -> Path:
    path = folder / "bedside.toml"
    path.write_text(
        f"""[auth]
source = "ldap"

[auth.ldap]
url = "{ldap_url}"
allow_plaintext = true
timeout_seconds = 2
user_dn_template = "uid={{username}},{PEOPLE}"

[auth.ldap.groups]
"{group_dn("icu-intensivists")}" = "intensivist"
"{group_dn("icu-nurses")}" = "nurse"
""",
        encoding="utf-8",
    )
    return path


def record_vitals(url: str, username: str, password: str, *config: str) -> int:
    return cli_main(
        [
            "--db",
            url,
            "vitals",
            "--patient",
            "MRN1",
            "--at",
            "now",
            "--credentials",
            str(credentials_file(username, password)),
            *config,
            "--hr",
            "118",
            "--json",
        ]
    )


def entries_by(engine, username: str) -> int:
    """The safety-log entries `username` wrote (a refused sign-in's `session.refused` aside)."""
    c = t.safety_log.c
    with engine.connect() as conn:
        query = select(func.count()).select_from(t.safety_log).where(c.actor == username)
        return conn.execute(query.where(c.kind != "session.refused")).scalar_one()


def refusals_of(engine, username: str) -> list[str]:
    """The reasons of the refused sign-ins logged for `username`."""
    c = t.safety_log.c
    with engine.connect() as conn:
        query = select(c.payload).where(c.actor == username, c.kind == "session.refused").order_by(c.seq)
        return [json.loads(p)["reason"] for p in conn.execute(query).scalars()]


def test_a_command_that_records_runs_as_the_directorys_user(
    directory: Slapd, url: str, sqlite_engine, tmp_path: Path, capsys
) -> None:
    config = site_config(tmp_path, directory.url)
    assert record_vitals(url, "luis", person("luis").password, "--auth-config", str(config)) == 0
    assert json.loads(capsys.readouterr().out)["by"] == "luis"
    with sqlite_engine.connect() as conn:
        actor = conn.execute(
            select(t.safety_log.c.actor).order_by(t.safety_log.c.seq.desc()).limit(1)
        ).scalar_one()
    assert actor == "luis"


def test_the_data_dirs_bedside_toml_is_the_sites_without_auth_config(
    directory: Slapd, url: str, data_dir: Path, capsys
) -> None:
    site_config(data_dir, directory.url)
    assert record_vitals(url, "ana", person("ana").password) == 0
    assert json.loads(capsys.readouterr().out)["by"] == "ana"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("username", "password", "ldap_url", "says"),
    [
        ("luis", "ana-directory-pw", None, "unknown user or wrong password"),
        ("otto", "otto-directory-pw", None, "none of the groups"),
        ("luis", "luis-directory-pw", "closed", "could not be reached"),
    ],
)
def test_refused_by_the_directory_in_one_line_recording_nothing(
    directory: Slapd, url: str, sqlite_engine, tmp_path: Path, capsys, username, password, ldap_url, says
) -> None:
    ldap_url = f"ldap://127.0.0.1:{_closed_port()}" if ldap_url == "closed" else directory.url
    assert entries_by(sqlite_engine, username) == 0
    rc = record_vitals(url, username, password, "--auth-config", str(site_config(tmp_path, ldap_url)))
    captured = capsys.readouterr()
    assert rc != 0 and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and says in captured.err
    assert password not in captured.err
    assert entries_by(sqlite_engine, username) == 0
    (reason,) = refusals_of(sqlite_engine, username)
    assert reason.startswith("directory: ") and says in reason and password not in reason


def test_an_account_disabled_in_bedside_is_refused_though_the_directory_accepts(
    directory: Slapd, url: str, sqlite_engine, tmp_path: Path, capsys
) -> None:
    admin = accounts.add_user(
        sqlite_engine,
        None,
        username="admin",
        full_name="Site Admin",
        role=Role.ADMIN,
        password="admin-local-pw",
    )
    accounts.add_user(
        sqlite_engine,
        admin,
        username="dora",
        full_name="Dora Left",
        role=Role.NURSE,
        password="dora-local-pw",
    )
    config = ["--auth-config", str(site_config(tmp_path, directory.url))]
    assert record_vitals(url, "dora", person("dora").password, *config) == 0
    capsys.readouterr()
    accounts.disable_user(sqlite_engine, admin, "dora", reason="left the unit")
    before = entries_by(sqlite_engine, "dora")
    assert record_vitals(url, "dora", person("dora").password, *config) != 0
    assert "unknown user or wrong password" in capsys.readouterr().err
    assert entries_by(sqlite_engine, "dora") == before
    assert refusals_of(sqlite_engine, "dora") == ["disabled account"]
