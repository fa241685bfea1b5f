"""ORU^R01 from a laboratory (LIS) → lab result versions.

Rules: map on the LOINC code (or the sender's local code through the map in
resources/labs.toml), convert to the analyte's canonical UCUM unit, read SN values with their
comparator, keep OBX-7 and the (repeating) OBX-8 flags as sent, and take the status from OBX-11.
A code or unit that cannot be mapped is stored as sent, marked, and never trended or alerted on.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import tzinfo

from bedside_adapters.hl7.er7 import Er7Message
from bedside_adapters.hl7.pcd01 import MappingError, field_time, patient_of, sender_of

from bedside.labs import RETRACTING_STATUSES, LabCatalog, LabResult, read_lab_value
from bedside.model import Patient


@dataclass(frozen=True, slots=True)
class LabReport:
    sender: str
    patient: Patient | None
    results: tuple[LabResult, ...]
    obx_total: int
    skipped: dict[str, int] = field(default_factory=dict)


def is_device_report(msg: Er7Message) -> bool:
    """PCD-01 (monitor, ventilator, pump) rather than a lab: an IHE PCD profile in MSH-21, the
    'monitoring of patient' OBR-4, or MDC-coded rows only."""
    if "IHE_PCD" in msg.msh.raw(21).upper() or "1.3.6.1.4.1.19376.1.6" in msg.msh.raw(21):
        return True
    if any(obr.get(4, 1) == "182777000" for obr in msg.all("OBR")):
        return True
    systems = {obx.get(3, 3).upper() for obx in msg.all("OBX") if obx.get(2)}
    return bool(systems) and systems <= {"MDC"}


_HAEMOLYSED = re.compile(r"h(a)?emoly[sz]", re.IGNORECASE)


def specimen_conditions(msg: Er7Message) -> list[str]:
    """Per order group (the segments from one OBR to the next), the specimen's condition codes: SPM-24
    (HL7 table 0493, in v2.5+ specimen groups), plus HEM when a comment (NTE-3) or a coded
    observation says the sample was haemolysed. Index 0 is before the first OBR."""
    out: list[set[str]] = [set()]
    for seg in msg.segments:
        if seg.name == "OBR":
            out.append(set())
        elif seg.name == "SPM":
            for r in range(1, seg.raw(24).count(msg.delimiters.repetition) + 2):
                code = seg.get(24, 1, repetition=r).strip().upper()
                if code:
                    out[-1].add(code)
        elif seg.name == "NTE" and _HAEMOLYSED.search(seg.raw(3)):
            out[-1].add("HEM")
    return ["~".join(sorted(c)) for c in out]


def read_lab(msg: Er7Message, catalog: LabCatalog, received_at: float, sender_zone: tzinfo) -> LabReport:
    sender = sender_of(msg)
    application = msg.msh.get(3, 1)
    patient = patient_of(msg)
    ref = patient.ref if patient else None

    def when(text: str, what: str) -> float | None:
        return field_time(text, sender_zone, what)

    msh_time = when(msg.msh.get(7), "MSH-7")
    results: list[LabResult] = []
    skipped: Counter[str] = Counter()
    filler = ""
    obr_time = reported = None
    orc_filler = ""
    obx_total = 0
    conditions = specimen_conditions(msg)
    group = 0
    for seg in msg.segments:
        if seg.name == "ORC":
            orc_filler = seg.get(3, 1)
        elif seg.name == "OBR":
            group += 1
            filler = seg.get(3, 1) or orc_filler or seg.get(2, 1)
            obr_time = when(seg.get(7), "OBR-7")
            reported = when(seg.get(22), "OBR-22")
        elif seg.name == "OBX":
            obx_total += 1
            code, system = seg.get(3, 1), seg.get(3, 3)
            status = (seg.get(11) or "F").upper()
            if not code:
                skipped["no code in OBX-3"] += 1
                continue
            try:
                observed = when(seg.get(14), "OBX-14") or obr_time or msh_time
            except MappingError:
                skipped["OBX-14 is not a date/time"] += 1
                continue
            if observed is None:
                skipped["no observation time (OBX-14, OBR-7, MSH-7 all empty)"] += 1
                continue
            loinc, analyte = catalog.resolve(application, code, system)
            value = read_lab_value(
                seg.get(2), seg.components(5), seg.get(5) if seg.get(2) != "SN" else seg.raw(5)
            )
            unit_sent = seg.get(6, 1)
            canonical = None
            note = ""
            unit = unit_sent
            if status in RETRACTING_STATUSES:
                note = "deleted" if status == "D" else "entered in error"
            elif analyte is None:
                note = "code not mapped to an analyte" if loinc is None else "LOINC not in the analyte table"
            elif value.number is None:
                note = "no numeric value"
            else:
                canonical = analyte.to_canonical(value.number, unit_sent, value.text)
                if canonical is None:
                    note = f"unit {unit_sent or '(none)'} not convertible to {analyte.unit}"
                else:
                    unit = analyte.unit
            results.append(
                LabResult(
                    patient=ref,
                    sender=sender,
                    filler_order=filler,
                    code=loinc or code,
                    code_system="LN" if loinc else system,
                    sub_id=seg.get(4),
                    analyte=analyte.key if analyte else None,
                    value=canonical,
                    comparator=value.comparator,
                    unit=unit,
                    value_as_sent=value.text,
                    unit_as_sent=unit_sent,
                    reference_range=seg.get(7) or seg.raw(7).replace("^", " ").strip(),
                    abnormal_flags="~".join(
                        f
                        for f in (seg.get(8, repetition=r) for r in range(1, seg.raw(8).count("~") + 2))
                        if f
                    ),
                    status=status,
                    observed_at=observed,
                    reported_at=reported or msh_time,
                    received_at=received_at,
                    note=note,
                    specimen_condition=conditions[group],
                )
            )
    return LabReport(sender, patient, tuple(results), obx_total, dict(skipped))
