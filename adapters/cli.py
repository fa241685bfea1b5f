"""`bedside-cli`: database upgrade, statistics, sending HL7 files and the simulated monitor."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from bedside_adapters.cli_alerts import TimeFormatError, shown
from bedside_adapters.db.care import BackupError, backup
from bedside_adapters.db.compaction import compact_all, prune
from bedside_adapters.db.engine import (
    Engine,
    NoDatabase,
    SchemaNotCurrent,
    describe_url,
    open_existing,
    open_or_create,
    resolve_url,
)
from bedside_adapters.db.listing import device_listing, patient_listing
from bedside_adapters.db.migrate import DatabaseTooNew, current_revision, head_revision, upgrade
from bedside_adapters.ingest.main import parse_address
from bedside_adapters.ingest.stats import ingest_stats
from bedside_adapters.keys import KeyFileError
from bedside_adapters.mllp.client import FailoverClient, MllpClient, MllpError, ack_fields

from bedside import __version__
from bedside.clock import to_ms
from bedside.commands import Refused
from bedside.i18n import LANGUAGES, _, localize_number, set_language
from bedside.resources import scenario_names


@contextlib.contextmanager
def _database(args: argparse.Namespace, write: bool, migrate: bool = True) -> Iterator[Engine]:
    """The engine of `--db` (or the default), opened by `open_existing` (a database that is not
    there is refused, not created) and disposed when the command is done."""
    engine = open_existing(resolve_url(args.db), write=write, migrate=migrate)
    try:
        yield engine
    finally:
        engine.dispose()


def _split_messages(text: str) -> list[str]:
    """Messages in a file: one per MSH, segment ends normalised to CR; batch headers dropped."""
    lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
    messages: list[list[str]] = []
    for line in lines:
        if line.startswith("MSH"):
            messages.append([line])
        elif line[:3] in ("FHS", "BHS", "BTS", "FTS"):
            continue
        elif messages:
            messages[-1].append(line)
    return ["\r".join(m) + "\r" for m in messages]


def cmd_db(args: argparse.Namespace) -> int:
    if args.action == "roles":
        from bedside_adapters.cli_log import cmd_db_roles

        return cmd_db_roles(args)
    try:
        if args.action == "upgrade":
            # The one command that creates a database where none is.
            engine = open_or_create(resolve_url(args.db), migrate=False)
            try:
                reached = upgrade(engine)
                print(
                    _("{database}: schema at revision {revision} (head {head})").format(
                        database=describe_url(str(engine.url)), revision=reached, head=head_revision()
                    )
                )
            finally:
                engine.dispose()
        else:
            with _database(args, write=False, migrate=False) as engine:
                print(current_revision(engine) or _("(empty database)"))
    except DatabaseTooNew as exc:
        print(f"bedside-cli: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with _database(args, write=False) as engine:
        stats = ingest_stats(engine)
    if args.json:
        print(json.dumps(stats, sort_keys=True))
    else:
        for key in (
            "messages_received",
            "messages_acknowledged",
            "messages_quarantined",
            "clock_faults",
            "observations",
            "database_bytes",
            "alarm_manager_undelivered",
        ):
            print(f"{key:24s} {stats[key]}")
        for sender, counts in sorted(stats["senders"].items()):
            print(f"  {sender}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
        for sender, fault in stats["clock_faults_by_sender"].items():
            print(
                "  "
                + _("clock faults of {sender}: {count}, the last: {reason}").format(
                    sender=sender, count=fault["messages"], reason=fault["last_reason"]
                )
            )
        for subject, counts in stats["tls_subjects"].items():
            counted = ", ".join(f"{k}={v}" for k, v in counts.items())
            print("  " + _("certificate {subject}: {counts}").format(subject=subject, counts=counted))
    return 0


def cmd_observations(args: argparse.Namespace) -> int:
    with _database(args, write=False) as engine:
        listing = patient_listing(engine, args.patient, for_people=not args.json)
    if listing is None:
        print(
            "bedside-cli: " + _("no patient {patient} in this database").format(patient=repr(args.patient)),
            file=sys.stderr,
        )
        return 1
    if args.json:
        print(json.dumps(listing, sort_keys=True))
        return 0
    from bedside.labs import LabCatalog
    from bedside.parameters import ParameterCatalog
    from bedside.units import display_unit

    parameters, analytes = ParameterCatalog.load(), LabCatalog.load()
    p = listing["patient"]
    print(f"{p['name']}  {p['identifier']}  {p['location']}")
    for n in listing["numerics"]:
        # The stored key and UCUM code as a clinician reads them: "FC", "cmH₂O" (--json keeps both).
        label = (
            parameters.get(n["parameter"]).short if n["parameter"] in _keys(parameters) else n["parameter"]
        )
        last = localize_number(f"{n['last_value']:g}") + f" {display_unit(n['unit'])}"
        counted = _("{count} values  last {last}").format(count=f"{n['values']:8d}", last=last)
        print(f"  {label:12s} {counted}  ({n['device']})")
    for lab in listing["labs"]:
        value = localize_number(f"{lab['value']:g}") if lab["value"] is not None else lab["value_as_sent"]
        flag = (
            "" if lab["current"] else ("  " + (_("(retracted)") if lab["retracted"] else _("(superseded)")))
        )
        name = analytes.get(lab["analyte"]).label if lab["analyte"] in _keys(analytes) else lab["code"]
        status = f"{lab['status']} v{lab['version']}{flag}"
        print(f"  {name:12s} {lab['comparator']}{value} {display_unit(lab['unit'] or '')}  {status}")
    return 0


def _keys(catalogue: Any) -> set[str]:
    return {entry.key for entry in catalogue}


def cmd_devices(args: argparse.Namespace) -> int:
    with _database(args, write=False) as engine:
        devices = device_listing(engine, time.time())
    if args.json:
        print(json.dumps(devices, sort_keys=True))
        return 0
    for d in devices:
        if d["current"]:
            print(f"{d['device']:24s} {d['bed']:20s} → {d['patient_now']}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with _database(args, write=False, migrate=False) as engine:
        try:
            print(backup(engine, Path(args.path)))
        except BackupError as exc:
            print(f"bedside-cli: {exc}", file=sys.stderr)
            return 1
    return 0


def cmd_compact(args: argparse.Namespace) -> int:
    with _database(args, write=True, migrate=False) as engine:
        r = compact_all(engine, to_ms(time.time()))
    print(_("compacted {rows} rows into {chunks} hour chunks").format(rows=r.rows, chunks=r.chunks))
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    with _database(args, write=True, migrate=False) as engine:
        removed = prune(engine, to_ms(time.time() - args.older_than_days * 86400.0))
    print(
        _(
            "removed {removed} hour chunks of numerics older than {days} days "
            "(messages, labs and the safety log are never pruned)"
        ).format(removed=removed, days=localize_number(f"{args.older_than_days:g}"))
    )
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    host, port = args.to
    failures = 0
    try:
        with MllpClient(host, port, timeout=args.timeout) as client:
            for path in args.files:
                for message in _split_messages(
                    Path(path).read_text(encoding="utf-8", errors="surrogateescape")
                ):
                    reply = client.send(message.encode("utf-8", errors="surrogateescape"))
                    code, control = ack_fields(reply)
                    print(f"{path}: {control or _('(no MSA-2)')} → {code}")
                    failures += code not in ("AA", "CA")
    except (OSError, MllpError) as exc:
        print(f"bedside-cli: {exc}", file=sys.stderr)
        return 1
    return 1 if failures else 0


def _file_messages(path: str) -> list[bytes]:
    """The messages of a file as bytes (one per MSH; batch envelopes dropped). A file without any
    MSH is one message, so that its bytes still reach quarantine with a reason."""
    raw = Path(path).read_bytes()
    text = raw.decode("latin-1")  # byte-preserving: each message is decoded later by its MSH-18
    messages = _split_messages(text)
    return [m.encode("latin-1") for m in messages] if messages else [raw]


class Progress:
    """A one-line progress bar on a terminal; a few plain lines otherwise (logs, CI)."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.done = total, label, 0
        self._tty = sys.stderr.isatty()
        self._next_line = 0.0

    def step(self) -> None:
        self.done += 1
        share = self.done / self.total if self.total else 1.0
        if self._tty:
            bar = "#" * int(share * 30)
            print(f"\r{self.label} [{bar:30s}] {self.done}/{self.total}", end="", file=sys.stderr, flush=True)
            if self.done == self.total:
                print(file=sys.stderr)
        elif share >= self._next_line or self.done == self.total:
            print(f"{self.label}: {self.done}/{self.total}", file=sys.stderr)
            self._next_line = share + 0.25


