"""IHE PCD-01 (ORU^R01 from monitors and ventilators) → observations.

Rules (IHE PCD Technical Framework, PCD-01): key on the MDC numeric code (OBX-3.1)
with the REFID as a cross-check; OBX-4 only tells instances apart; hierarchy rows (OBX-11 X) are
skipped; DEMO-flagged values and -999-style sentinels never become observations; observation time is
OBX-14, else OBR-7, else MSH-7. Everything that is not mapped is counted with its reason, because
the raw message is kept and an integration engineer must be able to see why a value is missing.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import tzinfo

from bedside_adapters.hl7.dtm import DtmError, parse_dtm
from bedside_adapters.hl7.er7 import Delimiters, Er7Message, Segment, unescape

from bedside.model import DeviceState, Observation, Parameter, Patient, PatientRef, SeriesKey
from bedside.parameters import ParameterCatalog

# Device states sent as text (CWE/ST), kept as states rather than numbers.
STATE_CODES = {"184352": "vent_mode", "184519": "pump_infusing_status", "184514": "pump_drug_label"}
_SENTINELS = {-999.0, -99.9, -9999.0}
_PLACEHOLDER_IDS = {"", "UNKNOWN PATIENT", "UNKNOWN"}


class MappingError(ValueError):
    """A content error: the message is quarantined under `category` and answered AE (ERR `err_code`)."""

    def __init__(self, reason: str, err_code: int = 102, category: str = "content") -> None:
        super().__init__(reason)
        self.reason = reason
        self.err_code = err_code
        self.category = category


@dataclass(frozen=True, slots=True)
class DeviceReport:
    """A PCD-01 message read into the domain: who, from which device, which values."""

    sender: str
    patient: Patient | None
    """The patient the device reported in PID: informational only. Values are stored against the
    device and reach a patient through the bed it is bound to (bedside.adt)."""
    observations: tuple[Observation, ...]
    obx_total: int
    skipped: dict[str, int] = field(default_factory=dict)
    """Reason → number of OBX rows that did not become an observation."""
    bed: str = ""
    """PV1-3 (unit^room^bed): where the device says it is."""
    states: tuple[DeviceState, ...] = ()


def field_time(text: str, sender_zone: tzinfo, what: str) -> float | None:
    """A date/time field, or None when empty; a malformed one is a content error (ERR 102)."""
    if not text:
        return None
    try:
        return parse_dtm(text, sender_zone)
    except DtmError as exc:
        raise MappingError(f"{what}: {exc}", 102) from None


def sender_of(msg: Er7Message) -> str:
    """MSH-3 (and MSH-4) as one readable id: `GW^0012345678ABCDEF^EUI-64 @ ICU_GW`."""
    app = "^".join(c for c in msg.msh.components(3)) or "(no MSH-3)"
    facility = msg.msh.get(4)
    return f"{app} @ {facility}" if facility else app


def patient_of(msg: Er7Message, bed: str | None = None) -> Patient | None:
    """PID-3 (id and authority), PID-5, PID-7, PID-8 and PV1-3; `bed` when the caller has read PV1-3
    already."""
    pid = msg.first("PID")
    if pid is None:
        return None
    ident, authority = pid.get(3, 1), pid.get(3, 4)
    if ident.strip().upper() in _PLACEHOLDER_IDS:
        return None  # not yet associated with a patient at the device: never guess one
    return Patient(
        PatientRef(ident, authority),
        pid.get(5, 1),
        pid.get(5, 2),
        _bed_of(msg) if bed is None else bed,
        # PID-7 (date/time of birth) and PID-8 (administrative sex) as sent, for the trial's
        # demographics; read as dates and codes only where they are used.
        pid.get(7, 1).strip()[:24],
        pid.get(8, 1).strip().upper()[:20],
    )


def _bed_of(msg: Er7Message) -> str:
    pv1 = msg.first("PV1")
    if pv1 is None:
        return ""
    return "^".join((pv1.get(3, 1), pv1.get(3, 2), pv1.get(3, 3))).rstrip("^")


def _device_of(obx: Segment, fallback: str) -> str:
    if len(obx.fields) <= 18 or not obx.fields[18]:
        return fallback
    # EI: the entity identifier (component 1) names the device itself; the universal id
    # (component 3) names who assigned it, which behind a pump gateway is the gateway's EUI-64,
    # shared by all its pumps. So the entity identifier first.
    comps = obx.components(18)
    if comps and comps[0]:
        return comps[0]
    if len(comps) >= 3 and comps[2]:
        return comps[2]
    return fallback


_MEANINGS: dict[int, dict[tuple[str, ...], tuple[Parameter, float, float] | tuple[str] | str]] = {}


def _meaning(
    value_type: str, obx3: str, obx6: str, d: Delimiters, catalog: ParameterCatalog
) -> tuple[Parameter, float, float] | str:
    """(parameter, factor, offset to its canonical unit) for a row, or why it maps to nothing."""
    comp, rep = d.component, d.repetition
    code = obx3.split(rep, 1)[0].split(comp)
    if not code[0].isdigit():
        return "code is not an MDC numeric code"
    parameter = catalog.by_code(int(code[0]))
    if parameter is None:
        return "MDC code not in the parameter table"
    refid = unescape(code[1], d) if len(code) > 1 else ""
    if refid and refid not in parameter.refids:
        return "REFID does not match the MDC code"
    if value_type != "NM":
        return "value type is not NM"
    units = [unescape(c, d) for c in obx6.split(rep, 1)[0].split(comp)]
    ucum_text = units[3] if len(units) > 3 and units[3] else units[0]
    unit = catalog.unit_for(int(units[0]) if units[0].isdigit() else None, ucum_text)
    conversion = parameter.conversion(unit) if unit else None
    if conversion is None:
        return "unit missing or not convertible to the parameter's unit"
    return parameter, conversion[0], conversion[1]


_SERIES: dict[tuple[str, ...], SeriesKey] = {}
"""(parameter, OBX-4, OBX-18, containing device) → the series key: rebuilding it for every value
(unescaping OBX-4, splitting OBX-18) was a fifth of reading a message."""


def read_pcd01(
    msg: Er7Message,
    catalog: ParameterCatalog,
    received_at: float,
    sender_zone: tzinfo,
    sender: str | None = None,
) -> DeviceReport:
    meanings = _MEANINGS.setdefault(id(catalog), {})
    msh = msg.msh
    sender = sender or sender_of(msg)
    bed = _bed_of(msg)
    patient = patient_of(msg, bed)
    msh_device = msh.get(3, 2) or msh.get(3, 1) or sender
    msh_time = field_time(msh.get(7), sender_zone, "MSH-7")

    observations: list[Observation] = []
    states: list[DeviceState] = []
    skipped: Counter[str] = Counter()
    obr_time = None
    mds_device = msh_device
    obx_total = 0
    d = msg.delimiters
    comp, rep = d.component, d.repetition
    patient_ref = None  # never from PID: through the device's bed binding (adt_store.bind_devices)
    time_cache: dict[str, float] = {}  # a message's OBX rows mostly share one OBX-14
    for seg in msg.segments:
        name = seg.name
        if name != "OBX":
            if name == "OBR":
                obr_time = field_time(seg.get(7), sender_zone, "OBR-7")
            continue
        obx_total += 1
        # The hot loop: each OBX is split once here instead of once per field access.
        f = seg.fields
        if len(f) < 19:
            f = f + ("",) * (19 - len(f))
        status = f[11]
        if status in ("X", "x") or (not f[2] and not f[5]):
            # Containment row (MDS/VMD/channel): it names the device for the rows below it.
            if f[4].endswith(".0.0.0"):
                mds_device = _device_of(seg, msh_device)
            skipped["hierarchy row"] += 1
            continue
        # What a row means depends only on OBX-2, -3 and -6 (and the delimiters): memoised, since a
        # device sends the same few rows every few seconds. A state row's meaning is its state key.
        meaning_key = (f[2], f[3], f[6], comp, rep)
        meaning = meanings.get(meaning_key)
        if meaning is None:
            state_key = STATE_CODES.get(f[3].split(comp, 1)[0])
            meaning = (state_key,) if state_key else _meaning(f[2], f[3], f[6], d, catalog)
            if len(meanings) < 50_000:
                meanings[meaning_key] = meaning
        if len(meaning) == 1 and not isinstance(meaning, str):
            if f[5]:
                # A state sent as text (CWE/ST): the code's text, else the code itself.
                parts = [*f[5].split(rep, 1)[0].split(comp), ""]
                value = unescape(parts[1] or parts[0], d)
                at = field_time(f[14], sender_zone, "OBX-14") if f[14] else (obr_time or msh_time)
                device = _device_of(seg, mds_device) if f[18] else mds_device
                if at is not None:
                    states.append(DeviceState(device, meaning[0], value, at))
                    continue
            meaning = _meaning(f[2], f[3], f[6], d, catalog)
        if isinstance(meaning, str):
            skipped[meaning] += 1
            continue
        parameter, factor, offset = meaning
        if f[8] and any(flag.upper() == "DEMO" for flag in f[8].split(rep)):
            skipped["DEMO-flagged value"] += 1
            continue
        text = f[5]
        if rep in text:
            text = text.split(rep, 1)[0]
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if math.isnan(value) or value in _SENTINELS:
            skipped["no numeric value"] += 1
            continue
        value = value * factor + offset  # to the canonical unit, at the edge (rule 4)
        if not parameter.physical_min <= value <= parameter.physical_max:
            # Checked after the conversion, which can overflow (1e308 kPa is inf mm[Hg]): such a
            # value is not a measurement, and storing it would break every reader of the series.
            why = parameter.implausible(value)
            raise MappingError(f"OBX {obx_total} ({text[:40]}): {why}", 102, "implausible_value")
        obx14 = f[14]
        if obx14:
            observed_at = time_cache.get(obx14)
            if observed_at is None:
                try:
                    observed_at = time_cache[obx14] = parse_dtm(obx14, sender_zone)
                except DtmError:
                    skipped["OBX-14 is not a date/time"] += 1
                    continue
        else:
            observed_at = obr_time or msh_time
        if observed_at is None:
            skipped["no observation time (OBX-14, OBR-7, MSH-7 all empty)"] += 1
            continue
        series_key = (parameter.key, f[4], f[18], mds_device, d.escape)
        key = _SERIES.get(series_key)
        if key is None:
            device = _device_of(seg, mds_device) if f[18] else mds_device
            key = SeriesKey(patient_ref, parameter.key, parameter.unit, device, unescape(f[4], d))
            if len(_SERIES) > 50_000:  # bounded: a site has a few thousand device channels
                _SERIES.clear()
            _SERIES[series_key] = key
        observations.append(Observation(key, observed_at, received_at, value, status or "R"))
    return DeviceReport(sender, patient, tuple(observations), obx_total, dict(skipped), bed, tuple(states))
