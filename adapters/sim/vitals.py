"""A small, deterministic vital-sign generator for the plain live monitor (`bedside-cli simulate` without a
scenario); the demo's scenarios draw from the full course model in bedside/course.py."""

from __future__ import annotations

import math
import random


class VitalsGenerator:
    """Plausible ventilated-ICU vitals with slow drift and breath-to-breath noise; seeded."""

    def __init__(self, seed: int = 4417) -> None:
        self._rng = random.Random(seed)

    def sample(self, t: float) -> dict[str, float]:
        r = self._rng
        slow = math.sin(2 * math.pi * t / 1800.0)
        hr = 88 + 6 * slow + r.gauss(0, 1.5)
        sys_ = 118 - 5 * slow + r.gauss(0, 2.0)
        dia = 62 - 3 * slow + r.gauss(0, 1.5)
        return {
            "hr": round(hr),
            "spo2": round(min(100.0, 95 + 1.2 * slow + r.gauss(0, 0.6))),
            "pr_spo2": round(hr + r.gauss(0, 1.0)),
            "abp_sys": round(sys_),
            "abp_dia": round(dia),
            "abp_mean": round((sys_ + 2 * dia) / 3),
            "temp": round(37.2 + 0.15 * slow + r.gauss(0, 0.03), 1),
            "rr": round(20 + 2 * slow + r.gauss(0, 0.8)),
        }
