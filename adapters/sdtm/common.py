"""What every dataset of the export shares: the study and the subject's identifiers."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bedside_adapters.sdtm.model import MAX_TEXT, Variable, ascii_text

from bedside.model import PatientRef
from bedside.resources import resource_path

ORIGIN_BEDSIDE = "Assigned (bedside-cli export sdtm)"
ARM_SOURCE = "resources/study.toml [arm]"

_ARM_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class Arm:
    """The study's arm as its configuration names it: a single-arm, open-label study has one, which
    is every subject's planned arm and, once a dose was given, their actual arm."""

    code: str
    description: str


def configured_arm(path: Path | None = None) -> Arm | str:
    """The arm of resources/study.toml, or why there is none (the export leaves the arm empty and
    says so: an arm is never made up)."""
    path = path or resource_path("study.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return f"not configured: {ARM_SOURCE} is missing"
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return f"not configured: {ARM_SOURCE} cannot be read ({exc})"
    arm = data.get("arm") if isinstance(data.get("arm"), dict) else {}
    code, description = str(arm.get("code", "")).strip(), ascii_text(str(arm.get("description", ""))).strip()
    if not code or not description:
        return f"not configured: {ARM_SOURCE} has no code and description"
    if not _ARM_CODE.match(code) or len(description) > MAX_TEXT:
        return (
            f"not configured: {ARM_SOURCE} code must be 1-20 letters, digits, _ or -, "
            f"and the description at most {MAX_TEXT} characters"
        )
    return Arm(code.upper(), description)


COUNTRY_SOURCE = "resources/study.toml country"

_COUNTRY_CODE = re.compile(r"^[A-Z]{3}$")


def configured_country(path: Path | None = None) -> str:
    """DM COUNTRY (required, SDTMIG v3.3): the ISO 3166-1 alpha-3 code of the country where the site
    is, as resources/study.toml's `country` gives it, or why there is none, prefixed "not
    configured:" (the export leaves COUNTRY empty and says so in SUPPDM: a country is never
    guessed)."""
    path = path or resource_path("study.toml")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return "not configured: resources/study.toml is missing"
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return f"not configured: resources/study.toml cannot be read ({exc})"
    code = str(data.get("country", "")).strip()
    if not code:
        return f"not configured: {COUNTRY_SOURCE} is not set"
    if not _COUNTRY_CODE.match(code):
        return (
            f"not configured: {COUNTRY_SOURCE} must be an ISO 3166-1 alpha-3 code, three capital "
            f"letters such as ESP ({ascii_text(code)[:20]!r} was given)"
        )
    return code


@dataclass(frozen=True)
class Study:
    studyid: str
    siteid: str
    subjects: dict[str, str] = field(default_factory=dict)
    """MRN (PID-3) to the trial's subject number; empty: the subject number is the MRN."""
    arm: Arm | str = field(default_factory=configured_arm)
    """The study's arm, or why none is configured."""
    country: str = field(default_factory=configured_country)
    """The site's country (ISO 3166-1 alpha-3), or why none is configured ("not configured: …")."""

    def subjid(self, ref: PatientRef) -> str:
        mrn = ref.identifier
        return ascii_text(self.subjects.get(mrn, mrn))

    def usubjid(self, ref: PatientRef) -> str:
        """SDTMIG v3.3 section 4.1.2.5: unique across the submission, hence study, site and subject."""
        parts = [self.studyid, self.siteid, self.subjid(ref)]
        return "-".join(p for p in parts if p)


def identifiers(domain: str) -> list[Variable]:
    return [
        Variable("STUDYID", "Study Identifier", "Char", ORIGIN_BEDSIDE, note="--study"),
        Variable("DOMAIN", "Domain Abbreviation", "Char", ORIGIN_BEDSIDE, codelist=domain),
        Variable(
            "USUBJID",
            "Unique Subject Identifier",
            "Char",
            "Derived",
            note="STUDYID-SITEID-SUBJID",
        ),
    ]
