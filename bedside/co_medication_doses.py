"""Whether an entered co-medication dose is plausible: a dose outside what any single entry in its
unit could be, or far above the usual maximum single dose of a drug the catalogue knows, is a slip
(a gram typed for a milligram, a zero too many) and is refused with the limit named, as a hand-charted
vital sign outside its plausible range is."""

from __future__ import annotations

from dataclasses import dataclass

UNIT_CEILING: dict[str, float] = {
    "mg": 5000.0,  # above a 1 g methylprednisolone pulse or a 2 g metamizole dose, several times over
    "ug": 10000.0,
    "g": 5.0,
    "[iU]": 100000.0,
    "mL": 2000.0,
    "mg/kg": 50.0,  # tocilizumab is 8 mg/kg, a methylprednisolone pulse 30 mg/kg
    "[iU]/kg": 500.0,  # a heparin bolus is 80 IU/kg
    "mg/h": 500.0,
    "ug/kg/min": 50.0,  # dopamine's highest usual rate is 20 ug/kg/min
    "ug/min": 500.0,
    "[iU]/h": 10000.0,
    "[iU]/kg/h": 100.0,  # a heparin infusion is 18 IU/kg/h
    "[iU]/min": 1.0,  # vasopressin runs at 0.03-0.04 IU/min
    "mL/h": 1000.0,
}
"""The largest amount any single entry in the unit could plausibly be, for any co-medication."""

GENEROUS_FACTOR = 3.0
"""How far above a drug's usual maximum single dose an entry may go before it is refused: wide
enough for any high-dose regimen, far below the thousandfold of a unit slip."""

USUAL_MAX_SINGLE_DOSE: dict[str, tuple[float, str]] = {
    # Usual maximum single adult doses, from the EMA summaries of product characteristics and the
    # WHO Model Formulary; mass doses in mg, heparins in IU.
    "dexamethasone": (40.0, "mg"),
    "methylprednisolone": (1000.0, "mg"),
    "prednisolone": (100.0, "mg"),
    "hydrocortisone": (200.0, "mg"),
    "tocilizumab": (800.0, "mg"),
    "sarilumab": (400.0, "mg"),
    "anakinra": (300.0, "mg"),
    "baricitinib": (4.0, "mg"),
    "paracetamol": (1000.0, "mg"),
    "metamizole": (2000.0, "mg"),
    "ibuprofen": (800.0, "mg"),
    "enoxaparin": (150.0, "mg"),
    "fondaparinux": (10.0, "mg"),
    "apixaban": (10.0, "mg"),
    "rivaroxaban": (20.0, "mg"),
    "dexchlorpheniramine": (5.0, "mg"),
    "chlorphenamine": (10.0, "mg"),
    "diphenhydramine": (50.0, "mg"),
    "clemastine": (2.0, "mg"),
    "promethazine": (50.0, "mg"),
    "cetirizine": (10.0, "mg"),
    "levocetirizine": (5.0, "mg"),
    "loratadine": (10.0, "mg"),
    "desloratadine": (5.0, "mg"),
    "heparin": (10000.0, "[iU]"),
    "dalteparin": (18000.0, "[iU]"),
    "tinzaparin": (20000.0, "[iU]"),
}
"""A drug's usual maximum single dose in the unit its label gives it."""

_TO_MG = {"mg": 1.0, "ug": 0.001, "g": 1000.0}


@dataclass(frozen=True)
class DoseLimit:
    """Why a dose is refused: the limit it exceeds, in the unit entered."""

    limit: float
    unit: str
    usual: tuple[float, str] | None = None
    """For a drug's own limit: its usual maximum single dose (amount, unit)."""


def implausible_dose(dose: float, unit: str, drug: str | None) -> DoseLimit | None:
    """The limit an entered dose exceeds, or None when it is plausible. `drug`: the catalogue's name
    of the drug (None: not a drug the catalogue knows). Rates and weight-based doses are checked
    against their unit's ceiling only."""
    ceiling = UNIT_CEILING.get(unit)
    if ceiling is not None and dose > ceiling:
        return DoseLimit(ceiling, unit)
    usual = USUAL_MAX_SINGLE_DOSE.get(drug or "")
    if usual is None:
        return None
    amount, usual_unit = usual
    if usual_unit == "mg" and unit in _TO_MG:
        limit = amount * GENEROUS_FACTOR / _TO_MG[unit]
    elif unit == usual_unit:
        limit = amount * GENEROUS_FACTOR
    else:
        return None
    return DoseLimit(limit, unit, usual) if dose > limit else None
