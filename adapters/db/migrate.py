"""Alembic, driven from code: `bedside-cli db upgrade`, and ingest at start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from bedside.i18n import _

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNew(RuntimeError):
    """The database was upgraded by a newer Bedside: opening it with this one could damage it."""


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_not_newer(engine: Engine) -> None:
    current = current_revision(engine)
    if current is None:
        return
    known = {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current not in known:
        raise DatabaseTooNew(
            _(
                "The database is at schema revision {current}, which this version of Bedside does not "
                "know: it was written by a newer Bedside. Install that version (or newer) to open it."
            ).format(current=current)
        )


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the schema to `revision` in one transaction; returns the revision reached."""
    check_not_newer(engine)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    reached = current_revision(engine)
    assert reached is not None
    return reached
