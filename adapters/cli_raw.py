"""`bedside-cli raw`: a stored frame as it was received, and the raw-retention pass by hand."""

from __future__ import annotations

import argparse
import sys
import time

from bedside_adapters.cli_alerts import _fail
from bedside_adapters.cli_db import open_database
from bedside_adapters.db.raw_frames import PRUNED, RawFrameError, read_frame
from bedside_adapters.db.raw_retention import prune_raw

from bedside.clock import to_ms
from bedside.i18n import _, localize_number


def cmd_raw_show(args: argparse.Namespace) -> int:
    engine = open_database(args.db, write=False)
    try:
        frame = read_frame(engine, args.id)
    except RawFrameError as exc:
        return _fail(_("message {id}: {problem}").format(id=args.id, problem=exc))
    finally:
        engine.dispose()
    if frame is None:
        return _fail(_("no message {id}").format(id=args.id))
    if frame.format == PRUNED:
        return _fail(
            _(
                "message {id} from {sender}: its {size} bytes were dropped by raw retention "
                "(its row and the ACK it was answered with are kept)"
            ).format(id=args.id, sender=frame.sender, size=frame.size)
        )
    if not frame.intact:
        return _fail(
            _("message {id}: the stored bytes do not match the digest taken on receipt").format(id=args.id)
        )
    out = sys.stdout.buffer
    if args.bytes:
        out.write(frame.raw)
    else:
        # Only the segment separator changes, so a terminal shows one segment a line; every other byte
        # is as received (no decoding: a frame in another charset is shown as it came).
        text = frame.raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        out.write(text if text.endswith(b"\n") else text + b"\n")
    out.flush()
    return 0


def cmd_raw_prune(args: argparse.Namespace) -> int:
    engine = open_database(args.db, write=True)
    try:
        result = prune_raw(engine, to_ms(time.time() - args.older_than_days * 86400.0))
    finally:
        engine.dispose()
    print(
        _(
            "dropped the received bytes of {frames} vital-sign frames older than {days} days "
            "({bytes} bytes at rest); quarantined frames and those of labs, ADT, pumps and alarms are "
            "kept, and every message row with its ACK"
        ).format(frames=result.frames, days=localize_number(f"{args.older_than_days:g}"), bytes=result.bytes)
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    raw = sub.add_parser("raw", help=_("received frames at rest: show one as received, or prune old ones"))
    actions = raw.add_subparsers(dest="raw_command", required=True)
    show = actions.add_parser("show", help=_("print a stored frame as received (one segment a line)"))
    show.add_argument("id", type=int, help=_("the message id (as `stats` and the feed name it)"))
    show.add_argument(
        "--bytes", action="store_true", help=_("write the frame's bytes exactly, segment separators included")
    )
    show.set_defaults(func=cmd_raw_show)
    prune = actions.add_parser(
        "prune", help=_("raw retention: drop the bytes of vital-sign frames older than N days")
    )
    prune.add_argument(
        "--older-than-days", type=float, required=True, help=_("drop what is older than this many days")
    )
    prune.set_defaults(func=cmd_raw_prune)
