"""`bedside-cli` commands for adverse events: record one (`adverse-event`), follow it up with a new
version (`adverse-event-follow-up`), record that a serious one was reported to the sponsor
(`adverse-event-reported`), and list a patient's events with their 24-hour report clocks
(`adverse-events`).

Each change is the authenticated user's signed command, handed to `bedside.handlers.adverse`, which
validates it (the one place) and logs it. Grade, relatedness and onset are required options with no
default; a refusal is one line, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bedside_adapters.cli_alerts import TIME_FORMATS, _fail, parse_when
from bedside_adapters.cli_auth import acting, auth_options, authenticated_user, signature
from bedside_adapters.cli_db import open_database
from bedside_adapters.cli_said import adverse_said, report_said, signer_text
from bedside_adapters.cli_words import choice, listed, listed_with_codes, word

from bedside import adverse_events as ae
from bedside.adverse_event_listing import ListedAdverseEvent, history_of
from bedside.commands import NOT_ASSESSED, RELATEDNESS
from bedside.ctcae import term_text
from bedside.i18n import _, format_datetime, ngettext
from bedside.model import PatientRef
from bedside.sae_clock import clock_text
from bedside.sae_listing import COLUMNS, Reassessment, reassessment_of, reassessment_text, sae_listing
from bedside.seriousness import SERIOUSNESS, criteria_text
from bedside.users import Action

if TYPE_CHECKING:  # the database is imported by the commands that read it, not by the parser
    from bedside_adapters.db.adverse_record import AdverseRecord


def _when(text: str | None, option: str) -> float | None:
    return None if text is None else parse_when(text, option)


def _seriousness(args: argparse.Namespace) -> tuple[str, ...] | None:
    """--serious CRITERION...: serious; --not-serious: assessed as not; neither: not assessed."""
    if args.not_serious:
        return ()
    return None if args.serious is None else tuple(args.serious)


def _reporting(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "seriousness": _seriousness(args),
        "outcome": args.outcome,
        "end": _when(args.end, "--end"),
        "action_taken": args.action_taken,
        "treatment": args.treatment or "",
        "awareness": _when(args.awareness, "--awareness"),
        "meddra_code": args.meddra or "",
        "notes": args.notes or "",
    }


def _record(args: argparse.Namespace, fields: dict[str, Any]) -> int:
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside import handlers
    from bedside.commands import RecordAdverseEvent, Refused

    engine = open_database(args.db, write=True)
    try:
        user = authenticated_user(args, engine)
        cmd = RecordAdverseEvent(
            patient=PatientRef.parse(args.patient),
            **acting(user),
            signature=signature(args, user, Action.RECORD_ADVERSE_EVENT),
            recorded_at=time.time(),
            alert_ids=tuple(args.alerts or ()),
            dose=args.dose,
            **fields,
        )
        entry = handlers.record_adverse_event(SqlUnitOfWork(engine), cmd)
        changed = _what_changed(engine, entry.id) if cmd.follows is not None else None
    except Refused as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    said = adverse_said(entry, entry.patient_ref or cmd.patient, signer_text(user.full_name, user.role))
    if changed:
        said += " " + changed
    print(json.dumps(entry.payload(), sort_keys=True) if args.json else said)
    return 0


def _what_changed(engine: Any, recorded: int) -> str:
    """What a follow-up changed from the version before, field by field with the old and the new
    value, in the words of the review's history of the event."""
    from bedside_adapters.db.adverse_record import event_versions

    history, dose_of = event_versions(engine, recorded)
    if len(history) < 2:
        return ""
    before, now = history[-2], history[-1]
    changes = ae.changes_text(ae.compared(before, dose_of), ae.compared(now, dose_of), _local)
    if not changes:
        return _("Nothing changed from version {version}.").format(version=before.version)
    return _("Changed from version {version}: {changes}.").format(version=before.version, changes=changes)


def cmd_adverse_event(args: argparse.Namespace) -> int:
    return _record(
        args,
        {
            "term": args.term,
            "grade": args.grade,
            "relatedness": args.relatedness,
            "onset": parse_when(args.onset, "--onset"),
            **_reporting(args),
        },
    )


def cmd_follow_up(args: argparse.Namespace) -> int:
    """A new version: what is not given is carried from the version before (by the handler)."""
    return _record(
        args,
        {
            "follows": args.event,
            "term": args.term or "",
            "grade": args.grade,
            "relatedness": args.relatedness or "",
            "onset": _when(args.onset, "--onset"),
            "awareness_reason": args.awareness_reason or "",
            **_reporting(args),
        },
    )


