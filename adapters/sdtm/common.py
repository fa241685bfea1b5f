"""What every dataset of the export shares: the study and the subject's identifiers."""

from __future__ import annotations

from dataclasses import dataclass, field

from bedside_adapters.sdtm.model import Variable, ascii_text

ORIGIN_BEDSIDE = "Assigned (bedside-cli export sdtm)"


@dataclass(frozen=True)
class Study:
    studyid: str
    siteid: str
    subjects: dict[str, str] = field(default_factory=dict)
    """MRN (PID-3) to the trial's subject number; empty: the subject number is the MRN."""

    def subjid(self, ref: str) -> str:
        mrn = ref.partition("^")[0]
        return ascii_text(self.subjects.get(mrn, mrn))

    def usubjid(self, ref: str) -> str:
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
