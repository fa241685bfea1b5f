"""`bedside-cli --lang es verify-log` says why a chain does not verify in Spanish, and a signing key
that cannot be used is refused in Spanish; English is unchanged (the other tests of verify-log and
the keys read it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bedside_adapters import keys
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import log_guard
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import Engine, text

from bedside import i18n
from tests.integration.test_log_tampering import Logged_, logged  # noqa: F401  (logged: the fixture)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def _verify_es(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = cli_main(["--lang", "es", "--db", url, "verify-log"])
    return rc, capsys.readouterr().err


def test_a_renamed_log_table_is_said_in_spanish(engine: Engine, logged: Logged_, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with engine.begin() as conn:
        log_guard.uninstall(conn)
        conn.execute(text("ALTER TABLE safety_log RENAME COLUMN signature TO sig"))
    rc, err = _verify_es(logged.url, capsys)
    assert rc == 1, err
    assert "la tabla safety_log no tiene la columna signature (alterada fuera de Bedside)" in err, err
    assert "Conserve esta base de datos como prueba" in err, err


def test_a_dropped_trigger_and_an_edited_record_are_said_in_spanish(  # type: ignore[no-untyped-def]
    engine: Engine,
    logged: Logged_,  # noqa: F811
    capsys,
) -> None:
    with engine.begin() as conn:
        log_guard.uninstall(conn)
    rc, err = _verify_es(logged.url, capsys)
    assert rc == 1 and "en los disparadores de solo anexado: ausentes o modificados:" in err, err
    with engine.begin() as conn:
        conn.execute(text("UPDATE alert SET severity = 'low'"))
        log_guard.install(conn)
    rc, err = _verify_es(logged.url, capsys)
    assert rc == 1 and "ROTO en alerta " in err and "el registro de seguridad dice" in err, err


def test_a_key_file_that_is_not_ed25519_is_refused_in_spanish(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    key = tmp_path / "site-keys" / "safety-log.key"
    key.parent.mkdir(mode=0o700)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    key.write_bytes(pem)
    key.chmod(0o600)
    monkeypatch.setenv(keys.KEY_ENV, str(key))
    keys._signers.clear()
    try:
        with pytest.raises(keys.KeyFileError, match="is not an Ed25519 private key"):
            keys.installation_signer(tmp_path)
        i18n.set_language("es")
        keys._signers.clear()
        with pytest.raises(keys.KeyFileError, match="no es una clave privada Ed25519"):
            keys.installation_signer(tmp_path)
    finally:
        keys._signers.clear()


def test_a_head_that_is_not_one_is_refused_in_spanish(engine: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    url = engine.url.render_as_string(hide_password=False)
    with pytest.raises(SystemExit) as exited:
        cli_main(["--lang", "es", "--db", url, "verify-log", "--expect-head", "7:xyz"])
    assert exited.value.code == 2
    assert "'7:xyz' no es una cabeza de cadena: indique N:HASH" in capsys.readouterr().err
