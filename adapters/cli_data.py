"""`bedside-cli`'s commands on the database itself: its schema (`db`), what ingest received
(`stats`), a patient's observations, the devices, `backup`, `compact` and `prune`."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bedside_adapters.cli_counts import device_lines, stats_lines
from bedside_adapters.cli_db import open_database
from bedside_adapters.db.care import BackupError, backup
from bedside_adapters.db.compaction import compact_all, prune
from bedside_adapters.db.engine import (
    Engine,
    describe_url,
)
from bedside_adapters.db.listing import device_listing, patient_listing
from bedside_adapters.db.migrate import DatabaseTooNew, current_revision, head_revision, upgrade
from bedside_adapters.db.patient_match import MrnQuery
from bedside_adapters.ingest.stats import ingest_stats

from bedside.clock import to_ms
from bedside.i18n import _, localize_number, ngettext


@contextlib.contextmanager
def _database(args: argparse.Namespace, write: bool, migrate: bool = True) -> Iterator[Engine]:
    """`open_database` (a database that is not there is refused, not created), disposed when the
    command is done."""
    engine = open_database(args.db, write=write, migrate=migrate)
    try:
        yield engine
    finally:
        engine.dispose()


def cmd_db(args: argparse.Namespace) -> int:
    if args.action == "roles":
        from bedside_adapters.cli_log import cmd_db_roles

        return cmd_db_roles(args)
    try:
        if args.action == "upgrade":
            # The one command that creates a database where none is.
            engine = open_database(args.db, write=True, migrate=False, create=True)
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
        for line in stats_lines(stats):
            print(line)
    return 0


def cmd_observations(args: argparse.Namespace) -> int:
    with _database(args, write=False) as engine:
        listing = patient_listing(engine, MrnQuery.parse(args.patient), for_people=not args.json)
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
    for line in device_lines(devices):
        print(line)
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
    rows = ngettext("{n} row", "{n} rows", r.rows).format(n=r.rows)
    chunks = ngettext("{n} hour chunk", "{n} hour chunks", r.chunks).format(n=r.chunks)
    print(_("compacted {rows} into {chunks}").format(rows=rows, chunks=chunks))
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    with _database(args, write=True, migrate=False) as engine:
        removed = prune(engine, to_ms(time.time() - args.older_than_days * 86400.0))
    print(
        _(
            "removed {removed} hour chunks of device numerics older than {days} days "
            "(messages, labs, vital signs entered by hand and the safety log are never pruned)"
        ).format(removed=removed, days=localize_number(f"{args.older_than_days:g}"))
    )
    return 0
