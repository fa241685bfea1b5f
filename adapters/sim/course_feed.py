"""The synthetic course as the HL7 messages a hospital would send: ADT, monitor and ventilator
PCD-01, pump PCD-10 or eMAR RAS^O17 for each dose, and the lab's ORU^R01, in time order."""

from __future__ import annotations

import heapq
from collections.abc import Iterator

import numpy as np
from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.sim.co_medication import co_medication_messages
from bedside_adapters.sim.course_devices import alarm_messages, pump_messages
from bedside_adapters.sim.message import Message
from bedside_adapters.sim.pcd01 import VENTILATOR_MDS, SimulatedMonitor
from bedside_adapters.sim.pump_events import DeliveryEvent, PumpDelivery, delivery_report

from bedside.course import CourseModel
from bedside.course_spec import HOUR, MINUTE

LAB_UNITS = {
    "crp": ("1988-5", "C reactive protein", "mg/L"),
    "ferritin": ("2276-4", "Ferritin", "ug/L"),
    "ddimer_feu": ("48065-7", "Fibrin D-dimer FEU", "mg/L{FEU}"),
    "ldh": ("2532-0", "Lactate dehydrogenase", "U/L"),
    "lymphocytes": ("731-0", "Lymphocytes", "10*9/L"),
    "cd3_abs": ("8122-4", "CD3 cells", "/uL"),
    "cd4_abs": ("24467-3", "CD3+CD4+ cells", "/uL"),
    "cd8_abs": ("14135-8", "CD3+CD8+ cells", "/uL"),
    "cd19_abs": ("8116-6", "CD19 cells", "/uL"),
    "pao2": ("2703-7", "Oxygen [Partial pressure] in Arterial blood", "mm[Hg]"),
    "ddimer_ddu": ("48066-5", "Fibrin D-dimer DDU", "ng/mL{DDU}"),
    "fibrinogen": ("3255-7", "Fibrinogen", "g/L"),
    "platelets": ("777-3", "Platelets", "10*9/L"),
    "bilirubin": ("1975-2", "Bilirubin.total", "umol/L"),
    "creatinine": ("2160-0", "Creatinine", "mg/dL"),
    "gcs": ("9269-2", "Glasgow coma score total", "{score}"),
}
DOSE_VOLUME_ML = 100.0
"""A dose's bag, as the eMAR records it for a gravity dose (RXA-6)."""
REFERENCE_RANGES = {
    # Typical adult ranges (OBX-7), from the clinical reference's lab table; sent when the course asks.
    "crp": "<8",
    "ferritin": "22-275",
    "ddimer_feu": "<0.5",
    "ddimer_ddu": "<240",
    "ldh": "120-250",
    "lymphocytes": "1.0-4.0",
    "fibrinogen": "2.0-4.0",
    "pao2": "75-100",
    "platelets": "150-400",
    "bilirubin": "3-21",
    "creatinine": "0.7-1.2",
}


def _grid(t0: float, t1: float, coarse: float, fine: float, spans: list[tuple[float, float]]) -> np.ndarray:
    """Report times in [t0, t1): every `coarse` s, and every `fine` s inside `spans`."""
    parts = [np.arange(np.ceil(t0 / coarse) * coarse, t1, coarse)]
    if fine < coarse:
        for a, b in spans:
            lo, hi = max(a, t0), min(b, t1)
            if lo < hi:
                parts.append(np.arange(np.ceil(lo / fine) * fine, hi, fine))
    return np.unique(np.concatenate(parts))


