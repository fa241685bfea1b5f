"""`bedside-cli messages`: the latest received messages, whose they were, the client certificate
they came with over TLS, and the answer each got (with the reason when refused or quarantined)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from bedside_adapters.cli_db import open_database
from bedside_adapters.db.message_listing import recent_messages

from bedside.i18n import _, format_date


def cmd_messages(args: argparse.Namespace) -> int:
    engine = open_database(args.db, write=False)
    try:
        rows = recent_messages(
            engine, args.limit, quarantined=args.quarantined, tls_subject=args.tls_subject, sender=args.sender
        )
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(rows, sort_keys=True))
        return 0
    for r in rows:
        moment = datetime.fromtimestamp(r["received_at"]).astimezone()
        when = f"{format_date(moment)} {moment.strftime('%H:%M:%S')}"
        via = f" [{r['tls_subject']}]" if r["tls_subject"] else ""
        line = f"{r['id']:>8} {when} {r['peer']}{via} {r['sender']} {r['message_type']} {r['control_id']}"
        line += f" {r['ack_code']}"
        if r["quarantine_reason"]:
            line += f" ({r['quarantine_code']}: {r['quarantine_reason']})"
        print(line)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    m = sub.add_parser(
        "messages",
        help=_("the latest received messages: peer, client certificate (TLS), sender, type, answer"),
    )
    m.add_argument("--limit", type=int, default=50, help=_("how many, newest first (default 50)"))
    m.add_argument("--quarantined", action="store_true", help=_("only quarantined (refused) messages"))
    m.add_argument("--tls-subject", metavar="SUBJECT", help=_("only messages with this certificate subject"))
    m.add_argument("--sender", help=_("only messages of this sender (as `stats` names it)"))
    m.add_argument("--json", action="store_true", help=_("one JSON object"))
    m.set_defaults(func=cmd_messages)
