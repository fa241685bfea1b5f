"""A third-party alarm manager for the outbound tests: python-hl7's asyncio MLLP server (hl7.mllp) on
its own event loop thread, answering each message as a configurable policy says.

The server reads with latin-1, which keeps every byte as one character, so the policy sees the bytes
as sent and decodes them by MSH-18 itself, as a strict receiver does.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from hl7.mllp import start_hl7_server

CHARSETS = {"": "ascii", "ASCII": "ascii", "UNICODE UTF-8": "utf-8", "8859/1": "latin-1"}

Policy = Callable[[str], str | None]
"""The message as raw characters (latin-1) → the ACK code to answer, or None to answer nothing."""


def strict_charset(raw: str) -> str | None:
    """Refuse (AR) what cannot be decoded with the charset MSH-18 declares (ASCII when absent)."""
    charset = CHARSETS.get(_msh18(raw))
    if charset is None:
        return "AR"
    try:
        raw.encode("latin-1").decode(charset)
    except UnicodeDecodeError:
        return "AR"
    return "AA"


def ascii_only(raw: str) -> str | None:
    """A receiver that takes nothing but ASCII, whatever MSH-18 says."""
    return "AA" if raw.isascii() else "AR"


def _msh18(raw: str) -> str:
    fields = raw.split("\r", 1)[0].split("|")
    return fields[17] if len(fields) > 17 else ""


@dataclass
class Receiver:
    port: int = 0
    received: list[tuple[str, str | None]] = field(default_factory=list)
    """(the message decoded by its MSH-18, the ACK code answered) in arrival order."""

    def texts(self, code: str = "AA") -> list[str]:
        return [text for text, answered in self.received if answered == code]


@contextmanager
def pyhl7_receiver(policy: Policy = strict_charset) -> Iterator[Receiver]:
    receiver = Receiver()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    stop: asyncio.Event | None = None

    handlers: set[asyncio.Task[None]] = set()

    async def handle(reader, writer) -> None:  # type: ignore[no-untyped-def]
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            while not writer.is_closing():
                message = await reader.readmessage()
                raw = str(message)
                code = policy(raw)
                charset = CHARSETS.get(_msh18(raw), "latin-1")
                receiver.received.append((raw.encode("latin-1").decode(charset, "replace"), code))
                if code is not None:
                    writer.writemessage(message.create_ack(code))
                    await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            handlers.discard(task)

    async def serve() -> None:
        nonlocal stop
        stop = asyncio.Event()
        server = await start_hl7_server(handle, host="127.0.0.1", port=0, encoding="latin-1")
        receiver.port = server.sockets[0].getsockname()[1]
        ready.set()
        async with server:
            await stop.wait()
            # A sender still connected (a test that failed half-way) must not outlive the loop.
            for task in list(handlers):
                task.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), name="pyhl7-receiver")
    thread.start()
    ready.wait(10)
    assert receiver.port, "python-hl7's server did not start"
    try:
        yield receiver
    finally:
        assert stop is not None
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
