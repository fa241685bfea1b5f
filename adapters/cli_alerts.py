"""`bedside-cli` commands for infusion episodes, alerts and the safety log (adverse events:
`bedside_adapters.cli_adverse`).

Every command takes `--db URL`. Every change is a command of the authenticated user's
(`bedside_adapters.cli_auth`) handed to its handler in `bedside.handlers` (which checks the role and
the signature, validates it and logs it) in one unit of work; a refusal is one line, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bedside_adapters import cli_episode_help as episode_help
from bedside_adapters.cli_auth import acting, auth_options, authenticated_user, signature
from bedside_adapters.cli_db import open_database
from bedside_adapters.cli_said import EPISODE_STATES
from bedside_adapters.cli_time import is_now, read_moment

from bedside.alerts import Alert
from bedside.episodes import InfusionEpisode
from bedside.i18n import N_, _, decimal_separator, format_datetime
from bedside.model import PatientRef
from bedside.nurse_screen import SOURCE_NAMES
from bedside.unit_of_work import UnitOfWork
from bedside.units import label_dose_number, product_text
from bedside.users import Action, User

TIME_FORMATS = N_(
    "ISO 8601 such as 2026-03-02T10:42 or '2026-03-02 10:42' (local time unless it ends in a zone "
    "such as Z or +01:00), or 'now'"
)


class TimeFormatError(ValueError):
    """A time given on the command line that is not one; its message names the accepted formats."""


def parse_when(text: str, option: str = "--at") -> float:
    """ISO 8601, the language's own order, or 'now' (bedside_adapters.cli_time); a time without a
    zone is local time (what a nurse at the bedside means).
    `option` names the argument in the message of a TimeFormatError."""
    if is_now(text):
        return time.time()
    try:
        dt = read_moment(text)
        if dt.tzinfo is None:
            dt = dt.astimezone()  # local
        return dt.astimezone(UTC).timestamp()
    except (ValueError, OverflowError):
        raise TimeFormatError(
            _("{option} {text} is not a date and time: use {formats}").format(
                option=option, text=repr(text), formats=_(TIME_FORMATS)
            )
        ) from None


def _rules(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bedside.rules.ruleset import RuleSet

    return RuleSet.load(Path(args.rules) if getattr(args, "rules", None) else None)


def shown(message: str) -> str:
    """A refusal's message in the language of the command. A refusal raised with a fixed text (one
    marked with `N_` where it is raised, such as a directory's sign-in refusals) is translated here,
    where a person reads it: the safety log, which records the same refusal, keeps the source text.
    A message already built in the language passes unchanged."""
    return _(message) if message else message


def _fail(message: str) -> int:
    print(f"bedside-cli: {shown(message)}", file=sys.stderr)
    return 2


def cmd_episode(args: argparse.Namespace) -> int:
    from bedside_adapters.cli_said import dose_said
    from bedside_adapters.db.episode_store import episode_json
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside.commands import Refused

    now = time.time()
    action = _dose_action(args, now)
    engine = open_database(args.db, write=True)
    try:
        ep = action(authenticated_user(args, engine))(SqlUnitOfWork(engine))
    except Refused as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    done = episode_json(ep, now, _rules(args).candidate_confirm_minutes)
    print(json.dumps(done, sort_keys=True) if args.json else dose_said(args.action, done))
    return 0


DoseAction = Callable[[UnitOfWork], InfusionEpisode]

SIGNED_DOSE_ACTIONS = {"confirm": Action.CONFIRM_DOSE, "edit": Action.EDIT_DOSE, "cancel": Action.CANCEL_DOSE}


def _dose_action(args: argparse.Namespace, now: float) -> Callable[[User], DoseAction]:
    """The `episode` subcommand as its handler bound to its command, once the user is known (times
    parsed first: TimeFormatError before anything is opened)."""
    times = {
        name: parse_when(getattr(args, name), f"--{name}")
        for name in ("at", "planned", "start", "end")
        if getattr(args, name, None)
    }

    def as_user(user: User) -> DoseAction:
        who: dict[str, object] = {**acting(user)}
        if args.action in SIGNED_DOSE_ACTIONS:
            who["signature"] = signature(args, user, SIGNED_DOSE_ACTIONS[args.action])
        return _dose_command(args, now, times, who)

    return as_user


def _dose_command(
    args: argparse.Namespace, now: float, times: dict[str, float], acting_fields: dict[str, object]
) -> DoseAction:
    from bedside import handlers
    from bedside.commands import CancelDose, ConfirmDose, EditDose, SetTargets, StartDose, StopDose

    who: dict[str, Any] = {
        "patient": PatientRef.parse(args.patient),
        "dose": args.dose,
        "recorded_at": now,
        **acting_fields,
    }
    if args.action == "start":
        cmd = StartDose(
            **who,
            start=times["at"],
            product=args.product or "",
            cells_per_kg=args.cells_per_kg,
            cells=args.cells,
            weight_kg=args.weight_kg,
            planned=times.get("planned"),
            course_doses=args.of,
        )
        return partial(handlers.start_dose, cmd=cmd)
    if args.action == "stop":
        return partial(handlers.stop_dose, cmd=StopDose(**who, end=times["at"]))
    if args.action == "cancel":
        return partial(handlers.cancel_dose, cmd=CancelDose(**who, reason=args.reason or ""))
    if args.action == "targets":
        # "auto" (None) clears a target: derived from the baseline again.
        wanted = {"spo2": args.spo2, "abp_mean": args.map}
        targets = {k: (None if v == "auto" else v) for k, v in wanted.items() if v is not None}
        return partial(handlers.set_targets, cmd=SetTargets(**who, targets=targets, reason=args.reason or ""))
    if args.action == "confirm":
        return partial(handlers.confirm_dose, cmd=ConfirmDose(**who, start=times.get("at")))
    edit = EditDose(
        **who,
        start=times.get("start"),
        end=times.get("end"),
        reason=args.reason or "",
    )
    return partial(handlers.edit_dose, cmd=edit)


def cmd_episodes(args: argparse.Namespace) -> int:
    from bedside_adapters.db import episode_store as es
    from bedside_adapters.db.patient_store import patient_to_read

    engine = open_database(args.db, write=False)
    now = time.time()
    try:
        ref = patient_to_read(engine, PatientRef.parse(args.patient)) if args.patient else None
        if args.events:
            from bedside_adapters.db.listing import episode_listing
            from bedside_adapters.db.patient_match import MrnQuery

            out = episode_listing(engine, MrnQuery.parse(args.patient) if args.patient else None)
        else:
            minutes = _rules(args).candidate_confirm_minutes
            out = [es.episode_json(ep, now, minutes) for ep in es.episodes_of(engine, ref)]
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(out, sort_keys=True))
        return 0
    for ep in out:
        if args.events:
            print(
                f"{ep['patient']}  {source_name(ep['source'])}  {_local(ep['start'])} → {_local(ep['end'])}  "
                f"{_event_product(ep['product'] or '')}"
            )
            continue
        dose = _("dose {number}").format(number=ep["dose"])
        state = _(EPISODE_STATES[ep["state"]]) if ep["state"] in EPISODE_STATES else ep["state"]
        product = product_text(ep["dose"], ep["product"] or "", ep["cells_per_kg"])
        source = source_name(ep["start_source"])
        print(
            f"{ep['patient']}  {dose}  {_local(ep['start'])} → {_local(ep['end'])}  "
            f"{state} ({source}{', ' + ep['confirmed_by'] if ep['confirmed_by'] else ''})  "
            f"{product}"
        )
    return 0


def source_name(source: str) -> str:
    """Where a dose's start or a delivery event came from, in words ('pump'); a source Bedside has
    no word for is shown as stored."""
    return _(SOURCE_NAMES[source]) if source in SOURCE_NAMES else source


def _event_product(label: str) -> str:
    """A pump's drug label as the screens write it: 'AT-MSC dose 1 1.0e6/kg' → 'AT-MSC, dose 1,
    1.0 × 10⁶ cells/kg' (in the reader's language and numbers)."""
    number = label_dose_number(label)
    if number is None:
        return product_text(0, label, None)
    product = product_text(number, label, None)
    dose = _("dose {number}").format(number=number)
    name, _sep, cells = product.partition(", ")
    return ", ".join(part for part in (name, dose, cells) if part)


def _local(t_: float | None) -> str:
    return _("running") if t_ is None else format_datetime(datetime.fromtimestamp(t_).astimezone())


def cmd_alerts(args: argparse.Namespace) -> int:
    from bedside_adapters.db.alert_store import alerts as stored_alerts
    from bedside_adapters.db.patient_store import patient_to_read

    from bedside.alerts import AlertState

    engine = open_database(args.db, write=False)
    try:
        # A mistyped MRN is refused, as for every command that reads one patient (never an empty list).
        ref = patient_to_read(engine, PatientRef.parse(args.patient)) if args.patient else None
        alerts = stored_alerts(engine, ref)
    finally:
        engine.dispose()
    if args.open:
        alerts = [a for a in alerts if a.state is not AlertState.RESOLVED]
    if args.json:
        print(json.dumps([a.as_json() for a in alerts], sort_keys=True))
        return 0
    if not alerts:
        if args.patient:
            said = _("no open alerts for {patient}") if args.open else _("no alerts for {patient}")
            print(said.format(patient=args.patient))
        else:
            print(_("no open alerts") if args.open else _("no alerts"))
        return 0
    # One reaction is one problem: each problem first, the alerts folded under it indented below.
    shown = {a.id for a in alerts}
    rules = _rules(args)
    for a in alerts:
        if a.folded_into is not None and a.folded_into in shown:
            continue
        _print_alert(a, "", rules)
        for child in alerts:
            if child.folded_into == a.id:
                _print_alert(child, "    ↳ ", rules)
    return 0


ALERT_STATES = {"raised": N_("raised"), "acknowledged": N_("acknowledged"), "resolved": N_("resolved")}
"""An alert's state as stored, as a person reads it (--json keeps the stored word)."""


