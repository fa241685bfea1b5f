"""The ingest benchmarks' messages: IHE PCD-01 reports stamped a minute before the run (a report
stamped a year or more ago is a clock fault the listener refuses)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers import pcd01

_FIXTURE_TIME = b"20250101120000"


def bench_messages(n: int, prefix: str) -> list[bytes]:
    stamp = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y%m%d%H%M%S").encode()
    return [pcd01(f"{prefix}{i:07d}", hr=str(60 + i % 60)).replace(_FIXTURE_TIME, stamp) for i in range(n)]
