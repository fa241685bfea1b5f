"""`bedside-cli dead-letters`: the alerts the alarm manager never acknowledged (IHE PCD-04), newest
first, with why and the message as sent. Nothing is resent from here: an alarm delivered late would
mislead; the list is for whoever looks after the link to the alarm manager."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from datetime import UTC, datetime

from bedside_adapters.cli_db import open_database
from bedside_adapters.db.dead_letters import DeadLetter, list_dead_letters

from bedside.i18n import _, format_date


def _when(t: float) -> str:
    moment = datetime.fromtimestamp(t, UTC).astimezone()
    return f"{format_date(moment)} {moment.strftime('%H:%M:%S %z')}"


def cmd_dead_letters(args: argparse.Namespace) -> int:
    since = None if args.hours is None else time.time() - args.hours * 3600.0
    engine = open_database(args.db, write=False)
    try:
        letters = list_dead_letters(engine, since, args.limit)
    finally:
        engine.dispose()
    if args.json:
        out = [{**asdict(d), "patient_ref": _patient_text(d)} for d in letters]
        print(json.dumps(out, sort_keys=True, ensure_ascii=False))
        return 0
    if not letters:
        print(_("no alert is waiting: every alert sent to the alarm manager was acknowledged"))
    for d in letters:
        print(
            _(
                "{when}  alert {alert} {phase}  {patient}  to {destination}  after {tries} tries: "
                "{reason}  (MSH-10 {control_id})"
            ).format(
                when=_when(d.dead_at),
                alert=d.alert_id,
                phase=d.phase,
                patient=_patient_text(d),
                destination=d.destination,
                tries=d.attempts,
                reason=d.reason,
                control_id=d.control_id,
            )
        )
        if args.messages:
            print("    " + d.message.rstrip("\r").replace("\r", "\n    "))
    return 0


def _patient_text(letter: DeadLetter) -> str:
    """Whose alert it was, as JSON and a person read it ("": an alert of no patient)."""
    return "" if letter.patient_ref is None else str(letter.patient_ref)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    dl = sub.add_parser(
        "dead-letters", help=_("alerts the alarm manager never acknowledged (PCD-04), newest first")
    )
    dl.add_argument("--hours", type=float, default=None, help=_("only those of the last N hours"))
    dl.add_argument("--limit", type=int, default=1000, help=_("list at most this many (default 1000)"))
    dl.add_argument("--messages", action="store_true", help=_("also print each message as sent"))
    dl.add_argument("--json", action="store_true", help=_("one JSON list (with the messages)"))
    dl.set_defaults(func=cmd_dead_letters)
