"""Outbound alerts (optional per site): each alert raised or resolved, also sent to an alarm manager as
an IHE PCD-04 ORU^R40 over MLLP, built with hl7apy.

Sending runs on threads of its own with a queue: a slow or absent alarm manager never delays the rules
or ingest. Each message is tried until acknowledged (AA/CA) or until `max_attempts` tries have failed
(refused with AE/AR/CE/CR, no reply, or no connection); then it becomes a dead letter: logged, kept in
the database with the reason (bedside_adapters.db.dead_letters) and shown on the screens.

A message waiting for its next try, or for its reply, never holds back the alerts after it: only a
later message about the same alert waits, so that the alarm manager never sees an alert end before it
started. MLLP answers one message at a time on a connection, so a message awaiting its reply holds its
connection: the next alert's message goes on another one (up to `connections` at once, opened as they
are needed; one suffices while the alarm manager answers promptly).

Bedside is a secondary alarm system: the monitor and the pump keep the primary alarms, and the alarm
manager is told so in the message text.

The text is sent as UTF-8 and says so in MSH-18 ("UNICODE UTF-8", HL7 table 0211). Without MSH-18 a
receiver must read the message as ASCII, and a strict one refuses a "°C" or "µg" in a rule's text.
Transliterating to ASCII would change what the rule said; declaring the charset keeps it.
"""

from __future__ import annotations

import itertools
import logging
import queue
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bedside_adapters.db.dead_letters import DeadLetter, SqlDeadLetters
from bedside_adapters.db.engine import Engine
from bedside_adapters.hl7.er7 import escape
from bedside_adapters.mllp.client import MllpClient, ack_fields
from bedside_adapters.mllp.framing import END

from bedside.alerts import Alert
from bedside.model import PatientRef

log = logging.getLogger("bedside.alerting.outbound")

PRIORITY = {"high": "PH", "medium": "PM", "low": "PL"}
NOTICE = "Bedside decision support (secondary alarm; monitor and pump keep the primary alarms)"
CHARSET = "UNICODE UTF-8"
"""MSH-18: HL7 table 0211's name for UTF-8."""
PROFILE = "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4^ISO"
"""MSH-21: the IHE PCD Alarm Communication Management profile that PCD-04 belongs to."""
UNNAMED = "^^^^^^U"
"""PID-5 with name type U (unspecified): HL7 v2.6 requires the field, and the receiver finds the
patient by PID-3."""
ACCEPTED = ("AA", "CA")
MAX_BACKOFF = 60.0
CONNECTIONS = 8
"""Connections to the alarm manager at most: as many messages can await their replies at once."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def retry_delay(tries: int, backoff: float = 1.0) -> float:
    """Seconds from a failed try (the `tries`-th) to the next: doubling from `backoff`, at most
    MAX_BACKOFF."""
    return min(MAX_BACKOFF, backoff * 2 ** (tries - 1))


def longest_delivery(attempts: int, ack_timeout: float = 10.0, backoff: float = 1.0) -> float:
    """Seconds from a message's first try until it is given up when the alarm manager takes the
    connection and never answers: every try waits out the ACK timeout, then the delay before the
    next. Connecting is not counted (a connection that takes long to open may add up to
    `ack_timeout` per try)."""
    return attempts * ack_timeout + sum(retry_delay(k, backoff) for k in range(1, attempts))


def _dtm(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y%m%d%H%M%S+0000")


def _value(text: str) -> str:
    """A field's text: control characters (a CR would end the segment) as one space, then escaped."""
    return escape(_CONTROL.sub(" ", text))


