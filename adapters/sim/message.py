"""One message of the simulated hospital feed: when it is sent, which feed sends it, its HL7 text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    at: float
    feed: str
    text: str
