"""A Prepared message as plain tuples, to send it from the read-ahead process to the listener.

`marshal` (C, plain tuples, strings and numbers only) is what makes the hand-over cheap: decoding a
device report this way costs a fraction of unpickling its dataclasses, which cost most of what
reading the message in the listener costs in the first place. Messages with content
other than device values and states (lab results, ADT, pump events, alarms; all far rarer) go as
pickle. The raw bytes never travel back: the listener has them.
"""

from __future__ import annotations

import marshal
import pickle
from dataclasses import replace
from typing import Any

from bedside_adapters.hl7.ack import AckRequest
from bedside_adapters.inbound_message import InboundMessage
from bedside_adapters.ingest.pipeline import Prepared

from bedside.model import DeviceState, Observation, Patient, PatientRef, SeriesKey

FAST, PICKLED = 0, 1


def encode(prepared: Prepared) -> tuple[int, Any]:
    """(FAST, tuple) for a device report or a quarantined message, else (PICKLED, bytes)."""
    m = prepared.message
    if m.lab_results or m.infusion_events or m.adt is not None or m.device_alarms or m.co_medication:
        return PICKLED, pickle.dumps(_without_raw(prepared), protocol=pickle.HIGHEST_PROTOCOL)
    series: dict[SeriesKey, int] = {}
    observations = []
    for o in m.observations:
        index = series.get(o.series)
        if index is None:
            index = series[o.series] = len(series)
        observations.append((index, o.observed_at, o.received_at, o.value, o.status, o.message_id))
    r = prepared.request
    return FAST, (
        (m.received_at, m.peer, m.sender, m.ack_code, m.ack, m.control_id, m.message_time),
        (m.message_type, m.version, m.codec, m.lossy_decode, m.quarantine_reason, m.quarantine_code),
        (m.obx_count, tuple(m.skipped.items()), m.device_bed),
        _patient(m.patient),
        tuple((tuple(k.patient) if k.patient else None, *k[1:]) for k in series),
        tuple(observations),
        tuple((s.device, s.key, s.value, s.at) for s in m.device_states),
        (
            r.sending_application,
            r.sending_facility,
            r.control_id,
            r.processing_id,
            r.version,
            r.trigger_event,
            r.accept_ack_type,
            r.application_ack_type,
        ),
    )


def decode(kind: int, payload: Any, raw: bytes) -> Prepared:
    """The Prepared that `encode` was given, with the raw bytes put back."""
    if kind == PICKLED:
        p: Prepared = pickle.loads(payload)
        return Prepared(_with_raw(p.message, raw), p.request)
    head, types, counts, patient, series_rows, observations, states, request = payload
    keys = [_series_key(k) for k in series_rows]
    message = InboundMessage(
        raw=raw,
        received_at=head[0],
        peer=head[1],
        sender=head[2],
        ack_code=head[3],
        ack=head[4],
        control_id=head[5],
        message_time=head[6],
        message_type=types[0],
        version=types[1],
        codec=types[2],
        lossy_decode=types[3],
        quarantine_reason=types[4],
        quarantine_code=types[5],
        obx_count=counts[0],
        skipped=dict(counts[1]),
        device_bed=counts[2],
        patient=None if patient is None else Patient(PatientRef(*patient[0]), *patient[1:]),
        observations=tuple([Observation(keys[o[0]], *o[1:]) for o in observations]),
        device_states=tuple(DeviceState(*s) for s in states),
    )
    return Prepared(message, AckRequest(*request))


_SERIES: dict[tuple[Any, ...], SeriesKey] = {}
"""A series' row as sent → its key: a device sends the same few series every second."""


def _series_key(row: tuple[Any, ...]) -> SeriesKey:
    key = _SERIES.get(row)
    if key is None:
        if len(_SERIES) > 50_000:  # bounded: a site has a few thousand device channels
            _SERIES.clear()
        key = _SERIES[row] = SeriesKey(PatientRef(*row[0]) if row[0] else None, *row[1:])
    return key


def dumps(items: list[tuple[int, int, Any]]) -> bytes:
    return marshal.dumps(items)


def loads(data: bytes) -> list[tuple[int, int, Any]]:
    return marshal.loads(data)  # type: ignore[no-any-return]


def _patient(p: Patient | None) -> tuple[Any, ...] | None:
    return None if p is None else (tuple(p.ref), p.family_name, p.given_name, p.bed, p.birth_date, p.sex)


def _without_raw(p: Prepared) -> Prepared:
    return Prepared(_with_raw(p.message, b""), p.request)


def _with_raw(m: InboundMessage, raw: bytes) -> InboundMessage:
    return replace(m, raw=raw)