def _print_alert(a: Alert, indent: str, rules) -> None:  # type: ignore[no-untyped-def]
    from bedside.alert_screen import severity_name
    from bedside.rules.messages import shown_rule

    dose = _("dose {number}").format(number=a.dose)
    stored = a.state.value
    state = _(ALERT_STATES[stored]) if stored in ALERT_STATES else stored
    rule = shown_rule(rules, a.rule_id, a.title)
    print(
        f"{indent}#{a.id:<5d} {severity_name(a.severity):6s} {state:12s} {rule:5s} {dose}  "
        f"{_local(a.fired_at)}  {a.message_text(rules)}"
    )


def cmd_ack(args: argparse.Namespace) -> int:
    from bedside_adapters.cli_said import ack_said, signer_text
    from bedside_adapters.db.alert_store import alerts as stored_alerts
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside import handlers
    from bedside.commands import AcknowledgeAlert, Refused

    engine = open_database(args.db, write=True)
    try:
        user = authenticated_user(args, engine)
        cmd = AcknowledgeAlert(
            alert_ids=(args.alert,),
            **acting(user),
            signature=signature(args, user, Action.ACKNOWLEDGE),
            recorded_at=time.time(),
            comment=args.comment or "",
        )
        handlers.acknowledge_alerts(SqlUnitOfWork(engine), cmd)
        (alert,) = stored_alerts(engine, alert_id=args.alert)
    except Refused as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    signed = signer_text(user.full_name, user.role)
    print(json.dumps(alert.as_json(), sort_keys=True) if args.json else ack_said(alert, signed))
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from bedside_adapters.db.patient_match import MrnQuery
    from bedside_adapters.db.safety_store import log_listing
    from bedside_adapters.db.user_store import users

    engine = open_database(args.db, write=False)
    try:
        entries = log_listing(engine, MrnQuery.parse(args.patient) if args.patient else None, args.last)
        accounts = users(engine)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(entries, sort_keys=True))
        return 0
    from bedside.log_text import kind_name, people_of, people_with, what_text, who_text

    # The kind in the reader's language beside its code, and what the entry says in words (--json
    # keeps the payload as logged). A clinician by printed name and role as signed, beside the account.
    people = people_with(people_of(entries), accounts)
    for e in entries:
        who = e["patient"] or ""
        kind = f"{kind_name(e['kind'])} ({e['kind']})" if kind_name(e["kind"]) != e["kind"] else e["kind"]
        said = what_text(e["payload"])
        sender = who_text(e["actor"], people)
        sender = sender if sender == e["actor"] else f"{sender} [{e['actor']}]"
        print(f"{e['seq']:6d} {_local(e['at'])} {kind}  {sender}  {who}" + (f"  {said}" if said else ""))
    return 0


