"""`bedside-cli medication`: co-medication around the doses. `add` records one a clinician gave
(through `bedside.handlers.medication.record_medication`, with its safety-log entry); `list` shows a
patient's, from the eMAR, the pharmacy's orders and the clinicians."""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime

from bedside_adapters.cli_alerts import TIME_FORMATS, _fail, typed_number
from bedside_adapters.cli_auth import auth_options, authenticated_user, optional_meaning, signature
from bedside_adapters.cli_db import open_database
from bedside_adapters.cli_said import nothing_recorded
from bedside_adapters.cli_vitals import parse_time
from bedside_adapters.cli_words import ROUTE_CONTEXT, choice, word
from bedside_adapters.db.co_medication_store import administrations_of
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.db.user_store import users

from bedside.co_medication import (
    ROUTE_LABELS,
    ROUTES,
    UNITS,
    CoMedicationCatalogue,
    DrugClass,
    MedicationAdministration,
    dose_text,
)
from bedside.commands import MedicationError, RecordMedication, Refused, VitalsError
from bedside.handlers.medication import record_medication
from bedside.i18n import N_, _, format_datetime, localize_number
from bedside.log_text import medication_text, route_text
from bedside.model import PatientRef
from bedside.units import display_unit
from bedside.users import Action, role_name


def _already_recorded(
    recorded: list[MedicationAdministration], drug: str, start: float
) -> MedicationAdministration | None:
    """The co-medication of the same drug given in the same minute, if any: typed twice (or by two
    people), it would count twice in the review's co-medication."""
    for given in recorded:
        same_minute = abs(given.start - start) < 60
        if (
            given.status == "given"
            and same_minute
            and given.drug.strip().casefold() == drug.strip().casefold()
        ):
            return given
    return None


def _recorded_for(engine, patient: str) -> list[MedicationAdministration]:  # type: ignore[no-untyped-def]
    """The patient's co-medication so far; none for a patient not known (the recording refuses it,
    saying so)."""
    from bedside_adapters.db.patient_store import patient_to_read

    try:
        return administrations_of(engine, patient_to_read(engine, PatientRef.parse(patient)))
    except Refused:
        return []


