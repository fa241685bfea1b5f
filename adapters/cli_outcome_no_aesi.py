"""`bedside-cli outcome-no-aesi`: an intensivist or investigator signs why an outcome recorded as a
course event (a thrombosis, a secondary infection) needs no adverse event of special interest. Until
one of the two is recorded, `adverse-events`, the review and the report name the outcome as a
disagreement between the course and the adverse events; afterwards they list it with its reason."""

from __future__ import annotations

import argparse
import json
from functools import partial

from bedside_adapters.cli_alerts import TIME_FORMATS, _fail, parse_when
from bedside_adapters.cli_auth import auth_options
from bedside_adapters.cli_signed import record_signed

from bedside import handlers
from bedside.adverse_events_outcomes import OUTCOME_AESI
from bedside.commands import ExplainNoOutcomeAesi, Refused
from bedside.i18n import _
from bedside.model import PatientRef
from bedside.users import Action


def cmd_outcome_no_aesi(args: argparse.Namespace) -> int:
    at = None if args.at is None else parse_when(args.at)
    try:
        entry = record_signed(
            args,
            Action.RECORD_ADVERSE_EVENT,
            partial(
                ExplainNoOutcomeAesi,
                patient=PatientRef.parse(args.patient),  # the handler's refusal is the one the user reads
                outcome=args.outcome,
                at=at,
                reason=args.reason,
            ),
            handlers.explain_no_outcome_aesi,
        )
    except Refused as exc:
        return _fail(str(exc))
    print(
        json.dumps(
            {
                "patient": str(entry.patient_ref),
                "outcome": entry.outcome,
                "at": entry.at,
                "reason": entry.reason,
            }
        )
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    n = sub.add_parser(
        "outcome-no-aesi",
        help=_(
            "sign why an outcome recorded as a course event (a thrombosis, a secondary infection) needs no "
            "adverse event of special interest (an intensivist or investigator)"
        ),
    )
    n.add_argument("--patient", required=True, help=_("MRN (or MRN^AUTHORITY)"))
    n.add_argument(
        "--outcome", required=True, choices=sorted(OUTCOME_AESI), help=_("the course event's kind")
    )
    n.add_argument(
        "--at",
        help=_("the outcome's time as recorded (default: the latest of its kind): {formats}").format(
            formats=_(TIME_FORMATS)
        ),
    )
    n.add_argument(
        "--reason",
        required=True,
        help=_(
            "why no adverse event of special interest is needed, as the monitor will read it "
            "(signed and logged)"
        ),
    )
    auth_options(n, meaning=True)
    n.set_defaults(func=cmd_outcome_no_aesi)