def cmd_verify_log(args: argparse.Namespace) -> int:
    from bedside_adapters.cli_log import cmd_verify_log as verify

    return verify(args)


def typed_number(text: str) -> str:
    """A number as a person types it in the command's language: in Spanish the decimal comma
    ("2,5"). A comma is read so only in a language that writes it for the decimal, and only alone
    (one comma, no point): in English "1,000" is a thousand, never 1."""
    if decimal_separator() == "," and text.count(",") == 1 and "." not in text:
        return text.replace(",", ".")
    return text


def _number(text: str) -> float:
    """An option's number (argparse type), with the decimal comma in Spanish."""
    try:
        return float(typed_number(text))
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text} is not a number").format(text=repr(text))) from None


def _target(text: str) -> float | str:
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a number (or 'auto')").format(text=repr(text))
        ) from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ep = sub.add_parser(
        "episode", help=_("enter, stop, confirm, correct or cancel an infusion episode (a dose)")
    )
    ep_sub = ep.add_subparsers(dest="action", required=True)
    for action, does in episode_help.EPISODE_ACTIONS.items():
        a = ep_sub.add_parser(action, help=_(does))
        a.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
        a.add_argument("--dose", type=int, required=True, help=_("dose number (1, 2, 3 …)"))
        auth_options(a, meaning=action in ("edit", "cancel"))
        if action in ("start", "stop"):
            a.add_argument("--at", required=True, help=_("when: {formats}").format(formats=_(TIME_FORMATS)))
        if action == "confirm":
            a.add_argument(
                "--at", help=_("the correct start, if the device's is wrong (re-anchors the rules)")
            )
        if action == "start":
            a.add_argument("--product", help=_("product and lot, e.g. 'AT-MSC lot 24-117'"))
            a.add_argument("--cells-per-kg", type=_number, help=_("dose in cells/kg as prescribed"))
            a.add_argument(
                "--cells", type=_number, help=_("total cells given (with --weight-kg gives cells/kg)")
            )
            a.add_argument("--weight-kg", type=_number, help=_("dosing weight"))
            a.add_argument("--planned", help=_("planned start (a time as for --at)"))
            a.add_argument(
                "--of", type=int, help=_("doses the course plans (the screen shows 'Dose 2 of 3')")
            )
        if action == "edit":
            a.add_argument("--start", help=_("corrected start (a time as for --at)"))
            a.add_argument("--end", help=_("corrected end (a time as for --at)"))
        if action == "targets":
            a.add_argument("--spo2", type=_target, help=_("the patient's lower SpO2 target (%%), or 'auto'"))
            a.add_argument("--map", type=_target, help=_("the patient's lower MAP target (mmHg), or 'auto'"))
        if action in ("edit", "cancel", "targets"):
            a.add_argument("--reason", help=_("why, for the safety log"))
        a.add_argument("--rules", help=argparse.SUPPRESS)
        a.add_argument("--json", action="store_true", help=_("print the dose as stored, as JSON"))
        a.set_defaults(func=cmd_episode)

    eps = sub.add_parser("episodes", help=_("infusion episodes (doses) with their sources and confirmation"))
    eps.add_argument("--patient", help=_("MRN or MRN^AUTHORITY"))
    eps.add_argument("--json", action="store_true", help=_("one JSON object"))
    eps.add_argument(
        "--events", action="store_true", help=_("the raw pump/eMAR start and stop events instead")
    )
    eps.add_argument("--rules", help=argparse.SUPPRESS)
    eps.set_defaults(func=cmd_episodes)

    al = sub.add_parser("alerts", help=_("infusion-reaction and technical alerts"))
    al.add_argument("--patient", help=_("MRN or MRN^AUTHORITY (default: every patient)"))
    al.add_argument("--open", action="store_true", help=_("only alerts not yet resolved"))
    al.add_argument("--json", action="store_true", help=_("one JSON object"))
    al.set_defaults(func=cmd_alerts)

    ack = sub.add_parser("ack", help=_("acknowledge an alert"))
    ack.add_argument("alert", type=int, help=_("the alert's number (as `alerts` lists it)"))
    auth_options(ack)
    ack.add_argument("--comment", help=_("what you saw or did (optional)"))
    ack.add_argument("--json", action="store_true", help=_("print the alert as stored, as JSON"))
    ack.set_defaults(func=cmd_ack)

    lg = sub.add_parser("log", help=_("the safety log"))
    lg.add_argument("--patient", help=_("MRN or MRN^AUTHORITY (default: every patient)"))
    lg.add_argument("--last", type=int, help=_("only the last N entries"))
    lg.add_argument("--json", action="store_true", help=_("one JSON object"))
    lg.set_defaults(func=cmd_log)

    vl = sub.add_parser(
        "verify-log",
        help=_(
            "check the safety log's chain, signatures and anchors, and the records against it; "
            "exit 1 and name the first broken entry or record"
        ),
    )
    from bedside_adapters.cli_log import verify_log_options

    verify_log_options(vl)
    vl.set_defaults(func=cmd_verify_log)
