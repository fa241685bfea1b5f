"""`bedside-cli`: every command of adapters/cli.py, plus `report`, which draws with Qt and so lives in
the layer that may use it (adapters never import Qt)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path


def cmd_report(args: argparse.Namespace) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server has no screen; the PDF needs none
    from bedside_adapters.cli_alerts import _fail
    from bedside_adapters.cli_auth import acting, authenticated_user
    from bedside_adapters.cli_db import open_database
    from bedside_adapters.db.review_store import load_review
    from bedside_adapters.db.unit_of_work import SqlUnitOfWork
    from bedside_ui.i18n import install_language
    from bedside_ui.report import export_pdf
    from bedside_ui.report_command import ReportCommand
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from bedside import handlers
    from bedside.commands import ExportReport, Refused
    from bedside.model import PatientRef
    from bedside.review_text import export_csv

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_language(app, args.lang)  # the report's Qt texts in the language the command was given
    engine = open_database(args.db, write=True)
    try:
        try:
            user = authenticated_user(args, engine)
            # The handlers' own check: the report's export is a record it writes.
            ref = handlers.stored_patient(SqlUnitOfWork(engine), PatientRef.parse(args.patient))
        except Refused as exc:
            return _fail(str(exc))
        data = load_review(engine, ref, time.time())
        if not data.doses:
            return _fail(
                QCoreApplication.translate(
                    "ReportCommand", "{patient} has no dose recorded: nothing to review"
                ).format(patient=ref)
            )

        said = ReportCommand()

        def progress(percent: int, what: str) -> None:
            print(said.progress(percent, what), file=sys.stderr)

        asked = ExportReport(
            patient=ref,
            file=Path(args.out).name,
            pages=0,
            sha256="",
            log_head=None,
            **acting(user),
            recorded_at=time.time(),
        )
        try:
            # Refused before anything is written; the handler logs the refusal.
            handlers.authorize_report(SqlUnitOfWork(engine), asked)
        except Refused as exc:
            return _fail(str(exc))
        written = [Path(args.out)]
        info = export_pdf(data, Path(args.out), progress, made_by=user)
        if args.csv:
            written.append(Path(args.csv))
        rows = export_csv(data, Path(args.csv)) if args.csv else None
        exported = replace(
            asked,
            pages=info["pages"],
            sha256=info["sha256"],
            log_head=info["log_head"],
            recorded_at=time.time(),
        )
        try:
            handlers.export_report(SqlUnitOfWork(engine), exported)
            if args.csv:
                # The tables are a data export of their own, logged as one beside the report.
                table = Path(args.csv)
                handlers.export_tables(
                    SqlUnitOfWork(engine),
                    replace(
                        asked,
                        file=table.name,
                        sha256=hashlib.sha256(table.read_bytes()).hexdigest(),
                        recorded_at=time.time(),
                        csv_rows=rows,
                    ),
                )
        except Refused as exc:
            # A report the log does not hold is not handed on: its files go.
            for path in written:
                path.unlink(missing_ok=True)
            return _fail(
                QCoreApplication.translate("ReportCommand", "{problem} (the files were removed)").format(
                    problem=exc
                )
            )
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps({**info, "csv": args.csv, "csv_rows": rows}))
    else:
        print(said.written(info, args.csv, rows))
    return 0


def register_report(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from bedside_adapters import cli_report_help as said
    from bedside_adapters.cli_auth import auth_options

    from bedside.i18n import _

    r = sub.add_parser("report", help=_(said.REPORT))
    r.add_argument("--patient", required=True, help=_(said.PATIENT))
    r.add_argument("--out", required=True, help=_(said.OUT))
    r.add_argument("--csv", help=_(said.CSV))
    r.add_argument("--json", action="store_true", help=_(said.JSON))
    auth_options(r)
    r.set_defaults(func=cmd_report)


def main(argv: list[str] | None = None) -> int:
    from bedside_adapters.cli import build_parser, preset_language
    from bedside_adapters.cli import main as adapters_main

    preset_language(argv)  # the --help texts in the language asked for
    return adapters_main(argv, build_parser(register_report))


if __name__ == "__main__":
    sys.exit(main())
