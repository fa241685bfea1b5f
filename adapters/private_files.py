"""Data at rest for this account only: directories 0700, database files and backups 0600.

A patient's record on a shared PC must not be readable by the other accounts on it. What Bedside
creates is private from its first moment (no window in which another account could open it); what
exists already is made private when Bedside opens it, if this account owns it. A path another
account owns is left as it is: its owner decided, and this process may not change it anyway.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def make_private_dir(path: Path) -> Path:
    """`path`, each missing directory of it created 0700. A directory that exists keeps its mode (it
    may be the user's home or a shared folder a file was asked for in)."""
    missing: list[Path] = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue  # another process made it meanwhile: its mode is that process's
        # mkdir's mode passes through the umask; the new directory is ours to set.
        os.chmod(d, PRIVATE_DIR)
    return path


def restrict(path: Path, mode: int) -> None:
    """Take from `path` every permission beyond `mode`, if it exists, is a file or a directory (a
    device such as /dev/null named where a file is expected keeps its mode) and this account owns it."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    current = stat.S_IMODE(st.st_mode)
    kind_ok = stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)
    if kind_ok and st.st_uid == os.geteuid() and current & ~mode:
        os.chmod(path, current & mode)


def create_private_file(path: Path) -> None:
    """A new empty file, 0600 as it is made. FileExistsError when there is one: nothing is overwritten."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def private_sqlite_files(database: Path) -> None:
    """Before SQLite opens `database`: a new one is created 0600 (its -wal and -shm files, which SQLite
    creates with the main file's mode, are then 0600 too); an existing one this account owns, with
    its -wal and -shm, loses the permissions beyond 0600."""
    try:
        create_private_file(database)
    except FileExistsError:
        restrict_sqlite_files(database)


def restrict_sqlite_files(database: Path) -> None:
    """Before SQLite opens an existing `database`, to read or to write: the file, its -wal and -shm
    lose the permissions beyond 0600 where this account owns them. SQLite creates a missing -wal or
    -shm with the main file's mode (a reader too), so the main file goes first."""
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        restrict(path, PRIVATE_FILE)
