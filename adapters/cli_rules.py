"""`bedside-cli rules`: check a rule set, or replay it over a patient's stored data as the alerting
process would (a dry run: nothing is written, nothing is raised)."""

from __future__ import annotations

import argparse
import json

from bedside_adapters import cli_episode_help as episode_help
from bedside_adapters.cli_alerts import _fail, _rules
from bedside_adapters.cli_db import open_database

from bedside.i18n import _
from bedside.model import PatientRef


def cmd_rules(args: argparse.Namespace) -> int:
    from bedside.rules.ruleset import RuleSetError

    try:
        rules = _rules(args)
    except (RuleSetError, OSError) as exc:
        return _fail(str(exc))
    if args.action == "check":
        print(
            json.dumps({"ruleset": rules.label, "digest": rules.digest, "rules": [r.id for r in rules.rules]})
        )
        return 0
    from bedside_adapters.alerting.service import AlertingService
    from bedside_adapters.db.episode_store import episodes_of
    from bedside_adapters.db.patient_store import patient_to_read

    engine = open_database(args.db, write=False)
    out = []
    try:
        ref = patient_to_read(engine, PatientRef.parse(args.patient))
        service = AlertingService(engine, rules)
        episodes = [e for e in episodes_of(engine, ref) if e.state.value != "cancelled"]
        for i, ep in enumerate(episodes):
            nxt = episodes[i + 1].start if i + 1 < len(episodes) else None
            result = service.evaluate_episode(ep, nxt, on_import=True, dry_run=True)
            for f in result.evaluation.findings:
                out.append(
                    {
                        "dose": ep.dose_number,
                        "rule_id": f.rule_id,
                        "severity": f.severity,
                        "onset": f.onset,
                        "fired_at": f.fired_at,
                        "message": f.message,
                        "observations": list(f.observations),
                        "notes": list(f.notes),
                    }
                )
    finally:
        engine.dispose()
    print(
        json.dumps(
            {"ruleset": rules.label, "digest": rules.digest, "patient": str(ref), "would_raise": out},
            sort_keys=True,
        )
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ru = sub.add_parser("rules", help=_("check a rule set, or replay it over stored data (writes nothing)"))
    ru_sub = ru.add_subparsers(dest="action", required=True)
    chk = ru_sub.add_parser("check", help=_(episode_help.RULES_CHECK))
    chk.add_argument("--rules", help=_("rule set TOML (default: the shipped one)"))
    chk.set_defaults(func=cmd_rules)
    rp = ru_sub.add_parser("replay", help=_(episode_help.RULES_REPLAY))
    rp.add_argument("--rules", help=_("candidate rule set TOML (default: the shipped one)"))
    rp.add_argument("--patient", required=True, help=_("MRN or MRN^AUTHORITY"))
    rp.set_defaults(func=cmd_rules)
