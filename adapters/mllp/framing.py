"""MLLP framing without I/O: <VT> message <FS><CR>, fed with whatever bytes a read returned.

Handles frames split at any byte, several frames in one read, bytes before VT (skipped and reported),
a bare FS without CR (tolerated at the end of a read only when more data shows it is a frame end),
frames larger than the limit (reported, only their head kept, never buffered whole), and a start
block inside a frame: VT never occurs in a message, so it begins a new frame and the bytes before it
are reported as an unfinished frame (a sender that restarted mid-frame, or lost a frame's end).
"""

from __future__ import annotations

from dataclasses import dataclass

VT = 0x0B
FS = 0x1C
CR = 0x0D
START = b"\x0b"
END = b"\x1c\r"

DEFAULT_MAX_FRAME = 4 * 1024 * 1024
OVERSIZE_HEAD = 64 * 1024


@dataclass(frozen=True, slots=True)
class Frame:
    payload: bytes


@dataclass(frozen=True, slots=True)
class Garbage:
    """Bytes outside any frame (before VT), e.g. a port scanner or a sender without framing."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Oversize:
    """A frame over the limit. `head` is its first bytes (for quarantine), `size` its full length."""

    head: bytes
    size: int


@dataclass(frozen=True, slots=True)
class Unterminated:
    """A frame cut short by the start of the next one (no FS CR before the next VT). `head` is what
    was held of it (all of it, or the first bytes of one over the limit), `size` its full length."""

    head: bytes
    size: int


Event = Frame | Garbage | Oversize | Unterminated


def frame(payload: bytes) -> bytes:
    return START + payload + END


class MllpDecoder:
    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self._max = max_frame
        self._buf = bytearray()
        self._in_frame = False
        self._fs_pending = False  # the previous read ended on FS: a CR now closes the frame
        self._oversize_head: bytes | None = None
        self._oversize_size = 0

    @property
    def pending(self) -> int:
        """Bytes received of an unfinished frame (what an idle timeout discards)."""
        return len(self._buf) + self._oversize_size + int(self._fs_pending)

    @property
    def held(self) -> int:
        """Bytes of an unfinished frame held in memory (an oversize frame holds its head only)."""
        head = self._oversize_head
        return (len(self._buf) if head is None else len(head)) + int(self._fs_pending)

    def discard(self) -> None:
        """Forget an unfinished frame (its connection is being closed)."""
        self._buf = bytearray()
        self._in_frame = self._fs_pending = False
        self._oversize_head = None
        self._oversize_size = 0

    def feed(self, data: bytes) -> list[Event]:
        events: list[Event] = []
        i = 0
        n = len(data)
        while i < n:
            if not self._in_frame:
                start = data.find(START, i)
                stop = n if start < 0 else start
                if stop > i and data[i:stop].strip(b"\r\n\t "):
                    # Line ends between frames are common and harmless; anything else is reported.
                    events.append(Garbage(data[i:stop]))
                if start < 0:
                    return events
                self._in_frame = True
                i = start + 1
                continue
            if self._fs_pending:
                self._fs_pending = False
                if data[i] == CR:
                    self._finish(events)
                    i += 1
                    continue
                self._append(b"\x1c")  # an FS inside the message: data after all
            end = data.find(END, i)
            start = data.find(START, i, n if end < 0 else end)
            if start >= 0:
                # A new start block before this frame's end: the frame so far is unfinished.
                self._append(data[i:start])
                self._finish(events, unterminated=True)
                self._in_frame = True
                i = start + 1
                continue
            if end < 0:
                if data[n - 1] == FS:
                    self._append(data[i : n - 1])
                    self._fs_pending = True
                else:
                    self._append(data[i:])
                return events
            self._append(data[i:end])
            self._finish(events)
            i = end + 2
        return events

    def _append(self, chunk: bytes) -> None:
        if self._oversize_head is not None:
            self._oversize_size += len(chunk)
            return
        if len(self._buf) + len(chunk) > self._max:
            # Over the limit: keep the head for quarantine and count the rest without holding it.
            room = max(0, OVERSIZE_HEAD - len(self._buf))
            self._oversize_head = bytes(self._buf[:OVERSIZE_HEAD]) + chunk[:room]
            self._oversize_size = len(self._buf) + len(chunk)
            self._buf.clear()
            return
        self._buf += chunk

    def _finish(self, events: list[Event], unterminated: bool = False) -> None:
        if unterminated:
            head = bytes(self._buf) if self._oversize_head is None else self._oversize_head
            events.append(Unterminated(head, self._oversize_size or len(head)))
        elif self._oversize_head is not None:
            events.append(Oversize(self._oversize_head, self._oversize_size))
        else:
            events.append(Frame(bytes(self._buf)))
        self._buf.clear()
        self._in_frame = False
        self._oversize_head = None
        self._oversize_size = 0
