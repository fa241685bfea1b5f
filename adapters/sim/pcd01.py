"""Build IHE PCD-01 ORU^R01 messages as a monitor gateway sends them (for the demo and tests).

Synthetic, and labelled so in PID: SYNTHETIC is the family name of every simulated patient.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bedside_adapters.hl7.dtm import format_dtm

# parameter key → (MDC code, REFID, unit code, unit REFID), as in resources/parameters.toml.
MONITOR_CODES: dict[str, tuple[int, str, int, str]] = {
    "hr": (147842, "MDC_ECG_HEART_RATE", 264864, "MDC_DIM_BEAT_PER_MIN"),
    "spo2": (150456, "MDC_PULS_OXIM_SAT_O2", 262688, "MDC_DIM_PERCENT"),
    "pr_spo2": (149530, "MDC_PULS_OXIM_PULS_RATE", 264864, "MDC_DIM_BEAT_PER_MIN"),
    "abp_sys": (150033, "MDC_PRESS_BLD_ART_SYS", 266016, "MDC_DIM_MMHG"),
    "abp_dia": (150034, "MDC_PRESS_BLD_ART_DIA", 266016, "MDC_DIM_MMHG"),
    "abp_mean": (150035, "MDC_PRESS_BLD_ART_MEAN", 266016, "MDC_DIM_MMHG"),
    "nibp_sys": (150301, "MDC_PRESS_CUFF_SYS", 266016, "MDC_DIM_MMHG"),
    "nibp_dia": (150302, "MDC_PRESS_CUFF_DIA", 266016, "MDC_DIM_MMHG"),
    "nibp_mean": (150303, "MDC_PRESS_CUFF_MEAN", 266016, "MDC_DIM_MMHG"),
    "temp": (150344, "MDC_TEMP", 268192, "MDC_DIM_DEGC"),
    "rr": (151562, "MDC_RESP_RATE", 264928, "MDC_DIM_RESP_PER_MIN"),
    # ventilator
    "fio2": (152196, "MDC_CONC_AWAY_O2_INSP", 262688, "MDC_DIM_PERCENT"),
    "peep": (151976, "MDC_VENT_PRESS_AWAY_END_EXP_POS", 266048, "MDC_DIM_CM_H2O"),
    "ppeak": (151817, "MDC_PRESS_AWAY_INSP_MAX", 266048, "MDC_DIM_CM_H2O"),
    "pplat": (151784, "MDC_PRESS_RESP_PLAT", 266048, "MDC_DIM_CM_H2O"),
    "vt_exp": (152664, "MDC_VOL_AWAY_TIDAL_EXP", 263762, "MDC_DIM_MILLI_L"),
    "mv": (151880, "MDC_VOL_MINUTE_AWAY", 265216, "MDC_DIM_X_L_PER_MIN"),
    "vent_rr": (151586, "MDC_VENT_RESP_RATE", 264928, "MDC_DIM_RESP_PER_MIN"),
    # A setting is its measured code + 0x01000000 (resources/parameters.toml).
    "vent_rr_set": (151586 + 0x01000000, "MDC_VENT_RESP_RATE_SETTING", 264928, "MDC_DIM_RESP_PER_MIN"),
    "etco2": (151708, "MDC_CONC_AWAY_CO2_ET", 266016, "MDC_DIM_MMHG"),
}
STATE_ROWS = {"vent_mode": (184352, "MDC_VENT_MODE")}
MONITOR_MDS = (69965, "MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS")
VENTILATOR_MDS = (70001, "MDC_DEV_SYS_PT_VENT_MDS")


@dataclass(frozen=True)
class SimulatedMonitor:
    eui64: str = "0012345678ABCDEF"
    application: str = "SIM_MON"
    facility: str = "ICU_GW"
    mrn: str = "SIM4417"
    authority: str = "BEDSIDE_DEMO"
    family_name: str = "SYNTHETIC"
    given_name: str = "Patient A"
    unit: str = "ICU"
    room: str = "12"
    bed: str = "1"
    mds: tuple[int, str] = MONITOR_MDS
    birth_date: str = "19580101"
    """PID-7 of the ADT messages (HL7 DT), as a hospital's ADT system sends it."""
    sex: str = "F"
    """PID-8 of the ADT messages (HL7 table 0001)."""

    def admit_message(self, control_id: str, at: float) -> str:
        """The ADT^A01 that puts the synthetic patient in this monitor's bed (the ADT system's part)."""
        ts = format_dtm(at)
        return (
            "\r".join(
                [
                    f"MSH|^~\\&|SIM_ADT|HOSP|BEDSIDE|ICU|{ts}||ADT^A01^ADT_A01|{control_id}|P|2.5",
                    f"EVN|A01|{ts}||||{ts}",
                    f"PID|||{self.mrn}^^^{self.authority}^MR||{self.family_name}^{self.given_name}^^^^^L||{self.birth_date}|{self.sex}",
                    f"PV1||I|{self.unit}^{self.room}^{self.bed}||||||||||||||||V{self.mrn}",
                ]
            )
            + "\r"
        )

    def discharge_message(self, control_id: str, at: float, expired: bool) -> str:
        """The ADT^A03 that ends the stay in this bed: PV1-36 discharge disposition 20 (expired, HL7
        table 0112) with PID-29/30 death date and indicator, or 01 (discharged); PV1-45 the time."""
        ts = format_dtm(at)
        death = f"|{ts}|Y" if expired else ""
        pv1 = ["PV1", "", "I", f"{self.unit}^{self.room}^{self.bed}", *[""] * 15, f"V{self.mrn}"]
        pv1 += [""] * (36 - len(pv1)) + ["20" if expired else "01"] + [""] * 8 + [ts]
        return (
            "\r".join(
                [
                    f"MSH|^~\\&|SIM_ADT|HOSP|BEDSIDE|ICU|{ts}||ADT^A03^ADT_A03|{control_id}|P|2.5",
                    f"EVN|A03|{ts}||||{ts}",
                    f"PID|||{self.mrn}^^^{self.authority}^MR||{self.family_name}^{self.given_name}^^^^^L||{self.birth_date}|{self.sex}"
                    + ("|" * 20 + death if expired else ""),
                    "|".join(pv1),
                ]
            )
            + "\r"
        )

    def message(
        self, control_id: str, at: float, values: Mapping[str, float], states: Mapping[str, str] | None = None
    ) -> str:
        ts = format_dtm(at)
        sender = f"{self.application}^{self.eui64}^EUI-64"
        segments = [
            f"MSH|^~\\&|{sender}|{self.facility}|BEDSIDE|ICU|{ts}||ORU^R01^ORU_R01|{control_id}|P|2.6|||AL|NE"
            "||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO",
            f"PID|||{self.mrn}^^^{self.authority}^MR||{self.family_name}^{self.given_name}^^^^^L",
            f"PV1||I|{self.unit}^{self.room}^{self.bed}",
            f"OBR|1|{control_id}^{self.application}^{self.eui64}^EUI-64|{control_id}^{self.application}^"
            f"{self.eui64}^EUI-64|182777000^monitoring of patient^SCT|||{ts}",
            f"OBX|1||{self.mds[0]}^{self.mds[1]}^MDC|1.0.0.0|||||||X|||||||{self.eui64}^^{self.eui64}^EUI-64",
        ]
        n = 1
        for channel, (key, value) in enumerate(values.items(), start=1):
            if value != value:  # NaN: the sensor has no value now (probe off), so no row
                continue
            code, refid, unit_code, unit_refid = MONITOR_CODES[key]
            n += 1
            segments.append(
                f"OBX|{n}|NM|{code}^{refid}^MDC|1.{channel}.1.{code}|{value:g}|{unit_code}^{unit_refid}^MDC"
                f"|||||R|||{ts}"
            )
        for key, text in (states or {}).items():
            n += 1
            code, refid = STATE_ROWS[key]
            segments.append(f"OBX|{n}|ST|{code}^{refid}^MDC|1.9.1.{code}|{text}||||||R|||{ts}")
        return "\r".join(segments) + "\r"
