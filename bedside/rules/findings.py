"""What a rule found in one episode's data: the unit the alert lifecycle reconciles."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    onset: float
    """Start of the first persistent minute (data time)."""
    fired_at: float
    """When persistence was met (data time): the earliest moment the alert could be raised."""
    last_true: float
    """End of the last minute the condition held."""
    cleared: bool
    """The condition has been false for the re-arm period (or the feed came back): resolvable."""
    message: str
    values: dict[str, float | None] = field(default_factory=dict)
    observations: tuple[str, ...] = ()
    """What fired it: obs:<series id>:<epoch ms> (a stored sample), lab:<id>, alarm:<id>, drug:<id>."""
    notes: tuple[str, ...] = ()
    severity_rose_at: float | None = None
    """When a higher level than the first was reached (data time)."""
    tags: frozenset[str] = frozenset()
    """What composites may read besides the rule and its severity (`H4A.confirmed`)."""
    components: tuple[str, ...] = ()
    """A composite's component rules that fired: the alerts folded under it on screen."""