def cmd_reported(args: argparse.Namespace) -> int:
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork

    from bedside import handlers
    from bedside.commands import Refused, ReportAdverseEvent

    sent = parse_when(args.sent, "--sent")
    engine = open_database(args.db, write=True)
    try:
        user = authenticated_user(args, engine)
        cmd = ReportAdverseEvent(
            patient=PatientRef.parse(args.patient),
            event=args.event,
            sent_at=sent,
            **acting(user),
            signature=signature(args, user, Action.REPORT_ADVERSE_EVENT),
            recorded_at=time.time(),
        )
        entry = handlers.report_adverse_event(SqlUnitOfWork(engine), cmd)
    except Refused as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    said = report_said(entry, entry.patient_ref or cmd.patient, signer_text(user.full_name, user.role))
    print(json.dumps(entry.payload(), sort_keys=True) if args.json else said)
    return 0


def _local(at: float | None) -> str:
    return "—" if at is None else format_datetime(datetime.fromtimestamp(at))


def cmd_list(args: argparse.Namespace) -> int:
    """The patient's events (latest version of each) with their SAE report clocks."""
    from bedside_adapters.db.adverse_record import read_adverse_record
    from bedside_adapters.db.patient_store import patient_to_read

    from bedside.commands import Refused
    from bedside.users import role_name

    engine = open_database(args.db, write=False)
    now = time.time()
    try:
        ref = patient_to_read(engine, PatientRef.parse(args.patient))
        record = read_adverse_record(engine, ref, args.history, with_listing=bool(args.sae_csv))
        histories, roles, first_susar = record.histories, record.signers, record.first_susar
        events = [(h[-1], len(h)) for h in histories]
        history, dose_of, listed = record.history, record.dose_of, record.listed
        people = {u.username: f"{u.full_name} ({role_name(u.role)})" for u in record.users}
        names = {u.username: u.full_name for u in record.users if u.full_name}
        death = _death_lines(record, [v for v, _n in events], now)
    except Refused as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    if args.sae_csv:
        written = _write_sae_csv(Path(args.sae_csv), _named(listed, names), now)
        if written == 0:
            for line in death:
                print(line)
        return written
    if history is not None:
        # The event's number is its first version's id, as the listing shows it; a later version's
        # own id is not an event number.
        if not history or history[0].patient_ref != ref or history[0].id != args.history:
            numbers = ", ".join(f"#{v.event_id}" for v, _n in events)
            return _fail(
                _(
                    "no adverse event #{event} for {ref}; the events are {events}: nothing was recorded"
                ).format(event=args.history, ref=ref, events=numbers)
                if numbers
                else _("no adverse event #{event} of {patient}").format(event=args.history, patient=ref)
            )
        for line in ae.history_lines(history, _local, dose_of, people):
            print(line)
        return 0
    # Who reassessed: the account for machines (--json), the printed name for a person.
    was = [_reassessment(h, roles, {} if args.json else names) for h in histories]
    if args.json:
        shown = [
            {
                **_json(v, n, now, then),
                "reassessed_not_serious": None if r is None or r.lowered_to is not None else asdict(r),
                # A grade lowered below 4 before seriousness was assessed ended a provisional clock.
                "provisional_clock_ended": None if r is None or r.lowered_to is None else asdict(r),
            }
            for (v, n), then, r in zip(events, first_susar, was, strict=True)
        ]
        print(json.dumps(shown, sort_keys=True))
        return 0
    if not events:
        print(_("no adverse event recorded for {patient}").format(patient=ref))
    for (v, n), then, r in zip(events, first_susar, was, strict=True):
        clock = clock_text(v.clock(now), _local)
        of = " " + _("(of {versions})").format(versions=n) if n > 1 else ""
        onset = _("onset {when}").format(when=_local(v.onset))
        print(
            f"#{v.event_id} v{v.version}{of} {term_text(v.term)} G{v.grade} "
            f"{onset}; {criteria_text(v.seriousness)}; {v.susar.text}"
            + ("; " + ae.susar_change_text(then) if v.sent_at is not None and then != v.susar.value else "")
            + (
                "; " + _("special interest: {aesi}").format(aesi=ae.special_interest_text(v.aesi))
                if v.aesi
                else ""
            )
            + (f"; {clock}" if clock else "")
            + ("" if r is None else "; " + reassessment_text(r, _local))
        )
    for line in death:
        print(line)
    return 0


