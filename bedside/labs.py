"""Lab results: analytes by LOINC, canonical units, result versions (HL7 table 0085 statuses).

A result is identified by (sender, filler order, code, sub-id); every version is kept, never
overwritten (HL7 v2 table 0085, OBX-11): P→F→C supersede in turn, D and W retract the result from trends
but stay in the audit.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bedside import i18n
from bedside.model import PatientRef
from bedside.resources import resource_path

# OBX-11 statuses that carry a usable value, and those that withdraw one.
VALUE_STATUSES = frozenset({"P", "F", "C", "R", "S", "A"})
RETRACTING_STATUSES = frozenset({"D", "W"})


@dataclass(frozen=True, slots=True)
class Analyte:
    key: str
    label_en: str
    loinc: tuple[str, ...]
    unit: str
    """The canonical UCUM unit every value is converted to."""
    display_min: float
    display_max: float
    factors: dict[str, float] = field(default_factory=dict)
    """Accepted unit → factor to the canonical unit (case-sensitive: {FEU} is not {DDU})."""
    example_reference: tuple[float, float] | None = None
    """A typical adult range (a textbook example, cited in the lab catalogue), shown labelled as an
    example when the lab sent none."""
    label_es: str = ""
    """The Spanish name (empty: the English one is shown)."""

    @property
    def label(self) -> str:
        """The name a person reads, in the language Bedside is shown in."""
        return (self.label_es or self.label_en) if i18n.language() == "es" else self.label_en

    def to_canonical(self, value: float, unit: str, as_sent: str = "") -> float | None:
        """`value` in the canonical unit, carrying the significant digits of the number as the lab
        wrote it (`as_sent`, OBX-5) and one more: a conversion factor adds no precision the measurement
        had, and the extra digit keeps the converted value within the source's own last digit
        (1.5 mg/dL of creatinine is 133 µmol/L, as labs convert it, not 132.60000000000002 and not 130)."""
        factor = self.factors.get(unit.strip())
        if factor is None:
            return None
        return value if factor == 1 else with_source_precision(value * factor, as_sent)


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def significant_digits(as_sent: str) -> int | None:
    """The significant digits of the first number in a result as sent ("1.5" 2, "0.80" 2, "150" 3:
    trailing zeros of an integer are counted, so no digit the lab may have meant is dropped); None
    when the text holds no number."""
    found = _NUMBER.search(as_sent)
    if found is None:
        return None
    mantissa = re.split("[eE]", found.group())[0].lstrip("+-").replace(".", "").lstrip("0")
    return max(len(mantissa), 1)


def with_source_precision(value: float, as_sent: str) -> float:
    """`value` (converted from the result `as_sent`) rounded to the significant digits the lab
    reported plus one guard digit (rounding 132.6 to the source's two digits gives 130, a value the
    lab never reported); unchanged when the text says none."""
    digits = significant_digits(as_sent)
    if digits is None or value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits + 1}g}")


class LabCatalog:
    def __init__(self, analytes: list[Analyte], local_codes: dict[str, dict[str, str]], version: str) -> None:
        self.version = version
        self._by_loinc = {code: a for a in analytes for code in a.loinc}
        self._by_key = {a.key: a for a in analytes}
        self._local = local_codes

    @classmethod
    def load(cls, path: Path | None = None) -> LabCatalog:
        with (path or resource_path("labs.toml")).open("rb") as f:
            data = tomllib.load(f)
        analytes = [
            Analyte(
                key=a["key"],
                label_en=a["label"],
                label_es=a.get("label_es", ""),
                loinc=tuple(a["loinc"]),
                unit=a["unit"],
                display_min=float(a["display"][0]),
                display_max=float(a["display"][1]),
                factors={u: float(k) for u, k in a["units"].items()},
                example_reference=(
                    (float(a["example_reference"][0]), float(a["example_reference"][1]))
                    if "example_reference" in a
                    else None
                ),
            )
            for a in data.get("analyte", [])
        ]
        return cls(
            analytes, {s: dict(m) for s, m in data.get("local_codes", {}).items()}, str(data["version"])
        )

    def with_local_codes(self, path: Path) -> LabCatalog:
        """This catalogue plus a site's local codes: a TOML file of `[local_codes.<MSH-3.1>]` tables
        mapping each local code to its LOINC (what the performing lab's LOINC map says)."""
        with path.open("rb") as f:
            extra = tomllib.load(f).get("local_codes", {})
        merged = {s: dict(m) for s, m in self._local.items()}
        for sender, mapping in extra.items():
            merged.setdefault(sender, {}).update({str(k): str(v) for k, v in mapping.items()})
        return LabCatalog(list(self._by_key.values()), merged, self.version)

    def __iter__(self):
        return iter(self._by_key.values())

    def get(self, key: str) -> Analyte:
        return self._by_key[key]

    def resolve(self, sender: str, code: str, system: str) -> tuple[str | None, Analyte | None]:
        """(LOINC, analyte) for an OBX-3: LOINC as sent, or the sender's local code mapped to LOINC."""
        loinc = code if system.upper() in ("LN", "LOINC") else self._local.get(sender, {}).get(code)
        if loinc is None:
            return None, None
        return loinc, self._by_loinc.get(loinc)


@dataclass(frozen=True, slots=True)
class LabValue:
    """OBX-5 read by its type: a number (with a comparator for SN such as `>^11.0`) or text."""

    number: float | None = None
    comparator: str = ""
    text: str = ""


def read_lab_value(value_type: str, components: list[str], raw_text: str) -> LabValue:
    vt = value_type.upper()
    if vt == "NM":
        return LabValue(number=_float(raw_text), text=raw_text)
    if vt == "SN":
        # SN = comparator ^ num1 ^ separator/suffix ^ num2. A range ("^1^-^5") is kept as text.
        comps = [*components, "", "", "", ""]
        comparator, num1, sep, num2 = comps[0].strip(), comps[1], comps[2], comps[3]
        if sep or num2:
            return LabValue(text=raw_text.replace("^", " ").strip())
        return LabValue(
            number=_float(num1), comparator=comparator if comparator != "=" else "", text=raw_text
        )
    return LabValue(text=raw_text)


def _float(text: str) -> float | None:
    try:
        v = float(text.strip())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def supersedes(new_status: str, current_status: str) -> bool:
    """Whether a new version replaces the current one in trends. A preliminary never replaces a
    final or corrected result (a late P must not undo an F); anything else newer does."""
    return not (new_status == "P" and current_status in ("F", "C"))


@dataclass(frozen=True, slots=True)
class LabResult:
    """One version of one lab result, as stored."""

    patient: PatientRef | None
    sender: str
    filler_order: str
    code: str
    code_system: str
    sub_id: str
    analyte: str | None
    value: float | None
    comparator: str
    unit: str
    value_as_sent: str
    unit_as_sent: str
    reference_range: str
    abnormal_flags: str
    status: str
    observed_at: float
    reported_at: float | None
    received_at: float
    note: str = ""
    specimen_condition: str = ""
    """The specimen's condition codes (HL7 table 0493, `~`-joined): HEM haemolysed, LIP lipaemic…"""


_RANGE = re.compile(r"^\s*(?:(-?\d+(?:\.\d+)?)\s*[-–]\s*(-?\d+(?:\.\d+)?)|([<>]=?)\s*(\d+(?:\.\d+)?))\s*$")


def reference_band(text: str) -> tuple[float, float] | None:
    """OBX-7 as (low, high): "3.5-5.0", "<8" (0 to 8), ">60" (60 to inf); None when unreadable."""
    m = _RANGE.match(text or "")
    if not m:
        return None
    if m.group(1) is not None:
        return float(m.group(1)), float(m.group(2))
    value = float(m.group(4))
    return (0.0, value) if m.group(3).startswith("<") else (value, math.inf)
