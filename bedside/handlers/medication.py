"""Co-medication a clinician records: the one place such an entry is validated and logged."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from bedside import log_entries as le
from bedside.co_medication import (
    CLASS_MEMBER,
    ROUTES,
    UNITS,
    CatalogueDrug,
    CoMedicationCatalogue,
    DrugClass,
    MedicationAdministration,
    Source,
)
from bedside.co_medication_doses import GENEROUS_FACTOR, implausible_dose
from bedside.commands import MedicationError, RecordMedication
from bedside.handlers.common import (
    FUTURE_SLACK,
    authorize,
    is_known,
    latest_death,
    require_who,
    resolve_patient,
    signed,
    when_text,
)
from bedside.i18n import N_, _, localize_number
from bedside.model import PatientRef
from bedside.unit_of_work import UnitOfWork
from bedside.units import display_unit
from bedside.users import Action

# A start after the entering screen's clock (beyond a little skew) is a mistake, not a plan: planned
# drugs come from the pharmacy's orders. The same rule holds for every time a clinician records.

MAX_DRUG = 200


@dataclass(frozen=True)
class RecordedMedication:
    id: int
    patient_ref: PatientRef
    entry: le.MedicationRecorded


@cache
def _catalogue() -> CoMedicationCatalogue:
    return CoMedicationCatalogue.load()


def _atc(drug: str) -> dict[str, str]:
    """The ATC code of a drug the catalogue knows by name (for the trial's CM dataset), else none."""
    known = _catalogue().known_by_name(drug)
    return {} if known is None else {"code": known.atc, "code_system": "ATC"}


def check(cmd: RecordMedication) -> tuple[str, DrugClass]:
    """The command's own checks (the drug's name as stored, and its class), or MedicationError: the
    one place an entered medication is validated, called by the handler and by the entry dialog to
    keep what was typed when it is refused. Not checked here: the role and the patient."""
    require_who(cmd.by, MedicationError, N_("records it"))
    drug = " ".join(cmd.drug.split())
    if not drug:
        raise MedicationError(_("name the drug"))
    if len(drug) > MAX_DRUG:
        raise MedicationError(_("the drug's name is over {max_drug} characters").format(max_drug=MAX_DRUG))
    try:
        drug_class = DrugClass(cmd.drug_class)
    except ValueError:
        raise MedicationError(
            _("class must be one of {drugclass}").format(drugclass=", ".join(c.value for c in DrugClass))
        ) from None
    known = _catalogue().known_by_name(drug)
    if known is not None and known.drug_class is not drug_class:
        # A class that contradicts the drug would make the review read it wrongly (a steroid filed
        # as an antipyretic is said to mask fever for hours, not to blunt fever and CRP for days).
        raise MedicationError(
            _("{drug} is {member} in the co-medication catalogue: choose the class “{label}”").format(
                drug=drug,
                member=_(CLASS_MEMBER[known.drug_class]),
                label=_(_catalogue().label(known.drug_class)),
            )
        )
    if cmd.route not in ROUTES:
        raise MedicationError(_("route must be one of {routes}").format(routes=", ".join(ROUTES)))
    if cmd.unit not in UNITS:
        raise MedicationError(_("unit must be one of {units}").format(units=", ".join(UNITS)))
    if not (isinstance(cmd.dose, int | float) and math.isfinite(cmd.dose) and cmd.dose > 0):
        raise MedicationError(_("the dose must be a number above 0"))
    _require_plausible_dose(drug, known, cmd.dose, cmd.unit)
    if not math.isfinite(cmd.start):
        raise MedicationError(_("the start is not a valid time"))
    if cmd.start > cmd.recorded_at + FUTURE_SLACK:
        raise MedicationError(_("the start is in the future: record a drug once it is given"))
    if cmd.end is not None and (not math.isfinite(cmd.end) or cmd.end < cmd.start):
        raise MedicationError(_("the end must be a time after the start"))
    return drug, drug_class


def _require_plausible_dose(drug: str, known: CatalogueDrug | None, dose: float, unit: str) -> None:
    """A dose above its unit's ceiling, or above a known drug's usual maximum single dose several
    times over, is a slip of the unit or of a digit: refused, naming the limit."""
    over = implausible_dose(dose, unit, None if known is None else known.name)
    if over is None:
        return
    entered = f"{localize_number(f'{dose:g}')} {display_unit(unit)}"
    limit = f"{localize_number(f'{over.limit:g}')} {display_unit(over.unit)}"
    if over.usual is None:
        raise MedicationError(
            _(
                "{drug} {dose} is above the most any single entry in {unit} can plausibly be "
                "({limit}): check the number and the unit. Nothing was recorded"
            ).format(drug=drug, dose=entered, unit=display_unit(unit), limit=limit)
        )
    usual = f"{localize_number(f'{over.usual[0]:g}')} {display_unit(over.usual[1])}"
    raise MedicationError(
        _(
            "{drug} {dose} is above {limit}, {factor:g} times its usual maximum single dose of "
            "{usual}: check the number and the unit. Nothing was recorded"
        ).format(drug=drug, dose=entered, limit=limit, factor=GENEROUS_FACTOR, usual=usual)
    )


def record_medication(uow: UnitOfWork, cmd: RecordMedication) -> RecordedMedication:
    """Store the administration with its safety-log entry.

    Refused, with nothing written: no drug name, a class, route or unit outside the lists (each is a
    required choice), a dose that is not a positive number, a start that is not a time or lies in
    the future, an end before the start, and a patient this record does not know."""
    authorize(uow, Action.RECORD_MEDICATION, cmd, cmd.patient)
    signature = None if cmd.signature is None else signed(Action.RECORD_MEDICATION, cmd)
    drug, drug_class = check(cmd)
    with uow:
        ref = resolve_patient(uow.patients, cmd.patient)
        if not is_known(uow.patients, ref):
            raise MedicationError(
                _("no patient {patient!r} in this database: nothing was recorded").format(
                    patient=str(cmd.patient)
                )
            )
        died = latest_death(uow, ref)
        if died is not None and cmd.start > died:
            raise MedicationError(
                _(
                    "{ref} was recorded as deceased at {at}: a drug cannot be given after it. "
                    "If the death's time is wrong, correct it first"
                ).format(ref=ref, at=when_text(died))
            )
        administration = MedicationAdministration(
            patient=ref,
            drug=drug,
            drug_class=drug_class,
            start=cmd.start,
            end=cmd.end,
            dose=float(cmd.dose),
            unit=cmd.unit,
            route=cmd.route,
            source=Source.ENTERED,
            source_id=cmd.by.strip()[:120],
            **_atc(drug),
        )
        row_id = uow.co_medication.add(administration, cmd.by.strip()[:120], cmd.recorded_at)
        entry = le.MedicationRecorded(
            actor=cmd.by,
            patient_ref=ref,
            id=row_id,
            drug=drug,
            drug_class=drug_class.value,
            dose=float(cmd.dose),
            unit=cmd.unit,
            route=cmd.route,
            start=cmd.start,
            end=cmd.end,
            signature=signature,
        )
        uow.log.record(entry, cmd.recorded_at)
        uow.commit()
    return RecordedMedication(row_id, ref, entry)
