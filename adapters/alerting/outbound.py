"""Outbound alerts (optional per site): each alert raised or resolved, also sent to an alarm manager as
an IHE PCD-04 ORU^R40 over MLLP, built with hl7apy.

Sending runs on its own thread with a queue: a slow or absent alarm manager never delays the rules or
ingest. Each message is retried with backoff until acknowledged (AA/CA) or given up after
`max_attempts`, and every failure is logged. Bedside is a secondary alarm system: the monitor and the
pump keep the primary alarms, and the alarm manager is told so in the message text.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from datetime import UTC, datetime

from bedside_adapters.hl7.er7 import escape
from bedside_adapters.mllp.client import MllpClient, ack_fields

from bedside.alerts import Alert

log = logging.getLogger("bedside.alerting.outbound")

PRIORITY = {"high": "PH", "medium": "PM", "low": "PL"}
NOTICE = "Bedside decision support (secondary alarm; monitor and pump keep the primary alarms)"


def _dtm(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y%m%d%H%M%S+0000")


def build_pcd04(alert: Alert, control_id: str, now: float, phase: str) -> str:
    """ORU^R40 (structure ORU_R01, v2.6) for one alert: patient, event (MDC_EVT_ALARM with the rule's
    text), phase (start / end), state, priority, and the rule id and rule-set version as the source."""
    from hl7apy.core import Message

    mrn, _, authority = alert.patient.partition("^")
    m = Message("ORU_R01", version="2.6")
    m.msh.msh_3 = "BEDSIDE^BEDSIDE"
    m.msh.msh_7 = _dtm(now)
    m.msh.msh_9 = "ORU^R40^ORU_R01"
    m.msh.msh_10 = control_id
    m.msh.msh_11 = "P"
    m.msh.msh_15 = "AL"
    m.msh.msh_16 = "NE"
    m.msh.msh_21 = "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4.4^ISO"
    result = m.add_group("ORU_R01_PATIENT_RESULT")
    result.add_group("ORU_R01_PATIENT").pid.pid_3 = f"{escape(mrn)}^^^{escape(authority)}^MR"
    order = result.add_group("ORU_R01_ORDER_OBSERVATION")
    order.obr.obr_1 = "1"
    order.obr.obr_3 = f"{alert.id}^BEDSIDE"
    order.obr.obr_4 = "196616^MDC_EVT_ALARM^MDC"
    order.obr.obr_7 = _dtm(alert.fired_at)
    rows = [
        ("ST", "196616^MDC_EVT_ALARM^MDC", f"{alert.rule_id} {alert.title}: {alert.message}"),
        ("ST", "68481^MDC_ATTR_EVENT_PHASE^MDC", phase),
        ("ST", "68482^MDC_ATTR_ALARM_STATE^MDC", "active" if phase == "start" else "inactive"),
        ("ST", "68483^MDC_ATTR_ALARM_PRIORITY^MDC", PRIORITY.get(alert.severity, "PL")),
        ("ST", "0^BEDSIDE_RULE^99BEDSIDE", f"{alert.rule_id} ({alert.ruleset}); {NOTICE}"),
    ]
    for i, (kind, code, value) in enumerate(rows, start=1):
        obs = order.add_group("ORU_R01_OBSERVATION")
        obs.obx.obx_1 = str(i)
        obs.obx.obx_2 = kind
        obs.obx.obx_3 = code
        obs.obx.obx_4 = f"1.0.0.0.{i}"
        obs.obx.obx_5 = escape(value)
        obs.obx.obx_11 = "F"
        obs.obx.obx_14 = _dtm(alert.fired_at)
    return str(m.to_er7()) + "\r"


class AlarmForwarder:
    """A thread that sends PCD-04 messages to one alarm manager, retrying with backoff."""

    def __init__(self, host: str, port: int, max_attempts: int = 8, backoff: float = 1.0) -> None:
        self.host, self.port = host, port
        self.max_attempts = max_attempts
        self.backoff = backoff
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._ids = itertools.count(1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bedside-alarm-forwarder", daemon=True)
        self._client: MllpClient | None = None
        self.sent = 0
        self.failed = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._queue.put(None)
        self._thread.join(timeout=10)

    def wait_idle(self) -> None:
        """Until every queued alert was sent or given up (for shutdown and tests)."""
        self._queue.join()

    def forward(self, alert: Alert, phase: str) -> None:
        control = f"BSA{int(time.time())}{next(self._ids):06d}"
        self._queue.put((control, build_pcd04(alert, control, time.time(), phase)))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    break
                self._send(*item)
            finally:
                self._queue.task_done()
        if self._client is not None:
            self._client.close()

    def _send(self, control: str, text: str) -> None:
        for attempt in range(1, self.max_attempts + 1):
            try:
                if self._client is None:
                    self._client = MllpClient(self.host, self.port, timeout=10).connect()
                code, _ = ack_fields(self._client.send(text.encode("utf-8")))
                if code in ("AA", "CA"):
                    self.sent += 1
                    return
                log.error("alarm manager refused event=pcd04_refused control_id=%s ack=%s", control, code)
                if code in ("AR", "CR"):  # rejected: resending the same message cannot help
                    self.failed += 1
                    return
            except OSError as exc:
                log.warning(
                    "alarm manager unreachable event=pcd04_retry control_id=%s attempt=%d error=%r",
                    control,
                    attempt,
                    exc,
                )
                if self._client is not None:
                    self._client.close()
                    self._client = None
            if attempt < self.max_attempts and self._stop.wait(min(60.0, self.backoff * 2 ** (attempt - 1))):
                break  # shutting down
        self.failed += 1
        log.error(
            "alarm not forwarded event=pcd04_failed control_id=%s attempts=%d", control, self.max_attempts
        )
