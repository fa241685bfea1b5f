"""`bedside-cli export sdtm`: the subjects' records read, the nine datasets built, each written as
CSV and XPT beside the define description, and what identifies the files returned for the log."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bedside_adapters.db.engine import Engine
from bedside_adapters.sdtm.common import Study
from bedside_adapters.sdtm.events import adverse_events
from bedside_adapters.sdtm.findings import laboratory, vital_signs
from bedside_adapters.sdtm.interventions import concomitant, exposure
from bedside_adapters.sdtm.model import Dataset, iso
from bedside_adapters.sdtm.procedures import clinical_events, procedures
from bedside_adapters.sdtm.source import SubjectRecord, read_subject
from bedside_adapters.sdtm.subject import demographics, disposition
from bedside_adapters.sdtm.writer import _cell, sha256, supplemental, write_csv, write_define, write_xpt

from bedside import __version__
from bedside.model import PatientRef

BUILDERS = (
    demographics,
    exposure,
    adverse_events,
    laboratory,
    vital_signs,
    disposition,
    concomitant,
    procedures,
    clinical_events,
)


@dataclass(frozen=True)
class Exported:
    directory: Path
    files: dict[str, str]
    """File name → SHA-256."""
    rows: dict[str, int]
    """Dataset → rows."""


def build(study: Study, records: list[SubjectRecord]) -> list[Dataset]:
    """The datasets in SDTM's order, each followed by its SUPP-- where a text was too long."""
    out: list[Dataset] = []
    for builder in BUILDERS:
        ds = builder(study, records)
        for row in ds.rows:
            for v in ds.variables:
                row[v.name] = _cell(row.get(v.name), v)
        out.append(ds)
        supp = supplemental(ds, study.studyid)
        if supp is not None:
            out.append(supp)
    return out


def export_sdtm(engine: Engine, refs: list[PatientRef], study: Study, folder: Path, now: float) -> Exported:
    records = [read_subject(engine, ref, now) for ref in refs]
    datasets = build(study, records)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for ds in datasets:
        stem = ds.name.lower()
        for path, write in ((folder / f"{stem}.csv", write_csv), (folder / f"{stem}.xpt", write_xpt)):
            _replace(path, lambda p, ds=ds, write=write: write(ds, p))
            written.append(path)
    header = (
        f"# Define description: study {study.studyid}, exported {iso(now)} UTC by Bedside {__version__}\n\n"
        "SDTM-style datasets (SDTMIG v3.3 names and rules) as CSV and SAS transport version 5 (XPT). "
        "Times are ISO 8601 in UTC, and study days (--DY, --STDY) are counted from UTC dates: at a "
        "site outside UTC an event near midnight may fall on another study day than its local date "
        "gives. Text is ASCII (accents dropped, micro sign as u, the degree sign dropped, dashes as -, "
        "curly quotes straight, >= and <= for the signs, any other character as ?). Length: a "
        "character variable's longest value in bytes."
    )
    written += write_define(datasets, folder, header)
    return Exported(
        folder,
        {p.name: sha256(p) for p in written},
        {ds.name: len(ds.rows) for ds in datasets},
    )


def _replace(path: Path, write) -> None:  # type: ignore[no-untyped-def]
    """Write beside the file and rename over it: a reader never sees half a dataset."""
    partial = path.with_name(path.name + ".partial")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
