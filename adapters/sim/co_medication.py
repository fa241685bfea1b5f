"""The demo's co-medication, as the eMAR's RAS^O17 messages: what a ventilated COVID-19 ARDS patient
typically receives around a cell dose (dexamethasone 6 mg daily per RECOVERY, prophylactic
enoxaparin, a noradrenaline infusion in the first day, one paracetamol before the first dose).
Synthetic, for `make run`; drug codes are ATC (WHO ATC/DDD Index), units UCUM."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.sim.message import Message
from bedside_adapters.sim.pcd01 import SimulatedMonitor

from bedside import i18n
from bedside.course import CourseModel
from bedside.course_spec import DAY, HOUR, MINUTE

SPANISH = {
    "H02AB02": ("Dexametasona", "Intravenosa"),
    "B01AB05": ("Enoxaparina", "Subcutánea"),
    "C01CA03": ("Noradrenalina", "Intravenosa"),
    "N02BE01": ("Paracetamol", "Intravenosa"),
}
"""A Spanish hospital's eMAR writes its drugs and routes in Spanish: the demo under `--lang es` sends
these (the ATC code, which classifies the drug, is the same; the English demo is unchanged)."""


@dataclass(frozen=True)
class Given:
    code: str
    name: str
    amount: str
    unit: str
    route: str
    route_text: str
    start: float
    end: float | None = None


def schedule(model: CourseModel) -> list[Given]:
    """The course's co-medication, in order of start: nothing starts after the patient leaves the
    ICU or dies, and an infusion running then ends then."""
    spec = model.spec
    s, end = spec.start, spec.start + spec.days * DAY
    left = min((h for h in (spec.death_hours, spec.icu_discharge_hours) if h is not None), default=None)
    if left is not None:
        end = min(end, s + left * HOUR)
    out: list[Given] = []
    day = 0
    while s + day * DAY + 2 * HOUR < end:
        at = s + day * DAY + 2 * HOUR
        out.append(Given("H02AB02", "Dexamethasone", "6", "mg", "IV", "Intravenous", at, at + 5 * MINUTE))
        out.append(Given("B01AB05", "Enoxaparin", "40", "mg", "SC", "Subcutaneous", at + 18 * HOUR))
        day += 1
    pressor_end = min(s + 30 * HOUR, end)
    out.append(Given("C01CA03", "Noradrenaline", "0.08", "ug/kg/min", "IV", "Intravenous", s, pressor_end))
    doses = model.dose_starts()
    if doses:
        at = doses[0] - 2 * HOUR
        out.append(Given("N02BE01", "Paracetamol", "1", "g", "IV", "Intravenous", at, at + 15 * MINUTE))
    if i18n.language() == "es":
        out = [replace(g, name=SPANISH[g.code][0], route_text=SPANISH[g.code][1]) for g in out]
    return sorted((g for g in out if g.start < end), key=lambda g: g.start)


def co_medication_messages(
    model: CourseModel, monitor: SimulatedMonitor, control: Callable[[str], str], t0: float, t1: float
) -> Iterator[Message]:
    """Each administration documented 5 min after it ends (or starts, for a single dose)."""
    for number, g in enumerate(schedule(model), start=1):
        sent = (g.end or g.start) + 5 * MINUTE
        if t0 <= sent < t1:
            yield Message(sent, "emar", _ras(monitor, control("EMR"), g, number, sent))


def _ras(m: SimulatedMonitor, control_id: str, g: Given, number: int, sent: float) -> str:
    end = format_dtm(g.end) if g.end is not None else ""
    return (
        "\r".join(
            [
                f"MSH|^~\\&|SIM_EMAR|ICU|BEDSIDE|ICU|{format_dtm(sent)}||RAS^O17^RAS_O17|{control_id}|P|2.5.1"
                "|||AL|NE||UNICODE UTF-8",
                f"PID|||{m.mrn}^^^{m.authority}^MR||{m.family_name}^{m.given_name}",
                f"PV1||I|{m.unit}^{m.room}^{m.bed}",
                f"ORC|RE|ORD-{g.code}|ADM-{g.code}-{number}",
                f"RXA|0|1|{format_dtm(g.start)}|{end}|{g.code}^{g.name}^ATC|{g.amount}|{g.unit}^{g.unit}^UCUM"
                "|||||||||||||CP",
                f"RXR|{g.route}^{g.route_text}^HL70162",
            ]
        )
        + "\r"
    )
