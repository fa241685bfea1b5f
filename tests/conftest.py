"""Shared fixtures: every test gets its own data dir; ingest runs for real on loopback."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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


@pytest.fixture
def engine(sqlite_url: str):
    from adapters.db.engine import make_engine
    from adapters.db.migrate import upgrade

    eng = make_engine(sqlite_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@dataclass
class RunningIngest:
    host: str
    port: int
    url: str
    service: object


@pytest.fixture
def ingest(engine, sqlite_url: str) -> Iterator[RunningIngest]:
    """The real IngestService on a loopback port, its asyncio loop in a background thread."""
    from adapters.ingest.service import IngestService, IngestSettings

    settings = IngestSettings(listen=(("127.0.0.1", 0),), sender_zone=UTC, idle_timeout=30)
    service = IngestService(engine, settings)
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
    host, port = service.addresses[0]
    yield RunningIngest(host, port, sqlite_url, service)
    loop.call_soon_threadsafe(stop.set)
    thread.join(30)
    assert not thread.is_alive(), "ingest did not stop"
    loop.close()
