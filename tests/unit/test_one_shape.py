"""One concept, one shape: inside the core a patient is a `PatientRef` (its "MRN^AUTHORITY" text
exists only where text comes in or goes out) and an alert is a `bedside.alerts.Alert`."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import typing
from types import ModuleType

import bedside_adapters
import bedside_adapters.alerting
import bedside_adapters.cli_said
import bedside_adapters.db
import bedside_adapters.ingest
import bedside_adapters.sdtm
import bedside_adapters.validation
import bedside_ui
import bedside_ui.actions
from bedside_adapters.db.patient_match import MrnQuery

import bedside
import bedside.alert_changes
import bedside.checks
import bedside.commands
import bedside.handlers
import bedside.numerics
import bedside.ports
import bedside.review
import bedside.status
import bedside.unit_of_work
from bedside.adverse_event_listing import ListedAdverseEvent
from bedside.adverse_events import AdverseEventVersion
from bedside.alerts import Alert
from bedside.co_medication import MedicationAdministration
from bedside.episode_lifecycle import NewCandidate
from bedside.episodes import InfusionEpisode
from bedside.log_entries import LogEntry
from bedside.model import Patient, PatientRef
from bedside.review import CohortRow

PATIENT_NAMES = {"patient", "patient_ref", "mrn", "patient_id"}
"""Names a patient goes by in a signature or a field."""


def _text_patients(owner: str, hints: dict[str, object]) -> list[str]:
    """The names among `hints` that hold a patient and are typed as text (or as anything but a
    PatientRef, optionally None)."""
    out = []
    for name, hint in hints.items():
        if name not in PATIENT_NAMES:
            continue
        if hint not in (PatientRef, PatientRef | None):
            out.append(f"{owner}.{name}: {hint}")
    return out


def _port_methods(module: ModuleType) -> list[tuple[str, object]]:
    """Every method of every protocol (a port) the module declares."""
    out = []
    for name, cls in vars(module).items():
        if inspect.isclass(cls) and getattr(cls, "_is_protocol", False) and cls.__module__ == module.__name__:
            for method_name, method in vars(cls).items():
                if inspect.isfunction(method):
                    out.append((f"{name}.{method_name}", method))
    return out


def test_the_ports_take_a_patient_as_a_patient_ref() -> None:
    """The unit of work's repositories, and what the screens read (`bedside.ports`)."""
    for module, at_least in ((bedside.unit_of_work, 20), (bedside.ports, 8)):
        methods = _port_methods(module)
        assert len(methods) >= at_least  # the protocols were found
        text = [
            found
            for owner, method in methods
            for found in _text_patients(owner, typing.get_type_hints(method, vars(module)))
        ]
        assert text == [], module.__name__


def test_commands_handlers_and_their_results_take_a_patient_as_a_patient_ref() -> None:
    classes = [
        c for c in vars(bedside.commands).values() if dataclasses.is_dataclass(c) and inspect.isclass(c)
    ]
    functions = []
    for module in _handler_modules():
        for value in vars(module).values():
            if getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isclass(value) and dataclasses.is_dataclass(value):
                classes.append(value)
            elif inspect.isfunction(value):
                functions.append(value)
    assert len(classes) > 15 and len(functions) > 20
    text = [found for c in classes for found in _text_patients(c.__qualname__, typing.get_type_hints(c))]
    text += [found for f in functions for found in _text_patients(f.__qualname__, typing.get_type_hints(f))]
    assert text == []


def test_the_cores_records_name_their_patient_as_a_patient_ref() -> None:
    records = [
        InfusionEpisode,
        NewCandidate,
        Alert,
        LogEntry,
        AdverseEventVersion,
        MedicationAdministration,
        CohortRow,
    ]
    text = [found for r in records for found in _text_patients(r.__qualname__, typing.get_type_hints(r))]
    assert text == []


def test_an_alert_has_one_shape() -> None:
    assert not hasattr(bedside.status, "AlertInfo")
    assert not hasattr(bedside.alert_changes, "NewAlert")
    raised = typing.get_type_hints(bedside.alert_changes.RaiseAlert)
    assert raised["alert"] is Alert
    status = typing.get_type_hints(bedside.status.PatientStatus)
    assert status["alerts"] == tuple[Alert, ...] and status["recent"] == tuple[Alert, ...]


