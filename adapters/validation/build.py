"""Run one validation case through the real pipeline into a SQLite file, and read back its alerts.

The course is sent as the simulator writes it (bedside-cli simulate: CourseFeed's HL7 v2 messages)
through `IngestPipeline` into a new SQLite file; the clinician's entries that are not HL7 (an adverse
event with its notes, a recorded death, vital signs measured by hand) go through `bedside-cli` as a
user would enter them; then the rule engine runs as `bedside-cli import` runs it
(`AlertingService.evaluate_import`), on the data's own time.
"""

from __future__ import annotations

import contextlib
import io
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.auth import accounts
from bedside_adapters.cli import build_parser
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db.alert_store import alerts
from bedside_adapters.db.engine import Engine, make_engine
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.db.migrate import upgrade
from bedside_adapters.ingest.pipeline import IngestPipeline
from bedside_adapters.sim.course_feed import CourseFeed
from bedside_adapters.validation.cases import Case, Document, Manual, segments

from bedside.course_spec import MINUTE
from bedside.model import PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet
from bedside.users import Role

BY = "validation"
"""The account the clinician's entries are made as (an intensivist, who may take each of them)."""
PASSWORD = "validation-only-account"


@dataclass
class CaseRun:
    """What a case produced: its alerts (as `bedside-cli alerts --json` lists them) and any step that
    could not run."""

    alerts: list[dict]
    messages: int
    rejected: int
    unavailable: list[str] = field(default_factory=list)
    """Clinician entries the tools cannot take yet (say why): the case cannot pass."""
    errors: list[str] = field(default_factory=list)


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat()


def _cli(url: str, *argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(["--db", url, *argv])
        except SystemExit as exc:  # argparse: an option the command does not have
            code = int(exc.code or 2)
    return code, (err.getvalue() or out.getvalue()).strip()


def _credentials(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".credentials")


def _signed_in(url: str) -> list[str]:
    """`--credentials` of the case's account (made by `_accounts` beside the case's database)."""
    return ["--credentials", str(_credentials(Path(url.removeprefix("sqlite:///"))))]


def _accounts(engine: Engine, db_path: Path) -> None:
    """The case database's accounts: its first admin, who adds the intensivist the entries are
    made as, and that account's credentials file (0600)."""
    admin = accounts.add_user(
        engine, None, username="validation-admin", full_name="Validation", role=Role.ADMIN, password=PASSWORD
    )
    accounts.add_user(
        engine, admin, username=BY, full_name="Validation run", role=Role.INTENSIVIST, password=PASSWORD
    )
    path = _credentials(db_path)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(f"username = {BY}\npassword = {PASSWORD}\n", encoding="utf-8")


def has_command(name: str) -> bool:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return name in sub.choices  # type: ignore[operator]


def _document(url: str, case: Case, d: Document, starts: list[float]) -> str | None:
    at = starts[d.dose] + d.minutes * MINUTE
    if d.kind == "adverse_event":
        argv = [
            "adverse-event", "--patient", case.mrn, "--term", d.term, "--grade", str(d.grade),
            "--relatedness", "possible", "--dose", str(d.dose + 1), "--onset", _iso(at), *_signed_in(url),
            "--meaning", "Recorded: as the case documents it",
        ]  # fmt: skip
        if d.notes:
            argv += ["--notes", d.notes]
    elif d.kind == "death":
        argv = ["course-event", "--patient", case.mrn, "--kind", "death", "--at", _iso(at), *_signed_in(url)]
        argv += ["--text", d.notes] if d.notes else []
    else:
        return f"unknown document kind {d.kind!r}"
    code, text = _cli(url, *argv)
    return None if code == 0 else f"{d.kind}: {text}"


MANUAL_OPTIONS = {"temp": "--temp", "sys": "--sys", "dia": "--dia", "mean": "--mean", "spo2": "--spo2"}
MANUAL_OPTIONS |= {"hr": "--hr", "rr": "--rr"}


def _manual(url: str, case: Case, m: Manual, starts: list[float]) -> str | None:
    at = starts[m.dose] + m.minutes * MINUTE
    argv = ["vitals", "--patient", case.mrn, "--at", _iso(at), *_signed_in(url)]
    for key, value in m.values.items():
        argv += [MANUAL_OPTIONS[key], f"{value:g}"]
    if "temp" in m.values:
        argv += ["--temp-site", m.temp_site]
    # Entered a minute after the measurement, on the course's own clock (the tool refuses times in
    # the future or a week old, measured from its clock).
    with mock.patch("time.time", return_value=at + 60.0):
        code, text = _cli(url, *argv)
    return None if code == 0 else f"vitals: {text}"


def build_case(case: Case, db_path: Path) -> CaseRun:
    logging.getLogger("bedside.alerting").setLevel(logging.ERROR)
    url = f"sqlite:///{db_path}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        _accounts(engine, db_path)
        model = case.model()
        feed = CourseFeed(model, mrn=case.mrn, room=str(case.spec.seed % 100), given_name=case.name[:30])
        clock = {"now": model.spec.start}
        pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), lambda: clock["now"], UTC)
        run = CaseRun([], 0, 0)
        for a, b, step in segments(model):
            for m in feed.messages(a, b, step):
                clock["now"] = m.at + 1.0
                run.messages += 1
                if pipeline.handle(m.text.encode(), f"validation:{m.feed}").ack_code not in ("AA", "CA"):
                    run.rejected += 1
        starts = model.dose_starts()
        for d in case.documents:
            if (problem := _document(url, case, d, starts)) is not None:
                run.errors.append(problem)
        if case.manual and not has_command("vitals"):
            run.unavailable.append("manual vital signs: `bedside-cli vitals` not yet available")
        elif case.manual:
            for m in case.manual:
                if (problem := _manual(url, case, m, starts)) is not None:
                    run.errors.append(problem)
        try:
            AlertingService(engine, RuleSet.load()).evaluate_import()
        except (
            Exception
        ) as exc:  # the engine failing on a case is a finding of the case, not the end of the run
            run.errors.append(f"rule engine: {type(exc).__name__}: {exc}")
        # The report reads each alert as `bedside-cli alerts --json` prints it.
        run.alerts = [a.as_json() for a in alerts(engine, patient=PatientRef.parse(case.mrn))]
        return run
    finally:
        engine.dispose()
