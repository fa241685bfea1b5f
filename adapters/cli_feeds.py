"""`bedside-cli`'s commands that move HL7 messages: `send` files to a listener, `import` them into the
database, `replay` them, `validate` the clinical cases, list the `codes`, and `simulate` a monitor."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from bedside_adapters.cli_alerts import TimeFormatError
from bedside_adapters.cli_db import open_database
from bedside_adapters.db.migrate import DatabaseTooNew
from bedside_adapters.ingest.main import parse_address
from bedside_adapters.mllp.client import FailoverClient, MllpClient, MllpError, ack_fields

from bedside.i18n import _, ngettext


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

    engine = open_database(args.db, write=True, create=True)  # an import may start a database
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
                "--start {text} is not a date and time: use ISO 8601 such as 2026-03-02T10:42 "
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
        print("bedside-cli: " + acknowledged_text(acked))
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
    print("bedside-cli: " + acknowledged_text(sent))
    return 0


def _ack_log(path: str | None) -> contextlib.AbstractContextManager[TextIO | None]:
    return open(path, "a", encoding="utf-8") if path else contextlib.nullcontext()


def acknowledged_text(count: int) -> str:
    """How many messages the listener acknowledged, in the language's plural form."""
    return ngettext("{count} message acknowledged", "{count} messages acknowledged", count).format(
        count=count
    )
