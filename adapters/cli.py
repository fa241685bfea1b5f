"""`bedside-cli`: database upgrade, statistics, sending HL7 files and the simulated monitor.

The parser and the entry point (`main`); the commands live in the `cli_*` modules beside it.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from bedside_adapters.cli_alerts import TimeFormatError, shown
from bedside_adapters.cli_app_help import scenarios_text
from bedside_adapters.cli_argparse import preset_language as preset_language
from bedside_adapters.cli_data import (
    cmd_backup,
    cmd_compact,
    cmd_db,
    cmd_devices,
    cmd_observations,
    cmd_prune,
    cmd_stats,
)
from bedside_adapters.cli_feeds import _file_messages as _file_messages
from bedside_adapters.cli_feeds import _split_messages as _split_messages
from bedside_adapters.cli_feeds import (
    add_destinations,
    cmd_codes,
    cmd_import,
    cmd_replay,
    cmd_send,
    cmd_simulate,
    cmd_validate,
)
from bedside_adapters.db.engine import (
    NoDatabase,
    SchemaNotCurrent,
)
from bedside_adapters.db.migrate import DatabaseTooNew
from bedside_adapters.ingest.main import parse_address
from bedside_adapters.keys import KeyFileError

from bedside import __version__
from bedside.commands import Refused
from bedside.i18n import LANGUAGES, _, set_language
from bedside.resources import scenario_names


class ExactOptionsParser(argparse.ArgumentParser):
    """Options only as spelled in full: argparse would otherwise read `--password X` as
    `--password-file X` (a secret taken for a file name) or `--pat` as `--patient`. Subcommands made
    by `add_subparsers` take this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        """Its usage names a COMMAND (in the reader's language) rather than listing every
        subcommand in braces: the list follows, each with what it does."""
        kwargs.setdefault("metavar", "COMMAND")
        return super().add_subparsers(**kwargs)