def cmd_add(args: argparse.Namespace) -> int:
    now = time.time()
    try:
        start = parse_time(args.at, now)
        end = parse_time(args.end, now, "--end") if args.end else None
        dose = float(typed_number(args.dose))
    except VitalsError as exc:
        return _fail(str(exc))
    except ValueError:
        return _fail(_("--dose {text} is not a number").format(text=repr(args.dose)))
    engine = open_database(args.db, write=True)
    try:
        user = authenticated_user(args, engine)
        same = (
            None if args.again else _already_recorded(_recorded_for(engine, args.patient), args.drug, start)
        )
        if same is not None:
            return _fail(
                _(
                    "{drug} at {when} is already recorded for {patient} (#{id}): nothing was recorded. "
                    "If a second one was given at the same time, add --again"
                ).format(drug=same.drug, when=_local(same.start), patient=args.patient, id=same.id)
            )
        done = record_medication(
            SqlUnitOfWork(engine),
            RecordMedication(
                patient=PatientRef.parse(args.patient),
                drug=args.drug,
                drug_class=args.drug_class,
                dose=dose,
                unit=args.unit,
                route=args.route,
                start=start,
                end=end,
                by=user.username,
                role=user.role,
                recorded_at=now,
                signature=signature(args, user, Action.RECORD_MEDICATION),
            ),
        )
    except (Refused, MedicationError) as exc:
        return _fail(nothing_recorded(exc))
    finally:
        engine.dispose()
    entry = done.entry
    given = medication_text(
        {"drug": entry.drug, "dose": entry.dose, "unit": entry.unit, "route": entry.route}
    )
    print(
        _("recorded for {patient}: {given} at {when}, signed by {user} (#{id})").format(
            patient=done.patient_ref,
            given=given,
            when=_local(entry.start),
            # The person by printed name and role, as a signature names them.
            user=f"{user.full_name} ({role_name(user.role)})",
            id=done.id,
        )
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from bedside_adapters.db.patient_store import patient_to_read

    engine = open_database(args.db, write=False)
    try:
        # A bare MRN names the patient when it is known under one authority, as for every command
        # that reads a record (refused when ambiguous or unknown).
        ref = patient_to_read(engine, PatientRef.parse(args.patient))
        rows = administrations_of(engine, ref)
        people = {u.username: f"{u.full_name} ({role_name(u.role)})" for u in users(engine)}
    finally:
        engine.dispose()
    if args.json:
        out = [
            {
                "id": a.id,
                "drug": a.drug,
                "class": a.drug_class.value,
                "dose": a.dose,
                "unit": a.unit,
                "dose_as_sent": a.dose_as_sent,
                "route": a.route,
                "start": a.start,
                "end": a.end,
                "source": a.source.value,
                "source_id": a.source_id,
                "status": a.status,
                "code": a.code,
                "code_system": a.code_system,
            }
            for a in rows
        ]
        print(json.dumps(out, sort_keys=True))
        return 0
    if not rows:
        print(_("no co-medication recorded for {patient}").format(patient=args.patient))
        return 0
    catalogue = CoMedicationCatalogue.load()
    for a in rows:
        end = " " + _("to {when}").format(when=_local(a.end)) if a.end is not None else ""
        status = " " + _("(ordered)") if a.status == "ordered" else ""
        source = _(SOURCE_NAMES[a.source.value]) if a.source.value in SOURCE_NAMES else a.source.value
        # The message's and the order's identifiers as sent; the word between them in the language.
        provenance = a.source_id.replace(" / order ", " / " + _("order") + " ")
        if a.source.value == "entered" and a.source_id in people:
            # A clinician by printed name and role, beside the account.
            provenance = f"{people[a.source_id]} [{a.source_id}]"
        print(
            f"{_local(a.start)}{end}  {_(catalogue.label(a.drug_class))}: {a.drug} "
            f"{localize_number(dose_text(a, display_unit(a.unit)))} {route_text(a.route)}{status}  "
            f"[{source}: {provenance}]"
        )
    return 0


SOURCE_NAMES = {"ras": N_("eMAR"), "rde": N_("pharmacy order"), "entered": N_("entered by")}
"""Where an administration came from, as a person reads it (--json keeps the stored code)."""


def _local(at: float) -> str:
    moment = datetime.fromtimestamp(at).astimezone()
    return f"{format_datetime(moment)} {moment.strftime('%Z')}"


def read_unit(text: str) -> str:
    """A dose's unit as the screen writes it (µg, UI/kg) or as UCUM codes it (ug, [iU]/kg): the
    UCUM code, which is what is stored."""
    typed = text.strip()
    for unit in UNITS:
        if typed in (unit, display_unit(unit)) or typed.replace("u", "µ", 1) == display_unit(unit):
            return unit
    raise argparse.ArgumentTypeError(
        _("{unit!r} is not a unit a dose is entered in: one of {units}").format(
            unit=typed, units=", ".join(display_unit(u) for u in UNITS)
        )
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    m = sub.add_parser(
        "medication",
        help=_("co-medication around the doses: record one given (logged), or list a patient's"),
        description=_(
            "Co-medication (steroids, tocilizumab, antipyretics, anticoagulants, vasopressors, "
            "others) from the eMAR (RAS^O17), the pharmacy's orders (RDE^O11) or entered by a clinician."
        ),
    )
    msub = m.add_subparsers(dest="medication_command", required=True)
    add = msub.add_parser("add", help=_("record a co-medication given (nurse or intensivist; logged)"))
    add.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    add.add_argument("--drug", required=True, help=_("the drug as named on the chart, e.g. Dexamethasone"))
    add.add_argument(
        "--class", dest="drug_class", required=True, **choice(c.value for c in DrugClass), help=_("its class")
    )
    add.add_argument("--dose", required=True, help=_("the amount given (a number, in --unit)"))
    add.add_argument(
        "--unit",
        required=True,
        type=read_unit,
        metavar="UNIT",
        help=_("unit of --dose, as written on screen or in UCUM: {units}").format(
            units=", ".join(display_unit(u) for u in UNITS)
        ),
    )
    add.add_argument(
        "--route",
        required=True,
        **choice(ROUTES, ROUTE_CONTEXT),
        help=_("route (HL7 table 0162): {routes}").format(
            routes=", ".join(
                f"{word(r, ROUTE_CONTEXT)} {_(ROUTE_LABELS[r])}" if r != "other" else word(r, ROUTE_CONTEXT)
                for r in ROUTES
            )
        ),
    )
    add.add_argument(
        "--at",
        required=True,
        help=_("when it was given (its start): {formats}").format(formats=_(TIME_FORMATS)),
    )
    add.add_argument("--end", help=_("when an infusion or a period of administration ended"))
    auth_options(add)
    optional_meaning(add)
    add.add_argument(
        "--again",
        action="store_true",
        help=_(
            "record it even though the same drug at the same time is already recorded for the "
            "patient (a second one given at once)"
        ),
    )
    add.set_defaults(func=cmd_add)
    ls = msub.add_parser("list", help=_("a patient's co-medication, in order of start"))
    ls.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    ls.add_argument("--json", action="store_true", help=_("print the rows as JSON"))
    ls.set_defaults(func=cmd_list)
