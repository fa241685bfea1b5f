"""`bedside-ingest`: the headless MLLP ingest service (standalone child of the UI, or a ward service)."""

from __future__ import annotations

import argparse
import asyncio
import codecs as codecs_module
import ipaddress
import logging
import os
import platform
import signal
import ssl
import sys
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bedside_adapters.alerting.outbound import AlarmManagerLink
from bedside_adapters.db.engine import (
    SYNCHRONOUS_MODES,
    Engine,
    describe_url,
    make_engine,
    password_on_command_line,
    resolve_url,
)
from bedside_adapters.db.migrate import DatabaseTooNew, upgrade
from bedside_adapters.db.safety_store import record_now
from bedside_adapters.ingest.sender_bindings import SenderBindings
from bedside_adapters.ingest.service import IngestService, IngestSettings
from bedside_adapters.keys import KeyFileError
from bedside_adapters.mllp.framing import DEFAULT_MAX_FRAME
from bedside_adapters.mllp.limits import (
    DEFAULT_BUFFER_BUDGET,
    DEFAULT_FRAME_DEADLINE,
    DEFAULT_PER_ADDRESS,
    ConnectionLimits,
)

from bedside import __version__
from bedside.clock_window import DAY, ClockWindow
from bedside.i18n import LANGUAGES, SOURCE, _, set_language
from bedside.log_entries import ENGINE_ACTOR, IngestStarted
from bedside.rules.ruleset import RuleSetError

log = logging.getLogger("bedside.ingest")

DEFAULT_LISTEN = ("127.0.0.1", 2575)


def parse_address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(
            _("'{text}' is not an address: write HOST:PORT, such as 0.0.0.0:2575").format(text=text)
        )
    return host.strip("[]") or "127.0.0.1", int(port)


