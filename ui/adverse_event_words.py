"""The adverse-event form's words for what it stores as codes: each CTCAE v5.0 grade's general
description, each relatedness, expectedness, and ICH E2A seriousness criterion as its box names it
(in the form's translation context; the code is what is stored)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from bedside.commands import NOT_ASSESSED

GRADE_WORDS = {
    1: QT_TRANSLATE_NOOP("AdverseEventDialog", "mild"),
    2: QT_TRANSLATE_NOOP("AdverseEventDialog", "moderate"),
    3: QT_TRANSLATE_NOOP("AdverseEventDialog", "severe or medically significant"),
    4: QT_TRANSLATE_NOOP("AdverseEventDialog", "life-threatening"),
    5: QT_TRANSLATE_NOOP("AdverseEventDialog", "death related to the event"),
}
"""CTCAE v5.0's general description of each grade (each term's own criteria decide)."""

RELATEDNESS_WORDS = {
    "unrelated": QT_TRANSLATE_NOOP("AdverseEventDialog", "unrelated"),
    "unlikely": QT_TRANSLATE_NOOP("AdverseEventDialog", "unlikely"),
    "possible": QT_TRANSLATE_NOOP("AdverseEventDialog", "possible"),
    "probable": QT_TRANSLATE_NOOP("AdverseEventDialog", "probable"),
    "definite": QT_TRANSLATE_NOOP("AdverseEventDialog", "definite"),
    NOT_ASSESSED: QT_TRANSLATE_NOOP("AdverseEventDialog", "not yet assessed"),
}
"""Each relatedness as shown; the value stored is the English term (the item's data)."""

EXPECTEDNESS_WORDS = {
    "expected": QT_TRANSLATE_NOOP("AdverseEventDialog", "expected"),
    "unexpected": QT_TRANSLATE_NOOP("AdverseEventDialog", "unexpected"),
}

SERIOUSNESS_NAMES = {
    "death": QT_TRANSLATE_NOOP("AdverseEventDialog", "death"),
    "life_threatening": QT_TRANSLATE_NOOP("AdverseEventDialog", "life threatening"),
    "hospitalisation": QT_TRANSLATE_NOOP("AdverseEventDialog", "hospitalisation/prolonged"),
    "disability": QT_TRANSLATE_NOOP("AdverseEventDialog", "disability"),
    "congenital_anomaly": QT_TRANSLATE_NOOP("AdverseEventDialog", "congenital anomaly"),
    "medically_important": QT_TRANSLATE_NOOP("AdverseEventDialog", "medically important"),
}
"""ICH E2A's seriousness criteria as the boxes name them (the criterion's key is what is stored)."""


def word(table: dict, key: object) -> str:  # type: ignore[type-arg]
    """A stored value's label in the language shown; the value itself where it has none."""
    text = table.get(key)
    return QCoreApplication.translate("AdverseEventDialog", text) if text else str(key)
