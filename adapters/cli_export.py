"""`bedside-cli export sdtm`: the trial's datasets (CDISC SDTM-style DM, EX, AE, LB, VS, DS, CM, PR,
CE) as CSV and SAS transport files with their define description, written by a signed-in intensivist
or investigator and logged (`datasets.exported`) with each file's SHA-256, as an exported report is."""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from bedside_adapters.cli_alerts import _fail
from bedside_adapters.cli_auth import acting, auth_options, authenticated_user
from bedside_adapters.cli_db import open_database
from bedside_adapters.db.review_store import treated_patients
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.sdtm.common import Study
from bedside_adapters.sdtm.export import export_sdtm

from bedside import handlers
from bedside.commands import ExportDatasets, Refused
from bedside.i18n import _, for_machines, ngettext
from bedside.model import PatientRef

_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def _identifier(what: str):  # type: ignore[no-untyped-def]
    def parse(text: str) -> str:
        if not _IDENTIFIER.match(text):
            raise argparse.ArgumentTypeError(
                _("{option} {text}: 1-40 letters, digits, '.', '_' or '-'").format(
                    option=what, text=repr(text)
                )
            )
        return text

    return parse


def _subject(text: str) -> tuple[str, str]:
    mrn, sep, number = text.partition("=")
    if not sep or not mrn.strip() or not _IDENTIFIER.match(number.strip()):
        raise argparse.ArgumentTypeError(
            _("--subject {text}: give MRN=SUBJECT (e.g. 4417=0103)").format(text=repr(text))
        )
    return mrn.strip(), number.strip()


def cmd_export_sdtm(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        return _fail(
            _("{path} exists and is not an empty directory: give a new one (nothing was written)").format(
                path=out
            )
        )
    engine = open_database(args.db, write=True)
    written: list[Path] = []
    try:
        try:
            user = authenticated_user(args, engine)
        except Refused as exc:
            return _fail(str(exc))
        named = [PatientRef.parse(p) for p in args.patient or []]
        now = time.time()

        def command(refs: list[PatientRef], files: dict[str, str], rows: dict[str, int]) -> ExportDatasets:
            return ExportDatasets(
                patient=refs[0] if len(named) == 1 else None,
                patients=tuple(refs),
                directory=out.name or str(out),
                files=files,
                rows=rows,
                **acting(user),
                recorded_at=now,
            )

        try:
            # Asked of the handler before anything is written: the role (a refusal logged there),
            # and the patients named, as the record holds them (an unknown one refused).
            asked = list(dict.fromkeys(named)) if named else treated_patients(engine)
            refs = list(handlers.authorize_datasets(SqlUnitOfWork(engine), command(asked, {}, {})))
        except Refused as exc:
            return _fail(str(exc))
        subjects = dict(args.subject or [])
        missing = [str(r) for r in refs if subjects and r.identifier not in subjects]
        if missing:
            return _fail(
                _("--subject gives no subject number for {patients}: nothing was written").format(
                    patients=", ".join(missing)
                )
            )
        if not refs:
            return _fail(_("no patient has a dose recorded: nothing to export"))
        study = Study(args.study, args.site, subjects)
        try:
            out.mkdir(parents=True, exist_ok=True)
            with for_machines():  # the datasets and their define read the same in every language
                exported = export_sdtm(engine, refs, study, out, now)
        except OSError as exc:
            # The folder was new or empty: what is in it now is this export's, half written.
            for path in out.glob("*") if out.is_dir() else ():
                path.unlink(missing_ok=True)
            return _fail(
                _("cannot write {path}: {problem} (nothing was exported or logged)").format(
                    path=out, problem=exc.strerror or exc
                )
            )
        written = [out / name for name in exported.files]
        try:
            handlers.export_datasets(SqlUnitOfWork(engine), command(refs, exported.files, exported.rows))
        except Refused as exc:
            # An export the log does not hold is not handed on: its files go.
            for path in written:
                path.unlink(missing_ok=True)
            return _fail(_("{problem} (the files were removed)").format(problem=exc))
    finally:
        engine.dispose()
    if args.json:
        print(
            json.dumps(
                {
                    "directory": str(out),
                    "patients": [str(r) for r in refs],
                    "rows": exported.rows,
                    "files": sorted(exported.files),
                },
                indent=2,
            )
        )
    else:
        print(written_text(out, len(refs), exported.rows, len(exported.files)))
    return 0


def written_text(out: Path, patients: int, rows: dict[str, int], files: int) -> str:
    """What the export wrote, as a sentence in the command's language (--json: for scripts)."""
    each = "; ".join(
        ngettext("{name}: {n} row", "{name}: {n} rows", n).format(name=name, n=n) for name, n in rows.items()
    )
    return ngettext(
        "The datasets of {n} patient written to {directory} ({files}): {rows}.",
        "The datasets of {n} patients written to {directory} ({files}): {rows}.",
        patients,
    ).format(
        n=patients,
        directory=out,
        files=ngettext("{n} file", "{n} files", files).format(n=files),
        rows=each,
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = sub.add_parser("export", help=_("the record for the trial's data management"))
    kinds = export.add_subparsers(dest="format", required=True)
    sdtm = kinds.add_parser(
        "sdtm",
        help=_(
            "CDISC SDTM-style DM, EX, AE, LB, VS, DS, CM, PR, CE as CSV and SAS transport (XPT v5), "
            "with define.csv"
        ),
    )
    sdtm.add_argument("--out", required=True, help=_("a new (or empty) directory for the files"))
    sdtm.add_argument(
        "--patient",
        action="append",
        help=_("MRN or MRN^AUTHORITY; repeat for several (default: every patient with a dose)"),
    )
    sdtm.add_argument(
        "--study", type=_identifier("--study"), default="BEDSIDE", help=_("STUDYID (default BEDSIDE)")
    )
    sdtm.add_argument("--site", type=_identifier("--site"), default="01", help=_("SITEID (default 01)"))
    sdtm.add_argument(
        "--subject",
        type=_subject,
        action="append",
        metavar="MRN=SUBJECT",
        help=_(
            "the trial's subject number for a patient's MRN (SUBJID); given once, needed for every patient "
            "exported (default: SUBJID is the MRN)"
        ),
    )
    sdtm.add_argument(
        "--json",
        action="store_true",
        help=_("print what was written as JSON (for scripts) instead of a sentence"),
    )
    auth_options(sdtm)
    sdtm.set_defaults(func=cmd_export_sdtm)