def build_pcd04(alert: Alert, control_id: str, now: float, phase: str) -> str:
    """ORU^R40^ORU_R40 (IHE PCD-04, HL7 v2.6) for one alert: patient, event (MDC_EVT_ALARM with the
    rule's text), phase (start / end), state, priority, and the rule id and rule-set version as the
    source. Built on hl7apy's ORU_R01, the segments and groups of ORU^R40 in v2.6 (hl7apy has no
    ORU_R40); bedside_adapters.alerting.pcd04_profile checks the result against the profile."""
    from hl7apy.core import Message

    mrn, authority = ("", "") if alert.patient is None else alert.patient
    m = Message("ORU_R01", version="2.6")
    m.msh.msh_3 = "BEDSIDE^BEDSIDE"
    m.msh.msh_7 = _dtm(now)
    m.msh.msh_9 = "ORU^R40^ORU_R40"
    m.msh.msh_10 = control_id
    m.msh.msh_11 = "P"
    m.msh.msh_15 = "AL"
    m.msh.msh_16 = "NE"
    m.msh.msh_18 = CHARSET
    m.msh.msh_21 = PROFILE
    result = m.add_group("ORU_R01_PATIENT_RESULT")
    pid = result.add_group("ORU_R01_PATIENT").pid
    pid.pid_3 = f"{_value(mrn)}^^^{_value(authority)}^MR"
    pid.pid_5 = UNNAMED  # required; an alert carries the patient's identifier only
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
        obs.obx.obx_5 = _value(value)
        obs.obx.obx_11 = "F"
        obs.obx.obx_14 = _dtm(alert.fired_at)
    return str(m.to_er7()) + "\r"


@dataclass(frozen=True)
class AlarmManagerLink:
    """A site's alarm manager (`bedside-ingest --alarm-manager HOST:PORT`) and how many tries a
    message gets before it becomes a dead letter (`--alarm-manager-attempts`)."""

    host: str
    port: int
    attempts: int = 8

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"--alarm-manager-attempts must be at least 1, got {self.attempts}")

    def forwarder(self, engine: Engine) -> AlarmForwarder:
        """The forwarder for this link, keeping its dead letters in `engine`'s database."""
        return AlarmForwarder(self.host, self.port, self.attempts, dead_letters=SqlDeadLetters(engine))


class DeadLetterSink(Protocol):
    def add(self, letter: DeadLetter) -> None: ...


@dataclass
class _Outgoing:
    control: str
    alert_id: int
    patient: PatientRef | None
    phase: str
    text: str
    tries: int = 0
    due: float = 0.0
    """time.monotonic() of the next try."""
    first_try: float = 0.0
    reason: str = ""
    sending: bool = False
    """On a connection now, awaiting its reply."""


@dataclass(frozen=True)
class _Tried:
    """A try's outcome, reported by the connection that made it to the scheduling thread."""

    item: _Outgoing
    connection: _Connection
    refusal: str
    """Why the try failed; empty when the alarm manager accepted the message."""
    dropped: bool
    """The connection failed or fell out of step (it is reopened for the next message)."""


def _refusal(reply: bytes, code: str) -> str:
    """What the receiver said: the ACK code with MSA-3 or ERR's text where it gave one."""
    said = ""
    for segment in reply.replace(END, b"").decode("utf-8", "replace").split("\r"):
        fields = segment.split("|")
        if segment.startswith("MSA|") and len(fields) > 3 and fields[3]:
            said = fields[3]
        elif segment.startswith("ERR|") and not said:
            said = next((f for f in reversed(fields[1:]) if f), "")
    return f"refused ({code or 'no MSA'})" + (f": {said[:300]}" if said else "")


