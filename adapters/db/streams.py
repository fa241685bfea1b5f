"""The stream of an observation row: which device it came from, as a small integer for the index.

Staging rows are indexed by (stream, observed_ms) (migration 0013): a device's values arrive together,
so one commit touches one index page per device, and a reader of a patient's series scans only the
rows of that patient's devices. 0 is "unknown" (rows written without one); readers always include it.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

UNKNOWN = 0


@lru_cache(maxsize=65536)
def stream_of(device: str) -> int:
    return zlib.crc32(device.encode("utf-8")) & 0x7FFFFFFF or 1