class CourseFeed:
    def __init__(
        self,
        model: CourseModel,
        mrn: str | None = None,
        room: str = "12",
        family_name: str = "SYNTHETIC",
        given_name: str = "Patient A",
        co_medication: bool = False,
    ) -> None:
        """`co_medication`: also send the demo's co-medication from the eMAR (RAS^O17)."""
        self.model = model
        self._co_medication = co_medication
        spec = model.spec
        who = {
            "mrn": mrn or f"SIM{spec.seed}",
            "room": room,
            "family_name": family_name,
            "given_name": given_name,
            # A birth date and sex of the course's own (synthetic, from its seed), so that each
            # simulated patient's ADT gives the trial's demographics something to derive.
            "birth_date": f"{1940 + spec.seed % 40}{1 + spec.seed % 12:02d}{1 + spec.seed % 28:02d}",
            "sex": "MF"[spec.seed % 2],
        }
        self.monitor = SimulatedMonitor(eui64=f"00000000{spec.seed:08X}", **who)
        self.ventilator = SimulatedMonitor(
            eui64=f"11111111{spec.seed:08X}", application="SIM_VENT", mds=VENTILATOR_MDS, **who
        )
        self._n = 0
        self._admitted = False

    def _control(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self.model.spec.seed % 10000:04d}{self._n:08d}"

    def messages(self, t0: float, t1: float, step: float) -> Iterator[Message]:
        """Everything sent in [t0, t1), device reports every `step` seconds."""
        spec = self.model.spec
        extras = []
        if spec.infusions or spec.alarms:
            # Vasopressor pumps (PCD-01) and monitor alarms (PCD-04): only validation cases have them.
            extras = [
                pump_messages(self.model, self.monitor, self._control, t0, t1, step),
                alarm_messages(self.model, self.monitor, self._control, t0, t1),
            ]
        if self._co_medication:
            extras.append(co_medication_messages(self.model, self.monitor, self._control, t0, t1))
        return heapq.merge(
            self._admission(t0, t1),
            self._devices(t0, t1, step),
            self._doses(t0, t1),
            self._labs(t0, t1),
            *extras,
            key=lambda m: m.at,
        )

    def _admission(self, t0: float, t1: float) -> Iterator[Message]:
        """The ADT^A01 an hour before the course, or first thing when a feed starts later; the ADT^A03
        when the patient leaves the ICU or dies."""
        at = self.model.spec.start - HOUR
        if not self._admitted and at < t1:
            self._admitted = True
            yield Message(max(at, t0), "adt", self.monitor.admit_message(self._control("ADT"), at))
        spec = self.model.spec
        end = min((h for h in (spec.death_hours, spec.icu_discharge_hours) if h is not None), default=None)
        if end is not None and t0 <= spec.start + end * HOUR < t1:
            expired = spec.death_hours == end
            text = self.monitor.discharge_message(self._control("ADT"), spec.start + end * HOUR, expired)
            yield Message(spec.start + end * HOUR, "adt", text)

    def _devices(self, t0: float, t1: float, step: float) -> Iterator[Message]:
        """The monitor reports every `step` s (every report interval inside the model's detail spans);
        the ventilator likewise but at most every 10 s (real ventilators report every 10-60 s)."""
        fine = min(step, self.model.spec.report_interval)
        spans = self.model.detail_spans()
        return heapq.merge(
            self._monitor(_grid(t0, t1, step, fine, spans)),
            self._ventilator(_grid(t0, t1, max(step, 10.0), max(fine, 10.0), spans)),
            key=lambda m: m.at,
        )

    def _monitor(self, times: np.ndarray) -> Iterator[Message]:
        vitals = self.model.vitals(times)
        for i, t in enumerate(times):
            v = {k: float(a[i]) for k, a in vitals.items()}
            if any(x == x for x in v.values()):  # a stopped feed sends nothing at all
                yield Message(t, "monitor", self.monitor.message(self._control("MON"), t, v))

    def _ventilator(self, times: np.ndarray) -> Iterator[Message]:
        vent = self.model.ventilator(times)
        for i, t in enumerate(times):
            w = {k: float(a[i]) for k, a in vent.items()}
            if w["fio2"] == w["fio2"]:
                yield Message(
                    t,
                    "ventilator",
                    self.ventilator.message(self._control("VEN"), t, w, {"vent_mode": "PC-AC"}),
                )

    def _doses(self, t0: float, t1: float) -> Iterator[Message]:
        spec = self.model.spec
        for number, (dose, start) in enumerate(
            zip(spec.doses, self.model.dose_starts(), strict=True), start=1
        ):
            end = start + dose.minutes * MINUTE
            product = f"AT-MSC dose {number} {dose.cells_per_kg:.1e}/kg".replace("+0", "")
            if dose.route == "pump":
                delivery = PumpDelivery(
                    pump_id=f"SIMPUMP{number}",
                    gateway_eui=f"22222222{self.model.spec.seed:08X}",
                    order=f"DOSE{number}-ORDER",
                    product=product,
                    volume_ml=DOSE_VOLUME_ML,
                    rate_ml_h=round(DOSE_VOLUME_ML / (dose.minutes / 60.0), 1),
                )
                for at, event, delivered in (
                    (start, DeliveryEvent.START, 0.0),
                    (end, DeliveryEvent.COMPLETE, DOSE_VOLUME_ML),
                ):
                    if t0 <= at < t1:
                        text = delivery_report(
                            delivery, self.monitor, event, at, self._control("PMP"), delivered
                        )
                        yield Message(at, "pump", text)
            elif t0 <= end + 5 * MINUTE < t1:  # the nurse documents a gravity dose just after
                yield Message(end + 5 * MINUTE, "emar", self._administration(start, end, product, number))

    def _administration(self, start: float, end: float, product: str, number: int) -> str:
        m = self.monitor
        return (
            "\r".join(
                [
                    f"MSH|^~\\&|SIM_EMAR|ICU|BEDSIDE|ICU|{format_dtm(end + 5 * MINUTE)}||RAS^O17^RAS_O17|"
                    f"{self._control('EMR')}|P|2.5.1|||AL|NE||UNICODE UTF-8",
                    f"PID|||{m.mrn}^^^{m.authority}^MR||{m.family_name}^{m.given_name}",
                    f"PV1||I|{m.unit}^{m.room}^{m.bed}",
                    f"ORC|RE|ORD-DOSE{number}|ADM-DOSE{number}",
                    f"RXA|0|1|{format_dtm(start)}|{format_dtm(end)}|ATMSC^{product}^L|{DOSE_VOLUME_ML:g}|mL^mL^UCUM|||||||||||||CP",
                ]
            )
            + "\r"
        )

    def _labs(self, t0: float, t1: float) -> Iterator[Message]:
        """Each draw reported an hour later (final), and the course's corrections (OBX-11 C) later
        still, all in time order."""
        corrections = {c["drawn"]: c for c in self.model.lab_corrections()}
        out: list[tuple[float, int, dict[str, float], str, float, bool]] = []
        for k, draw in enumerate(self.model.labs()):
            out.append((draw.at + HOUR, k, draw.values, "F", draw.at, draw.haemolysed))
            fix = corrections.get(draw.at)
            if fix is not None:
                out.append(
                    (fix["corrected_at"], k, {fix["analyte"]: fix["corrected_value"]}, "C", draw.at, False)
                )
        for reported, k, values, status, drawn, haemolysed in sorted(out, key=lambda x: x[0]):
            if t0 <= reported < t1:
                text = self._lab_message(k, values, status, drawn, reported, haemolysed)
                yield Message(reported, "lab", text)

    def _lab_message(
        self,
        k: int,
        values: dict[str, float],
        status: str,
        drawn: float,
        reported: float,
        haemolysed: bool = False,
    ) -> str:
        m = self.monitor
        filler = f"FIL-{self.model.spec.seed}-{k}"
        segs = [
            f"MSH|^~\\&|SIM_LIS|HOSP_LAB|BEDSIDE|ICU|{format_dtm(reported)}||ORU^R01^ORU_R01|"
            f"{self._control('LAB')}|P|2.5.1|||AL|NE||UNICODE UTF-8",
            f"PID|1||{m.mrn}^^^{m.authority}^MR||{m.family_name}^{m.given_name}",
            f"PV1|1|I|{m.unit}^{m.room}^{m.bed}",
            f"ORC|RE|ORD-{k}|{filler}",
            f"OBR|1|ORD-{k}|{filler}|24331-1^ICU panel^LN|||{format_dtm(drawn)}"
            f"|||||||||||||||{format_dtm(reported)}|||{status}",
        ]
        if haemolysed:
            segs.append("NTE|1||Sample haemolysed")
        for i, (key, value) in enumerate(values.items(), start=1):
            loinc, name, unit = LAB_UNITS[key]
            ranges = REFERENCE_RANGES.get(key, "") if self.model.spec.lab_ranges else ""
            segs.append(
                f"OBX|{i}|NM|{loinc}^{name}^LN||{value:g}|{unit}^{unit}^UCUM|{ranges}||||{status}|||"
                f"{format_dtm(drawn)}"
            )
        return "\r".join(segs) + "\r"
