"""Fixtures the UI tests share: the simulated `reaction` course stored once per session (building it
through the real ingest pipeline and rule engine takes seconds), copied for each test that changes it."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bedside_adapters.db.engine import make_engine
from PySide6.QtCore import QEvent
from sqlalchemy import Engine

from bedside.review import DAY
from tests.helpers import COURSE_START, build_course_db
from tests.ui.signing import Accounts

REACTION_PATIENT = "SIM1729^BEDSIDE_DEMO"
REACTION_NOW = COURSE_START + 4 * DAY


@pytest.fixture(scope="session")
def reaction_course_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reaction-course") / "course.sqlite3"
    build_course_db(path, "reaction", REACTION_NOW)
    return path


@pytest.fixture
def reaction_engine(reaction_course_file: Path, data_dir: Path) -> Iterator[Engine]:
    """A copy of the reaction course in this test's own data dir: a test may write to it."""
    path = data_dir / "course.sqlite3"
    shutil.copy(reaction_course_file, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture
def accounts() -> Accounts:
    return Accounts()


@pytest.fixture(autouse=True)
def collected_on_the_gui_thread(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A test's windows are deleted and their cycles collected here, on the GUI thread, before the
    next test starts: left to the collector, a cycle holding Qt objects (pyqtgraph's menus among them)
    could be freed on whichever thread allocates next, a screen's worker thread included."""
    yield
    qapp.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the windows closed at teardown
    gc.collect()