def cmd_import(args: argparse.Namespace) -> int:
    """Files through the same pipeline as the listener: same storage, same quarantine, same ACKs."""
    from datetime import datetime

    from bedside_adapters.db.ingest_store import IngestStore
    from bedside_adapters.ingest.pipeline import IngestPipeline

    from bedside.parameters import ParameterCatalog

    engine = open_or_create(resolve_url(args.db))  # an import may start a database
    try:
        zone = datetime.now().astimezone().tzinfo
        pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), time.time, zone)
        work = [(path, m) for path in args.files for m in _file_messages(path)]
        progress = Progress(len(work), "import")
        summary: dict[str, int] = {}
        for path, message in work:
            result = pipeline.handle(message, f"file:{path}")
            kind = "duplicate" if result.duplicate else result.ack_code
            summary[kind] = summary.get(kind, 0) + 1
            if result.quarantine_reason:
                summary["quarantined"] = summary.get("quarantined", 0) + 1
            progress.step()
        if not args.no_alerts:
            # The same engine as live ingest, on the data's own time: an imported course raises the
            # alerts it would have raised live, marked as raised on import.
            from bedside_adapters.alerting.service import AlertingService

            from bedside.rules.ruleset import RuleSet

            results = AlertingService(engine, RuleSet.load()).evaluate_import()
            summary["alerts_raised"] = sum(len(r.raised) for r in results)
    except DatabaseTooNew as exc:
        print(f"bedside-cli: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(json.dumps({"files": len(args.files), "messages": len(work), **summary}, sort_keys=True))
    return 0 if not any(k in summary for k in ("AE", "CE")) else 1


def add_destinations(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        type=parse_address,
        action="append",
        metavar="HOST:PORT",
        help=_(
            "the listener (default 127.0.0.1:2575); repeat for a second ingest service: a message "
            "that one refuses or leaves unanswered is sent again to the next"
        ),
    )


def destinations(args: argparse.Namespace) -> list[tuple[str, int]]:
    return args.to or [("127.0.0.1", 2575)]


def cmd_replay(args: argparse.Namespace) -> int:
    """Files over MLLP to a listener, checking each ACK; `--rate` paces them (messages per second).
    With several `--to`, a message the listener in use does not answer goes to the next."""
    work = [(path, m) for path in args.files for m in _file_messages(path)]
    progress = Progress(len(work), "replay")
    summary: dict[str, int] = {}
    start = time.monotonic()
    try:
        with FailoverClient(destinations(args), timeout=args.timeout) as client:
            for i, (_path, message) in enumerate(work):
                if args.rate:
                    delay = start + i / args.rate - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                code, _control = ack_fields(client.send(message))
                summary[code or "no MSA"] = summary.get(code or "no MSA", 0) + 1
                progress.step()
    except (OSError, MllpError) as exc:
        print(f"bedside-cli: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"messages": len(work), **summary}, sort_keys=True))
    return 0 if set(summary) <= {"AA", "CA"} else 1


def cmd_validate(args: argparse.Namespace) -> int:
    from bedside_adapters.hl7.validate import validate

    worst = 0
    for path in args.files:
        for i, message in enumerate(_file_messages(path), start=1):
            v = validate(message)
            where = f"{path}#{i}"
            if not v.readable:
                print(f"{where}: {v.problems[0]}")
                worst = max(worst, 2)
            elif v.problems:
                print(
                    f"{where}: {v.message_type} v{v.version}: "
                    + _("not valid against the standard structure")
                )
                for problem in v.problems:
                    print(f"  - {problem}")
                worst = max(worst, 1)
            else:
                print(f"{where}: {v.message_type} v{v.version}: " + _("valid"))
    return worst


def cmd_codes(args: argparse.Namespace) -> int:
    from bedside_adapters.codes_doc import codes_markdown

    print(codes_markdown())
    return 0


def parse_start(text: str) -> float:
    """`--start`: ISO 8601; without a zone it is UTC (an export must not depend on where it is made)."""
    from datetime import UTC, datetime

    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        raise TimeFormatError(
            _(
                "--start {text} is not a time: use ISO 8601 such as 2026-03-02T10:42 "
                "(UTC unless it ends in a zone such as Z or +01:00)"
            ).format(text=repr(text))
        ) from None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


def cmd_simulate(args: argparse.Namespace) -> int:
    if args.scenario and args.out:
        from bedside_adapters.sim.course_run import write_scenario

        start = time.time() - args.backfill * 3600.0
        if args.start:
            # A fixed anchor: the same scenario and start write the same bytes every time.
            start = parse_start(args.start)
        counts = write_scenario(args.scenario, Path(args.out), start)
        print(json.dumps({"files": len(counts), "messages": sum(counts.values())}))
        return 0
    if args.scenario:
        from bedside_adapters.sim.course_run import run_scenario

        (host, port), *also = destinations(args)
        with _ack_log(args.ack_log) as acks:
            acked = run_scenario(
                args.scenario,
                host,
                port,
                args.backfill,
                args.speed,
                live_seconds=args.live_seconds,
                report_interval=args.report_interval,
                also=also,
                ack_log=acks,
                timeout=args.timeout,
            )
        print("bedside-cli: " + _("{count} messages acknowledged").format(count=acked))
        return 0
    from bedside_adapters.sim.run import run_monitor

    (host, port), *also = destinations(args)
    with _ack_log(args.ack_log) as acks:
        sent = run_monitor(
            host,
            port,
            interval=args.interval,
            count=args.count,
            backfill_seconds=args.backfill_minutes * 60.0,
            also=also,
            ack_log=acks,
            timeout=args.timeout,
        )
    print("bedside-cli: " + _("{count} messages acknowledged").format(count=sent))
    return 0


def _ack_log(path: str | None) -> contextlib.AbstractContextManager[TextIO | None]:
    return open(path, "a", encoding="utf-8") if path else contextlib.nullcontext()


class ExactOptionsParser(argparse.ArgumentParser):
    """Options only as spelled in full: argparse would otherwise read `--password X` as
    `--password-file X` (a secret taken for a file name) or `--pat` as `--patient`. Subcommands made
    by `add_subparsers` take this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def build_parser(*extra: Callable[[argparse._SubParsersAction], None]) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """`extra`: more commands from the layer above (the Qt report of `ui/cli.py`), which this one may
    not import."""
    p = ExactOptionsParser(prog="bedside-cli", description=_("Bedside command-line tools."))
    p.add_argument("--version", action="version", version=f"bedside-cli {__version__}")
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
    db.add_argument("action", choices=["upgrade", "current", "roles"])
    db.add_argument("--apply", action="store_true", help=_("with roles: run the SQL instead of printing it"))
    db.set_defaults(func=cmd_db)

    stats = sub.add_parser("stats", help=_("what ingest received, acknowledged, quarantined and stored"))
    stats.add_argument("--json", action="store_true", help=_("one JSON object"))
    stats.set_defaults(func=cmd_stats)

    send = sub.add_parser("send", help=_("send HL7 files over MLLP and print each ACK"))
    send.add_argument("files", nargs="+")
    send.add_argument("--to", type=parse_address, default=("127.0.0.1", 2575), metavar="HOST:PORT")
    send.add_argument("--timeout", type=float, default=10.0)
    send.set_defaults(func=cmd_send)

    ob = sub.add_parser("observations", help=_("what is stored for a patient: numerics and lab versions"))
    ob.add_argument("--patient", required=True, help=_("identifier (MRN) as sent in PID-3"))
    ob.add_argument("--json", action="store_true")
    ob.set_defaults(func=cmd_observations)

    from bedside_adapters.cli_adverse import register as register_adverse
    from bedside_adapters.cli_alerts import register as register_alerting
    from bedside_adapters.cli_dead_letters import register as register_dead_letters
    from bedside_adapters.cli_export import register as register_export
    from bedside_adapters.cli_medication import register as register_medication
    from bedside_adapters.cli_messages import register as register_messages
    from bedside_adapters.cli_raw import register as register_raw
    from bedside_adapters.cli_review import register as register_review
    from bedside_adapters.cli_users import register as register_users
    from bedside_adapters.cli_vitals import register as register_vitals

    register_alerting(sub)
    register_adverse(sub)
    register_review(sub)
    register_vitals(sub)
    register_users(sub)
    register_dead_letters(sub)
    register_export(sub)
    register_raw(sub)
    register_messages(sub)
    register_medication(sub)
    for add in extra:
        add(sub)

    dv = sub.add_parser(
        "devices", help=_("devices, their beds, and whose values they are now (or unassigned)")
    )
    dv.add_argument("--json", action="store_true")
    dv.set_defaults(func=cmd_devices)

    bk = sub.add_parser("backup", help=_("online backup (SQLite backup API; pg_dump for PostgreSQL)"))
    bk.add_argument("path", help=_("the new backup file (never overwritten)"))
    bk.set_defaults(func=cmd_backup)

    cp = sub.add_parser(
        "compact", help=_("fold pending numeric rows into hour chunks now (ingest does it too)")
    )
    cp.set_defaults(func=cmd_compact)

    pr = sub.add_parser("prune", help=_("retention: drop numeric series older than N days"))
    pr.add_argument("--older-than-days", type=float, required=True)
    pr.set_defaults(func=cmd_prune)

    im = sub.add_parser(
        "import", help=_("store HL7 files (single messages or batches) as the listener would")
    )
    im.add_argument("files", nargs="+")
    im.add_argument(
        "--no-alerts", action="store_true", help=_("store only; do not run the infusion-reaction rules")
    )
    im.set_defaults(func=cmd_import)

    rp = sub.add_parser("replay", help=_("send HL7 files over MLLP and check every ACK"))
    rp.add_argument("files", nargs="+")
    add_destinations(rp)
    rp.add_argument(
        "--rate", type=float, default=None, help=_("messages per second (default: as fast as acked)")
    )
    rp.add_argument(
        "--timeout", type=float, default=10.0, help=_("seconds to wait for an ACK before the next --to")
    )
    rp.set_defaults(func=cmd_replay)

    va = sub.add_parser("validate", help=_("check files against the HL7 structure of their version (hl7apy)"))
    va.add_argument("files", nargs="+")
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
        help=_("send a synthetic course: {scenarios}").format(scenarios=", ".join(scenario_names())),
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
        metavar="ISO",
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


def preset_language(argv: list[str] | None = None) -> None:
    """The language `--lang` asks for (else the system's), set before the parser is built: its
    `--help` texts are translated when they are added. A `--lang` that names no language Bedside
    has is left for the parser to refuse."""
    words = sys.argv[1:] if argv is None else argv
    requested = None
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(words):
            requested = words[i + 1]
        elif word.startswith("--lang="):
            requested = word.partition("=")[2]
    with contextlib.suppress(ValueError, FileNotFoundError):
        set_language(requested)


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
