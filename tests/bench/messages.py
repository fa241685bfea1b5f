"""The ingest benchmarks' messages: IHE PCD-01 reports stamped yesterday (the fixture's own date, a
year or more ago, is a clock fault the listener refuses; yesterday is never ahead of the run)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers import pcd01

_FIXTURE_DATE = b"20250101"


def bench_messages(n: int, prefix: str) -> list[bytes]:
    day = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y%m%d").encode()
    return [pcd01(f"{prefix}{i:07d}", hr=str(60 + i % 60)).replace(_FIXTURE_DATE, day) for i in range(n)]
