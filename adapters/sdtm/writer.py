"""Each dataset as CSV and as SAS transport version 5 (pyreadstat), and the define description of
every variable: a CSV for programs and a Markdown page for people, both named define.

Text longer than 200 characters does not fit a version 5 variable: as SDTMIG v3.3 section 4.5.3.2
says, the first 200 characters stay in the variable and the rest goes, 200 at a time, to the
supplemental qualifiers dataset SUPP-- (QNAM the variable's name with 1, 2, ... in place of its last
characters), so no text is lost. The CSV holds exactly what the XPT holds."""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyreadstat
from bedside_adapters.sdtm.common import ORIGIN_BEDSIDE, identifiers
from bedside_adapters.sdtm.model import MAX_TEXT, Dataset, Value, Variable, ascii_text

DEFINE_COLUMNS = ("dataset", "variable", "label", "type", "length", "codelist_or_unit", "origin", "note")


def char_length(ds: Dataset, name: str) -> int:
    """A character variable's length: its longest value in bytes (at least 1), as the XPT stores it."""
    return max([1, *(len(str(row.get(name) or "").encode("ascii")) for row in ds.rows)])


SUPP_KEY = "_supp"
"""A row's supplemental qualifiers, set by its builder: (QNAM, QLABEL, QVAL, QORIG) each."""


def supplemental(ds: Dataset, studyid: str) -> Dataset | None:
    """SUPP-- for `ds` (SDTMIG v3.3 section 8.4): the qualifiers its builder attached to rows, and
    every character value past 200 characters, cut off the row; None when there is neither."""
    # DM has one row per subject and no --SEQ: its SUPPDM rows leave IDVAR and IDVARVAL empty
    # (SDTMIG v3.3 section 8.4.1).
    seq = "" if ds.name == "DM" else f"{ds.name}SEQ"
    supp = Dataset(
        f"SUPP{ds.name}"[:8],
        f"Supplemental Qualifiers for {ds.name}",
        [
            Variable("STUDYID", "Study Identifier", "Char", ORIGIN_BEDSIDE),
            Variable("RDOMAIN", "Related Domain Abbreviation", "Char", "Assigned", ds.name),
            identifiers(ds.name)[2],
            Variable("IDVAR", "Identifying Variable", "Char", "Assigned", seq),
            Variable(
                "IDVARVAL",
                "Identifying Variable Value",
                "Char",
                "Derived",
                note=f"the row's {seq}" if seq else "empty: one row per subject",
            ),
            Variable("QNAM", "Qualifier Variable Name", "Char", "Assigned"),
            Variable("QLABEL", "Qualifier Variable Label", "Char", "Assigned"),
            Variable("QVAL", "Data Value", "Char", "Derived"),
            Variable("QORIG", "Origin", "Char", "Assigned"),
        ],
        note=f"Qualifiers of {ds.name} rows that SDTM has no variable for, and the rest of any text "
        "longer than 200 characters (SDTMIG v3.3 section 4.5.3.2: the first 200 stay in the variable).",
    )
    labels = {v.name: v.label for v in ds.variables}
    for row in ds.rows:
        qualifiers = list(row.pop(SUPP_KEY, None) or [])  # type: ignore[arg-type]
        for v in ds.variables:
            text = row.get(v.name)
            if v.type != "Char" or not isinstance(text, str) or len(text) <= MAX_TEXT:
                continue
            first, *more = pieces(text)
            row[v.name] = first
            for n, part in enumerate(more, start=1):
                qnam = v.name[: 8 - len(str(n))] + str(n)
                qualifiers.append((qnam, f"{labels[v.name][:30]} {n}", part, "Collected"))
        for qnam, qlabel, qval, qorig in qualifiers:
            supp.rows.append(
                {
                    "STUDYID": studyid,
                    "RDOMAIN": ds.name,
                    "USUBJID": row["USUBJID"],
                    "IDVAR": seq,
                    "IDVARVAL": str(int(row[seq])) if isinstance(row.get(seq), float) else "",
                    "QNAM": qnam,
                    "QLABEL": qlabel,
                    "QVAL": ascii_text(qval),
                    "QORIG": qorig,
                }
            )
    return supp if supp.rows else None


def pieces(text: str) -> list[str]:
    """`text` in pieces of at most 200 characters that join back into it as they are. SAS drops a
    value's trailing blanks, so no piece but the last ends in one: a cut that would leave a blank at
    a piece's end moves before it, and the next piece starts with the blank."""
    out = []
    while len(text) > MAX_TEXT:
        cut = MAX_TEXT
        while cut > 1 and text[cut - 1] == " ":
            cut -= 1
        out.append(text[:cut])
        text = text[cut:]
    return [*out, text]


def _cell(value: Value, variable: Variable) -> Value:
    if variable.type == "Num":
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    # SAS keeps no trailing blanks: neither does the CSV, so both hold the same value.
    return ascii_text("" if value is None else str(value)).rstrip()


def frame(ds: Dataset) -> pd.DataFrame:
    columns = {}
    for v in ds.variables:
        cells = [_cell(row.get(v.name), v) for row in ds.rows]
        if v.type == "Num":
            columns[v.name] = pd.Series([math.nan if c is None else c for c in cells], dtype="float64")
        else:
            columns[v.name] = pd.Series(cells, dtype=object)
    return pd.DataFrame(columns, columns=ds.names)


def write_csv(ds: Dataset, path: Path) -> None:
    """UTF-8 (the values are ASCII, as in the XPT), a header of the variables' names; a missing
    number is an empty field."""
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(ds.names)
        for row in ds.rows:
            cells = [_cell(row.get(v.name), v) for v in ds.variables]
            out.writerow([_csv_text(c) for c in cells])


def _csv_text(cell: Value) -> str:
    """A cell as the CSV writes it: a whole number without a decimal point (--SEQ 1, --DY 4, as
    SDTMIG shows them; the XPT keeps its 8-byte floats), any other number exactly (repr round-trips),
    a missing value empty."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def write_xpt(ds: Dataset, path: Path) -> None:
    pyreadstat.write_xport(
        frame(ds),
        str(path),
        file_label=ds.label,
        column_labels={v.name: v.label for v in ds.variables},
        table_name=ds.name,
        file_format_version=5,
    )


def define_rows(datasets: Sequence[Dataset]) -> list[dict[str, str]]:
    rows = []
    for ds in datasets:
        for v in ds.variables:
            rows.append(
                {
                    "dataset": ds.name,
                    "variable": v.name,
                    "label": v.label,
                    "type": v.type,
                    "length": str(8 if v.type == "Num" else char_length(ds, v.name)),
                    "codelist_or_unit": v.codelist,
                    "origin": v.origin,
                    "note": v.note,
                }
            )
    return rows


def write_define(datasets: Sequence[Dataset], folder: Path, header: str) -> list[Path]:
    rows = define_rows(datasets)
    csv_path, md_path = folder / "define.csv", folder / "define.md"
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=DEFINE_COLUMNS)
        out.writeheader()
        out.writerows(rows)
    lines = [header, ""]
    for ds in datasets:
        rows_text = f"{len(ds.rows)} row{'' if len(ds.rows) == 1 else 's'}"
        lines += [f"## {ds.name}: {ds.label} ({rows_text})", "", ds.note, ""]
        lines += [
            "| variable | label | type | length | codelist or unit | origin | note |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            if r["dataset"] == ds.name:
                cells = [r[k].replace("|", "/") for k in DEFINE_COLUMNS[1:]]
                lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return [csv_path, md_path]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
