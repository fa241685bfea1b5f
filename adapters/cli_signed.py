"""One signed record from the command line: the database opened for writing, the user signed in, the
command built with who asks, when and their signature, and handed to its handler in one unit of work.
A refusal (the handler's, or the sign-in's) is raised to the command, which prints it as one line."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import TypeVar

from bedside_adapters.cli_auth import acting, authenticated_user, signature
from bedside_adapters.cli_db import open_database
from bedside_adapters.db.unit_of_work import SqlUnitOfWork

from bedside.unit_of_work import UnitOfWork
from bedside.users import Action

C = TypeVar("C")
R = TypeVar("R")


def record_signed(
    args: argparse.Namespace,
    action: Action,
    command: Callable[..., C],
    handle: Callable[[UnitOfWork, C], R],
) -> R:
    """`command` takes the acting user's fields (`by`, `role`), `recorded_at` and `signature` as
    keywords (a dataclass with the rest of its fields given, e.g. through functools.partial)."""
    engine = open_database(args.db, write=True)
    try:
        user = authenticated_user(args, engine)
        cmd = command(**acting(user), recorded_at=time.time(), signature=signature(args, user, action))
        return handle(SqlUnitOfWork(engine), cmd)
    finally:
        engine.dispose()
