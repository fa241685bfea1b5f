"""Baseline for `make bench ingest`: python-hl7's asyncio MLLP server doing parse + ACK, no storage.

Run as a process: prints `listening on HOST:PORT`, serves until SIGTERM, like `bedside-ingest`.
"""

from __future__ import annotations

import asyncio
import signal

import hl7
from hl7.mllp import start_hl7_server


async def handle(reader, writer) -> None:  # type: ignore[no-untyped-def]
    try:
        while not writer.is_closing():
            message = await reader.readmessage()
            writer.writemessage(message.create_ack("AA"))
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass
    finally:
        writer.close()


async def main() -> None:
    server = await start_hl7_server(handle, host="127.0.0.1", port=0, encoding="utf-8")
    port = server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    assert hl7  # the import is the point: python-hl7 must be installed
    asyncio.run(main())
