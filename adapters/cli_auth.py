"""Who runs a `bedside-cli` command that records: an authenticated user, never a name typed after
`--by`. The user is named by `--user` (or BEDSIDE_USER) and types the password at the prompt, or a
script gives `--credentials FILE` (or BEDSIDE_CREDENTIALS): a file with `username` and `password`
lines that only its owner, the account running the command, may read (mode 0600). Without either, a
command that records is refused. The password is never an argument.

A signed action (acknowledging, documenting an adverse event, confirming, editing or cancelling a
dose) is signed by this authentication: the signature names the user, their role, the time and the
meaning, implied by the action or stated with `--meaning`.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import platform
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bedside_adapters.db.engine import Engine

from bedside.i18n import N_, _
from bedside.refusals import Refused
from bedside.session import log_session, session_entry
from bedside.users import ACTION_PHRASES, Action, AuthError, Signature, User, meaning_required

log = logging.getLogger(__name__)

_SCREEN = f"bedside-cli@{platform.node() or 'localhost'}"
"""Where a CLI sign-in is made: the command line of this computer."""

CREDENTIALS_HELP = N_(
    "a file with 'username = NAME' and 'password = SECRET' lines, mode 0600, owned by you "
    "(default: BEDSIDE_CREDENTIALS)"
)


class NotAuthenticated(Refused):
    """A command that records, run by nobody authenticated (or by a wrong password)."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def auth_options(parser: argparse.ArgumentParser, meaning: bool = False) -> None:
    """The options of a command that records; `meaning`: a signed action whose meaning is stated."""
    parser.add_argument("--user", help=_("your username; the password is asked (default: BEDSIDE_USER)"))
    parser.add_argument("--credentials", metavar="FILE", help=_(CREDENTIALS_HELP))
    parser.add_argument("--auth-config", help=_("bedside.toml with [auth] (default: the data dir's)"))
    if meaning:
        parser.add_argument("--meaning", help=_("what your signature means (required; asked on a terminal)"))


def _private_text(path: Path, what: str) -> str:
    """The text of a file that holds a secret: refused unless it is a regular file of this account's
    that nobody else may read or write. `what` names the file (marked with `N_`, shown translated)."""
    what = _(what)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise NotAuthenticated(_("{what} {path} is not a file").format(what=what, path=path))
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise NotAuthenticated(
                _("{what} {path} belongs to another account: refused").format(what=what, path=path)
            )
        if st.st_mode & 0o077:
            raise NotAuthenticated(
                _("{what} {path} has mode {mode}: refused (chmod 600 it)").format(
                    what=what, path=path, mode=f"{stat.S_IMODE(st.st_mode):04o}"
                )
            )
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NotAuthenticated(f"{what} {path}: {exc.strerror or exc}") from None


def read_secret_file(path: Path) -> str:
    """The first line of a password file (mode 0600, this account's)."""
    lines = _private_text(path, N_("password file")).splitlines()
    if not lines or not lines[0]:
        raise NotAuthenticated(_("password file {path} is empty").format(path=path))
    return lines[0]


def read_credentials(path: Path) -> Credentials:
    """The file's username and password; refused unless it is a regular file of this account's
    that nobody else may read or write."""
    fields: dict[str, str] = {}
    for line in _private_text(path, N_("credentials file")).splitlines():
        key, sep, value = line.partition("=")
        if not sep:
            key, sep, value = line.partition(":")
        if sep and key.strip() in ("username", "password"):
            fields[key.strip()] = value.strip()
    if not fields.get("username") or not fields.get("password"):
        raise NotAuthenticated(
            _("credentials file {path} needs a username line and a password line").format(path=path)
        )
    return Credentials(fields["username"], fields["password"])


class UsersDiffer(NotAuthenticated):
    """`--user` (or BEDSIDE_USER) names one user and the credentials file another."""


def _given(args: argparse.Namespace) -> Credentials:
    file = getattr(args, "credentials", None) or os.environ.get("BEDSIDE_CREDENTIALS")
    username = getattr(args, "user", None) or os.environ.get("BEDSIDE_USER")
    if file:
        credentials = read_credentials(Path(file))
        # Signing as the file's user while the command names another would record under a name the
        # person did not ask for: which one they meant is theirs to say.
        if username and username.strip() != credentials.username:
            raise UsersDiffer(
                _(
                    "the user named ({named}) is not the credentials file's ({in_file}): "
                    "refused; give one of them"
                ).format(named=username, in_file=credentials.username)
            )
        return credentials
    if not username:
        raise NotAuthenticated(
            _(
                "who are you? give --user NAME (the password is asked) or --credentials FILE: "
                "a command that records is refused without an authenticated user"
            )
        )
    if not sys.stdin.isatty():
        raise NotAuthenticated(
            _("no terminal to ask {user}'s password: give --credentials FILE (mode 0600) instead").format(
                user=username
            )
        )
    return Credentials(username, getpass.getpass(_("password for {user}: ").format(user=username)))