def test_an_adverse_event_the_review_lists_has_one_shape() -> None:
    """The review, the report, the SAE listing and the SDTM export read an adverse event as a
    `ListedAdverseEvent` (its latest version an `AdverseEventVersion`), never as a dict of its fields."""
    from bedside_adapters.db import adverse_store
    from bedside_adapters.sdtm import events as sdtm_events

    import bedside.death_sae
    import bedside.review_data
    import bedside.review_text
    import bedside.sae_listing

    review = typing.get_type_hints(bedside.review_data.ReviewData)
    assert review["adverse_events"] == list[ListedAdverseEvent]
    assert typing.get_type_hints(adverse_store.listing)["return"] == list[ListedAdverseEvent]
    readers = [
        bedside.sae_listing.sae_listing,
        bedside.sae_listing.reassessment,
        bedside.sae_listing.awareness_correction,
        bedside.review_text.sae_clock_text,
        bedside.review_text.event_clock,
        bedside.death_sae.from_review,
        sdtm_events._qualifiers,
        sdtm_events._end,
    ]
    first = [next(iter(_hints(f).items())) for f in readers]
    as_fields = [f"{f.__qualname__}({name}: {hint})" for f, (name, hint) in zip(readers, first, strict=True)
                 if "Mapping" in str(hint) or "dict" in str(hint)]  # fmt: skip
    assert as_fields == []
    assert all("AdverseEvent" in str(_hints(f)) for f in readers)


def _handler_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"bedside.handlers.{m.name}")
        for m in pkgutil.iter_modules(bedside.handlers.__path__)
    ]


PLURAL_NAMES = {"patients", "patient_refs", "refs"}
"""Names several patients go by: each must be a PatientRef (or a patient's record)."""

ALERT_NAMES = {"alert", "alerts", "open_alerts", "high_alerts"}
"""Names an alert (or several) goes by: never a dict, a mapping or a bare tuple of its fields."""

LISTING_QUERY = (MrnQuery, MrnQuery | None)
"""What a listing that accepts a bare MRN (under any authority) is handed instead of a PatientRef:
the choice made explicit, never a text."""

SQL_BOUNDARY = {"bedside_adapters.db.patient_match"}
"""Where the reference columns' text is made and matched: text is its job."""

NOTICE_NAMES = {"whose", "arrived"}
"""Names a notice of arrived data goes by (a `notices.Whose`: a patient, a bed or nobody): never text,
which exists only in the pipe between the processes."""

TEXT_BY_DESIGN = {
    "bedside.safety_log.SafetyLogEntry.patient_ref": "the hash chain hashes the column's text",
    "bedside.safety_log.entry_hash.patient_ref": "the hash chain hashes the column's text",
    "bedside.course_spec.BedCourse.mrn": "a scenario's MRN, the text the simulator writes into PID-3",
    "bedside.rules.vasopressors.DoseRise.refs": "the samples' references, not patients",
    "bedside.rules.vasopressors.ThirdAgent.refs": "the samples' references, not patients",
    "bedside_adapters.validation.build.CaseRun.alerts": "the alerts as `bedside-cli alerts --json` prints them",
}
"""Text where text is the job, each with why: everything else hands a patient over as a PatientRef."""


def _hints(f: object) -> dict[str, object]:
    """A function's annotations, resolved where its module can resolve them (a name imported only
    for type checkers stays the text it is written as)."""
    try:
        return typing.get_type_hints(f)
    except NameError:
        return dict(inspect.get_annotations(f))  # type: ignore[arg-type]


def _is_text(hint: object) -> bool:
    """A hint that holds a patient as text: str, str | None, or a collection of str."""
    if hint is str or hint == str | None or hint == "str" or hint == "str | None":
        return True
    args = typing.get_args(hint)
    return bool(args) and any(a is str for a in args) and typing.get_origin(hint) not in (None,)


def _holds_text(hint: object) -> bool:
    """A hint with `str` anywhere in it (a text, or a collection or tuple holding one)."""
    if isinstance(hint, str):
        return "str" in hint.replace("|", " ").replace("[", " ").replace(",", " ").split()
    return hint is str or any(_holds_text(a) for a in typing.get_args(hint))


def _alert_as_fields(hint: str) -> bool:
    """An alert (or several) held as a dict, a mapping or a tuple of its fields (a tuple of ids is
    not an alert's fields)."""
    if hint == "tuple[int, ...]":
        return False
    return "dict" in hint or "Mapping" in hint or ("tuple[" in hint and "Alert" not in hint)


