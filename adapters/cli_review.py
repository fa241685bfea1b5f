"""`bedside-cli review`, `cohort` and `course-event`: the intensivist's tables and outcome entries."""

from __future__ import annotations

import argparse
import json
import time

from bedside_adapters.cli_alerts import TIME_FORMATS, _fail, parse_when
from bedside_adapters.cli_auth import (
    acting,
    auth_options,
    authenticated_user,
    optional_meaning,
    signature,
)
from bedside_adapters.cli_db import open_database
from bedside_adapters.cli_review_text import cohort_lines, review_lines
from bedside_adapters.cli_said import course_event_said, signer_text
from bedside_adapters.cli_words import choice
from bedside_adapters.db.patient_store import patient_to_read
from bedside_adapters.db.review_store import cohort, load_review
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.review_tables import cohort_json, review_json

from bedside import handlers
from bedside.commands import COURSE_EVENT_KINDS, RecordCourseEvent, Refused
from bedside.i18n import _, for_machines
from bedside.model import PatientRef
from bedside.users import Action


def cmd_review(args: argparse.Namespace) -> int:
    machines = args.json or args.compact
    engine = open_database(args.db, write=False)
    try:
        ref = patient_to_read(engine, PatientRef.parse(args.patient))
        if machines:
            with for_machines():  # JSON reads the same in every language
                data = review_json(load_review(engine, ref, time.time()))
        else:
            # The review's texts (its outcomes, what is missing) are worded as it is loaded.
            lines = review_lines(load_review(engine, ref, time.time()), args.dose)
    finally:
        engine.dispose()
    if not machines:
        print("\n".join(lines))
        return 0
    if args.dose is not None:
        data["doses"] = [d for d in data["doses"] if d["dose"] == args.dose]
    print(json.dumps(data, indent=2 if not args.compact else None, sort_keys=True))
    return 0


def cmd_cohort(args: argparse.Namespace) -> int:
    engine = open_database(args.db, write=False)
    try:
        if args.json:
            with for_machines():
                rows = cohort_json(cohort(engine, time.time()))
        else:
            lines = cohort_lines(cohort(engine, time.time()))
    finally:
        engine.dispose()
    print(json.dumps(rows, indent=2, sort_keys=True) if args.json else "\n".join(lines))
    return 0


def cmd_course_event(args: argparse.Namespace) -> int:
    at = parse_when(args.at)
    engine = open_database(args.db, write=True)
    try:
        cmd = RecordCourseEvent(
            patient=PatientRef.parse(args.patient),
            kind=args.kind,
            at=at,
            **acting(user := authenticated_user(args, engine)),
            recorded_at=time.time(),
            text=args.text or "",
            signature=signature(args, user, Action.RECORD_COURSE_EVENT),
        )
        recorded = handlers.record_course_event(SqlUnitOfWork(engine), cmd)
    except Refused as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps({"id": recorded.id, "patient": str(recorded.patient_ref), "kind": args.kind}))
    else:
        print(course_event_said(args.kind, at, recorded.patient_ref, signer_text(user.full_name, user.role)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = sub.add_parser("review", help=_("a patient's doses: their before/after values and the outcome set"))
    r.add_argument("--patient", required=True, help=_("MRN or MRN^AUTHORITY"))
    r.add_argument("--dose", type=int, help=_("only this dose"))
    r.add_argument(
        "--json",
        action="store_true",
        help=_("one JSON object, the same in every language (with data coverage), for scripts"),
    )
    r.add_argument("--compact", action="store_true", help=_("the JSON on one line"))
    r.set_defaults(func=cmd_review)
    c = sub.add_parser("cohort", help=_("every treated patient, one line each"))
    c.add_argument(
        "--json", action="store_true", help=_("the rows as JSON, the same in every language, for scripts")
    )
    c.set_defaults(func=cmd_cohort)
    e = sub.add_parser(
        "course-event",
        help=_(
            "record intubation, a confirmed extubation, reintubation, tracheostomy, ECMO or renal "
            "replacement start/end, thrombosis, a secondary infection, symptom onset, ICU discharge, death, "
            "alive at follow-up or a radiology note"
        ),
    )
    e.add_argument("--patient", required=True, help=_("MRN or MRN^AUTHORITY"))
    e.add_argument("--kind", required=True, **choice(COURSE_EVENT_KINDS), help=_("what happened"))
    e.add_argument("--at", required=True, help=_("when: {formats}").format(formats=_(TIME_FORMATS)))
    auth_options(e)
    optional_meaning(e)
    e.add_argument("--text", help=_("the note (radiology), or a comment"))
    e.add_argument("--json", action="store_true", help=_("print what was recorded as JSON"))
    e.set_defaults(func=cmd_course_event)