def build_parser(*extra: Callable[[argparse._SubParsersAction], None]) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """`extra`: more commands from the layer above (the Qt report of `ui/cli.py`), which this one may
    not import."""
    p = ExactOptionsParser(prog="bedside-cli", description=_("Bedside command-line tools."))
    p.add_argument(
        "--version",
        action="version",
        version=f"bedside-cli {__version__}",
        help=_("show program's version number and exit"),
    )
    p.add_argument("--db", help=_("database URL or SQLite file (default: BEDSIDE_DB_URL, then the data dir)"))
    p.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        help=_(
            "language of messages and reports (default: the system's, else English); JSON and CSV "
            "output are the same in every language"
        ),
    )
    sub = p.add_subparsers(dest="command", required=True)

    db = sub.add_parser(
        "db", help=_("database schema; `roles`: PostgreSQL roles that may only append to the log")
    )
    db.add_argument(
        "action",
        choices=["upgrade", "current", "roles"],
        help=_("upgrade: bring the schema to this version; current: say its revision; roles: the SQL"),
    )
    db.add_argument("--apply", action="store_true", help=_("with roles: run the SQL instead of printing it"))
    db.set_defaults(func=cmd_db)

    stats = sub.add_parser("stats", help=_("what ingest received, acknowledged, quarantined and stored"))
    stats.add_argument("--json", action="store_true", help=_("one JSON object"))
    stats.set_defaults(func=cmd_stats)

    send = sub.add_parser("send", help=_("send HL7 files over MLLP and print each ACK"))
    send.add_argument("files", nargs="+", help=_("HL7 files (single messages or batches)"))
    send.add_argument(
        "--to",
        type=parse_address,
        default=("127.0.0.1", 2575),
        metavar="HOST:PORT",
        help=_("where bedside-ingest listens (default 127.0.0.1:2575)"),
    )
    send.add_argument(
        "--timeout", type=float, default=10.0, help=_("seconds to wait for each ACK (default 10)")
    )
    send.set_defaults(func=cmd_send)

    ob = sub.add_parser("observations", help=_("what is stored for a patient: numerics and lab versions"))
    ob.add_argument("--patient", required=True, help=_("identifier (MRN) as sent in PID-3"))
    ob.add_argument("--json", action="store_true", help=_("one JSON object"))
    ob.set_defaults(func=cmd_observations)

    from bedside_adapters.cli_adt_death import register as register_adt_death
    from bedside_adapters.cli_adverse import register as register_adverse
    from bedside_adapters.cli_alerts import register as register_alerting
    from bedside_adapters.cli_dead_letters import register as register_dead_letters
    from bedside_adapters.cli_export import register as register_export
    from bedside_adapters.cli_medication import register as register_medication
    from bedside_adapters.cli_messages import register as register_messages
    from bedside_adapters.cli_outcome_no_aesi import register as register_outcome_no_aesi
    from bedside_adapters.cli_raw import register as register_raw
    from bedside_adapters.cli_review import register as register_review
    from bedside_adapters.cli_rules import register as register_rules
    from bedside_adapters.cli_users import register as register_users
    from bedside_adapters.cli_vitals import register as register_vitals

    register_alerting(sub)
    register_rules(sub)  # after the safety log's commands, as --help has always listed it
    register_adverse(sub)
    register_review(sub)
    register_vitals(sub)
    register_users(sub)
    register_dead_letters(sub)
    register_export(sub)
    register_raw(sub)
    register_messages(sub)
    register_medication(sub)
    register_adt_death(sub)
    register_outcome_no_aesi(sub)
    for add in extra:
        add(sub)

    dv = sub.add_parser(
        "devices", help=_("devices, their beds, and whose values they are now (or unassigned)")
    )
    dv.add_argument("--json", action="store_true", help=_("one JSON object"))
    dv.set_defaults(func=cmd_devices)

    bk = sub.add_parser("backup", help=_("online backup (SQLite backup API; pg_dump for PostgreSQL)"))
    bk.add_argument("path", help=_("the new backup file (never overwritten)"))
    bk.set_defaults(func=cmd_backup)

    cp = sub.add_parser(
        "compact", help=_("fold pending numeric rows into hour chunks now (ingest does it too)")
    )
    cp.set_defaults(func=cmd_compact)

    pr = sub.add_parser("prune", help=_("retention: drop numeric series older than N days"))
    pr.add_argument(
        "--older-than-days", type=float, required=True, help=_("drop what is older than this many days")
    )
    pr.set_defaults(func=cmd_prune)

    im = sub.add_parser(
        "import", help=_("store HL7 files (single messages or batches) as the listener would")
    )
    im.add_argument("files", nargs="+", help=_("HL7 files (single messages or batches)"))
    im.add_argument(
        "--no-alerts", action="store_true", help=_("store only; do not run the infusion-reaction rules")
    )
    im.set_defaults(func=cmd_import)

    rp = sub.add_parser("replay", help=_("send HL7 files over MLLP and check every ACK"))
    rp.add_argument("files", nargs="+", help=_("HL7 files (single messages or batches)"))
    add_destinations(rp)
    rp.add_argument(
        "--rate", type=float, default=None, help=_("messages per second (default: as fast as acked)")
    )
    rp.add_argument(
        "--timeout", type=float, default=10.0, help=_("seconds to wait for an ACK before the next --to")
    )
    rp.set_defaults(func=cmd_replay)

    va = sub.add_parser("validate", help=_("check files against the HL7 structure of their version (hl7apy)"))
    va.add_argument("files", nargs="+", help=_("HL7 files (single messages or batches)"))
    va.set_defaults(func=cmd_validate)

    cd = sub.add_parser(
        "codes", help=_("the supported messages and codes, as docs/integration.md lists them")
    )
    cd.add_argument("--markdown", action="store_true", help=_("(the only format)"))
    cd.set_defaults(func=cmd_codes)

    sim = sub.add_parser("simulate", help=_("a simulated monitor sending PCD-01 (synthetic patient)"))
    add_destinations(sim)
    sim.add_argument(
        "--timeout", type=float, default=15.0, help=_("seconds to wait for an ACK before the next --to")
    )
    sim.add_argument(
        "--ack-log",
        help=_("append a line per ACK to this file: control ID, code, the listener that answered"),
    )
    sim.add_argument("--interval", type=float, default=1.0, help=_("seconds between messages"))
    sim.add_argument("--count", type=int, default=None, help=_("stop after this many (default: run forever)"))
    sim.add_argument(
        "--scenario",
        help=_("send a synthetic course: {scenarios}").format(scenarios=scenarios_text(scenario_names())),
    )
    sim.add_argument(
        "--backfill", type=float, default=72.0, help=_("with --scenario: hours of history (default 72)")
    )
    sim.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help=_("with --scenario: run the live part this many times faster"),
    )
    sim.add_argument(
        "--report-interval",
        type=float,
        default=None,
        help=_("with --scenario: seconds between live device reports (default: the scenario's, 5 s)"),
    )
    sim.add_argument(
        "--live-seconds", type=float, default=None, help=_("with --scenario: stop after this long")
    )
    sim.add_argument(
        "--out", help=_("with --scenario: write HL7 batch files and ground_truth.json there instead")
    )
    sim.add_argument(
        "--start",
        metavar="START",
        help=_(
            "with --scenario --out: the course starts then (UTC unless zoned), not --backfill hours ago: "
            "two exports are byte-for-byte identical"
        ),
    )
    sim.add_argument(
        "--backfill-minutes",
        type=float,
        default=0.0,
        help=_("first send this much past data (one message per 5 s), then go live"),
    )
    sim.set_defaults(func=cmd_simulate)
    return p


def main(argv: list[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if parser is None:
        preset_language(argv)
    args = (parser or build_parser()).parse_args(argv)
    args.lang = set_language(getattr(args, "lang", None))
    for_db = getattr(args, "db", None)
    args.db = for_db
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a reader that went away is found here, not when Python exits
        return code
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as a Unix tool killed by SIGPIPE would, and
        # keep Python from reporting the closed pipe again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except TimeFormatError as exc:
        print(f"bedside-cli: {exc}", file=sys.stderr)
        return 2
    except NoDatabase as exc:
        # Exit 1 like an empty database: the command could not read anything.
        print(
            "bedside-cli: "
            + _("{problem} (check --db; `bedside-cli db upgrade` creates one, so does ingest)").format(
                problem=exc
            ),
            file=sys.stderr,
        )
        return 1
    except SchemaNotCurrent as exc:
        print(f"bedside-cli: {exc}", file=sys.stderr)
        return 1
    except DatabaseTooNew as exc:
        print(f"bedside-cli: {exc}", file=sys.stderr)
        return 2
    except Refused as exc:
        # What the record cannot answer or take (an unknown or ambiguous patient): one line, as for
        # a database that is not there. A command that records catches its own refusal first.
        print(f"bedside-cli: {shown(str(exc))}", file=sys.stderr)
        return 1
    except KeyFileError as exc:
        # The signing key cannot be used: nothing was recorded (the transaction rolled back).
        print(f"bedside-cli: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
