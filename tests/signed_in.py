"""Who runs a test's `bedside-cli` command that records: an account in the test's database with a
known password, and a credentials file for it (mode 0600, in the test's data dir)."""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

from bedside_adapters.auth import accounts
from bedside_adapters.auth.local import hash_password
from bedside_adapters.db.engine import NoDatabase, data_dir, open_existing, resolve_url

from bedside.users import Role, User

PASSWORD = "correct horse battery staple"
PROVISIONER = "test provisioning"
"""The actor of the `user.added` entries of the accounts a test provisions: a test that reads the
log leaves them out to see only what it did itself."""
MEANING = "Recorded: as documented"
"""What a test's signature states where the action implies no meaning."""


def credentials_file(username: str, password: str = PASSWORD) -> Path:
    folder = data_dir() / "credentials"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / (re.sub(r"[^A-Za-z0-9_.-]", "_", username) + ".txt")
    path.touch(mode=0o600)
    path.write_text(f"username = {username}\npassword = {password}\n", encoding="utf-8")
    return path


def ensure_user(url: str, username: str, role: Role = Role.INTENSIVIST, full_name: str | None = None) -> None:
    """The account, added to the database at `url` when missing, as a site's provisioning would:
    not through `bedside-cli user add` (no admin needed), but with its `user.added` entry, as every
    account is, so `verify-log` finds the row in the log. A database not there is left so (the
    command under test says it is missing)."""
    try:
        engine = open_existing(resolve_url(url), write=True)
    except NoDatabase:
        return
    try:
        user = User(username=username, full_name=full_name or username, role=role)
        accounts.provision(engine, user, _password_hash(), PROVISIONER, time.time())
    finally:
        engine.dispose()


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def signed_in(url: str, username: str, role: Role = Role.INTENSIVIST, *, meaning: bool = False) -> list[str]:
    """`--credentials FILE` for `username` (an intensivist unless told: the role that may take every
    clinical action) in the database at `url`; `meaning`: also `--meaning` for a signed action whose
    meaning is stated."""
    ensure_user(url, username, role)
    return ["--credentials", str(credentials_file(username)), *(["--meaning", MEANING] if meaning else [])]


def dose_start(at: str, patient: str = "P1^H", dose: int = 1) -> list[str]:
    """`bedside-cli episode start` arguments for a dose started by hand at `at` (its record printed as
    JSON): how the command-line tests begin a patient's course."""
    return ["episode", "start", "--json", "--patient", patient, "--dose", str(dose), "--at", at]
