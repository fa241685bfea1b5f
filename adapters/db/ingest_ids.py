"""Ids of the patients and series that ingest writes to, created on first sight and remembered
across batches (one ingest process, one thread)."""

from __future__ import annotations

from collections.abc import Callable

from bedside_adapters.db import schema as t
from sqlalchemy import Connection, select, tuple_, update

from bedside.model import Patient, SeriesKey


class IngestIds:
    def __init__(self, upsert: Callable) -> None:  # type: ignore[type-arg]
        """`upsert`: the dialect's insert, which has on_conflict_do_nothing."""
        self._upsert = upsert
        self._series: dict[SeriesKey, int] = {}
        self._patients: dict[tuple[str, str], tuple[int, tuple[str, str, str], dict[str, str]]] = {}

    def clear(self) -> None:
        """Forget ids a rolled-back transaction may have created."""
        self._series.clear()
        self._patients.clear()

    def patient(self, conn: Connection, p: Patient, now_ms: int) -> int:
        key = (p.ref.identifier[:80], p.ref.authority[:80])
        shown = (p.family_name[:120], p.given_name[:120], p.bed[:80])
        values = {"family_name": shown[0], "given_name": shown[1], "bed": shown[2], "updated_ms": now_ms}
        # PID-7 and PID-8: a message that does not send them (a device's, many labs') says nothing
        # about them, so what an earlier message sent is kept; one that sends them replaces it.
        sent = {k: v for k, v in (("birth_date", p.birth_date[:24]), ("sex", p.sex[:20])) if v}
        cached = self._patients.get(key)
        if cached is None:
            # Insert-or-ignore, then read: two ingest processes may meet the same patient at once.
            conn.execute(
                self._upsert(t.patient)
                .values(identifier=key[0], authority=key[1], **values, **sent)
                .on_conflict_do_nothing(index_elements=[t.patient.c.identifier, t.patient.c.authority])
            )
            c = t.patient.c
            row = conn.execute(
                select(c.id, c.family_name, c.given_name, c.bed, c.birth_date, c.sex).where(
                    c.identifier == key[0], c.authority == key[1]
                )
            ).one()
            cached = (int(row[0]), (row[1], row[2], row[3]), {"birth_date": row[4], "sex": row[5]})
        stored = cached[2]
        if cached[1] != shown or any(stored.get(k) != v for k, v in sent.items()):
            # Names and beds change; keep the latest the sender gave.
            conn.execute(update(t.patient).where(t.patient.c.id == cached[0]).values(**values, **sent))
            cached = (cached[0], shown, {**stored, **sent})
        self._patients[key] = cached
        return cached[0]

    def series(self, conn: Connection, keys: set[SeriesKey], patient_id: int | None) -> dict[SeriesKey, int]:
        """Ids of the series of one message, creating the missing ones: a few statements whatever
        the number of series (a message may carry thousands of OBX-4 instances)."""
        out = {k: self._series[k] for k in keys if k in self._series}
        missing = [k for k in keys if k not in out]
        if not missing:
            return out
        c = t.series.c
        identity = (c.patient_ref, c.parameter, c.unit, c.device, c.instance)

        def row(k: SeriesKey) -> tuple[str, str, str, str, str]:
            return (str(k.patient) if k.patient else "", k.parameter, k.unit, k.device[:120], k.instance[:80])

        wanted = {row(k): k for k in missing}

        def lookup() -> None:
            items = list(wanted)
            for i in range(0, len(items), 400):
                stmt = select(c.id, *identity).where(tuple_(*identity).in_(items[i : i + 400]))
                for sid, *ident in conn.execute(stmt):
                    key = wanted.pop(tuple(ident), None)
                    if key is not None:
                        out[key] = self._series[key] = int(sid)

        lookup()
        if wanted:
            # Insert-or-ignore, then read: another ingest process may create the same series now.
            conn.execute(
                self._upsert(t.series).on_conflict_do_nothing(index_elements=list(identity)),
                [
                    {
                        "patient_ref": r[0],
                        "patient_id": patient_id,
                        "parameter": r[1],
                        "unit": r[2],
                        "device": r[3],
                        "instance": r[4],
                    }
                    for r in wanted
                ],
            )
            lookup()
        assert not wanted, f"series could not be created: {list(wanted)[:3]}"
        return out
