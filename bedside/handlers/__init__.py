"""One handler per clinician action: the one place each command is validated, changes the record,
and chooses its safety-log entry. Every writer (the nurse's screen, the review screen, the command
line) calls these and nothing else to record what a clinician did.

Each handler takes a `bedside.unit_of_work.UnitOfWork` and a command from `bedside.commands`, runs in
one unit of work, and raises a `bedside.commands.Refused` (nothing written) for what it cannot take.
"""

from bedside.handlers.adverse import record_adverse_event, report_adverse_event, validate_adverse_event
from bedside.handlers.adverse_death import explain_no_death_sae
from bedside.handlers.adverse_outcome import explain_no_outcome_aesi
from bedside.handlers.alerts import acknowledge_alerts, mute_alerts
from bedside.handlers.common import stored_patient
from bedside.handlers.doses import cancel_dose, confirm_dose, edit_dose, set_targets, start_dose, stop_dose
from bedside.handlers.exports import authorize_datasets, export_datasets
from bedside.handlers.records import (
    RecordedCourseEvent,
    authorize_report,
    confirm_reported_death,
    export_report,
    export_tables,
    record_course_event,
    sign_check,
)
from bedside.handlers.vitals import record_vitals, stamped

__all__ = [
    "RecordedCourseEvent",
    "acknowledge_alerts",
    "authorize_datasets",
    "authorize_report",
    "cancel_dose",
    "confirm_dose",
    "confirm_reported_death",
    "edit_dose",
    "explain_no_death_sae",
    "explain_no_outcome_aesi",
    "export_datasets",
    "export_report",
    "export_tables",
    "mute_alerts",
    "record_adverse_event",
    "record_course_event",
    "record_vitals",
    "report_adverse_event",
    "set_targets",
    "sign_check",
    "stamped",
    "start_dose",
    "stop_dose",
    "stored_patient",
    "validate_adverse_event",
]
