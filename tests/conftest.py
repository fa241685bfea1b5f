"""Shared fixtures: every test gets its own data dir; ingest runs for real on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# English unless a test asks for another language: the machine running the tests may be Spanish.
os.environ["LANGUAGE"] = "en"


@pytest.fixture(scope="session", autouse=True)
def installation_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One safety-log signing key for the whole run (BEDSIDE_LOG_KEY): a database built once per
    session or module, then copied into a test's own data dir, verifies there. Never the user's."""
    path = tmp_path_factory.mktemp("log-key") / "safety-log.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BEDSIDE_LOG_KEY", str(path))
        yield path


@pytest.fixture(autouse=True)
def language_as_found() -> Iterator[None]:
    """A test that changes the language (`bedside-cli --lang es` sets it for the whole process, as
    a command should) leaves it as it found it: the next test reads English unless it asks."""
    from bedside import i18n

    saved = dict(i18n._state)
    yield
    i18n._state.clear()
    i18n._state.update(saved)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test in its own data dir; no test may touch the user's real database."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("BEDSIDE_DATA_DIR", str(d))
    monkeypatch.delenv("BEDSIDE_DB_URL", raising=False)
    return d


@pytest.fixture
def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'bedside.sqlite3'}"


def _postgres_admin_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if os.environ.get("BEDSIDE_REQUIRE_POSTGRES") == "1":
            pytest.fail("BEDSIDE_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("no PostgreSQL server: set TEST_DATABASE_URL (tests/run.sh starts one when it can)")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty database on the real PostgreSQL server, dropped after the test."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin_url = _postgres_admin_url()
    name = f"bedside_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The integration suite runs on both databases: same tests, same code paths."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


def _upgraded(url: str):
    from bedside_adapters.db.engine import make_engine
    from bedside_adapters.db.migrate import upgrade

    eng = make_engine(url)
    upgrade(eng)
    return eng


@pytest.fixture
def engine(db_url: str):
    eng = _upgraded(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str):
    eng = _upgraded(sqlite_url)
    yield eng
    eng.dispose()


@dataclass
class RunningIngest:
    host: str
    port: int
    url: str
    service: object


@contextlib.contextmanager
def running_ingest(engine, url: str, **settings) -> Iterator[RunningIngest]:
    """The real IngestService on a loopback port, its asyncio loop in a background thread."""
    from bedside_adapters.ingest.service import IngestService, IngestSettings

    # No clock window unless a test sets one: the fixtures' times are from 2025, over a year ago.
    defaults = {"listen": (("127.0.0.1", 0),), "sender_zone": UTC, "idle_timeout": 30, "clock_window": None}
    service = IngestService(engine, IngestSettings(**{**defaults, **settings}))
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    started = threading.Event()
    failure: list[BaseException] = []

    async def run() -> None:
        try:
            await service.start()
        except BaseException as exc:
            failure.append(exc)
            raise
        finally:
            started.set()
        await service.run_until(stop)
        await service.close()

    thread = threading.Thread(target=lambda: loop.run_until_complete(run()), name="test-ingest")
    thread.start()
    assert started.wait(30), "ingest did not start"
    if failure:
        raise failure[0]
    try:
        host, port = (service.addresses or service.tls_addresses)[0]
        yield RunningIngest(host, port, url, service)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        assert not thread.is_alive(), "ingest did not stop"
        loop.close()


@pytest.fixture
def ingest(engine, db_url: str) -> Iterator[RunningIngest]:
    with running_ingest(engine, db_url) as running:
        yield running
