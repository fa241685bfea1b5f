"""`bedside-cli dead-letters`: the alerts the alarm manager never acknowledged (IHE PCD-04), newest
first, with why and the message as sent. Nothing is resent from here: an alarm delivered late would
mislead; the list is for whoever looks after the link to the alarm manager."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from datetime import UTC, datetime

from bedside_adapters.db.dead_letters import list_dead_letters
from bedside_adapters.db.engine import open_existing, resolve_url


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S %z")


def cmd_dead_letters(args: argparse.Namespace) -> int:
    since = None if args.hours is None else time.time() - args.hours * 3600.0
    engine = open_existing(resolve_url(args.db), write=False)
    try:
        letters = list_dead_letters(engine, since, args.limit)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([asdict(d) for d in letters], sort_keys=True, ensure_ascii=False))
        return 0
    if not letters:
        print("no alert is waiting: every alert sent to the alarm manager was acknowledged")
    for d in letters:
        print(
            f"{_when(d.dead_at)}  alert {d.alert_id} {d.phase}  {d.patient_ref}  to {d.destination}"
            f"  after {d.attempts} tries: {d.reason}  (MSH-10 {d.control_id})"
        )
        if args.messages:
            print("    " + d.message.rstrip("\r").replace("\r", "\n    "))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    dl = sub.add_parser(
        "dead-letters", help="alerts the alarm manager never acknowledged (PCD-04), newest first"
    )
    dl.add_argument("--hours", type=float, default=None, help="only those of the last N hours")
    dl.add_argument("--limit", type=int, default=1000)
    dl.add_argument("--messages", action="store_true", help="also print each message as sent")
    dl.add_argument("--json", action="store_true", help="one JSON list (with the messages)")
    dl.set_defaults(func=cmd_dead_letters)