def _codec_pair(text: str) -> tuple[str, str]:
    sender, sep, codec = text.partition("=")
    if not sep or not sender or not codec:
        # Checked once the service speaks its one language (below): in English, as its log is.
        raise ValueError(
            f"--charset: {text!r} is not a sender and its charset: write MSH3=CODEC, such as LAB=latin-1"
        )
    return sender, codec


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bedside-ingest",
        description=_("Receive HL7 v2 over MLLP, store every message, acknowledge after the commit."),
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"bedside-ingest {__version__}",
        help=_("show program's version number and exit"),
    )
    p.add_argument("--db", help=_("database URL or SQLite file (default: BEDSIDE_DB_URL, then the data dir)"))
    p.add_argument(
        "--listen",
        action="append",
        type=parse_address,
        metavar="HOST:PORT",
        help=_(
            "address to listen on; repeat for several (default 127.0.0.1:2575 unless --listen-tls is "
            "given; port 0 = any free)"
        ),
    )
    p.add_argument(
        "--synchronous",
        choices=[m.lower() for m in SYNCHRONOUS_MODES],
        default="normal",
        help=_("SQLite durability: normal (default) or full (an ACK survives power loss)"),
    )
    p.add_argument(
        "--listen-tls",
        action="append",
        type=parse_address,
        metavar="HOST:PORT",
        default=[],
        help=_("address for MLLP inside TLS (1.2 or newer); repeat for several"),
    )
    p.add_argument("--tls-cert", help=_("the site's certificate (PEM, with its chain) for --listen-tls"))
    p.add_argument("--tls-key", help=_("its private key (PEM)"))
    p.add_argument("--tls-client-ca", help=_("require client certificates signed by this CA (PEM)"))
    p.add_argument(
        "--tls-senders",
        metavar="FILE",
        help=_(
            "TOML binding client certificates (CN or DNS name) to the MSH-3/MSH-4 senders they may "
            "send as; a message its certificate may not send is refused (needs --tls-client-ca)"
        ),
    )
    p.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="CIDR",
        help=_("only accept connections from this address or network; repeat (default: any)"),
    )
    p.add_argument(
        "--charset",
        action="append",
        default=[],
        metavar="MSH3=CODEC",
        help=_("charset of a sender (by MSH-3.1) whose MSH-18 is missing or wrong, e.g. LAB=latin-1"),
    )
    p.add_argument(
        "--lab-codes",
        metavar="FILE",
        help=_('TOML of per-sender local lab codes → LOINC: [local_codes.<MSH-3.1>] CODE = "LOINC"'),
    )
    p.add_argument(
        "--default-charset",
        default="utf-8",
        help=_("charset when MSH-18 is missing and no --charset matches (default utf-8)"),
    )
    p.add_argument(
        "--busy-timeout",
        type=float,
        default=10.0,
        help=_("seconds a write may wait for a database lock before the sender gets AE/CE (default 10)"),
    )
    p.add_argument(
        "--max-frame", type=int, default=DEFAULT_MAX_FRAME, help=_("largest accepted frame, bytes")
    )
    p.add_argument("--idle-timeout", type=float, default=600.0, help=_("close silent connections after s"))
    p.add_argument(
        "--max-connections",
        type=int,
        default=256,
        help=_("connections open at once, all senders (default 256)"),
    )
    p.add_argument(
        "--max-connections-per-address",
        type=int,
        default=DEFAULT_PER_ADDRESS,
        metavar="N",
        help=_("connections one sender address may hold open (default {default}; 0: no limit)").format(
            default=DEFAULT_PER_ADDRESS
        ),
    )
    p.add_argument(
        "--frame-deadline",
        type=float,
        default=DEFAULT_FRAME_DEADLINE,
        metavar="SECONDS",
        help=_(
            "close a connection whose frame is not finished this long after its first byte "
            "(default {default}; 0: none)"
        ).format(default=f"{DEFAULT_FRAME_DEADLINE:g}"),
    )
    p.add_argument(
        "--buffer-budget",
        type=int,
        default=DEFAULT_BUFFER_BUDGET,
        metavar="BYTES",
        help=_(
            "bytes of unfinished frames held across all connections; over it, the connections of "
            "the address holding the most are closed (default {default}; 0: none)"
        ).format(default=DEFAULT_BUFFER_BUDGET),
    )
    p.add_argument(
        "--sender-zone",
        default=None,
        help=_("IANA zone for HL7 times sent without an offset (default: this machine's zone)"),
    )
    p.add_argument(
        "--clock-ahead",
        type=float,
        default=24.0,
        metavar="HOURS",
        help=_(
            "a time a message sets this far ahead of its arrival is a clock fault: the message is "
            "quarantined (default 24; inf: no limit)"
        ),
    )
    p.add_argument(
        "--clock-behind",
        type=float,
        default=365.0,
        metavar="DAYS",
        help=_(
            "a time this far behind its arrival is a clock fault (default 365; inf: no limit, "
            "e.g. while a gateway delivers older history)"
        ),
    )
    p.add_argument(
        "--compact-every",
        type=float,
        default=10.0,
        help=_("seconds between folding new values into hour chunks (default 10)"),
    )
    p.add_argument(
        "--retention-days",
        type=float,
        default=None,
        help=_(
            "drop device numerics older than this many days (default: keep all); messages, labs, "
            "vital signs entered by hand and the safety log are never pruned"
        ),
    )
    p.add_argument(
        "--raw-retention-days",
        type=float,
        default=None,
        help=_(
            "drop the received bytes of vital-sign frames older than this many days (default: keep "
            "all); their values, message rows and ACKs stay; quarantined frames and those of labs, ADT, "
            "pumps and alarms are never pruned"
        ),
    )
    p.add_argument(
        "--rules",
        default=None,
        help=_(
            "infusion-reaction rule set (TOML; default: the shipped resources/rules/infusion-reaction.toml)"
        ),
    )
    p.add_argument(
        "--alerting",
        choices=["process", "thread", "off"],
        default="process",
        help=_(
            "where the infusion-reaction rules run: process, a child process (default); thread, a "
            "thread of this one; off, not here"
        ),
    )
    p.add_argument(
        "--no-alerting",
        dest="alerting",
        action="store_const",
        const="off",
        help=_("do not run the rule engine (another ingest process on the database does)"),
    )
    p.add_argument(
        "--alerting-workers",
        type=int,
        default=None,
        metavar="N",
        help=_("processes evaluating rules in parallel (default: 2 from 4 cores up, else 0)"),
    )
    p.add_argument(
        "--alarm-manager",
        type=parse_address,
        default=None,
        metavar="HOST:PORT",
        help=_("also send every alert raised or resolved as IHE PCD-04 ORU^R40 over MLLP (retried)"),
    )
    p.add_argument(
        "--alarm-manager-attempts",
        type=int,
        default=8,
        metavar="N",
        help=_(
            "tries per alert before it is kept as undelivered (shown on the screens; default 8: given "
            "up within 203 s when the alarm manager never answers)"
        ),
    )
    p.add_argument(
        "--read-ahead",
        choices=["auto", "on", "off"],
        default="auto",
        help=_(
            "read and map frames in a second process while the listener stores: on, always; off, "
            "never; auto (default), from 4 cores, or from 2 with --no-alerting"
        ),
    )
    p.add_argument("--log-level", default="INFO", help=_("DEBUG, INFO, WARNING or ERROR (default INFO)"))
    p.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        help=_("language of this help and of the refusals of its options (the service logs in English)"),
    )
    return p


def _read_ahead(choice: str, alerting: str, cores: int) -> bool:
    """`auto`: on from 4 cores, or from 2 when the rule engine runs elsewhere. On 2 cores with the
    rule engine here, the worker took the core its evaluations need: `make bench ONLY=alerts`
    showed the alert latency rise toward its target (docs/performance.md), for a gain of ingest
    throughput that a hospital's feeds do not need."""
    if choice != "auto":
        return choice == "on"
    return cores >= 4 or (cores >= 2 and alerting == "off")


