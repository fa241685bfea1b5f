"""`bedside-cli confirm-death`: an investigator confirms, as the patient's death, a death an ADT
message reported (PV1-36 "expired" or the PID-30 death indicator). The review offers such a death as
"death reported by ADT (unconfirmed)"; it counts as the death only once confirmed here or on the
review's screen: a signed course event at the time the message gave.

`bedside-cli death-no-sae`: an investigator signs why the recorded death needs no serious adverse
event report (ICH E2A counts every death as serious, so each one is listed with its 24-hour SAE
clock until an adverse event with a fatal outcome is recorded or such a reason is)."""

from __future__ import annotations

import argparse
import json
from functools import partial

from bedside_adapters.cli_alerts import _fail
from bedside_adapters.cli_auth import auth_options
from bedside_adapters.cli_signed import record_signed

from bedside import handlers
from bedside.commands import ConfirmReportedDeath, ExplainNoDeathSae, Refused
from bedside.i18n import _
from bedside.model import PatientRef
from bedside.users import Action


def cmd_confirm_death(args: argparse.Namespace) -> int:
    try:
        recorded = record_signed(
            args,
            Action.RECORD_COURSE_EVENT,
            partial(
                ConfirmReportedDeath,
                patient=PatientRef.parse(args.patient),  # the handler's refusal is the one the user reads
                at=None,  # the last death ADT reported: the handler reads it and refuses when there is none
            ),
            handlers.confirm_reported_death,
        )
    except Refused as exc:
        return _fail(str(exc))
    print(
        json.dumps(
            {"id": recorded.id, "patient": str(recorded.patient_ref), "kind": "death", "at": recorded.at}
        )
    )
    return 0


def cmd_death_no_sae(args: argparse.Namespace) -> int:
    try:
        entry = record_signed(
            args,
            Action.RECORD_ADVERSE_EVENT,
            partial(ExplainNoDeathSae, patient=PatientRef.parse(args.patient), reason=args.reason),
            handlers.explain_no_death_sae,
        )
    except Refused as exc:
        return _fail(str(exc))
    print(json.dumps({"patient": str(entry.patient_ref), "death_at": entry.death_at, "reason": entry.reason}))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser(
        "confirm-death",
        help=_(
            "confirm, as the death, the death an ADT message reported (a signed course event at its time)"
        ),
    )
    c.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    auth_options(c, meaning=True)
    c.set_defaults(func=cmd_confirm_death)
    n = sub.add_parser(
        "death-no-sae",
        help=_(
            "sign why the patient's recorded death needs no serious adverse event report (an "
            "intensivist or investigator; ICH E2A counts every death as serious)"
        ),
    )
    n.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    n.add_argument(
        "--reason",
        required=True,
        help=_("why no SAE report is needed, as the monitor will read it (signed and logged)"),
    )
    auth_options(n, meaning=True)
    n.set_defaults(func=cmd_death_no_sae)
