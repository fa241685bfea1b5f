"""The report's safety log extract as a person reads it: each entry's kind named in the report's
language above its code as logged (the code is what `bedside-cli verify-log` names), and what the
entry says in words of that language. A clinician's own words (a comment, a reason, a note) and
a device's codes are quoted as written: they are the record, never translated."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from bedside import i18n
from bedside.adverse_events import term_text
from bedside.alert_screen import severity_name
from bedside.commands import RELATEDNESS_NAMES, course_event_name

KINDS: Mapping[str, str] = {
    "action.refused": QT_TRANSLATE_NOOP("ReportLog", "action refused"),
    "adverse_event.recorded": QT_TRANSLATE_NOOP("ReportLog", "adverse event recorded"),
    "adverse_event.reported": QT_TRANSLATE_NOOP("ReportLog", "adverse event reported to the sponsor"),
    "alert.acknowledged": QT_TRANSLATE_NOOP("ReportLog", "alert acknowledged"),
    "alert.annotated": QT_TRANSLATE_NOOP("ReportLog", "alert annotated"),
    "alert.escalated": QT_TRANSLATE_NOOP("ReportLog", "alert escalated"),
    "alert.folded": QT_TRANSLATE_NOOP("ReportLog", "alert grouped under another"),
    "alert.raised": QT_TRANSLATE_NOOP("ReportLog", "alert raised"),
    "alert.resolved": QT_TRANSLATE_NOOP("ReportLog", "alert resolved"),
    "alert.severity": QT_TRANSLATE_NOOP("ReportLog", "alert severity changed"),
    "alerts.muted": QT_TRANSLATE_NOOP("ReportLog", "alert sound muted"),
    "check.done": QT_TRANSLATE_NOOP("ReportLog", "check done"),
    "course.event": QT_TRANSLATE_NOOP("ReportLog", "course event"),
    "datasets.exported": QT_TRANSLATE_NOOP("ReportLog", "datasets exported"),
    "episode.accepted": QT_TRANSLATE_NOOP("ReportLog", "dose accepted"),
    "episode.cancel": QT_TRANSLATE_NOOP("ReportLog", "dose cancelled"),
    "episode.candidate": QT_TRANSLATE_NOOP("ReportLog", "dose detected by a device"),
    "episode.confirm": QT_TRANSLATE_NOOP("ReportLog", "dose confirmed"),
    "episode.edit": QT_TRANSLATE_NOOP("ReportLog", "dose corrected"),
    "episode.start": QT_TRANSLATE_NOOP("ReportLog", "dose started"),
    "episode.stop": QT_TRANSLATE_NOOP("ReportLog", "dose stopped"),
    "episode.targets": QT_TRANSLATE_NOOP("ReportLog", "dose targets set"),
    "ingest.started": QT_TRANSLATE_NOOP("ReportLog", "data reception started"),
    "medication.recorded": QT_TRANSLATE_NOOP("ReportLog", "co-medication recorded"),
    "report.exported": QT_TRANSLATE_NOOP("ReportLog", "report exported"),
    "ruleset.loaded": QT_TRANSLATE_NOOP("ReportLog", "rule set loaded"),
    "session.locked": QT_TRANSLATE_NOOP("ReportLog", "screen locked"),
    "session.refused": QT_TRANSLATE_NOOP("ReportLog", "sign-in refused"),
    "session.signed_in": QT_TRANSLATE_NOOP("ReportLog", "signed in"),
    "user.added": QT_TRANSLATE_NOOP("ReportLog", "user added"),
    "user.disabled": QT_TRANSLATE_NOOP("ReportLog", "user disabled"),
    "user.password_changed": QT_TRANSLATE_NOOP("ReportLog", "password changed"),
    "vitals.recorded": QT_TRANSLATE_NOOP("ReportLog", "vital signs recorded"),
}
"""Each safety-log entry's kind (as logged) as a person reads it."""

ENGINE_REASONS: Mapping[str, str] = {
    "condition cleared for the re-arm period": QT_TRANSLATE_NOOP(
        "ReportLog", "condition cleared for the re-arm period"
    ),
    "feed back": QT_TRANSLATE_NOOP("ReportLog", "the signal came back"),
}
"""The alert engine's own reasons, stored in English as part of the record."""


def tr(text: str) -> str:
    return QCoreApplication.translate("ReportLog", text)


def kind_text(kind: str) -> str:
    """The kind's name in the report's language, above the code as logged."""
    return f"{tr(KINDS[kind])}\n{kind}" if kind in KINDS else kind


def _local(at: float) -> str:
    return i18n.strftime(datetime.fromtimestamp(at).astimezone(), "%d %b %H:%M")


def _quoted(text: str) -> str:
    return f"“{text}”"


def what_text(payload: Mapping[str, Any]) -> str:
    """What an entry says, in the report's language; what a person or a device wrote, quoted."""
    parts: list[str] = []
    if payload.get("rule"):
        parts.append(QCoreApplication.translate("ReportLog", "rule {rule}").format(rule=payload["rule"]))
    if payload.get("severity"):
        parts.append(
            QCoreApplication.translate("ReportLog", "severity {severity}").format(
                severity=severity_name(str(payload["severity"]))
            )
        )
    if payload.get("dose") not in (None, ""):
        parts.append(QCoreApplication.translate("ReportLog", "dose {dose}").format(dose=payload["dose"]))
    if payload.get("term"):
        parts.append(term_text(str(payload["term"])))
    if payload.get("grade") not in (None, ""):
        parts.append(QCoreApplication.translate("ReportLog", "grade {grade}").format(grade=payload["grade"]))
    relatedness = payload.get("relatedness")
    if relatedness:
        name = RELATEDNESS_NAMES.get(relatedness)
        parts.append(
            QCoreApplication.translate("ReportLog", "relatedness {relatedness}").format(
                relatedness=i18n._(name) if name else _quoted(str(relatedness))
            )
        )
    if payload.get("comment"):
        parts.append(
            QCoreApplication.translate("ReportLog", "comment {comment}").format(
                comment=_quoted(str(payload["comment"]))
            )
        )
    reason = payload.get("reason")
    if reason:
        reason = str(reason)
        said = tr(ENGINE_REASONS[reason]) if reason in ENGINE_REASONS else _quoted(reason)
        parts.append(QCoreApplication.translate("ReportLog", "reason {reason}").format(reason=said))
    if payload.get("kind"):
        parts.append(course_event_name(str(payload["kind"])))
    if payload.get("text"):
        parts.append(_quoted(str(payload["text"])))
    if payload.get("source"):
        parts.append(
            QCoreApplication.translate("ReportLog", "source {source}").format(source=payload["source"])
        )
    if isinstance(payload.get("event"), int) and payload.get("sent_at") is not None:
        parts.append(
            QCoreApplication.translate(
                "ReportLog", "adverse event {event} version {version} reported to the sponsor {at}"
            ).format(
                event=payload["event"], version=payload.get("version", "—"), at=_local(payload["sent_at"])
            )
        )
    return ", ".join(parts)
