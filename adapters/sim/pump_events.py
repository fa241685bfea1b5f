"""A smart pump's IHE PCD-10 event reports (ORU^R42), built as the framework's IPEC event report is:
the pump's MDS row (its own id in OBX-18), the event in an MDC_ATTR_EVT_COND row's OBX-5 with the
fluid source it concerns in MDC_ATTR_EVT_SOURCE, then the delivery info and the primary source's
parameters the framework requires with each delivery event (infusing status, current flow, active
sources, current delivery status, not-delivering reason on a stop, program delivery mode, channel
label, rate, volume programmed, cumulative volume delivered, volume remaining, drug label).
Terms whose codes the framework still lists as pending carry code 0, as in its sample message.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bedside_adapters.hl7.dtm import format_dtm
from bedside_adapters.sim.pcd01 import SimulatedMonitor

PROFILE = "IHE_PCD_010^IHE PCD^1.3.6.1.4.1.19376.1.6.4.10^ISO"
ML = "263762^MDC_DIM_MILLI_L^MDC^mL^mL^UCUM"
ML_PER_H = "265266^MDC_DIM_MILLI_L_PER_HR^MDC^mL/h^mL/h^UCUM"


class DeliveryEvent(enum.Enum):
    START = "197288^MDC_EVT_PUMP_DELIV_START^MDC"
    STOP = "0^MDC_EVT_PUMP_DELIV_STOP^MDC"
    COMPLETE = "197292^MDC_EVT_PUMP_DELIV_COMP^MDC"


@dataclass(frozen=True)
class PumpDelivery:
    """One programmed delivery on one pump, as the report describes it."""

    pump_id: str
    """The pump's own id (MDS OBX-18), not the gateway's EUI-64."""
    gateway_eui: str
    order: str
    """The delivery's order id (OBR-3), the same in every report of the delivery."""
    product: str
    volume_ml: float
    rate_ml_h: float


def delivery_report(
    delivery: PumpDelivery,
    patient: SimulatedMonitor,
    event: DeliveryEvent,
    at: float,
    control_id: str,
    delivered_ml: float,
    stop_reason: str = "pump-stopped-not-specified",
) -> str:
    """The report of one delivery event at `at` with `delivered_ml` given so far."""
    ts = format_dtm(at)
    d, m = delivery, patient
    delivering = event is DeliveryEvent.START
    status = "delivering" if delivering else "not-delivering"
    rows = [
        _row(
            "",
            "70049^MDC_DEV_PUMP_INFUS_LVP_MDS^MDC",
            "1.0.0.0",
            equipment=f"{d.pump_id}^^{d.gateway_eui}^EUI-64",
        ),
        _row("CWE", "68487^MDC_ATTR_EVT_COND^MDC", "1.0.0.2", event.value),
        _row("ST", "68488^MDC_ATTR_EVT_SOURCE^MDC", "1.0.0.3", "1.1.2.0"),
        _row("", "70050^MDC_DEV_PUMP_INFUS_LVP_VMD^MDC", "1.1.0.0"),
        _row("", "0^MDC_DEV_PUMP_DELIVERY_INFO^MDC", "1.1.1.0"),
        _row(
            "CWE",
            "184519^MDC_PUMP_INFUSING_STATUS^MDC",
            "1.1.1.1",
            f"^pump-status-{'' if delivering else 'not-'}infusing",
        ),
        _row(
            "NM",
            "0^MDC_FLOW_FLUID_PUMP_CURRENT^MDC",
            "1.1.1.2",
            f"{d.rate_ml_h if delivering else 0:g}",
            ML_PER_H,
        ),
        _row("CWE", "0^MDC_DEV_PUMP_ACTIVE_SOURCES^MDC", "1.1.1.3", "^pump-source-info-primary"),
        _row("", "0^MDC_DEV_PUMP_INFUSATE_SOURCE_PRIMARY^MDC", "1.1.2.0"),
        _row(
            "CWE", "0^MDC_DEV_PUMP_CURRENT_DELIVERY_STATUS^MDC", "1.1.2.1", f"^pump-delivery-status-{status}"
        ),
    ]
    if not delivering:
        rows.append(_row("CWE", "0^MDC_DEV_PUMP_NOT_DELIVERING_REASON^MDC", "1.1.2.11", f"^{stop_reason}"))
    rows += [
        _row(
            "CWE",
            "0^MDC_DEV_PUMP_PROGRAM_DELIVERY_MODE^MDC",
            "1.1.2.2",
            "^pump-program-delivery-mode-continuous",
        ),
        _row("ST", "0^MDC_DEV_PUMP_SOURCE_CHANNEL_LABEL^MDC", "1.1.2.3", "Primary"),
        _row("NM", "157784^MDC_FLOW_FLUID_PUMP^MDC", "1.1.2.4", f"{d.rate_ml_h:g}", ML_PER_H),
        _row("NM", "157884^MDC_VOL_FLUID_TBI^MDC", "1.1.2.6", f"{d.volume_ml:g}", ML),
        _row("NM", "157993^MDC_VOL_FLUID_DELIV_TOTAL^MDC", "1.1.2.7", f"{delivered_ml:g}", ML),
        _row(
            "NM",
            "157872^MDC_VOL_FLUID_TBI_REMAIN^MDC",
            "1.1.2.8",
            f"{max(d.volume_ml - delivered_ml, 0.0):g}",
            ML,
        ),
        _row("ST", "184514^MDC_DRUG_NAME_LABEL^MDC", "1.1.2.10", d.product),
    ]
    segments = [
        f"MSH|^~\\&|SIM_PUMP^{d.gateway_eui}^EUI-64|ICU_PUMPS|BEDSIDE|ICU|{ts}||ORU^R42^ORU_R01|{control_id}|P|2.6"
        f"|||AL|NE||UNICODE UTF-8|||{PROFILE}",
        f"PID|||{m.mrn}^^^{m.authority}^MR||{m.family_name}^{m.given_name}",
        f"PV1||I|{m.unit}^{m.room}^{m.bed}",
        f"OBR|1|{d.order}^SIM_PUMP|{d.order}^SIM_PUMP|ATMSC^{d.product}|||{ts}",
    ]
    segments += [f"OBX|{n}|{row}" for n, row in enumerate(rows, start=1)]
    return "\r".join(segments) + "\r"


def _row(
    value_type: str, identifier: str, sub_id: str, value: str = "", units: str = "", equipment: str = ""
) -> str:
    """OBX-2 to OBX-18: a containment row (no value) is status X, a value row R."""
    status = "R" if value else "X"
    tail = f"|||||||{equipment}" if equipment else ""
    return f"{value_type}|{identifier}|{sub_id}|{value}|{units}|||||{status}{tail}"
