"""Co-medication: drugs given around a dose of the study product that change how its course reads.

Corticosteroids and IL-6 blockade blunt fever and CRP, antipyretics mask fever for hours,
anticoagulants matter when a thrombosis or a bleed is judged, vasopressors hold up a blood
pressure that would otherwise fall, and antihistamines (the usual premedication before a cell
infusion) damp the itch, rash and flushing by which an infusion reaction shows. Each
administration comes from the eMAR (HL7 v2 RAS^O17, or an RDE^O11 order, which says what was
ordered, not what was given) or is entered by a clinician.

The class comes from the catalogue in resources/co_medication.toml (ATC codes from the WHO ATC/DDD
Index). A drug the catalogue does not know is kept with class OTHER and shown by its name, never
dropped.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bedside.i18n import N_, _, localize_number
from bedside.model import PatientRef
from bedside.resources import resource_path

HOUR = 3600.0
DAY = 24 * HOUR


class DrugClass(StrEnum):
    CORTICOSTEROID = "corticosteroid"
    IMMUNOMODULATOR = "immunomodulator"
    ANTIPYRETIC = "antipyretic"
    ANTICOAGULANT = "anticoagulant"
    VASOPRESSOR = "vasopressor"
    ANTIHISTAMINE = "antihistamine"
    OTHER = "other"


CLASS_MEMBER = {
    DrugClass.CORTICOSTEROID: N_("a corticosteroid"),
    DrugClass.IMMUNOMODULATOR: N_("an immunomodulator"),
    DrugClass.ANTIPYRETIC: N_("an antipyretic"),
    DrugClass.ANTICOAGULANT: N_("an anticoagulant or antithrombotic"),
    DrugClass.VASOPRESSOR: N_("a vasopressor or inotrope"),
    DrugClass.ANTIHISTAMINE: N_("an antihistamine"),
    DrugClass.OTHER: N_("a drug of no listed class"),
}
"""What a drug of each class is, as the predicate of a sentence ("dexamethasone is a
corticosteroid"): the article belongs to the phrase, so each language writes its own article and
gender rather than gluing an English "a" to a class label."""


class Source(StrEnum):
    EMAR = "ras"
    """An administration the eMAR documented (RAS^O17)."""
    ORDER = "rde"
    """A pharmacy-encoded order (RDE^O11): what was ordered and when it was to be given."""
    ENTERED = "entered"
    """Entered by a clinician on the screen or the command line."""


ROUTES = ("IV", "PO", "SC", "IM", "NG", "INH", "PR", "TOP", "other")
"""Routes a clinician chooses from (HL7 table 0162 codes): intravenous, oral, subcutaneous,
intramuscular, nasogastric, inhaled, rectal, topical."""

ROUTE_LABELS = {
    "IV": N_("intravenous"),
    "PO": N_("oral"),
    "SC": N_("subcutaneous"),
    "IM": N_("intramuscular"),
    "NG": N_("nasogastric"),
    "INH": N_("inhaled"),
    "PR": N_("rectal"),
    "TOP": N_("topical"),
    "other": N_("other"),
}
"""A route's label in English (translated with `_()` where shown); the code is what is stored."""
CLASS_LABELS = (
    N_("Corticosteroid"),
    N_("Immunomodulator"),
    N_("Antipyretic"),
    N_("Anticoagulant / antithrombotic"),
    N_("Vasopressor / inotrope"),
    N_("Antihistamine"),
    N_("Other"),
)
"""The class labels of resources/co_medication.toml, for the catalogue of translations: the label
shown is `_(catalogue.label(drug_class))`; the class stored stays its code."""

UNITS = (
    "mg",
    "ug",
    "g",
    "[iU]",
    "mL",
    "mg/kg",
    "[iU]/kg",
    "mg/h",
    "ug/kg/min",
    "ug/min",
    "[iU]/h",
    "[iU]/kg/h",
    "[iU]/min",
    "mL/h",
)
"""UCUM units a clinician chooses from when entering a dose. Weight-based doses are written as
prescribed (tocilizumab 8 mg/kg, a heparin bolus of 80 IU/kg and its infusion in IU/kg/h): converting
them to a total at entry would need a weight the screen may not have, and would hide the prescription."""


@dataclass(frozen=True, slots=True)
class MedicationAdministration:
    """One administration (or, from RDE^O11, one ordered administration) of a co-medication."""

    patient: PatientRef | None
    """The patient (None when the message named none)."""
    drug: str
    """The drug as the sender or the clinician named it (RXA-5.2 / RXE-2.2, else the code)."""
    drug_class: DrugClass
    start: float
    end: float | None = None
    """The end of an infusion or of a period of administration; None for a single dose."""
    dose: float | None = None
    """None when the amount was not sent or not a number (`dose_as_sent` keeps the text)."""
    unit: str = ""
    """UCUM, as sent (RXA-7 / RXE-5) or chosen."""
    route: str = ""
    code: str = ""
    code_system: str = ""
    """The coding system of `code` (ATC, a local code "L", ...)."""
    source: Source = Source.EMAR
    source_id: str = ""
    """The message's control id (MSH-10) and the administration or order id, or who entered it."""
    dose_as_sent: str = ""
    status: str = "given"
    """"given" (an administration) or "ordered" (an RDE^O11 order not confirmed as given)."""
    id: int | None = None
    """The stored row's id (None until stored)."""

    @property
    def label(self) -> str:
        return self.drug or self.code or "(drug not named)"


@dataclass(frozen=True, slots=True)
class CatalogueDrug:
    name: str
    atc: str
    drug_class: DrugClass
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoMedicationCatalogue:
    version: str
    drugs: tuple[CatalogueDrug, ...]
    atc_groups: dict[str, DrugClass]
    class_labels: dict[DrugClass, str]
    product_codes: frozenset[str] = frozenset()
    product_words: tuple[str, ...] = ()
    _by_atc: dict[str, CatalogueDrug] = field(default_factory=dict, repr=False)
    _by_word: dict[str, CatalogueDrug] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_atc.update({d.atc: d for d in self.drugs})
        self._by_word.update({w: d for d in self.drugs for w in (d.name, *d.synonyms)})

    @classmethod
    def load(cls, path: Path | None = None) -> CoMedicationCatalogue:
        with (path or resource_path("co_medication.toml")).open("rb") as f:
            data = tomllib.load(f)
        drugs = tuple(
            CatalogueDrug(
                name=d["name"].lower(),
                atc=d["atc"].upper(),
                drug_class=DrugClass(d["class"]),
                synonyms=tuple(s.lower() for s in d.get("synonyms", ())),
            )
            for d in data.get("drug", ())
        )
        product = data.get("study_product", {})
        return cls(
            version=str(data.get("version", "")),
            drugs=drugs,
            atc_groups={k.upper(): DrugClass(v) for k, v in data.get("atc_groups", {}).items()},
            class_labels={DrugClass(k): v for k, v in data.get("classes", {}).items()},
            product_codes=frozenset(c.upper() for c in product.get("codes", ())),
            product_words=tuple(w.lower() for w in product.get("words", ())),
        )

    def label(self, drug_class: DrugClass) -> str:
        return self.class_labels.get(drug_class, str(drug_class).capitalize())

    def classify(self, code: str = "", name: str = "", system: str = "") -> DrugClass:
        """The drug's class: by its ATC code (the drug's own row, else its ATC group), else by a
        catalogue name or synonym appearing as a word in its name or code; else OTHER."""
        atc = code.strip().upper()
        if atc and (system.strip().upper() in _ATC_SYSTEMS or _ATC_CODE.match(atc)):
            drug = self._by_atc.get(atc)
            if drug is not None:
                return drug.drug_class
            for length in (5, 4):
                group = self.atc_groups.get(atc[:length])
                if group is not None:
                    return group
        for word in _words(f"{name} {code}"):
            drug = self._by_word.get(word)
            if drug is not None:
                return drug.drug_class
        return DrugClass.OTHER

    def known_by_name(self, name: str) -> CatalogueDrug | None:
        """The catalogue's drug a name names (its generic name or a synonym as a word of it), or None:
        for no such word, or words of drugs of different classes (a combination is not one drug)."""
        found = {self._by_word[w].name: self._by_word[w] for w in _words(name) if w in self._by_word}
        if len({d.drug_class for d in found.values()}) != 1:
            return None
        return next(iter(found.values()))

    def is_study_product(self, code: str, name: str) -> bool:
        """Whether an eMAR administration is of the study product (a dose), not co-medication."""
        if code.strip().upper() in self.product_codes:
            return True
        text = f" {name.lower()} "
        return any(re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", text) for w in self.product_words)


_ATC_SYSTEMS = frozenset({"ATC", "WHOATC", "WHO-ATC", "2.16.840.1.113883.6.73"})
_ATC_CODE = re.compile(r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$")
"""A full (level 5) ATC code: anatomical group, two digits, two letters, two digits."""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z\-]+", text.lower())


# Around a dose


WINDOW_BEFORE = 24 * HOUR
WINDOW_AFTER = 72 * HOUR
"""The review's window around each dose's start: what was given the day before, and during the
three days a reaction, a fever or a CRP rise would be read."""


@dataclass(frozen=True, slots=True)
class AroundDose:
    """An administration seen from a dose: when, relative to the dose's start, and what it may hide."""

    administration: MedicationAdministration
    offset_hours: float
    """The administration's start minus the dose's start, in hours (negative: before)."""
    note: str


def around_dose(
    administrations: Iterable[MedicationAdministration],
    dose_start: float,
    before: float = WINDOW_BEFORE,
    after: float = WINDOW_AFTER,
) -> list[AroundDose]:
    """The administrations that start, or are still running, in [dose_start - before, dose_start +
    after], in time order, each with a modest note on what it may mask."""
    lo, hi = dose_start - before, dose_start + after
    out = []
    for a in sorted(administrations, key=lambda a: a.start):
        running_into = a.end is not None and a.start < lo <= a.end
        if lo <= a.start <= hi or running_into:
            offset = (a.start - dose_start) / HOUR
            out.append(AroundDose(a, offset, note_for(a, dose_start)))
    return out


def when_text(offset_hours: float) -> str:
    """'2 h before', '30 min after', 'at the start' (of the dose)."""
    minutes = round(abs(offset_hours) * 60)
    if minutes == 0:
        return _("at the dose's start")
    # Whole hours up to three days (the review's window), then days with one decimal.
    amount = f"{minutes} min" if minutes < 90 else f"{minutes / 60:.0f} h"
    if minutes > 72 * 60:
        amount = localize_number(f"{minutes / 1440:.1f} d".replace(".0 d", " d"))
    return (_("{amount} before") if offset_hours < 0 else _("{amount} after")).format(amount=amount)


def note_for(a: MedicationAdministration, dose_start: float) -> str:
    """What this administration may change in how the dose's course reads (empty: nothing to say)."""
    offset = (a.start - dose_start) / HOUR
    when = when_text(offset)
    ordered = _("ordered; not confirmed as given") if a.status == "ordered" else ""
    running = a.end is not None and a.start <= dose_start <= a.end
    note = ""
    match a.drug_class:
        case DrugClass.ANTIPYRETIC:
            note = _("Antipyretic given {when}: fever may be masked")
        case DrugClass.CORTICOSTEROID:
            note = _("Corticosteroid given {when}: fever and CRP may be blunted")
        case DrugClass.IMMUNOMODULATOR:
            note = _("Immunomodulator given {when}: CRP and fever may be suppressed for days")
        case DrugClass.VASOPRESSOR:
            # Facts only (what, how, when): what it did to the pressure is the clinician's reading.
            if running:
                note = _("Vasopressor running at the dose's start")
            elif a.unit.endswith(("/h", "/min")):
                note = _("Vasopressor infusion started {when}")
            else:
                note = _("Vasopressor given {when}")
        case DrugClass.ANTICOAGULANT:
            note = _("Anticoagulant given {when}: matters for thrombosis and bleeding")
        case DrugClass.ANTIHISTAMINE:
            note = _(
                "Antihistamine given {when}: an infusion reaction's itch, rash or flushing may be masked"
            )
    if note:
        return note.format(when=when) + (f" ({ordered})" if ordered else "")
    return ordered[:1].upper() + ordered[1:]


def dose_text(a: MedicationAdministration, unit_display: str = "") -> str:
    """The amount as a clinician reads it: the number with its unit, else what was sent, else a
    plain 'dose not stated'."""
    if a.dose is not None:
        number = localize_number(f"{a.dose:g}")
        return f"{number} {unit_display or a.unit}".strip()
    return a.dose_as_sent or _("dose not stated")


def by_class(
    administrations: Sequence[MedicationAdministration],
) -> dict[DrugClass, list[MedicationAdministration]]:
    """The administrations grouped by class, in the classes' order (for a lane per class)."""
    out: dict[DrugClass, list[MedicationAdministration]] = {}
    for c in DrugClass:
        rows = [a for a in administrations if a.drug_class is c]
        if rows:
            out[c] = sorted(rows, key=lambda a: a.start)
    return out
