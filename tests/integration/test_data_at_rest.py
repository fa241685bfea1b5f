"""Data at rest is this account's only: the data dir and the folders Bedside makes 0700, the SQLite
file with its -wal and -shm, and backups 0600; existing ones Bedside owns are made so when opened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from bedside_adapters.db.care import BackupError, backup, libpq_url
from bedside_adapters.db.engine import (
    describe_url,
    make_engine,
    password_on_command_line,
    resolve_url,
    url_password,
)
from bedside_adapters.db.migrate import upgrade
from sqlalchemy import text


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask, under which a file is made readable by every account unless Bedside says
    otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_and_write(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS at_rest_probe (x INTEGER)"))
            conn.execute(text("INSERT INTO at_rest_probe VALUES (1)"))
        database = Path(engine.url.database or "")
        with engine.connect():  # a connection open: the -wal and -shm files exist
            for side in (Path(f"{database}-wal"), Path(f"{database}-shm")):
                assert side.exists(), side
                assert mode(side) == 0o600, side
    finally:
        engine.dispose()


def test_the_default_database_is_made_private_with_its_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "home" / "share" / "bedside"
    monkeypatch.setenv("BEDSIDE_DATA_DIR", str(data))
    url = resolve_url(None)
    open_and_write(url)
    assert mode(data) == 0o700
    assert mode(data.parent) == 0o700  # made by Bedside too
    assert mode(tmp_path / "home") == 0o700
    assert mode(data / "bedside.sqlite3") == 0o600


def test_the_demo_database_and_its_folder_are_private(data_dir: Path) -> None:
    # As the window's demo: a fresh folder in the data dir, which exists already.
    data_dir.chmod(0o755)
    open_and_write(resolve_url(str(data_dir / "demo" / "bedside-demo.sqlite3")))
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "demo") == 0o700
    assert mode(data_dir / "demo" / "bedside-demo.sqlite3") == 0o600


def test_existing_files_and_data_dir_are_made_private_when_opened(data_dir: Path) -> None:
    url = resolve_url(None)
    open_and_write(url)
    database = data_dir / "bedside.sqlite3"
    files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    # As an older Bedside (or a copy made by hand) left them, while another process has them open.
    holder = make_engine(url)
    opened = make_engine(url)
    try:
        with holder.connect() as conn:
            conn.execute(text("SELECT count(*) FROM at_rest_probe"))
            for path in files:
                path.chmod(0o644)
            data_dir.chmod(0o755)
            with opened.connect() as other:
                other.execute(text("SELECT count(*) FROM at_rest_probe"))
            assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
        open_and_write(url)
        assert mode(data_dir) == 0o700
    finally:
        holder.dispose()
        opened.dispose()


def test_a_folder_that_exists_elsewhere_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    open_and_write(resolve_url(str(shared / "ward.sqlite3")))
    assert mode(shared) == 0o755  # the folder was asked for, not made: not Bedside's to change
    assert mode(shared / "ward.sqlite3") == 0o600


def test_a_backup_is_private_and_never_overwrites(sqlite_url: str, tmp_path: Path) -> None:
    open_and_write(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        target = tmp_path / "backups" / "nightly" / "bedside.sqlite3"
        assert "integrity check: ok" in backup(engine, target)
        assert mode(target) == 0o600
        assert mode(target.parent) == 0o700 and mode(target.parent.parent) == 0o700
        before = target.read_bytes()
        with pytest.raises(BackupError, match="exists"):
            backup(engine, target)
        assert target.read_bytes() == before
    finally:
        engine.dispose()


def test_a_password_on_the_command_line_is_named() -> None:
    warning = password_on_command_line("postgresql+psycopg://bedside:s3cret@db.example/bedside")
    assert warning is not None
    assert "s3cret" not in warning
    assert "BEDSIDE_DB_URL" in warning and "PGPASSFILE" in warning and "service file" in warning
    assert password_on_command_line("postgresql+psycopg://bedside@db.example/bedside") is None
    assert password_on_command_line("postgresql:///?service=bedside") is None
    assert password_on_command_line("/var/lib/bedside/bedside.sqlite3") is None
    assert password_on_command_line(None) is None


def test_a_password_in_the_query_string_is_a_password_like_any_other() -> None:
    url = "postgresql+psycopg://bedside@db.example/bedside?sslmode=require&password=s3cret"
    warning = password_on_command_line(url)
    assert warning is not None and "s3cret" not in warning
    assert "s3cret" not in describe_url(url) and "sslmode=require" in describe_url(url)
    assert url_password(url) == "s3cret"
    assert "s3cret" not in libpq_url(url) and libpq_url(url).startswith("postgresql://bedside@db.example")


def test_the_data_dir_and_its_keys_are_made_private_when_the_database_is_elsewhere(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The data dir and keys/ as an older Bedside (or a hand copy) left them; the database is a file
    # elsewhere (--db), so opening it touches neither: signing the first entry does.
    from bedside_adapters.keys import KEY_ENV, installation_signer, key_path

    monkeypatch.delenv(KEY_ENV)
    installation_signer(data_dir)
    key = key_path(data_dir)
    data_dir.chmod(0o755)
    key.parent.chmod(0o755)
    key.chmod(0o644)
    from bedside_adapters import keys

    keys._signers.clear()  # a new process: the key is read again
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    open_and_write(resolve_url(str(elsewhere / "ward.sqlite3")))
    installation_signer(data_dir)
    assert (mode(data_dir), mode(key.parent), mode(key)) == (0o700, 0o700, 0o600)


def test_read_only_commands_make_what_they_open_private_and_change_no_content(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    from bedside_adapters import keys
    from bedside_adapters.anchors import anchor_path, write_anchor
    from bedside_adapters.cli import main as cli_main
    from bedside_adapters.db.engine import open_existing
    from bedside_adapters.db.safety_store import database_identity, head, record_now

    from bedside.session import session_entry

    monkeypatch.delenv(keys.KEY_ENV)
    keys._signers.clear()
    url = resolve_url(None)
    writer = make_engine(url)
    try:
        upgrade(writer)
        assert (
            record_now(writer, session_entry("refused", "zed", "test", "unknown user"), time.time()) is None
        )
        with writer.connect() as conn:
            anchored = head(conn)
        assert anchored is not None
        write_anchor(anchor_path(data_dir), database_identity(writer.url), anchored, "test")
    finally:
        writer.dispose()
    database = data_dir / "bedside.sqlite3"
    wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
    anchors = anchor_path(data_dir)
    key = keys.key_path(data_dir)
    assert not wal.exists() and not shm.exists() and anchors.exists() and key.exists()
    # As an older Bedside (or a copy made by hand) left them.
    database.chmod(0o644)
    data_dir.chmod(0o755)
    key.parent.chmod(0o755)
    anchors.chmod(0o666)
    content = {path: path.read_bytes() for path in (database, anchors, key)}

    reader = open_existing(url, write=False)
    try:
        with reader.connect() as conn:
            conn.execute(text("SELECT count(*) FROM safety_log"))
            # This reader's connection made the side files: private as they were created.
            assert (mode(database), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        reader.dispose()
    assert mode(data_dir) == 0o700

    for command in (["stats"], ["verify-log"]):
        database.chmod(0o644)
        data_dir.chmod(0o755)
        key.parent.chmod(0o755)
        anchors.chmod(0o666)
        assert cli_main(command) == 0, capsys.readouterr()
        assert (mode(database), mode(data_dir), mode(key.parent)) == (0o600, 0o700, 0o700), command
        assert {path: path.read_bytes() for path in content} == content
    assert mode(anchors) == 0o600  # verify-log read it
    assert "safety log intact" in capsys.readouterr().out


def test_a_device_named_as_the_anchor_file_keeps_its_mode() -> None:
    from bedside_adapters.anchors import read_anchors

    # `--anchors /dev/null` (no anchors to check): owned by root, which may run the verifier.
    before = mode(Path("/dev/null"))
    assert read_anchors(Path("/dev/null")) == []
    assert mode(Path("/dev/null")) == before == 0o666


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_a_signing_key_others_may_read_and_this_account_cannot_tighten_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bedside_adapters import keys
    from bedside_adapters.cli import main as cli_main

    key = tmp_path / "site-keys" / "safety-log.key"
    monkeypatch.setenv(keys.KEY_ENV, str(key))
    keys._signers.clear()
    made = keys.installation_signer(tmp_path)
    keys._signers.clear()  # a new process: the key is read again
    key.chmod(0o644)
    os.chown(key, 65534, -1)  # another account's: this one may not tighten it
    try:
        with pytest.raises(
            keys.KeyFileError, match=r"has mode 0644 and is another account's .* nothing is signed"
        ):
            keys.installation_signer(tmp_path)
        assert mode(key) == 0o644
        # Checking signatures needs only the public half: the verifier still reads it.
        assert keys.installation_public_key(tmp_path) == (made.key_id, made.public_hex)
        # A command that records says so in one line and records nothing.
        url = resolve_url(None)
        assert cli_main(["db", "upgrade"]) == 0
        capsys.readouterr()
        pw = tmp_path / "pw"
        pw.write_text("a long enough password\n")
        pw.chmod(0o600)
        add = ["user", "add", "root", "--role", "admin", "--full-name", "Root", "--password-file", str(pw)]
        assert cli_main(["--db", url, *add]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "nothing is signed with it" in err, err
        # The service does not start: it would store entries it cannot sign.
        from bedside_adapters.ingest.main import main as ingest_main

        assert ingest_main(["--db", url, "--listen", "127.0.0.1:0"]) == 2
        assert "nothing is signed with it" in capsys.readouterr().err
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM safety_log")).scalar_one() == 0
            assert conn.execute(text("SELECT count(*) FROM app_user")).scalar_one() == 0
        engine.dispose()
        # Owned by this account, the same mode is tightened instead, and signing goes on.
        os.chown(key, os.geteuid(), -1)
        assert keys.installation_signer(tmp_path).key_id == made.key_id
        assert mode(key) == 0o600
    finally:
        keys._signers.clear()
