"""`bedside-cli user add|disable|passwd|list`: Bedside's own accounts. An admin manages them (a user
may change their own password); with no account at all, the first admin creates itself without
signing in. Every change is logged. A new password is typed twice at the prompt or read from
`--password-file` (mode 0600, owned by you), never given as an argument."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from bedside_adapters.auth import accounts
from bedside_adapters.cli_alerts import _fail
from bedside_adapters.cli_auth import NotAuthenticated, auth_options, authenticated_user, read_secret_file
from bedside_adapters.cli_db import open_database
from bedside_adapters.cli_words import choice

from bedside.i18n import _
from bedside.refusals import Refused
from bedside.users import Role, User


def _new_password(args: argparse.Namespace, username: str) -> str:
    if args.password_file:
        return read_secret_file(Path(args.password_file))
    if not sys.stdin.isatty():
        raise NotAuthenticated(
            _("no terminal to ask {user}'s new password: give --password-file FILE").format(user=username)
        )
    first = getpass.getpass(_("new password for {user}: ").format(user=username))
    if getpass.getpass(_("again: ")) != first:
        raise NotAuthenticated(_("the two passwords differ: nothing was changed"))
    return first


def _user_json(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "active": user.active,
    }


def cmd_user(args: argparse.Namespace) -> int:
    engine = open_database(args.db, write=True)
    try:
        if args.action == "add" and accounts.is_bootstrap(engine) and not _names_someone(args):
            actor = None  # the installation's first admin, creating itself
        else:
            actor = authenticated_user(args, engine)
        if args.action == "add":
            password = _new_password(args, args.username)
            done = accounts.add_user(
                engine,
                actor,
                username=args.username,
                full_name=args.full_name,
                role=Role(args.role),
                password=password,
            )
            print(json.dumps(_user_json(done), sort_keys=True))
        elif args.action == "disable":
            assert actor is not None
            done = accounts.disable_user(engine, actor, args.username, args.reason or "")
            print(json.dumps(_user_json(done), sort_keys=True))
        elif args.action == "passwd":
            assert actor is not None
            username = args.username or actor.username
            accounts.set_password(engine, actor, username, _new_password(args, username))
            print(json.dumps({"username": username, "password_changed": True}))
        else:
            assert actor is not None
            users = accounts.list_users(engine, actor)
            if args.json:
                print(json.dumps([_user_json(u) for u in users], sort_keys=True))
            for u in [] if args.json else users:
                state = "" if u.active else "  " + _("(disabled)")
                print(f"{u.username:20s} {u.role.value:12s} {u.full_name}{state}")
    except Refused as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    return 0


def _names_someone(args: argparse.Namespace) -> bool:
    """Whether the command names who runs it (then it authenticates, even for the first account)."""
    return bool(
        args.user
        or args.credentials
        or os.environ.get("BEDSIDE_USER")
        or os.environ.get("BEDSIDE_CREDENTIALS")
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    u = sub.add_parser("user", help=_("Bedside's own accounts: add, disable, set a password, list (admin)"))
    u_sub = u.add_subparsers(dest="action", required=True)
    add = u_sub.add_parser(
        "add", help=_("a new account (with no account yet: the first admin, without signing in)")
    )
    add.add_argument("username", help=_("the new account's user name (how its owner signs in)"))
    add.add_argument(
        "--role", required=True, **choice(r.value for r in Role), help=_("what the account may do")
    )
    add.add_argument("--full-name", required=True, help=_("the printed name its signatures show"))
    add.add_argument(
        "--password-file", metavar="FILE", help=_("its password, first line (mode 0600); else asked")
    )
    dis = u_sub.add_parser("disable", help=_("the account may no longer sign in (kept for the record)"))
    dis.add_argument("username", help=_("the account to disable (it stays in the log and on its records)"))
    dis.add_argument("--reason", help=_("why, as the log keeps it"))
    pw = u_sub.add_parser("passwd", help=_("set a password (your own, or as admin anyone's)"))
    pw.add_argument("username", nargs="?", help=_("default: your own"))
    pw.add_argument(
        "--password-file", metavar="FILE", help=_("the new password, first line (mode 0600); else asked")
    )
    ls = u_sub.add_parser("list", help=_("every account, its role and whether it is active"))
    ls.add_argument("--json", action="store_true", help=_("one JSON object"))
    for parser in (add, dis, pw, ls):
        auth_options(parser)
        parser.set_defaults(func=cmd_user)
