"""The vasopressor rates SOFA's cardiovascular component reads, from the recorded co-medication.

SOFA (Vincent et al., Intensive Care Med 1996) scores dopamine, dobutamine, adrenaline and
noradrenaline in µg/kg/min given for at least an hour. A rate recorded in another unit (mL/h, µg/min)
would need the concentration and the weight: it is listed as not scored, never converted by guess.
An eMAR records an infusion's rate changes as administrations; one without an end runs until the next
record of the same drug (its next rate) or until now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bedside.co_medication import DrugClass, MedicationAdministration
from bedside.sofa import VasopressorRate
from bedside.units import format_number

ATC = {"C01CA03": "noradrenaline", "C01CA24": "adrenaline", "C01CA04": "dopamine", "C01CA07": "dobutamine"}
"""WHO ATC codes of the four SOFA agents."""
NAMES = {
    "noradrenaline": "noradrenaline",
    "norepinephrine": "noradrenaline",
    "adrenaline": "adrenaline",
    "epinephrine": "adrenaline",
    "dopamine": "dopamine",
    "dobutamine": "dobutamine",
}
RATE_UNIT = "ug/kg/min"


def sofa_agent(a: MedicationAdministration) -> str | None:
    """Which SOFA agent an administration is (by ATC code, else a word of its name); None otherwise."""
    if a.code.strip().upper() in ATC:
        return ATC[a.code.strip().upper()]
    for word in re.findall(r"[a-z]+", a.drug.lower()):
        if word in NAMES:
            return NAMES[word]
    return None


def vasopressor_rates(administrations: Iterable[MedicationAdministration]) -> list[VasopressorRate]:
    """The SOFA agents given (orders not confirmed as given are left out), each rate to its end."""
    given = [
        (agent, a)
        for a in administrations
        if a.status == "given"
        and a.drug_class in (DrugClass.VASOPRESSOR, DrugClass.OTHER)
        and (agent := sofa_agent(a)) is not None
    ]
    given.sort(key=lambda x: x[1].start)
    out = []
    for i, (agent, a) in enumerate(given):
        end = a.end
        if end is None:
            later = [b.start for other, b in given[i + 1 :] if other == agent and b.start > a.start]
            end = min(later) if later else None
        recorded = f"{a.dose_as_sent or ('' if a.dose is None else format_number(a.dose))} {a.unit}".strip()
        rate = a.dose if a.unit.strip() == RATE_UNIT and a.dose is not None else None
        out.append(VasopressorRate(agent, rate, a.start, end, recorded))
    return out
