"""What the nurse's screen knows about one patient besides the numeric trends: doses with their
baselines, alerts, signed checks, lab results. Filled by the database adapter, drawn by the UI."""

from __future__ import annotations

from dataclasses import dataclass, field

from bedside.adverse_events import AdverseEventVersion
from bedside.alerts import Alert
from bedside.checks import Signature
from bedside.death_sae import DeathSae
from bedside.rules.engine import Baseline


@dataclass(frozen=True)
class DoseInfo:
    id: int
    dose: int
    start: float
    end: float | None
    state: str
    source: str
    product: str = ""
    cells_per_kg: float | None = None
    weight_kg: float | None = None
    course_doses: int | None = None
    confirmed_by: str = ""
    baselines: dict[str, Baseline] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    """The intensivist's own SpO2 / MAP limits for this dose (unset ones derive from the baseline)."""

    @property
    def running(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class LabValue:
    analyte: str
    at: float
    value: float
    unit: str
    reference_range: str
    status: str


UNDELIVERED_SHOWN_FOR = 24 * 3600.0
"""How long an alert the alarm manager never acknowledged stays in the screen's notices."""


@dataclass(frozen=True)
class PatientStatus:
    beat: float | None
    """The rule engine's last heartbeat (None: it never ran on this database)."""
    ruleset: str
    alerts: tuple[Alert, ...]
    """Open (raised or acknowledged), highest severity first, then newest."""
    recent: tuple[Alert, ...]
    """Resolved in the last 24 h."""
    doses: tuple[DoseInfo, ...]
    signatures: dict[int, list[Signature]]
    """Episode id → the checks signed for it (from the safety log)."""
    labs: dict[str, list[LabValue]]
    holder: str = ""
    """The ingest service (node) whose engine holds the alerting lease ("": none yet)."""
    undelivered: int = 0
    """Alerts the alarm manager never acknowledged in the last UNDELIVERED_SHOWN_FOR seconds (any
    patient's: the link to the alarm manager is the ward's)."""
    undelivered_at: float | None = None
    """When the newest of them was given up."""
    adverse_events: tuple[AdverseEventVersion, ...] = ()
    """The patient's adverse events, the latest version of each (their SAE report clocks)."""
    deceased_at: float | None = None
    """When the patient's recorded death happened, as its last entry says (None: no death recorded)."""
    death_sae: DeathSae | None = None
    """The recorded death and where the SAE report it calls for stands (None: no death recorded)."""
    reported_death: float | None = None
    """The time of the death the latest ADT message (not cancelled) reported while no clinician has
    confirmed it (None: none reported, or the death is recorded)."""

    @property
    def current_dose(self) -> DoseInfo | None:
        """The running dose, else the latest one (its post-dose windows are what matters now)."""
        running = [d for d in self.doses if d.running]
        if running:
            return running[-1]
        return self.doses[-1] if self.doses else None


EMPTY_STATUS = PatientStatus(None, "", (), (), (), {}, {})
