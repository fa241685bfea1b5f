"""`bedside-cli verify-log` and `bedside-cli db roles`: checking the safety log, and the PostgreSQL
roles that may only append to it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bedside_adapters.cli_db import open_database
from bedside_adapters.db.engine import SchemaNotCurrent, describe_url, resolve_url

from bedside.i18n import _
from bedside.safety_log import parse_head


def _head(text: str) -> tuple[int, str]:
    try:
        return parse_head(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _entry_number(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(
            _("{text} is not an entry number (0 or more)").format(text=repr(text))
        )
    return int(text)


def verify_log_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--expect-head",
        type=_head,
        metavar="N:HASH",
        help=_(
            "a chain head known from elsewhere (a report, the system journal): entry N must be in "
            "the log with this hash"
        ),
    )
    p.add_argument(
        "--trust-key",
        action="append",
        default=[],
        metavar="FINGERPRINT",
        help=_(
            "also accept entries signed by this key (its fingerprint as a report prints it); "
            "the installation's own key is always accepted"
        ),
    )
    p.add_argument(
        "--accept-unsigned-through",
        type=_entry_number,
        default=0,
        metavar="N",
        help=_(
            "accept entries 1..N unsigned: a log begun before entries were signed (N from a report "
            "or the anchor file of that time); by default every entry must be signed, so a log whose "
            "signatures were stripped is caught"
        ),
    )
    p.add_argument(
        "--anchors",
        type=Path,
        metavar="FILE",
        help=_(
            "check every line of this anchor file "
            "(default: the installation's anchor file, its lines for this database)"
        ),
    )


def _older_schema(url: str) -> int:
    """verify-log's answer to a database an older Bedside wrote: which schema it needs, and why it does
    not upgrade it (the evidence must stay as it was found). An empty one keeps the readers' answer."""
    from bedside_adapters.db.migrate import current_revision, head_revision

    engine = open_database(url, write=False, migrate=False)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    if current is None:
        open_database(url, write=False)  # raises the readers' own refusal of an empty database
    print(
        "bedside-cli: "
        + _(
            "{database} has the schema of an older Bedside (revision {current}); this verify-log reads "
            "revision {head} and never writes to the database it checks, so it does not upgrade it: "
            "verify it with the Bedside version that wrote it, or verify a copy "
            "(`bedside-cli db backup COPY`, then `bedside-cli --db COPY db upgrade`)"
        ).format(database=describe_url(url), current=current, head=head_revision()),
        file=sys.stderr,
    )
    return 1


def cmd_verify_log(args: argparse.Namespace) -> int:
    from bedside_adapters.db.log_verify import verify_database

    # Read-only and never migrated: the verifier cannot change what it checks.
    url = resolve_url(args.db)
    try:
        engine = open_database(url, write=False)
    except SchemaNotCurrent:
        return _older_schema(url)
    try:
        result = verify_database(
            engine,
            expect_head=getattr(args, "expect_head", None),
            trust=getattr(args, "trust_key", None) or (),
            anchor_file=getattr(args, "anchors", None),
            unsigned_through=getattr(args, "accept_unsigned_through", 0),
        )
    finally:
        engine.dispose()
    for note in result.notes:
        print(f"bedside-cli: {note}", file=sys.stderr)
    keys = ", ".join(result.key_ids) or _("none (no entry is signed)")
    print(_("Safety log key {keys}").format(keys=keys))
    if result.ok:
        before = (
            _("; {unsigned} unsigned entries from before signing (accepted through {through})").format(
                unsigned=result.unsigned, through=getattr(args, "accept_unsigned_through", 0)
            )
            if result.unsigned
            else ""
        )
        print(
            _(
                "safety log intact: {checked} entries, chain and head verified, signatures verified"
                "{before}; {anchors} anchors checked; {records} alerts, adverse events and "
                "doses match the log"
            ).format(checked=result.checked, before=before, anchors=result.anchors, records=result.records)
        )
        if result.head is not None:
            seq, digest = result.head
            print(
                _("head {head} (keep it: --expect-head {head} proves a later tail)").format(
                    head=f"{seq}:{digest}"
                )
            )
        return 0
    at = " " + _("at {where}").format(where=result.where) if result.where else ""
    print(
        _(
            "safety log BROKEN{at}: {reason} "
            "({checked} entries read). Keep this database as evidence and report it."
        ).format(at=at, reason=result.reason, checked=result.checked),
        file=sys.stderr,
    )
    return 1


def cmd_db_roles(args: argparse.Namespace) -> int:
    """Print the roles' SQL, or (`--apply`) run it as the account of `--db` (the schema's owner)."""
    from bedside_adapters.db.log_guard import RolesRefused, apply_roles, roles_sql_for

    url = resolve_url(args.db)
    sql = roles_sql_for(url)
    if sql is None:
        print(
            "bedside-cli: "
            + _(
                "`db roles` is for PostgreSQL; a SQLite database has no roles (its triggers "
                "keep the safety log append-only, and the file's permissions say who may write it)"
            ),
            file=sys.stderr,
        )
        return 2
    if not args.apply:
        print(sql, end="")
        return 0
    engine = open_database(url, write=True, migrate=False)
    try:
        apply_roles(engine, sql)
    except RolesRefused as exc:
        print(
            "bedside-cli: "
            + _("db roles --apply failed on {database}: {problem}").format(
                database=describe_url(url), problem=exc
            ),
            file=sys.stderr,
        )
        return 1
    finally:
        engine.dispose()
    print(
        _("roles bedside_ingest, bedside_screens, bedside_admin granted on {database}").format(
            database=describe_url(url)
        )
    )
    return 0
