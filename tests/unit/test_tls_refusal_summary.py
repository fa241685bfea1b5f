"""Refused TLS handshakes are summed up by the listener's sweep once their minute has passed, as the
plain port's refusals are: not only when the next refusal comes, or at shutdown."""

from __future__ import annotations

import asyncio
import logging

import pytest
from bedside_adapters.mllp.server import MllpServer
from bedside_adapters.mllp.tls_identity import TlsAcceptor


async def _nothing(_batch):  # type: ignore[no-untyped-def]
    return []


def test_the_sweep_sums_up_refused_handshakes_once_their_minute_has_passed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [1000.0]
    server = MllpServer(_nothing)
    server._tls = TlsAcceptor(clock=lambda: now[0])
    caplog.set_level(logging.INFO, logger="bedside_adapters.mllp.tls_identity")
    for _ in range(3):
        server._tls.refused("10.0.0.9", ConnectionResetError("reset during the handshake"))
    assert len([r for r in caplog.records if "TLS handshake" in r.getMessage()]) == 1

    async def sweep_after_the_minute() -> None:
        now[0] += 61.0
        server._sweep()
        server.closing = True

    asyncio.run(sweep_after_the_minute())
    lines = [r.getMessage() for r in caplog.records if "TLS handshake" in r.getMessage()]
    assert len(lines) == 2 and lines[1].startswith("refused 2 more TLS handshakes from 10.0.0.9"), lines