async def _run(service: IngestService) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    addresses = await service.start()
    for host, port in addresses:
        # The UI supervisor and the tests read this line to learn the port.
        print(f"bedside-ingest: listening on {host}:{port}", flush=True)
    for host, port in service.tls_addresses:
        print(f"bedside-ingest: listening on {host}:{port} (MLLP over TLS)", flush=True)
    await service.run_until(stop)
    log.info("stopping: finishing the frames in hand")
    await service.close()
    print("bedside-ingest: stopped", flush=True)
    return 0


def _plain_listen(args: argparse.Namespace) -> list[tuple[str, int]]:
    """Plain MLLP only where asked: a site that asks for TLS alone must not also get a plain port."""
    if args.listen:
        return list(args.listen)
    return [] if args.listen_tls else [DEFAULT_LISTEN]


def _log_start(engine: Engine, args: argparse.Namespace) -> None:
    """The service's start in the safety log. A database that cannot take it now is left to the
    listener, which answers each sender with what the database allows (AE while it is locked)."""
    listen = [f"{h}:{p}" for h, p in _plain_listen(args)]
    listen += [f"tls {h}:{p}" for h, p in args.listen_tls]
    entry = IngestStarted(
        actor=ENGINE_ACTOR,
        node=platform.node(),
        version=__version__,
        alerting=args.alerting != "off",
        listen=listen,
    )
    refused = record_now(engine, entry, time.time())
    if refused is not None:
        log.warning("the service's start could not be logged in the safety log: %s", refused)


def main(argv: list[str] | None = None) -> int:
    from bedside_adapters.cli_argparse import preset_language

    preset_language(argv)  # --help and the refusals of its options in the language asked for
    args = build_parser().parse_args(argv)
    # The service itself runs as before, in the source language: what it logs and stores is read by
    # machines and by the site's administrators in one language.
    set_language(SOURCE)
    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    zone = None
    if args.sender_zone:
        try:
            zone = ZoneInfo(args.sender_zone)
        except ZoneInfoNotFoundError:
            print(
                f"bedside-ingest: --sender-zone: {args.sender_zone!r} is not a time zone (use a name "
                "such as Europe/Madrid)",
                file=sys.stderr,
            )
            return 2
    try:
        limits = ConnectionLimits(args.max_connections_per_address, args.frame_deadline, args.buffer_budget)
        limits.check(args.max_frame)
        allow = tuple(str(ipaddress.ip_network(a, strict=False)) for a in args.allow)
        codecs = tuple(_codec_pair(c) for c in args.charset)
        for codec in (args.default_charset, *(c for _, c in codecs)):
            codecs_module.lookup(codec)  # an unknown charset name is a start-up error, not a surprise later
        SenderBindings.for_site(args.tls_senders, args.tls_client_ca)  # unusable: refuse to start
        clock_window = ClockWindow(args.clock_ahead * 3600.0, args.clock_behind * DAY)
        alarm_manager = (
            AlarmManagerLink(*args.alarm_manager, args.alarm_manager_attempts) if args.alarm_manager else None
        )
    except (ValueError, LookupError) as exc:
        print(f"bedside-ingest: {exc}", file=sys.stderr)
        return 2
    url = resolve_url(args.db)
    exposed = password_on_command_line(args.db)
    if exposed:
        log.warning("%s", exposed)
    engine = make_engine(url, args.synchronous, args.busy_timeout)
    try:
        revision = upgrade(engine)
    except DatabaseTooNew as exc:
        print(f"bedside-ingest: {exc}", file=sys.stderr)
        return 2
    log.info("database %s at schema revision %s", describe_url(url), revision)
    try:
        _log_start(engine, args)
    except KeyFileError as exc:
        # A key that cannot sign: the service would store entries it cannot sign, so it does not start.
        print(f"bedside-ingest: {exc}", file=sys.stderr)
        engine.dispose()
        return 2
    settings = IngestSettings(
        listen=tuple(_plain_listen(args)),
        max_frame=args.max_frame,
        idle_timeout=args.idle_timeout,
        max_connections=args.max_connections,
        limits=limits,
        sender_zone=zone,
        tls_listen=tuple(args.listen_tls),
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        tls_client_ca=args.tls_client_ca,
        tls_senders=args.tls_senders,
        allow=allow,
        sender_codecs=codecs,
        lab_codes=args.lab_codes,
        fallback_codec=args.default_charset,
        compact_every=args.compact_every,
        retention_days=args.retention_days,
        raw_retention_days=args.raw_retention_days,
        alerting=args.alerting,
        rules_file=args.rules,
        alarm_manager=alarm_manager,
        alerting_workers=args.alerting_workers,
        read_ahead=_read_ahead(args.read_ahead, args.alerting, os.cpu_count() or 1),
        clock_window=clock_window,
    )
    try:
        return asyncio.run(_run(IngestService(engine, settings)))
    except RuleSetError as exc:
        print(f"bedside-ingest: cannot start: the rule set is not usable: {exc}", file=sys.stderr)
        return 1
    except (OSError, ssl.SSLError, ValueError) as exc:
        print(f"bedside-ingest: cannot listen: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
