"""One concept, one shape: inside the core a patient is a `PatientRef` (its "MRN^AUTHORITY" text
exists only where text comes in or goes out) and an alert is a `bedside.alerts.Alert`."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import typing
from types import ModuleType

import bedside.alert_changes
import bedside.commands
import bedside.handlers
import bedside.ports
import bedside.status
import bedside.unit_of_work
from bedside.adverse_events import AdverseEventVersion
from bedside.alerts import Alert
from bedside.co_medication import MedicationAdministration
from bedside.episode_lifecycle import NewCandidate
from bedside.episodes import InfusionEpisode
from bedside.log_entries import LogEntry
from bedside.model import PatientRef
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


def _handler_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"bedside.handlers.{m.name}")
        for m in pkgutil.iter_modules(bedside.handlers.__path__)
    ]
