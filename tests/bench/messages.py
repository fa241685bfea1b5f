"""The messages `make bench ingest` sends: the 20-OBX PCD-01 gateway message, one control id each."""

from __future__ import annotations

from tests.helpers import pcd01


def bench_messages(n: int, prefix: str) -> list[bytes]:
    return [pcd01(f"{prefix}{i:07d}", hr=str(60 + i % 60)) for i in range(n)]
