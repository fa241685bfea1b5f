"""A dataset as the export writes it: its variables (name, label, type, codelist or unit, origin) and
its rows. The limits are those of SAS transport version 5, which SDTM submissions use (SDTMIG v3.3
section 4.1.5; the FDA Study Data Technical Conformance Guide): names of at most 8 characters
(letters, digits, underscore; SDTM uses upper case), labels of at most 40, character values of at
most 200 bytes, ASCII only."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

MAX_NAME = 8
MAX_LABEL = 40
MAX_TEXT = 200

Value = str | float | None
Row = Mapping[str, Value]

_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,7}$")

# Characters the transliteration below does not turn into ASCII by itself: the micro sign becomes u as
# in the CDISC unit "ug/L"; the degree sign is dropped, as in the CDISC unit "C" for degrees Celsius.
_SPECIAL = {
    "µ": "u",
    "μ": "u",
    "°": "",
    "²": "2",
    "³": "3",
    "×": "x",
    "·": ".",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "≥": ">=",
    "≤": "<=",
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
}


def ascii_text(text: str) -> str:
    """`text` in ASCII, as SAS transport version 5 holds it: accents dropped (é to e), the symbols of
    `_SPECIAL` spelled out, line breaks as spaces, and any other character a '?' (never dropped
    silently: a reader sees where one was)."""
    text = "".join(_SPECIAL.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\r\n\t]+", " ", text)
    return text.encode("ascii", "replace").decode("ascii")


def iso(at: float | None) -> str:
    """An epoch time as SDTM's ISO 8601 date-time (--DTC), in UTC to the second; '' when unknown."""
    if at is None or not math.isfinite(at):
        return ""
    return datetime.fromtimestamp(round(at), UTC).strftime("%Y-%m-%dT%H:%M:%S")


def study_day(at: float | None, reference: float | None) -> float | None:
    """SDTMIG v3.3 section 4.4.4: the day of `at` counted from the reference start date (RFSTDTC),
    day 1 being that date and the day before it day -1 (there is no day 0). Dates in UTC."""
    if at is None or reference is None:
        return None
    day = (datetime.fromtimestamp(at, UTC).date() - datetime.fromtimestamp(reference, UTC).date()).days
    return float(day + 1 if day >= 0 else day)


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    type: Literal["Char", "Num"]
    origin: str
    """Define-XML 2.1's origin types: Collected, Derived, Assigned, Protocol; with its source."""
    codelist: str = ""
    """The values allowed (a CDISC codelist, or Bedside's own, listed) or the unit."""
    note: str = ""
    """How the value is obtained, where the origin does not say it."""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"{self.name}: a SAS v5 name is 1-8 upper-case letters, digits or _")
        if len(self.label) > MAX_LABEL or not self.label.isascii():
            raise ValueError(f"{self.name}: a label is at most {MAX_LABEL} ASCII characters")


@dataclass
class Dataset:
    name: str
    label: str
    variables: Sequence[Variable]
    rows: list[dict[str, Value]] = field(default_factory=list)
    note: str = ""
    """What the dataset holds and leaves out, for the define description."""

    def __post_init__(self) -> None:
        if len(self.label) > MAX_LABEL or not self.label.isascii():
            raise ValueError(f"{self.name}: a dataset label is at most {MAX_LABEL} ASCII characters")

    @property
    def names(self) -> list[str]:
        return [v.name for v in self.variables]


def number_text(value: float) -> str:
    """A number as a character result (--ORRES, --STRESC): as few digits as represent it exactly, no
    exponent for everyday magnitudes, never rounded."""
    text = repr(float(value))
    if text.endswith(".0"):
        text = text[:-2]
    return text


SOURCE_KEY = "_source"
"""A row's place in its source (the exact time, the stored row or series it came from), set by its
builder where the dataset's own variables may tie; read by `sequence` and then taken off the row."""


def sequence(rows: list[dict[str, Value]], seq: str, order: Sequence[str]) -> None:
    """--SEQ: 1, 2, … within each subject (USUBJID), rows sorted by `order` first (SDTMIG v3.3
    section 4.1.9: unique within a subject and domain). Rows that tie on `order` are ordered by their
    source (SOURCE_KEY) and then by everything else they hold, never by the order the database
    happened to return them in: the same record gets the same --SEQ in every export of the same
    data, so a SUPP-- row or a query names the same record each time."""

    def text(value: object) -> str:
        return "" if value is None else str(value)

    def key(row: dict[str, Value]) -> tuple:
        ordered = tuple(text(row.get(k)) for k in ("USUBJID", *order))
        source = tuple(text(part) for part in row.get(SOURCE_KEY) or ())  # type: ignore[union-attr]
        rest = tuple((k, text(row[k])) for k in sorted(row) if k not in (seq, SOURCE_KEY))
        return (*ordered, source, rest)

    rows.sort(key=key)
    counts: dict[Value, int] = {}
    for row in rows:
        row.pop(SOURCE_KEY, None)
        counts[row["USUBJID"]] = counts.get(row["USUBJID"], 0) + 1
        row[seq] = float(counts[row["USUBJID"]])
