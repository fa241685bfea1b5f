"""Received frames at rest: zstd, with a dictionary trained on the sender's own frames.

A monitor's frames differ from one another in a few numbers and times, so a dictionary of what its
frames share compresses each one many times over, where zstd alone gains little on a frame of a
kilobyte. Every compressed frame names its dictionary (raw_dictionary_id), and dictionaries are never
changed or deleted, so any frame decompresses forever; frames stored before compression existed
(raw_format "") are read as they are. raw_size is always that of the bytes received, and the row's
digest (message_digest.py) covers them: a frame read back is checked against it.

Quarantined frames are kept as received: they are the evidence of what a sender got wrong, they are
few, and the structural diagnosis reads them after the ACK.
"""

from __future__ import annotations

from dataclasses import dataclass

import zstandard
from bedside_adapters.db import message_senders as senders
from bedside_adapters.db import schema as t
from bedside_adapters.db.message_digest import frame_digest
from bedside_adapters.db.stored_acks import AckTemplates, ack_columns
from sqlalchemy import Connection, Engine, select

AS_RECEIVED = ""
ZSTD = "zstd"
PRUNED = "pruned"
LEVEL = 3
"""zstd's default level: with a dictionary, higher levels gained little on these frames and cost
time on the path that answers the sender."""


class RawFrameError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class PackedFrame:
    stored: bytes
    format: str
    dictionary_id: int | None


def _compressor(dictionary: zstandard.ZstdCompressionDict | None) -> zstandard.ZstdCompressor:
    # The dictionary's id is in the row; the checksum is the row's digest. The content size stays:
    # a frame read on its own still says how large it is.
    return zstandard.ZstdCompressor(
        level=LEVEL, dict_data=dictionary, write_checksum=False, write_dict_id=False, write_content_size=True
    )


class RawCodec:
    """Compresses frames for one writer (the ingest store, on its one thread) and decompresses stored
    ones. `adopt` may be called from another thread (the trainer): it only rebinds dictionary entries."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._plain = _compressor(None)
        self._current: dict[str, tuple[int, zstandard.ZstdCompressor]] = {}
        self._dictionaries: dict[int, zstandard.ZstdCompressionDict] = {}
        self._loaded_up_to = 0

    def pack(self, sender: str, raw: bytes, quarantined: bool) -> PackedFrame:
        if not self.enabled or quarantined:
            return PackedFrame(raw, AS_RECEIVED, None)
        current = self._current.get(sender)
        if current is None:
            return PackedFrame(self._plain.compress(raw), ZSTD, None)
        return PackedFrame(current[1].compress(raw), ZSTD, current[0])

    def adopt(self, dictionary_id: int, sender: str, data: bytes) -> None:
        """Use a stored dictionary from now on for `sender`'s frames (the newest wins)."""
        d = zstandard.ZstdCompressionDict(data, dict_type=zstandard.DICT_TYPE_FULLDICT)
        self._dictionaries[dictionary_id] = d
        current = self._current.get(sender)
        if current is None or current[0] < dictionary_id:
            self._current[sender] = (dictionary_id, _compressor(d))
        self._loaded_up_to = max(self._loaded_up_to, dictionary_id)

    def refresh(self, conn: Connection) -> int:
        """Adopt the dictionaries stored since the last look (another ingest node may train them).
        Returns how many were new."""
        d = t.raw_dictionary.c
        rows = conn.execute(
            select(d.id, d.sender, d.bytes).where(d.id > self._loaded_up_to).order_by(d.id)
        ).all()
        for dictionary_id, sender, data in rows:
            self.adopt(int(dictionary_id), sender, bytes(data))
        return len(rows)

    def dictionary_for(self, sender: str) -> int | None:
        current = self._current.get(sender)
        return None if current is None else current[0]

    def unpack(
        self, conn: Connection, stored: bytes, fmt: str, dictionary_id: int | None, size: int
    ) -> bytes:
        """The bytes as received, from a stored frame."""
        if fmt == AS_RECEIVED:
            return stored
        if fmt == PRUNED:
            raise RawFrameError("the frame was pruned by the raw-retention setting")
        if fmt != ZSTD:
            raise RawFrameError(f"unknown raw format {fmt!r}")
        dictionary = None
        if dictionary_id is not None:
            dictionary = self._dictionaries.get(dictionary_id)
            if dictionary is None:
                data = conn.execute(
                    select(t.raw_dictionary.c.bytes).where(t.raw_dictionary.c.id == dictionary_id)
                ).scalar_one_or_none()
                if data is None:
                    raise RawFrameError(f"dictionary {dictionary_id} is missing from raw_dictionary")
                dictionary = zstandard.ZstdCompressionDict(
                    bytes(data), dict_type=zstandard.DICT_TYPE_FULLDICT
                )
                self._dictionaries[dictionary_id] = dictionary
        try:
            return zstandard.ZstdDecompressor(dict_data=dictionary).decompress(stored, max_output_size=size)
        except zstandard.ZstdError as exc:
            # Damaged stored bytes or a damaged dictionary: said in one line, never a traceback.
            where = f" with dictionary {dictionary_id}" if dictionary_id is not None else ""
            raise RawFrameError(f"the stored frame cannot be decompressed{where}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class StoredFrame:
    id: int
    sender: str
    received_ms: int
    raw: bytes
    """The frame as received (empty when pruned)."""
    size: int
    format: str
    dictionary_id: int | None
    ack: str
    intact: bool
    """The bytes read back match the digest stored at ingest."""


def read_frame(engine: Engine, message_id: int, codec: RawCodec | None = None) -> StoredFrame | None:
    m = t.inbound_message.c
    codec = codec or RawCodec()
    with engine.connect() as conn:
        row = conn.execute(
            select(
                m.id,
                senders.name.label("sender"),
                m.message_time,
                m.raw,
                m.raw_size,
                m.raw_format,
                m.raw_dictionary_id,
                m.digest,
                *ack_columns(),
            )
            .select_from(senders.joined())
            .where(m.id == message_id)
        ).one_or_none()
        if row is None:
            return None
        fmt = row.raw_format
        raw = (
            b""
            if fmt == PRUNED
            else codec.unpack(conn, bytes(row.raw), fmt, row.raw_dictionary_id, row.raw_size)
        )
        ack = AckTemplates().text(
            conn, row.ack, row.ack_template, row.ack_at, row.ack_seq, row.received_ms, row.control_id
        )
    return StoredFrame(
        int(row.id),
        row.sender,
        int(row.received_ms),
        raw,
        int(row.raw_size),
        fmt,
        row.raw_dictionary_id,
        ack,
        fmt != PRUNED
        and frame_digest(row.sender, row.control_id, row.message_time, raw) == bytes(row.digest),
    )