def _shape_problems(where: str, hints: dict[str, object], *, in_db: bool) -> list[str]:
    out = []
    for name, hint in hints.items():
        text = str(hint)
        if name in PATIENT_NAMES or (name == "text" and where.endswith("load_review")):
            if name == "patient_id" and in_db and hint in (int, int | None):
                continue  # the patient table's row id, which never leaves the database adapter
            if hint not in (PatientRef, PatientRef | None, Patient, Patient | None, *LISTING_QUERY):
                out.append(f"{where}.{name}")
        elif (
            (name in PLURAL_NAMES and _is_text(hint))
            or (name in ALERT_NAMES and _alert_as_fields(text))
            or (name in NOTICE_NAMES and _holds_text(hint))
        ):
            out.append(f"{where}.{name}")
        elif name == "return":
            function = where.rsplit(".", 1)[-1]
            if function.endswith(("patient", "patients", "patient_in")) and _is_text(hint):
                out.append(f"{where}.return")
            if function.endswith("alerts") and _alert_as_fields(text):
                out.append(f"{where}.return")
    return out


def _public_functions(module: ModuleType) -> list[tuple[str, object]]:
    """The module's own public functions, and the public methods (and constructor) of its classes."""
    out: list[tuple[str, object]] = []
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value):
            out.append((f"{module.__name__}.{name}", value))
        elif inspect.isclass(value):
            for method_name, method in vars(value).items():
                constructor = method_name == "__init__" and not dataclasses.is_dataclass(value)
                if inspect.isfunction(method) and (not method_name.startswith("_") or constructor):
                    out.append((f"{module.__name__}.{name}.{method_name}", method))
    return out


def _modules(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{m.name}")
        for m in pkgutil.iter_modules(package.__path__)
        if f"{package.__name__}.{m.name}" not in SQL_BOUNDARY
    ]


def _every_module(package: ModuleType) -> list[ModuleType]:
    """The package's modules and those of its subpackages, at any depth."""
    return [
        importlib.import_module(m.name)
        for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    ]


def test_the_adapters_hand_a_patient_over_as_a_patient_ref_and_an_alert_as_an_alert() -> None:
    """The public functions and records of the database adapter, the alerting process, ingest, the
    SDTM export, clinical validation and every module of the core (plural names such as `patients`
    and `refs` included, and whose data a notice announces)."""
    modules = _modules(bedside_adapters.db) + _modules(bedside_adapters.alerting)
    assert len(modules) > 40  # the packages were found
    sdtm = _modules(bedside_adapters.sdtm)
    assert len(sdtm) > 8
    ingest = _modules(bedside_adapters.ingest)
    assert len(ingest) > 8
    validation = _modules(bedside_adapters.validation)
    assert len(validation) >= 4
    core = _every_module(bedside)
    assert len(core) > 80 and bedside.death_sae in core and bedside.handlers.adverse in core
    modules += sdtm + ingest + validation + core
    found = set()
    for module in modules:
        in_db = module.__name__.startswith("bedside_adapters.db.")
        for where, f in _public_functions(module):
            found.update(_shape_problems(where, _hints(f), in_db=in_db))
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and dataclasses.is_dataclass(value)
                and value.__module__ == module.__name__
            ):
                found.update(
                    _shape_problems(f"{module.__name__}.{value.__qualname__}", _hints(value), in_db=in_db)
                )
    assert sorted(found - TEXT_BY_DESIGN.keys()) == [], "a patient as text or an alert as a dict"
    assert TEXT_BY_DESIGN.keys() <= found  # each excuse still names something that exists


ENTRY_NAMES = {"payload", "entry", "logged"}
"""Names what a handler logged goes by."""


def _entry_problems(where: str, hints: dict[str, object], *, screen_action: bool) -> list[str]:
    """What a handler logged handed over as its payload's dict (read by key) rather than its typed
    entry; `screen_action`: a function of `bedside_ui.actions`, whose result is what was logged."""
    out = []
    for name, hint in hints.items():
        text = str(hint)
        as_fields = "dict" in text or "Mapping" in text
        if as_fields and (name in ENTRY_NAMES or (name == "return" and screen_action)):
            out.append(f"{where}.{name}")
    return out