class OtherSigningKey(NotAuthenticated):
    """The key this command would sign with is not one this database's log was signed with."""


def require_the_databases_key(engine: Engine) -> None:
    """Refuse to record before anything is written when this machine's installation key (the data
    dir's, or BEDSIDE_LOG_KEY) signed none of the database's entries while another key did: the
    command was pointed at a database another Bedside writes (the demo's, another data dir's), and
    entries signed with a key the verifier does not trust read as a broken log. A database with no
    signed entry yet takes the first key that signs it."""
    from bedside_adapters.db.engine import data_dir
    from bedside_adapters.db.safety_store import signing_keys
    from bedside_adapters.keys import installation_public_key, key_path

    stored = signing_keys(engine)
    if not stored:
        return  # none yet, or not readable: the command says so itself
    own = installation_public_key(data_dir())
    if own is not None and own[0] in stored:
        return
    raise OtherSigningKey(
        _(
            "this database's signing key is not in {folder}: set BEDSIDE_DATA_DIR to the data dir of the "
            "Bedside that writes this database (or BEDSIDE_LOG_KEY to its key file). Nothing was recorded"
        ).format(folder=key_path(data_dir()).parent)
    )


def authenticated_user(args: argparse.Namespace, engine: Engine) -> User:
    """The user the command runs as, authenticated by the site's authenticator; NotAuthenticated
    (one line) otherwise. A refused sign-in (a credentials file refused, an unknown user, a wrong
    password, a disabled account) is logged: a `session.refused` entry and the program log."""
    from bedside_adapters.auth.config import AuthConfigError
    from bedside_adapters.auth.site import site_authenticator

    require_the_databases_key(engine)
    try:
        given = _given(args)
    except NotAuthenticated as exc:
        file = getattr(args, "credentials", None) or os.environ.get("BEDSIDE_CREDENTIALS")
        if isinstance(exc, UsersDiffer):
            _log_refusal(engine, "", "user and credentials file differ")
        elif file:
            log.info("bedside-cli: %s", exc)
            _log_refusal(engine, "", "credentials file refused")
        raise
    config = getattr(args, "auth_config", None)
    try:
        authenticator = site_authenticator(engine, Path(config) if config else None)
    except AuthConfigError as exc:
        raise NotAuthenticated(str(exc)) from None
    try:
        return authenticator.authenticate(given.username, given.password)
    except AuthError as exc:
        _log_refusal(engine, given.username, _refusal_class(engine, authenticator, given.username, exc))
        raise


def _refusal_class(engine: Engine, authenticator: object, username: str, refusal: AuthError) -> str:
    """Why a sign-in was refused, for the log only (the person is told the same for each). An
    account Bedside does not hold, refused by a directory, is as the directory's refusal says."""
    from bedside_adapters.auth.local import LocalAuthenticator
    from bedside_adapters.db.user_store import lookup

    known = lookup(engine)(username.strip()) if username.strip() else None
    if known is not None and not known.active:
        return "disabled account"
    if not isinstance(authenticator, LocalAuthenticator):
        return f"directory: {refusal}"
    return "unknown user" if known is None else "wrong password"


def _log_refusal(engine: Engine, username: str, reason: str) -> None:
    """The refusal in the safety log (the username as typed, never the password; the reason for the
    auditors) and the program log. The program log goes to the terminal, where the reason would tell
    whoever types which usernames exist: there it says the same for every refusal. A command that
    signs in records, so its database takes the entry."""
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    entry = session_entry("refused", username, _SCREEN, reason)
    # INFO: the terminal shows the person one refusal, in their language; the record is the log's.
    log.info("bedside-cli sign-in refused for %r (the reason is in the safety log)", entry.actor)
    log_session(SqlUnitOfWork(engine), entry, time.time())  # as the screens log theirs


def signature(args: argparse.Namespace, user: User, action: Action) -> Signature:
    """The user's signature of `action` now: the meaning the action implies, or the one stated
    with --meaning (asked on a terminal; refused without)."""
    stated = (getattr(args, "meaning", None) or "").strip()
    if not stated and meaning_required(action):
        if not sys.stdin.isatty():
            raise NotAuthenticated(
                _("to {action} is a signature: say what it means with --meaning").format(
                    action=_(ACTION_PHRASES[action])
                )
            )
        stated = input(
            _("what your signature to {action} means: ").format(action=_(ACTION_PHRASES[action]))
        ).strip()
    return Signature.of(user, action, time.time(), stated)


def optional_meaning(parser: argparse.ArgumentParser) -> None:
    """--meaning for a record whose signature implies its meaning (a course event, a co-medication):
    signed with the implied meaning, as on the screens, unless another is stated."""
    parser.add_argument(
        "--meaning",
        help=_("what your signature of this record means (default: that it happened as you entered it)"),
    )


def acting(user: User) -> dict[str, object]:
    """A command's `by` and `role` for this user."""
    return {"by": user.username, "role": user.role}
