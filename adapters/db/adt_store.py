"""Applying ADT events and device locations to bed stays and device bindings (inside ingest's
transaction for the message)."""

from __future__ import annotations

from bedside_adapters.db import schema as t
from sqlalchemy import Connection, delete, insert, select, update

from bedside.adt import AdtAction, AdtEvent
from bedside.chunks import decode_grid, encode_grid, summarise
from bedside.clock import to_ms

_BS = t.bed_stay.c


def apply_adt(conn: Connection, e: AdtEvent, message_id: int, patient_id: int) -> None:
    ref, at = str(e.patient.ref), to_ms(e.at)
    mine = _BS.patient_ref == ref
    live = mine & _BS.cancelled.is_(False)

    def close_open() -> None:
        conn.execute(update(t.bed_stay).where(live, _BS.to_ms.is_(None)).values(to_ms=at))

    def open_stay(kind: str) -> None:
        conn.execute(
            insert(t.bed_stay),
            {
                "patient_ref": ref,
                "patient_id": patient_id,
                "bed": e.bed,
                "from_ms": at,
                "kind": kind,
                "visit": e.visit[:80],
                "message_id": message_id,
            },
        )

    def latest(*where):  # type: ignore[no-untyped-def]
        return conn.execute(
            select(_BS.id, _BS.kind).where(live, *where).order_by(_BS.from_ms.desc(), _BS.id.desc())
        ).first()

    if e.action in (AdtAction.ADMIT, AdtAction.TRANSFER):
        close_open()
        if e.bed:
            open_stay(e.action.value)
    elif e.action is AdtAction.DISCHARGE:
        close_open()
    elif e.action is AdtAction.CANCEL_ADMIT:
        row = latest(_BS.kind == "admit")
        if row:
            conn.execute(update(t.bed_stay).where(_BS.id == row.id).values(cancelled=True))
    elif e.action is AdtAction.CANCEL_TRANSFER:
        row = latest(_BS.kind == "transfer")
        if row:
            conn.execute(update(t.bed_stay).where(_BS.id == row.id).values(cancelled=True))
            previous = latest(_BS.id != row.id)
            if previous:
                conn.execute(update(t.bed_stay).where(_BS.id == previous.id).values(to_ms=None))
    elif e.action is AdtAction.CANCEL_DISCHARGE:
        row = latest(_BS.to_ms.is_not(None))
        if row:
            conn.execute(update(t.bed_stay).where(_BS.id == row.id).values(to_ms=None))
        # A discharge cancelled takes back the death it reported.
        conn.execute(update(t.adt_death).where(t.adt_death.c.patient_ref == ref).values(cancelled=True))
    elif e.action is AdtAction.MERGE and e.retired is not None:
        merge_patients(conn, str(e.retired), ref, patient_id, at, message_id)
    if e.death_at is not None:
        conn.execute(
            insert(t.adt_death),
            {
                "patient_ref": ref,
                "at_ms": to_ms(e.death_at),
                "source": e.death_source,
                "message_id": message_id,
            },
        )


def merge_patients(
    conn: Connection, retired: str, surviving: str, patient_id: int, at_ms: int, message_id: int
) -> None:
    """A40: everything stored under the retired identifier now belongs to the surviving one; the
    merge itself is recorded, so the audit can still say where data came from."""
    for table in (t.bed_stay, t.lab_result, t.infusion_event):
        conn.execute(
            update(table)
            .where(table.c.patient_ref == retired)
            .values(patient_ref=surviving, patient_id=patient_id)
        )
    conn.execute(
        update(t.adt_death).where(t.adt_death.c.patient_ref == retired).values(patient_ref=surviving)
    )
    s = t.series.c
    for sid, parameter, unit, device, instance in conn.execute(
        select(s.id, s.parameter, s.unit, s.device, s.instance).where(s.patient_ref == retired)
    ).all():
        twin = conn.execute(
            select(s.id).where(
                s.patient_ref == surviving,
                s.parameter == parameter,
                s.unit == unit,
                s.device == device,
                s.instance == instance,
            )
        ).scalar_one_or_none()
        if twin is None:
            conn.execute(
                update(t.series).where(s.id == sid).values(patient_ref=surviving, patient_id=patient_id)
            )
        else:
            _move_values(conn, sid, twin)
    conn.execute(
        insert(t.patient_merge),
        {"surviving_ref": surviving, "retired_ref": retired, "at_ms": at_ms, "message_id": message_id},
    )


def _move_values(conn: Connection, source: int, target: int) -> None:
    """All values of one series into another of the same identity (rows, then chunks slot by slot)."""
    conn.execute(update(t.observation).where(t.observation.c.series_id == source).values(series_id=target))
    c = t.series_chunk.c
    for start_ms, grid, updated in conn.execute(
        select(c.start_ms, c.grid, c.updated_ms).where(c.series_id == source)
    ).all():
        mine = decode_grid(bytes(grid))
        theirs = conn.execute(
            select(c.grid).where(c.series_id == target, c.start_ms == start_ms)
        ).scalar_one_or_none()
        merged = mine.copy() if theirs is None else decode_grid(bytes(theirs)).copy()
        if theirs is not None:
            fill = ~(merged == merged)  # NaN slots of the target take the source's values
            merged[fill] = mine[fill]
        summary = summarise(merged)
        values = {
            "count": summary.count,
            "vmin": summary.minimum,
            "vmax": summary.maximum,
            "grid": encode_grid(merged),
            "updated_ms": updated,
        }
        if theirs is None:
            conn.execute(insert(t.series_chunk), {"series_id": target, "start_ms": start_ms, **values})
        else:
            conn.execute(
                update(t.series_chunk).where(c.series_id == target, c.start_ms == start_ms).values(**values)
            )
    conn.execute(delete(t.series_chunk).where(c.series_id == source))
    conn.execute(delete(t.series).where(t.series.c.id == source))


def bind_devices(
    conn: Connection, bed: str, first_seen: dict[str, int], known: dict[str, tuple[str, int]] | None = None
) -> None:
    """The devices of a PCD-01 message are at `bed` (its PV1-3) from their first value in it on.
    A device reporting another bed closes its previous binding there; an earlier value (a backfill)
    moves the start of the current binding back. `known` caches (bed, from) per device so that the
    usual case, a device still where it was, costs no query."""
    b = t.device_binding.c
    for device, at in first_seen.items():
        if known is not None and device in known and known[device][0] == bed and at >= known[device][1]:
            continue
        current = conn.execute(
            select(b.id, b.bed, b.from_ms)
            .where(b.device == device, b.to_ms.is_(None))
            .order_by(b.from_ms.desc())
        ).first()
        if current is not None and current.bed == bed:
            if at < current.from_ms:
                conn.execute(update(t.device_binding).where(b.id == current.id).values(from_ms=at))
            if known is not None:
                known[device] = (bed, min(at, current.from_ms))
            continue
        if current is not None:
            conn.execute(
                update(t.device_binding).where(b.id == current.id).values(to_ms=max(at, current.from_ms))
            )
        conn.execute(
            insert(t.device_binding),
            {"device": device[:120], "bed": bed[:80], "from_ms": at, "source": "device-location"},
        )