class _Connection:
    """One connection to the alarm manager and the thread that sends on it: one message at a time,
    waiting for its reply (MLLP's rule), each outcome reported to `report`."""

    def __init__(
        self, host: str, port: int, ack_timeout: float, number: int, report: queue.Queue[object]
    ) -> None:
        self._address = (host, port)
        self._ack_timeout = ack_timeout
        self._report = report
        self._client: MllpClient | None = None
        self._work: queue.Queue[_Outgoing | None] = queue.Queue()
        self._thread = threading.Thread(
            target=self._run, name=f"bedside-alarm-forwarder-{number}", daemon=True
        )
        self._thread.start()

    def send(self, item: _Outgoing) -> None:
        self._work.put(item)

    def close(self) -> None:
        """After the message in hand (if any): close the connection and end the thread."""
        self._work.put(None)

    def join(self) -> None:
        self._thread.join()

    def _run(self) -> None:
        try:
            while (item := self._work.get()) is not None:
                self._report.put(self._try(item))
        finally:
            self._drop()

    def _try(self, item: _Outgoing) -> _Tried:
        try:
            if self._client is None:
                self._client = MllpClient(*self._address, timeout=self._ack_timeout).connect()
            reply = self._client.send(item.text.encode("utf-8"))
        except OSError as exc:
            log.warning(
                "alarm manager unreachable event=pcd04_retry control_id=%s attempt=%d error=%r",
                item.control,
                item.tries,
                exc,
            )
            self._drop()
            return _Tried(item, self, f"no reply: {exc}", dropped=True)
        code, control = ack_fields(reply)
        if code in ACCEPTED and control in (item.control, ""):
            return _Tried(item, self, "", dropped=False)
        if code in ACCEPTED:  # a reply to some other message: the connection is out of step
            self._drop()
            return _Tried(item, self, f"acknowledged another message (MSA-2 {control[:40]!r})", dropped=True)
        reason = _refusal(reply, code)
        log.error(
            "alarm manager refused event=pcd04_refused control_id=%s ack=%s attempt=%d reason=%r",
            item.control,
            code,
            item.tries,
            reason,
        )
        return _Tried(item, self, reason, dropped=False)

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class AlarmForwarder:
    """Sends PCD-04 messages to one alarm manager, each retried with backoff on its own, and gives up
    on a message after `max_attempts` tries (a dead letter, in `dead_letters`). One thread schedules;
    each connection (up to `connections`) has a thread that sends on it."""

    def __init__(
        self,
        host: str,
        port: int,
        max_attempts: int = 8,
        backoff: float = 1.0,
        dead_letters: DeadLetterSink | None = None,
        ack_timeout: float = 10.0,
        connections: int = CONNECTIONS,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if connections < 1:
            raise ValueError("connections must be at least 1")
        self.host, self.port = host, port
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.ack_timeout = ack_timeout
        self.connections = connections
        self.dead_letters = dead_letters
        self._inbox: queue.Queue[object] = queue.Queue()
        """What `forward` queues (_Outgoing), the connections' outcomes (_Tried), None to wake up."""
        self._pending: list[_Outgoing] = []
        self._open: list[_Connection] = []
        self._busy: set[_Connection] = set()
        self._answering = True
        """While stopping: whether the last try still reached the alarm manager."""
        self._ids = itertools.count(1)
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._unfinished = 0
        self._thread = threading.Thread(target=self._run, name="bedside-alarm-forwarder", daemon=True)
        self.sent = 0
        self.failed = 0
        self.given_up: list[DeadLetter] = []
        """The dead letters of this run, oldest first (also in `dead_letters` where one is set)."""

    @property
    def destination(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Send what was never tried once more, give up the rest, and wait (up to a reply's time)
        for the tries under way."""
        self._stop.set()
        self._inbox.put(None)
        self._thread.join(timeout=self.ack_timeout + 10.0)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Until every queued alert was sent or given up (for shutdown and tests); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._unfinished == 0, timeout)

    def forward(self, alert: Alert, phase: str) -> None:
        control = f"BSA{int(time.time())}{next(self._ids):06d}"
        text = build_pcd04(alert, control, time.time(), phase)
        with self._idle:
            self._unfinished += 1
        self._inbox.put(_Outgoing(control, alert.id, alert.patient, phase, text))

    # ---- the scheduling thread (the only one that touches the pending list and the counts) -------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._take(self._wait())
                self._dispatch()
            self._shut_down()
        finally:
            for connection in self._open:
                connection.close()
            for connection in self._open:
                if connection not in self._busy:  # one still awaiting a reply ends with its timeout
                    connection.join()

    def _shut_down(self) -> None:
        """On the way out: one try for what was never tried while the alarm manager still answers;
        what waits for a retry is given up now (a dead letter says so)."""
        self._take(0.0)
        for item in [i for i in self._pending if i.tries > 0 and not i.sending]:
            item.reason = f"Bedside stopped before delivery; {item.reason}"
            self._give_up(item)
        deadline = time.monotonic() + self.ack_timeout + 5.0
        while self._pending:
            if self._answering:
                self._dispatch()
            else:
                for item in [i for i in self._pending if not i.sending]:
                    item.reason = "Bedside stopped before delivery; not tried"
                    self._give_up(item)
            if not self._busy or time.monotonic() > deadline:
                return
            self._take(max(0.0, deadline - time.monotonic()))

    def _wait(self) -> float | None:
        """Seconds to block for news: until the next try is due (None: nothing is due, or every
        connection is busy and only a reply frees one)."""
        due = self._eligible_due()
        if not due or (len(self._busy) >= self.connections):
            return None
        return max(0.0, min(due) - time.monotonic())

    def _eligible_due(self) -> list[float]:
        """When the first message of each alert not on a connection is due."""
        seen: set[int] = set()
        due = []
        for item in self._pending:
            if item.alert_id not in seen and not item.sending:
                due.append(item.due)
            seen.add(item.alert_id)
        return due

    def _take(self, block_for: float | None) -> None:
        """Take in what `forward` queued and what the connections reported, waiting up to
        `block_for` for the first."""
        try:
            event = self._inbox.get(timeout=block_for) if block_for != 0.0 else self._inbox.get_nowait()
            while True:
                if isinstance(event, _Outgoing):
                    self._pending.append(event)
                elif isinstance(event, _Tried):
                    self._tried(event)
                event = self._inbox.get_nowait()
        except queue.Empty:
            return

    def _dispatch(self) -> None:
        """Hand each message due now to a free connection, opening one when all are busy."""
        while (item := self._next_due()) is not None:
            connection = self._free_connection()
            if connection is None:
                return
            item.tries += 1
            if item.tries == 1:
                item.first_try = time.time()
            item.sending = True
            self._busy.add(connection)
            connection.send(item)

    def _free_connection(self) -> _Connection | None:
        """The first open connection not awaiting a reply (so that one serves while the alarm
        manager answers promptly), a new one while fewer than `connections` are open, or None."""
        for connection in self._open:
            if connection not in self._busy:
                return connection
        if len(self._open) >= self.connections:
            return None
        connection = _Connection(self.host, self.port, self.ack_timeout, len(self._open) + 1, self._inbox)
        self._open.append(connection)
        return connection

    def _next_due(self) -> _Outgoing | None:
        """The oldest message due now that no earlier message about the same alert is waiting on
        (for its next try or for its reply)."""
        now = time.monotonic()
        seen: set[int] = set()
        for item in self._pending:
            if item.alert_id not in seen and not item.sending and item.due <= now:
                return item
            seen.add(item.alert_id)
        return None

    def _tried(self, outcome: _Tried) -> None:
        item = outcome.item
        item.sending = False
        self._busy.discard(outcome.connection)
        if not outcome.refusal:
            self.sent += 1
            self._done(item)
            return
        stopping = self._stop.is_set()
        if stopping and outcome.dropped:
            self._answering = False
        self._failed(item, outcome.refusal, last=stopping)

    def _failed(self, item: _Outgoing, reason: str, last: bool) -> None:
        item.reason = reason
        if last or item.tries >= self.max_attempts:
            self._give_up(item)
        else:
            item.due = time.monotonic() + retry_delay(item.tries, self.backoff)

    def _give_up(self, item: _Outgoing) -> None:
        self.failed += 1
        log.error(
            "alarm not forwarded event=pcd04_failed control_id=%s attempts=%d reason=%r",
            item.control,
            item.tries,
            item.reason,
        )
        letter = DeadLetter(
            item.control,
            item.alert_id,
            item.patient,
            item.phase,
            self.destination,
            item.tries,
            item.reason,
            item.first_try or time.time(),
            time.time(),
            item.text,
        )
        self.given_up.append(letter)
        del self.given_up[:-100]
        if self.dead_letters is not None:
            try:
                self.dead_letters.add(letter)
            except Exception:  # the database may be away too: the log line above still has it
                log.exception(
                    "dead letter not stored event=pcd04_dead_letter_lost control_id=%s", item.control
                )
        self._done(item)

    def _done(self, item: _Outgoing) -> None:
        self._pending.remove(item)
        with self._idle:
            self._unfinished -= 1
            self._idle.notify_all()
