"""Co-medication from the eMAR and the pharmacy: RAS^O17 administrations and RDE^O11 orders
(HL7 v2.5.1 chapter 4, Orders: pharmacy/treatment administration and encoded order messages).

RAS^O17, per RXA (with the RXR that follows it):
  RXA-3 / RXA-4  start and end of the administration (RXA-3 required)
  RXA-5          administered code: code ^ text ^ coding system (ATC recognised: "ATC", "WHOATC")
  RXA-6 / RXA-7  administered amount and its units (UCUM code in component 1)
  RXA-20         completion status (HL7 table 0322): RE refused and NA not administered are not
                 co-medication given, and are counted as skipped
  RXR-1          route (HL7 table 0162)
An RXA of the study product (resources/co_medication.toml [study_product]) is a dose and is read by
`adapters.hl7.pump.read_administrations`; every other RXA is co-medication.

RDE^O11, per RXE (the ORC before it, the TQ1 and RXR after it):
  ORC-1          order control: CA, DC, OC, OD (cancelled, discontinued) are counted as skipped
  RXE-2          give code (code ^ text ^ coding system)
  RXE-3 / RXE-5  give amount (minimum) and give units
  TQ1-7 / TQ1-8  start and end of the order (the order's first TQ1; required: TQ1-7, else RXE-1's
                 start, component 4)
  TQ1-3          repeat pattern, kept with the amount as sent (e.g. "6 mg Q24H")
An order is stored with status "ordered": what was ordered, not confirmed as given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from bedside_adapters.hl7.er7 import Er7Message, Segment
from bedside_adapters.hl7.pcd01 import MappingError, field_time, patient_of

from bedside.co_medication import CoMedicationCatalogue, MedicationAdministration, Source

NOT_GIVEN = frozenset({"RE", "NA"})
"""RXA-20 (HL7 table 0322): refused, not administered."""
ORDER_ENDED = frozenset({"CA", "DC", "OC", "OD"})
"""ORC-1 (HL7 table 0119): cancel, discontinue requests and their confirmations."""


@dataclass(frozen=True, slots=True)
class PharmacyReading:
    administrations: tuple[MedicationAdministration, ...]
    skipped: dict[str, int] = field(default_factory=dict)


def is_product_rxa(catalogue: CoMedicationCatalogue, rxa: Segment) -> bool:
    """Whether this RXA records the study product (a dose), not co-medication."""
    return catalogue.is_study_product(rxa.get(5, 1), rxa.get(5, 2))


def read_ras_co_medication(
    msg: Er7Message, zone: tzinfo, catalogue: CoMedicationCatalogue
) -> PharmacyReading:
    """The co-medication administrations of a RAS^O17. Raises MappingError (quarantine) for an RXA
    without a start time or a drug, or co-medication for no identified patient."""
    control_id = msg.msh.get(10)
    patient = patient_of(msg)
    out: list[MedicationAdministration] = []
    skipped: Counter[str] = Counter()
    order = ""
    segments = msg.segments
    for i, seg in enumerate(segments):
        if seg.name == "ORC":
            order = seg.get(3, 1) or seg.get(2, 1)
        if seg.name != "RXA" or is_product_rxa(catalogue, seg):
            continue
        if seg.get(20).upper() in NOT_GIVEN:
            skipped[f"RXA-20 {seg.get(20).upper()}: not given"] += 1
            continue
        code, name, system = seg.get(5, 1), seg.get(5, 2), seg.get(5, 3)
        if not (code or name):
            raise MappingError("RXA-5 (administered code) is empty: which drug was given is not said", 101)
        start = field_time(seg.get(3), zone, "RXA-3")
        if start is None:
            raise MappingError("RXA-3 (start of administration) is empty", 101)
        end = field_time(seg.get(4), zone, "RXA-4")
        amount, unit = seg.get(6), seg.get(7, 1)
        out.append(
            MedicationAdministration(
                patient=patient.ref if patient else None,
                drug=name or code,
                drug_class=catalogue.classify(code, name, system),
                start=start,
                end=end if end is not None and end > start else None,
                dose=_number(amount),
                unit=unit,
                route=_route_after(segments, i),
                code=code,
                code_system=system,
                source=Source.EMAR,
                source_id=_source_id(control_id, order or seg.get(2)),
                dose_as_sent=f"{amount} {unit}".strip(),
            )
        )
    if out and patient is None:
        raise MappingError("co-medication without a patient: PID-3 is missing or a placeholder", 101)
    return PharmacyReading(tuple(out), dict(skipped))


def read_rde_order(msg: Er7Message, zone: tzinfo, catalogue: CoMedicationCatalogue) -> PharmacyReading:
    """The co-medication orders of an RDE^O11, each with status "ordered"."""
    control_id = msg.msh.get(10)
    patient = patient_of(msg)
    out: list[MedicationAdministration] = []
    skipped: Counter[str] = Counter()
    order_control, order = "", ""
    timing: Segment | None = None
    segments = msg.segments
    for i, seg in enumerate(segments):
        if seg.name == "ORC":
            order_control = seg.get(1).upper()
            order = seg.get(2, 1) or seg.get(3, 1)
            timing = None
        elif seg.name == "TQ1" and timing is None:
            timing = seg  # RDE_O11's timing group: after the ORC, before the RXE (the first repeat)
        if seg.name != "RXE":
            continue
        code, name, system = seg.get(2, 1), seg.get(2, 2), seg.get(2, 3)
        if not (code or name):
            raise MappingError("RXE-2 (give code) is empty: which drug was ordered is not said", 101)
        if catalogue.is_study_product(code, name):
            skipped["study product order (doses come from the pump, the eMAR or the nurse)"] += 1
            continue
        if order_control in ORDER_ENDED:
            skipped[f"ORC-1 {order_control}: order cancelled or discontinued"] += 1
            continue
        tq1 = timing or _following(segments, i, "TQ1")
        start = field_time(tq1.get(7), zone, "TQ1-7") if tq1 is not None else None
        if start is None:
            start = field_time(seg.get(1, 4), zone, "RXE-1.4")
        if start is None:
            raise MappingError("no start for the order: TQ1-7 (and RXE-1.4) are empty", 101)
        end = field_time(tq1.get(8), zone, "TQ1-8") if tq1 is not None else None
        amount, unit = seg.get(3), seg.get(5, 1)
        repeat = tq1.get(3, 1) if tq1 is not None else ""
        out.append(
            MedicationAdministration(
                patient=patient.ref if patient else None,
                drug=name or code,
                drug_class=catalogue.classify(code, name, system),
                start=start,
                end=end if end is not None and end > start else None,
                dose=_number(amount),
                unit=unit,
                route=_route_after(segments, i),
                code=code,
                code_system=system,
                source=Source.ORDER,
                source_id=_source_id(control_id, order),
                dose_as_sent=f"{amount} {unit} {repeat}".strip(),
                status="ordered",
            )
        )
    if out and patient is None:
        raise MappingError("a co-medication order without a patient: PID-3 is missing or a placeholder", 101)
    return PharmacyReading(tuple(out), dict(skipped))


def _following(segments: Sequence[Segment], i: int, name: str) -> Segment | None:
    """The first `name` segment after segments[i] and before the next RXA, RXE or ORC."""
    for seg in segments[i + 1 :]:
        if seg.name in ("RXA", "RXE", "ORC"):
            return None
        if seg.name == name:
            return seg
    return None


def _route_after(segments: Sequence[Segment], i: int) -> str:
    """RXR-1 of the RXR that belongs to segments[i]: its code, else its text."""
    rxr = _following(segments, i, "RXR")
    return (rxr.get(1, 1) or rxr.get(1, 2)) if rxr is not None else ""


def _source_id(control_id: str, order: str) -> str:
    return f"MSH-10 {control_id}" + (f" / order {order}" if order else "")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