def _record_problems(module: ModuleType) -> list[str]:
    found: list[str] = []
    screen_actions = module is bedside_ui.actions
    for where, f in _public_functions(module):
        hints = _hints(f)
        found += _shape_problems(where, hints, in_db=False)
        found += _entry_problems(where, hints, screen_action=screen_actions)
    for value in vars(module).values():
        if inspect.isclass(value) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__:
            found += _shape_problems(f"{module.__name__}.{value.__qualname__}", _hints(value), in_db=False)
    return found


def test_the_screens_and_the_command_line_hand_over_a_patient_an_alert_and_an_entry_typed() -> None:
    """Every module of the screens (`bedside_ui`) and of bedside-cli's commands
    (`bedside_adapters.cli*`): a patient as a `PatientRef`, an alert as an `Alert`, and what a
    handler logged as its typed entry, never its payload's dict read by key."""
    cli = [
        importlib.import_module(f"bedside_adapters.{m.name}")
        for m in pkgutil.iter_modules(bedside_adapters.__path__)
        if m.name.startswith("cli")
    ]
    assert len(cli) > 20 and bedside_adapters.cli_said in cli
    screens = _modules(bedside_ui)
    assert len(screens) > 50 and bedside_ui.actions in screens
    found = [problem for module in cli + screens for problem in _record_problems(module)]
    assert found == [], "a patient as text, an alert or a log entry as a dict"


def test_the_shape_check_sees_a_patient_as_text_and_an_alert_as_a_dict() -> None:
    def reads(engine: object, patient: str, alerts: list[dict]) -> None: ...  # type: ignore[type-arg]

    def treated_patients(engine: object) -> list[str]: ...

    def patient_in(bed: str, at: float) -> str | None: ...

    def export(engine: object, refs: list[str]) -> None: ...

    def fine(engine: object, patient: PatientRef, alerts: list[Alert], patient_id: int) -> None: ...

    assert _shape_problems("m.reads", _hints(reads), in_db=True) == ["m.reads.patient", "m.reads.alerts"]
    assert _shape_problems("m.treated_patients", _hints(treated_patients), in_db=True) == [
        "m.treated_patients.return"
    ]
    assert _shape_problems("m.patient_in", _hints(patient_in), in_db=True) == ["m.patient_in.return"]
    assert _shape_problems("m.export", _hints(export), in_db=False) == ["m.export.refs"]
    assert _shape_problems("m.fine", _hints(fine), in_db=True) == []


def test_the_shape_check_sees_the_shapes_it_once_missed() -> None:
    """A notice's patient as "MRN^AUTH" or "bed:<bed>", and a patient named as text in a form's
    check, as the ingest results, the runner's notices and the death check once held them."""

    @dataclasses.dataclass
    class Result:
        patient_ref: str | None

    @dataclasses.dataclass
    class OnRecord:
        patient: str

    def notify(arrived: list[tuple[str | None, float | None]], committed_at: float) -> None: ...

    def problem(outcome: str, patient: str) -> None: ...

    assert _shape_problems("m.Result", _hints(Result), in_db=False) == ["m.Result.patient_ref"]
    assert _shape_problems("m.OnRecord", _hints(OnRecord), in_db=False) == ["m.OnRecord.patient"]
    assert _shape_problems("m.notify", _hints(notify), in_db=False) == ["m.notify.arrived"]
    assert _shape_problems("m.problem", _hints(problem), in_db=False) == ["m.problem.patient"]


def test_the_entry_check_sees_a_logged_payload_read_by_key() -> None:
    """What `adverse_said` and the screens' adverse-event actions once took and returned."""

    def adverse_said(payload: typing.Mapping[str, object], patient: str, signed_by: str) -> str: ...

    def adverse_event(writes: object, patient: PatientRef) -> dict: ...  # type: ignore[type-arg]

    def typed(entry: LogEntry, patient: PatientRef) -> LogEntry: ...

    said = _hints(adverse_said)
    assert _shape_problems("m.adverse_said", said, in_db=False) == ["m.adverse_said.patient"]
    assert _entry_problems("m.adverse_said", said, screen_action=False) == ["m.adverse_said.payload"]
    event = _hints(adverse_event)
    assert _entry_problems("m.adverse_event", event, screen_action=True) == ["m.adverse_event.return"]
    assert _entry_problems("m.typed", _hints(typed), screen_action=True) == []
