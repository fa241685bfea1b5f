"""One patient's adverse events as `bedside-cli adverse-event list` shows them, read in one
transaction: every version of each event and who signed it, the SUSAR flag each first report sent,
the SAE listing's rows, the accounts that name the signers, and what the recorded or reported death
says of the SAE report and of the events' outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field

from bedside_adapters.db import adverse_store, course_store, episode_store
from bedside_adapters.db.death_sae_store import load_death_sae, reported_death
from bedside_adapters.db.engine import Engine
from bedside_adapters.db.outcome_reasons import no_aesi_reasons
from bedside_adapters.db.outcome_store import fatal_saes
from bedside_adapters.db.user_store import all_users

from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.adverse_events import AdverseEventVersion
from bedside.adverse_events_outcomes import OUTCOME_AESI
from bedside.death_sae import DeathSae
from bedside.model import PatientRef
from bedside.outcome_no_aesi import NoAesiNeeded
from bedside.review import CourseEvent
from bedside.users import User


@dataclass(frozen=True)
class AdverseRecord:
    histories: list[list[AdverseEventVersion]]
    """Every version of each event, oldest first, the events in the order first recorded."""
    signers: dict[int, str]
    """Each signed version's (row id's) signer's role."""
    first_susar: list[bool | None]
    """Per event in `histories`: the SUSAR flag its first report to the sponsor sent."""
    history: list[AdverseEventVersion] | None
    """The versions of the event asked for by a row id (None: none was asked for)."""
    dose_of: dict[int, int]
    """Episode id → dose number."""
    listed: list[ListedAdverseEvent]
    """The SAE listing's events (empty unless asked for)."""
    users: list[User]
    died: float | None
    """The recorded death that counts (the last entered); None without one."""
    death_sae: DeathSae | None
    reported_death: tuple[float, float] | None
    """A death only ADT reported, when none is recorded: (its time, when the first message reporting
    it was received)."""
    fatal_saes: list[int]
    aesi_course: list[CourseEvent]
    """The recorded course events that are also adverse events of special interest."""
    no_aesi_reasons: list[NoAesiNeeded] = field(default_factory=list)
    """The signed reasons why such an outcome needs no adverse event of special interest."""


def read_adverse_record(
    engine: Engine, patient: PatientRef, history: int | None = None, with_listing: bool = False
) -> AdverseRecord:
    """`history`: a version's row id whose event's versions to read too; `with_listing`: read the SAE
    listing's rows."""
    with engine.connect() as conn:
        histories = adverse_store.patient_histories(conn, patient)
        dose_of = {d.id: d.dose_number for d in episode_store.load_episodes(conn, patient)}
        deaths = course_store.death_times(conn, patient)
        died = deaths[-1] if deaths else None
        fatal = fatal_saes(conn, patient)
        return AdverseRecord(
            histories=histories,
            signers=adverse_store.signers(conn, patient),
            first_susar=[adverse_store.susar_when_first_reported(conn, h) for h in histories],
            history=None if history is None else adverse_store.event_history(conn, history),
            dose_of=dose_of,
            listed=adverse_store.listing(conn, patient, dose_of) if with_listing else [],
            users=all_users(conn),
            died=died,
            death_sae=load_death_sae(conn, patient, died, fatal),
            reported_death=reported_death(conn, patient) if died is None else None,
            fatal_saes=fatal,
            aesi_course=[
                CourseEvent(kind, at)
                for kind in OUTCOME_AESI
                for at in course_store.event_times(conn, patient, kind)
            ],
            no_aesi_reasons=no_aesi_reasons(conn, patient),
        )


def event_versions(engine: Engine, any_id: int) -> tuple[list[AdverseEventVersion], dict[int, int]]:
    """Every version of the event the row `any_id` belongs to, oldest first, and its patient's doses
    (episode id → dose number), read in one transaction: what a follow-up's "changed from version"
    compares. No versions: an empty list and no doses."""
    with engine.connect() as conn:
        history = adverse_store.event_history(conn, any_id)
        if not history:
            return [], {}
        patient = history[-1].patient_ref
        return history, {d.id: d.dose_number for d in episode_store.load_episodes(conn, patient)}
