"""The cohort in numbers: per outcome and per before/after marker, n, median (IQR) and the
denominator ("n = 7 of 9 with a value"), and the plain statement of what such a table can and
cannot show. The IQR is the 25th to 75th percentile, linearly interpolated (numpy's default,
Hyndman and Fan type 7)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bedside.i18n import N_, _, localize_number, ngettext
from bedside.outcomes import Outcome
from bedside.review import PRE_DOSE, TIMEPOINTS, BeforeAfterRow
from bedside.units import plain_value

UNCONTROLLED = N_(
    "An uncontrolled case series: with no comparison group, these figures describe the patients; they "
    "do not show that the product had an effect (patients improve or worsen for many other reasons)."
)


@dataclass(frozen=True)
class Summary:
    n: int
    of: int
    median: float | None
    q1: float | None
    q3: float | None

    def text(self, fmt=lambda v: f"{v:.1f}") -> str:  # type: ignore[no-untyped-def]
        if self.median is None or self.q1 is None or self.q3 is None:
            return "— " + _("(n = 0 of {of} with a value)").format(of=self.of)
        median = localize_number(f"{fmt(self.median)} ({fmt(self.q1)}–{fmt(self.q3)})")
        return median + ", " + _("n = {n} of {of} with a value").format(n=self.n, of=self.of)


def summarise(values: Sequence[float | None]) -> Summary:
    have = np.array([v for v in values if v is not None], dtype=float)
    if not have.size:
        return Summary(0, len(values), None, None, None)
    q1, med, q3 = np.percentile(have, [25, 50, 75])
    return Summary(int(have.size), len(values), float(med), float(q1), float(q3))


def outcome_lines(sets: Sequence[Sequence[Outcome]]) -> list[tuple[str, str]]:
    """(label, summary) per outcome over the patients: days as median (IQR) of those with a value;
    counts as the patients with at least one recorded, over all."""
    sets = [s for s in sets if s]
    if not sets:
        return []
    out = []
    for i, first in enumerate(sets[0]):
        column = [s[i] for s in sets]
        if first.kind == "days":
            line = summarise([o.value for o in column]).text()
            bounds = sum(1 for o in column if o.lower_bound and o.value is not None)
            if bounds:
                # A value that is only "at least" pulls the median down: say how many there are.
                line += "; " + _("{n} of them lower bounds (≥)").format(n=bounds)
            out.append((_("{outcome} (days)").format(outcome=_(first.label)), line))
        else:
            have = [o for o in column if o.value]
            flagged = [o for o in column if o.flag]
            line = _("{n} of {total} with one recorded").format(n=len(have), total=len(column))
            if flagged:
                line += "; " + ngettext("{n} flagged ({flag})", "{n} flagged ({flag})", len(flagged)).format(
                    n=len(flagged), flag=flagged[0].flag.split(":")[0]
                )
            out.append((_(first.label), line))
    return out


def marker_table(per_patient: Sequence[Sequence[BeforeAfterRow]]) -> tuple[list[str], list[list[str]]]:
    """Header and rows: per marker, the pre-dose value and each time point after the first dose as
    median (IQR) of the values, with the denominator; values taken after a later dose are counted
    and said so (their change is no longer the first dose's alone)."""
    header = [_("Marker"), _(PRE_DOSE), *(label for label, _offset in TIMEPOINTS)]
    if not per_patient:
        return header, []
    rows = []
    for k, first in enumerate(per_patient[0]):
        m = first.marker
        column = [p[k] for p in per_patient]

        values = [r.baseline.point.value for r in column if r.baseline.point] + [
            c.point.value for r in column for c in r.after.values() if c.point
        ]
        # A median or quartile shown to one decimal more than the values carry, at most: the
        # midpoint of two results is not rounded back onto one of them, nor given false precision.
        places = 1 + max((len(plain_value(m.key, v, m.unit).partition(".")[2]) for v in values), default=0)

        def fmt(v: float, places: int = places) -> str:
            text = f"{v:.{places}f}"
            return text.rstrip("0").rstrip(".") if "." in text else text

        line = [
            _(m.label),
            summarise([r.baseline.point.value if r.baseline.point else None for r in column]).text(fmt),
        ]
        for label, _offset in TIMEPOINTS:
            cells = [r.after[label] for r in column]
            text = summarise([c.point.value if c.point else None for c in cells]).text(fmt)
            later = sum(1 for c in cells if c.point is not None and c.after_dose is not None)
            line.append(text + ("; " + _("{n} after a later dose").format(n=later) if later else ""))
        rows.append(line)
    return header, rows