def _death_lines(record: AdverseRecord, latest: list[ae.AdverseEventVersion], now: float) -> list[str]:
    """The recorded death's SAE report (due with its clock, recorded, or explained), and each
    adverse event whose outcome the death contradicts."""
    from bedside.adverse_events_outcomes import outcomes_without_aesi
    from bedside.death_sae import EventOutcome, death_sae_text, outcome_conflicts
    from bedside.death_sae_reported import reported_death_text
    from bedside.outcome_no_aesi import explained_lines, unexplained

    died = record.died
    lines = []
    death = record.death_sae
    if death is not None:
        lines.append(death_sae_text(death, now, _local))
    reported = record.reported_death
    if reported is not None and not record.fatal_saes:
        # Unconfirmed, yet known at the site since the message came: its report is due all the same.
        lines.append(reported_death_text(*reported, now, _local))
    outcomes = [EventOutcome(v.event_id, v.term, v.onset, v.outcome, v.end, v.reported_at) for v in latest]
    lines += [
        _("outcome and death disagree: {conflict}").format(conflict=c)
        for c in outcome_conflicts(outcomes, died, _local, term_text, None if death is None else death.aware)
    ]
    # An outcome with a signed reason why it needs no adverse event of special interest: listed with it.
    reasons = record.no_aesi_reasons
    lines += outcomes_without_aesi(unexplained(record.aesi_course, reasons), [v.aesi for v in latest], _local)
    lines += explained_lines(record.aesi_course, reasons, _local)
    return lines


