"""The daily SOFA score from the data Bedside holds, each component with the value it came from.

Sequential Organ Failure Assessment: Vincent et al., Intensive Care Med 1996;22:707-10, table 1 (the
published thresholds; each component the worst value of the day). A component without its data is
"missing" with the reason, never imputed as normal, and the total names how many components it sums:
"SOFA 9 (5 of 6 components)". Components:

- Respiration: PaO2/FiO2 (mmHg) of each arterial blood gas with the FiO2 in force; 3 and 4 need
  respiratory support, taken as a ventilator reporting PEEP at the draw (without one, at most 2).
- Coagulation: platelets (10⁹/L, the same number as 10³/µL).
- Liver: total bilirubin, scored on the table's µmol/L column (mg/dL results are converted at ingest).
- Cardiovascular: the lowest mean arterial pressure held for 5 minutes (the median of each 5-minute
  window of the arterial line, so a flush or a zeroing is not scored; a cuff's readings as they are),
  and the vasopressor rates in µg/kg/min given for at least an hour, when they are recorded.
- Central nervous system: the Glasgow Coma Scale total as recorded. For a sedated patient the SOFA
  convention is the GCS assumed without sedation; Bedside cannot tell an assessed GCS from an assumed
  one, so the component says it is the GCS as recorded.
- Renal: creatinine, scored on the table's µmol/L column. Urine output is not recorded by Bedside, so
  the component says its urine-output criterion was not assessed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bedside.i18n import N_, _
from bedside.oxygenation import pf_ratios
from bedside.review import DAY, HOUR, Samples, in_force
from bedside.units import display_unit, format_number

SYSTEMS: tuple[str, ...] = (
    N_("Respiration"),
    N_("Coagulation"),
    N_("Liver"),
    N_("Cardiovascular"),
    N_("CNS"),
    N_("Renal"),
)
"""The components by their English names (a component's `system`); `_(system)` where shown. Their
values, sources, reasons and notes are worded in the reader's language when the score is computed."""
_ANALYTES = (N_("platelets"), N_("bilirubin"), N_("creatinine"), N_("GCS"))
"""The analytes' names as the cells and reasons show them (translated there)."""
MAP_WINDOW = 300.0
"""A mean arterial pressure counts when it is the median of a 5-minute window of the arterial line."""
SUPPORT_MAX_AGE = HOUR
"""A ventilator that reported PEEP within this before a blood gas was supporting the patient then."""
VASOPRESSOR_MIN_DURATION = HOUR
"""Vincent 1996: "adrenergic agents administered for at least 1 h"."""


# ---- the published thresholds (Vincent 1996, table 1) -------------------------------------------------


def respiration_score(pf: float, supported: bool) -> int:
    """PaO2/FiO2 in mmHg: <400 → 1, <300 → 2, <200 with support → 3, <100 with support → 4."""
    if pf < 100 and supported:
        return 4
    if pf < 200 and supported:
        return 3
    if pf < 300:
        return 2
    if pf < 400:
        return 1
    return 0


def coagulation_score(platelets: float) -> int:
    """Platelets in 10⁹/L: <150 → 1, <100 → 2, <50 → 3, <20 → 4."""
    for limit, score in ((20, 4), (50, 3), (100, 2), (150, 1)):
        if platelets < limit:
            return score
    return 0


def liver_score(bilirubin_umol_l: float) -> int:
    """Bilirubin in µmol/L: 20-32 → 1, 33-101 → 2, 102-204 → 3, >204 → 4. The table's bands are
    whole numbers; a value between two bands (32.5) belongs to the lower one."""
    if bilirubin_umol_l > 204:
        return 4
    if bilirubin_umol_l >= 102:
        return 3
    if bilirubin_umol_l >= 33:
        return 2
    if bilirubin_umol_l >= 20:
        return 1
    return 0


def renal_score(creatinine_umol_l: float) -> int:
    """Creatinine in µmol/L: 110-170 → 1, 171-299 → 2, 300-440 → 3, >440 → 4 (the urine-output
    criteria are not assessed: Bedside has no urine output). Between two bands: the lower one."""
    if creatinine_umol_l > 440:
        return 4
    if creatinine_umol_l >= 300:
        return 3
    if creatinine_umol_l >= 171:
        return 2
    if creatinine_umol_l >= 110:
        return 1
    return 0


def cns_score(gcs: float) -> int:
    """Glasgow Coma Scale: 13-14 → 1, 10-12 → 2, 6-9 → 3, <6 → 4."""
    if gcs < 6:
        return 4
    if gcs < 10:
        return 3
    if gcs < 13:
        return 2
    if gcs < 15:
        return 1
    return 0


def map_score(mean_arterial_pressure: float) -> int:
    """MAP < 70 mmHg → 1."""
    return 1 if mean_arterial_pressure < 70 else 0


VASOPRESSORS = ("dopamine", "dobutamine", "adrenaline", "noradrenaline")


def vasopressor_score(drug: str, rate_ug_kg_min: float) -> int:
    """µg/kg/min: dopamine ≤5 or dobutamine (any dose) → 2; dopamine >5, adrenaline ≤0.1 or
    noradrenaline ≤0.1 → 3; dopamine >15, adrenaline >0.1 or noradrenaline >0.1 → 4."""
    if rate_ug_kg_min <= 0:
        return 0
    if drug == "dobutamine":
        return 2
    if drug == "dopamine":
        return 4 if rate_ug_kg_min > 15 else 3 if rate_ug_kg_min > 5 else 2
    if drug in ("adrenaline", "noradrenaline"):
        return 4 if rate_ug_kg_min > 0.1 else 3
    raise ValueError(f"not a SOFA vasopressor: {drug}")


# ---- the day's components ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VasopressorRate:
    """One rate of one vasopressor, as recorded: from `start` until `end` (None: still running)."""

    drug: str
    """dopamine, dobutamine, adrenaline or noradrenaline."""
    rate: float | None
    """µg/kg/min; None when it was recorded in another unit (not scored: it would need the weight)."""
    start: float
    end: float | None
    as_recorded: str = ""
    """The rate and unit as the record has them, for the screen ('8 mL/h')."""


@dataclass(frozen=True)
class Component:
    """One organ system on one day: its score and the value it came from, or why it is missing."""

    system: str
    score: int | None
    value: str = ""
    """The value scored, as a clinician writes it ('P/F 152 on FiO2 50 %, ventilated')."""
    at: float | None = None
    """When that value was measured (drawn, charted, or the start of its 5-minute window)."""
    source: str = ""
    """Where it came from ('blood gas PaO2 + ventilator FiO2', 'lab LOINC 777-3')."""
    missing: str = ""
    """Why there is no score (no result this day…); '' when scored."""
    note: str = ""
    """What the score does not include ('vasopressor data not recorded: scored from MAP only')."""


@dataclass(frozen=True)
class SofaDay:
    index: int
    """Day 0 starts at the anchor (the first dose), day -1 is the 24 h before it."""
    start: float
    end: float
    components: tuple[Component, ...]

    @property
    def scored(self) -> list[Component]:
        return [c for c in self.components if c.score is not None]

    @property
    def total(self) -> int | None:
        scored = self.scored
        return sum(c.score for c in scored if c.score is not None) if scored else None

    def total_text(self) -> str:
        """'SOFA 9' only when all six components are scored from all their criteria; otherwise what
        it sums: 'SOFA 9 (5 of 6 components)'; never a number when nothing could be scored."""
        scored = self.scored
        if not scored:
            return _("SOFA not computable (no component has data)")
        text = f"SOFA {self.total}"
        if len(scored) < len(self.components):
            text += " " + _("({n} of {total} components)").format(n=len(scored), total=len(self.components))
        return text

    def component(self, system: str) -> Component:
        return next(c for c in self.components if c.system == system)


@dataclass
class SofaInputs:
    """Every stream the score reads, in canonical units, sorted by time."""

    pao2: Samples = field(default_factory=Samples)
    fio2: Samples = field(default_factory=Samples)
    """FiO2 in %, from the ventilator."""
    peep: Samples = field(default_factory=Samples)
    platelets: Samples = field(default_factory=Samples)
    bilirubin: Samples = field(default_factory=Samples)
    creatinine: Samples = field(default_factory=Samples)
    gcs: Samples = field(default_factory=Samples)
    arterial_map: Samples = field(default_factory=Samples)
    cuff_map: Samples = field(default_factory=Samples)
    vasopressors: Sequence[VasopressorRate] | None = None
    """None: vasopressors are not recorded at all (not the same as none given)."""
    unscorable: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    """Analyte → results that exist but cannot be scored (time, as sent): a bound such as '<20', a
    unit the catalogue cannot convert. Named in the missing reason, so a day with such a result is
    never reported as a day without one."""


def _window(s: Samples, start: float, end: float) -> Samples:
    if not len(s):
        return s
    lo = int(np.searchsorted(s.times, start, side="left"))
    hi = int(np.searchsorted(s.times, end, side="left"))
    ok = np.isfinite(s.values[lo:hi])
    return Samples(s.times[lo:hi][ok], s.values[lo:hi][ok])


def _lab(
    system: str,
    s: Samples,
    start: float,
    end: float,
    worst: str,
    score: Callable[[float], int],
    name: str,
    unit: str,
    loinc: str,
    unscorable: Sequence[tuple[float, str]] = (),
) -> Component:
    """The day's worst result of one analyte (`worst`: "low" or "high") and its score."""
    day = _window(s, start, end)
    if not len(day):
        return Component(
            system,
            None,
            source=_("lab LOINC {loinc}").format(loinc=loinc),
            missing=_none_scorable(name, unscorable, start, end),
        )
    i = int(np.argmin(day.values) if worst == "low" else np.argmax(day.values))
    value = float(day.values[i])
    # One decimal at most: a result sent in mg/dL and converted (1.43 mg/dL = 126.412 µmol/L) is not
    # shown with a precision the lab never measured; the score uses the value itself.
    shown = f"{_(name)} {format_number(round(value, 1))} {display_unit(unit)}".strip()
    source = _("lab LOINC {loinc}").format(loinc=loinc)
    return Component(system, score(value), shown, float(day.times[i]), source)


def _none_scorable(name: str, unscorable: Sequence[tuple[float, str]], start: float, end: float) -> str:
    texts = [text for at, text in unscorable if start <= at < end]
    if not texts:
        return _("no {analyte} result this day").format(analyte=_(name))
    return _("{analyte} only as {results}: not scorable").format(analyte=_(name), results=", ".join(texts))


def respiration(inputs: SofaInputs, start: float, end: float) -> Component:
    source = _("blood gas PaO2 + ventilator FiO2")
    gases = _window(inputs.pao2, start, end)
    if not len(gases):
        return Component(
            "Respiration", None, source=source, missing=_("no arterial blood gas (PaO2) this day")
        )
    ratios = pf_ratios(
        list(zip(gases.times.tolist(), gases.values.tolist(), strict=True)),
        inputs.fio2.times,
        inputs.fio2.values,
    )
    if not ratios:
        return Component(
            "Respiration",
            None,
            source=source,
            missing=_("PaO2 without a FiO2 in force at the draw (within 1 h)"),
        )
    best: tuple[int, float, float, float, bool, float | None] | None = None
    for at, pf, fio2 in ratios:
        peep = in_force(inputs.peep, at, SUPPORT_MAX_AGE)
        supported = peep is not None
        score = respiration_score(pf, supported)
        if best is None or (score, -pf) > (best[0], -best[2]):
            best = (score, at, pf, fio2, supported, None if peep is None else peep.value)
    assert best is not None
    score, at, pf, fio2, supported, peep_value = best
    support = (
        _("ventilated, PEEP {peep}").format(peep=format_number(peep_value, 0))
        if supported and peep_value is not None
        else _("no ventilator reporting, scored without respiratory support")
    )
    return Component(
        "Respiration",
        score,
        _("P/F {pf}, FiO2 {fio2} %, {support}").format(
            pf=format_number(pf, 0), fio2=format_number(fio2, 0), support=support
        ),
        at,
        source,
    )


def _lowest_map(inputs: SofaInputs, start: float, end: float) -> tuple[float, float, str] | None:
    line = _window(inputs.arterial_map, start, end)
    if len(line):
        bins = np.floor((line.times - start) / MAP_WINDOW).astype(np.int64)
        edges = np.flatnonzero(np.diff(bins)) + 1
        lowest: tuple[float, float] | None = None
        for chunk_t, chunk_v in zip(np.split(line.times, edges), np.split(line.values, edges), strict=True):
            m = float(np.median(chunk_v))
            if lowest is None or m < lowest[0]:
                lowest = (m, float(chunk_t[0]))
        assert lowest is not None
        return lowest[0], lowest[1], _("arterial line (lowest 5-minute median)")
    cuff = _window(inputs.cuff_map, start, end)
    if len(cuff):
        i = int(np.argmin(cuff.values))
        return float(cuff.values[i]), float(cuff.times[i]), _("cuff (NIBP), lowest reading")
    return None


def _ran_for(v: VasopressorRate, start: float, end: float, now: float) -> float:
    """How long this rate ran inside [start, end)."""
    stop = min(end, now if v.end is None else v.end)
    return max(0.0, stop - max(start, v.start))


def cardiovascular(inputs: SofaInputs, start: float, end: float, now: float) -> Component:
    lowest = _lowest_map(inputs, start, end)
    notes: list[str] = []
    score: int | None = None
    value, at, source = "", None, ""
    if lowest is not None:
        pressure, at, source = lowest
        score = map_score(pressure)
        value = _("MAP {pressure} mmHg").format(pressure=format_number(pressure, 0))
    if inputs.vasopressors is None:
        notes.append(_("vasopressor data not recorded: scored from MAP only"))
    else:
        best: tuple[int, VasopressorRate] | None = None
        unscored = []
        for v in inputs.vasopressors:
            if v.drug not in VASOPRESSORS or _ran_for(v, start, end, now) < VASOPRESSOR_MIN_DURATION:
                continue
            if v.rate is None:
                unscored.append(f"{v.drug} {v.as_recorded}".strip())
                continue
            s = vasopressor_score(v.drug, v.rate)
            if best is None or s > best[0]:
                best = (s, v)
        if unscored:
            notes.append(_("not in µg/kg/min, not scored: {rates}").format(rates=", ".join(unscored)))
        if best is not None and (score is None or best[0] > score):
            v = best[1]
            score, at = best[0], max(v.start, start)
            value = f"{v.drug} {format_number(v.rate or 0.0)} µg/kg/min" + (f", {value}" if value else "")
            source = _("co-medication record") + (f"; {source}" if source else "")
        elif best is None and not unscored:
            notes.append(_("no vasopressor recorded (eMAR or entered) for an hour or more this day"))
    if score is None:
        return Component(
            "Cardiovascular",
            None,
            source=_("arterial line or cuff MAP"),
            missing=_("no mean arterial pressure this day"),
            note="; ".join(notes),
        )
    return Component("Cardiovascular", score, value, at, source, note="; ".join(notes))


def cns(inputs: SofaInputs, start: float, end: float) -> Component:
    unscorable = inputs.unscorable.get("gcs", ())
    c = _lab("CNS", inputs.gcs, start, end, "low", cns_score, "GCS", "{score}", "9269-2", unscorable)
    if c.score is None:
        texts = [text for at, text in unscorable if start <= at < end]
        missing = (
            _("{analyte} only as {results}: not scorable").format(analyte="GCS", results=", ".join(texts))
            if texts
            else _("no GCS recorded this day")
        )
        return Component("CNS", None, source=_("charted GCS (LOINC 9269-2)"), missing=missing)
    return Component(
        "CNS",
        c.score,
        c.value,
        c.at,
        _("charted GCS (LOINC 9269-2)"),
        note=_("GCS as recorded (if sedated: the GCS the team assumes without sedation)"),
    )


def renal(inputs: SofaInputs, start: float, end: float) -> Component:
    c = _lab(
        "Renal",
        inputs.creatinine,
        start,
        end,
        "high",
        renal_score,
        "creatinine",
        "umol/L",
        "2160-0",
        inputs.unscorable.get("creatinine", ()),
    )
    return Component(
        "Renal",
        c.score,
        c.value,
        c.at,
        c.source,
        c.missing,
        note=_("urine output not recorded: creatinine only"),
    )


def sofa_day(inputs: SofaInputs, index: int, start: float, end: float, now: float) -> SofaDay:
    return SofaDay(
        index,
        start,
        end,
        (
            respiration(inputs, start, end),
            _lab(
                "Coagulation",
                inputs.platelets,
                start,
                end,
                "low",
                coagulation_score,
                "platelets",
                "10*9/L",
                "777-3",
                inputs.unscorable.get("platelets", ()),
            ),
            _lab(
                "Liver",
                inputs.bilirubin,
                start,
                end,
                "high",
                liver_score,
                "bilirubin",
                "umol/L",
                "1975-2",
                inputs.unscorable.get("bilirubin", ()),
            ),
            cardiovascular(inputs, start, end, now),
            cns(inputs, start, end),
            renal(inputs, start, end),
        ),
    )


def daily_sofa(inputs: SofaInputs, anchor: float, first: float, now: float) -> list[SofaDay]:
    """One SOFA per 24 h from `first` to `now`, the days counted from `anchor` (day 0 starts there),
    newest last. A day still running is scored from what it has so far."""
    if not (math.isfinite(anchor) and math.isfinite(first) and math.isfinite(now)) or now <= first:
        return []
    lo = math.floor((first - anchor) / DAY)
    hi = math.ceil((now - anchor) / DAY)
    return [sofa_day(inputs, k, anchor + k * DAY, anchor + (k + 1) * DAY, now) for k in range(lo, hi)]
