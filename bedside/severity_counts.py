"""How many alerts of each severity, as a sentence reads them ("3 high, 1 medium"; in Spanish "3
altas, 1 media"): each count agrees with its word in number and, in Spanish, in gender with
"alerta", through the catalogue's plural forms."""

from __future__ import annotations

from collections.abc import Sequence

from bedside.i18n import ngettext

ORDER = ("high", "medium", "low")


def severity_count(severity: str, n: int) -> str:
    if severity == "high":
        return ngettext("{n} high", "{n} high", n).format(n=n)
    if severity == "medium":
        return ngettext("{n} medium", "{n} medium", n).format(n=n)
    if severity == "low":
        return ngettext("{n} low", "{n} low", n).format(n=n)
    return f"{n} {severity}"


def severity_counts(severities: Sequence[str]) -> str:
    """'3 high, 1 medium' from the severities of the alerts counted (those absent left out)."""
    return ", ".join(severity_count(s, severities.count(s)) for s in ORDER if s in severities)


def grades_text(grades: Sequence[int]) -> str:
    """'grade 3' / 'grades 2, 3': the distinct CTCAE grades of some adverse events."""
    distinct = sorted(set(grades))
    return ngettext("grade {grades}", "grades {grades}", len(distinct)).format(
        grades=", ".join(str(g) for g in distinct)
    )