def _write_sae_csv(path: Path, events: list[ListedAdverseEvent], now: float) -> int:
    """The SAE listing as the report prints it (the same rows and columns), as CSV: one row per
    serious event, an event reassessed as not serious included with its trace."""
    import csv

    listing = sae_listing(events, now, _local)
    try:
        with path.open("x", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([_(c) for c in COLUMNS])
            w.writerows(listing.rows)
    except FileExistsError:
        return _fail(_("{path} exists: nothing was written (choose a new file)").format(path=path))
    print(
        ngettext(
            "wrote the SAE listing to {path}: {n} serious event; {pending} not yet assessed for seriousness",
            "wrote the SAE listing to {path}: {n} serious events; {pending} not yet assessed for seriousness",
            len(listing.rows),
        ).format(path=path, n=len(listing.rows), pending=listing.not_assessed)
    )
    return 0


def _named(events: list[ListedAdverseEvent], names: dict[str, str]) -> list[ListedAdverseEvent]:
    """The listing's events with who assessed or changed each by printed name, as the report's
    listing names them (a copy: what is stored keeps the account)."""
    return [e.named(lambda account: names.get(account, account)) for e in events]


def _reassessment(
    history: list[ae.AdverseEventVersion], roles: dict[int, str], names: dict[str, str]
) -> Reassessment | None:
    """An event once serious and reassessed not serious, as the SAE listing reads it; who reassessed
    it by printed name where `names` (account → printed name) has it, else the account."""
    entries = [replace(h, by=names.get(h.by, h.by)) for h in history_of(history, {}, roles)]
    return reassessment_of(entries, history[-1].sent_at)


def _json(v: ae.AdverseEventVersion, versions: int, now: float, then: bool | None) -> dict[str, Any]:
    """`then`: the SUSAR flag of the version the first report to the sponsor sent."""
    clock = v.clock(now)
    return {
        "event": v.event_id,
        "version": v.version,
        "versions": versions,
        "term": v.term,
        "grade": v.grade,
        "relatedness": v.relatedness,
        "onset": v.onset,
        "seriousness": None if v.seriousness is None else list(v.seriousness),
        "expectedness": v.expectedness,
        "susar": v.susar.value,
        "outcome": v.outcome,
        "aesi": v.aesi,
        # The awareness this version gives, and the day 0 the clock runs from (`due` is 24 h after
        # it): the earliest awareness any version gave, or the first record when that is earlier.
        "awareness": v.awareness,
        "awareness_earliest": min(
            (a for a in (v.first_awareness, v.awareness) if a is not None), default=None
        ),
        "clock_from": v.clock_awareness,
        "clock_from_basis": None
        if v.clock_awareness is None
        else ("first record" if v.clock_from_first_record else "awareness"),
        "clock": clock.timeliness,
        "late": clock.late,
        "provisional": clock.provisional,
        "due": clock.due,
        "reported_at": clock.reported_at,
        "follow_up_reports": clock.follow_ups,
        "susar_at_first_report": then,
    }


def _reporting_options(p: argparse.ArgumentParser) -> None:
    serious = p.add_mutually_exclusive_group()
    serious.add_argument(
        "--serious",
        nargs="+",
        **choice(SERIOUSNESS),
        metavar="CRITERION",
        help=_("the ICH E2A criteria that apply: {criteria} (an assessment)").format(
            criteria=listed(SERIOUSNESS)
        ),
    )
    serious.add_argument("--not-serious", action="store_true", help=_("assessed as not serious"))
    p.add_argument(
        "--awareness",
        help=_("when the team became aware (a serious event's 24 h run from it): {formats}").format(
            formats=_(TIME_FORMATS)
        ),
    )
    p.add_argument(
        "--outcome",
        **choice(ae.OUTCOMES),
        help=_("the outcome: {outcomes}").format(outcomes=listed_with_codes(ae.OUTCOMES)),
    )
    p.add_argument("--end", help=_("when it ended: {formats}").format(formats=_(TIME_FORMATS)))
    p.add_argument("--action-taken", **choice(ae.ACTIONS_TAKEN), help=_("with the product"))
    p.add_argument("--treatment", help=_("what was given for it"))
    p.add_argument("--meddra", help=_("MedDRA code, 8 digits (optional)"))
    p.add_argument("--notes", help=_("free text, kept as written"))
    p.add_argument("--dose", type=int, help=_("the dose it follows"))
    p.add_argument("--alerts", type=int, nargs="*", help=_("linked alert ids"))
    p.add_argument("--json", action="store_true", help=_("print the safety log's entry as JSON"))


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    relatedness_help = _("to the infusion ('{not_assessed}' if your role may not assess it)").format(
        not_assessed=word(NOT_ASSESSED)
    )
    p = sub.add_parser(
        "adverse-event",
        help=_("document an adverse event (CTCAE v5.0 grade; seriousness, outcome, the 24 h SAE clock)"),
    )
    p.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    p.add_argument(
        "--term",
        required=True,
        help=_("the CTCAE term, in English or Spanish, e.g. '{example}'").format(
            example=term_text("Infusion related reaction")
        ),
    )
    p.add_argument("--grade", type=int, required=True, help=_("CTCAE v5.0, 1-5"))
    p.add_argument("--relatedness", required=True, **choice(RELATEDNESS), help=relatedness_help)
    p.add_argument(
        "--onset", required=True, help=_("when it began: {formats}").format(formats=_(TIME_FORMATS))
    )
    _reporting_options(p)
    auth_options(p, meaning=True)
    p.set_defaults(func=cmd_adverse_event)

    f = sub.add_parser(
        "adverse-event-follow-up",
        help=_("a new version of an adverse event (what is not given is carried from the last version)"),
    )
    f.add_argument("event", type=int, help=_("the event's number"))
    f.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    f.add_argument("--term", help=_("a corrected term (CTCAE v5.0, in English or Spanish)"))
    f.add_argument("--grade", type=int, help=_("CTCAE v5.0, 1-5"))
    f.add_argument("--relatedness", **choice(RELATEDNESS), help=relatedness_help)
    f.add_argument("--onset", help=_("a corrected onset: {formats}").format(formats=_(TIME_FORMATS)))
    f.add_argument(
        "--awareness-reason",
        help=_("why --awareness corrects an awareness time already recorded (required when it does)"),
    )
    _reporting_options(f)
    auth_options(f, meaning=True)
    f.set_defaults(func=cmd_follow_up)

    r = sub.add_parser(
        "adverse-event-reported",
        help=_("record that a serious adverse event was reported to the sponsor (stops its 24 h clock)"),
    )
    r.add_argument("event", type=int, help=_("the event's number"))
    r.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    r.add_argument(
        "--sent", required=True, help=_("when the report was sent: {formats}").format(formats=_(TIME_FORMATS))
    )
    auth_options(r, meaning=True)
    r.add_argument("--json", action="store_true", help=_("print the safety log's entry as JSON"))
    r.set_defaults(func=cmd_reported)

    ls = sub.add_parser("adverse-events", help=_("a patient's adverse events and their SAE report clocks"))
    ls.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    ls.add_argument("--history", type=int, metavar="EVENT", help=_("every version of this event instead"))
    ls.add_argument("--json", action="store_true", help=_("print the events as JSON"))
    ls.add_argument(
        "--sae-csv",
        metavar="FILE",
        help=_("write the SAE listing (as the report prints it) to this new CSV file"),
    )
    ls.set_defaults(func=cmd_list)
