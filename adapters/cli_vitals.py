"""`bedside-cli vitals`: vital signs measured by hand (temperature with its site, cuff pressure, SpO2,
heart rate, respiratory rate), recorded by `bedside.handlers.record_vitals` with their safety-log entry
in one unit of work."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from datetime import UTC, datetime

from bedside_adapters.cli_alerts import TIME_FORMATS, _fail
from bedside_adapters.cli_auth import auth_options, authenticated_user
from bedside_adapters.cli_db import open_database
from bedside_adapters.cli_said import nothing_recorded
from bedside_adapters.cli_time import is_now, read_moment
from bedside_adapters.cli_words import listed, read_word
from bedside_adapters.db.unit_of_work import SqlUnitOfWork

from bedside import handlers
from bedside.commands import RecordVitals, Refused, VitalsError
from bedside.i18n import _, format_datetime, localize_number
from bedside.model import PatientRef
from bedside.users import role_name
from bedside.vitals import TEMP_SITES, parse_number


def parse_time(text: str, now: float, option: str = "--at") -> float:
    """An entry's date and time; VitalsError naming `option` and the accepted formats otherwise."""
    if is_now(text):
        return now
    try:
        dt = read_moment(text)
    except ValueError:
        raise VitalsError(
            _("{option} {text} is not a date and time: use {formats}").format(
                option=option, text=repr(text), formats=_(TIME_FORMATS)
            )
        ) from None
    if dt.tzinfo is None:
        dt = dt.astimezone()  # local: what a nurse at the bedside means
    return dt.astimezone(UTC).timestamp()


def cmd_vitals(args: argparse.Namespace) -> int:
    now = time.time()
    try:
        cmd = RecordVitals(
            patient=PatientRef.parse(args.patient),
            at=parse_time(args.at, now),
            by="",  # the authenticated user's, once known
            temp=parse_number(args.temp or "", "--temp"),
            temp_site=args.temp_site,
            sys=parse_number(args.sys or "", "--sys"),
            dia=parse_number(args.dia or "", "--dia"),
            mean=parse_number(args.mean or "", "--mean"),
            spo2=parse_number(args.spo2 or "", "--spo2"),
            hr=parse_number(args.hr or "", "--hr"),
            rr=parse_number(args.rr or "", "--rr"),
        )
    except VitalsError as exc:
        return _fail(str(exc))
    engine = open_database(args.db, write=True)
    try:
        user = authenticated_user(args, engine)
        entered = handlers.stamped(replace(cmd, by=user.username), now, user.role)
        stored = handlers.record_vitals(SqlUnitOfWork(engine), entered)
    except Refused as exc:
        return _fail(nothing_recorded(exc))
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(stored.as_json(), sort_keys=True))
    else:
        moment = datetime.fromtimestamp(stored.at).astimezone()
        when = f"{format_datetime(moment)} {moment.strftime('%Z')}"
        print(
            _("recorded for {patient} at {when} by {user}: {values} (safety log #{seq})").format(
                patient=stored.patient,
                when=when,
                user=f"{user.full_name} ({role_name(user.role)})",
                values=localize_number(stored.text()),
                seq=stored.log_seq,
            )
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    v = sub.add_parser(
        "vitals",
        help=_("record vital signs measured by hand (stored as source 'manual', logged)"),
        description=_("Record vital signs measured by hand. Every value is optional, but give at least one."),
    )
    v.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    v.add_argument(
        "--at", required=True, help=_("when they were measured: {formats}").format(formats=_(TIME_FORMATS))
    )
    auth_options(v)
    # Numbers are read as text and checked here: a typo gets one line saying what is wrong.
    v.add_argument("--temp", metavar="°C", help=_("temperature in °C (with --temp-site)"))
    v.add_argument(
        "--temp-site",
        metavar="PLACE",
        type=read_word(TEMP_SITES),
        help=_("where: {sites}").format(sites=listed(TEMP_SITES)),
    )
    v.add_argument("--sys", metavar="mmHg", help=_("cuff systolic (with --dia)"))
    v.add_argument("--dia", metavar="mmHg", help=_("cuff diastolic (with --sys)"))
    v.add_argument(
        "--mean", metavar="mmHg", help=_("cuff mean; computed as (sys + 2 dia) / 3 when not given")
    )
    v.add_argument("--spo2", metavar="%", help=_("SpO2 in %%"))
    v.add_argument("--hr", metavar="/min", help=_("heart rate"))
    v.add_argument("--rr", metavar="/min", help=_("respiratory rate"))
    v.add_argument("--json", action="store_true", help=_("print what was stored as JSON"))
    v.set_defaults(func=cmd_vitals)
