"""Seriousness of an adverse event: ICH E2A II.B's criteria, any of which makes an event serious,
three-valued (serious, not serious, or not assessed: None), and how each reads in a list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bedside.i18n import N_, _

SERIOUSNESS: Mapping[str, str] = {
    "death": N_("results in death"),
    "life_threatening": N_("is life-threatening"),
    "hospitalisation": N_("requires inpatient hospitalisation or prolongs an existing one"),
    "disability": N_("results in persistent or significant disability or incapacity"),
    "congenital_anomaly": N_("is a congenital anomaly or birth defect"),
    "medically_important": N_("is another medically important event"),
}
"""ICH E2A II.B's criteria, any of which makes an event serious (several may apply). The codes are
stored; the labels (in English) are translated with `_()` where shown."""


def serious(criteria: Sequence[str] | None) -> bool | None:
    """Serious when any ICH E2A criterion applies; None when seriousness was not assessed."""
    return None if criteria is None else bool(criteria)


def criteria_text(criteria: Sequence[str] | None) -> str:
    if criteria is None:
        return _("seriousness not assessed")
    if not criteria:
        return _("not serious")
    return _("serious: {criteria}").format(criteria=", ".join(criterion_text(c) for c in criteria))


_CRITERIA = {
    "death": N_("death"),
    "life_threatening": N_("life threatening"),
    "hospitalisation": N_("hospitalisation"),
    "disability": N_("disability"),
    "congenital_anomaly": N_("congenital anomaly"),
    "medically_important": N_("medically important"),
}
"""Each seriousness criterion in a word or two, for a list."""


def criterion_text(code: str) -> str:
    """One seriousness criterion in a word or two, in the reader's language."""
    return _(_CRITERIA[code]) if code in _CRITERIA else code.replace("_", " ")
