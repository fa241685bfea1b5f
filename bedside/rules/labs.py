"""Lab and P/F rules: one result against the pre-dose result of the same measurand."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from bedside.episodes import InfusionEpisode
from bedside.rules.data import LabPoint, PatientData
from bedside.rules.findings import Finding
from bedside.rules.messages import message
from bedside.rules.minutes import MinuteGrid, MinuteSignal
from bedside.rules.ruleset import Rule, RuleSet, severity_rank

MINUTE = 60.0
HOUR = 3600.0


def pf_points(rules: RuleSet, data: PatientData) -> list[LabPoint]:
    """P/F from each PaO2 and the FiO2 in force at the sample time (the last FiO2 in the 30 min before;
    derived, never stored). FiO2 is stored in %, P/F uses it as a fraction."""
    spec = rules.signals.get("fio2")
    if spec is None:
        return []
    samples = [s for p in spec.parameters for s in data.parameters.get(p, [])]
    if not samples:
        return []
    t = np.concatenate([s.times for s in samples])
    v = np.concatenate([s.values for s in samples]).astype(np.float64)
    ok = np.isfinite(v) & (v >= 21) & (v <= 100)
    t, v = t[ok], v[ok]
    order = np.argsort(t, kind="stable")
    t, v = t[order], v[order]
    out = []
    for p in data.labs.get("pao2", []):
        i = int(np.searchsorted(t, p.at, side="right")) - 1
        if i < 0 or p.at - t[i] > 30 * MINUTE:
            continue
        out.append(
            LabPoint(p.id, p.at, round(p.value / (v[i] / 100.0)), status=p.status, corrects=p.corrects)
        )
    return out


def lab_rule(
    rules: RuleSet,
    rule: Rule,
    ep: InfusionEpisode,
    data: PatientData,
    signals: dict[str, MinuteSignal],
    grid: MinuteGrid,
    w0: float,
    w1: float,
    earlier: dict[str, Finding],
) -> list[Finding]:
    notes: list[str] = []
    unit = ""
    if rule.kind == "pf":
        points = pf_points(rules, data)
    else:
        points, unit = lab_points(rule, data, notes)
    stable = 1.0
    if rule.exclude_specimens:
        # A haemolysed sample's LDH is high because the sample is: neither a rise nor a baseline.
        kept = [p for p in points if not set(p.specimen.upper().split("~")) & set(rule.exclude_specimens)]
        if len(kept) < len(points):
            which = "/".join(rule.exclude_specimens)
            notes.append(f"{len(points) - len(kept)} result(s) from a {which} specimen not read")
        points = kept
    points = sorted(points, key=lambda p: p.at)
    if rule.kind == "pf":  # last ABG in [T0-6 h, T0]; unstable if P/F fell >= 20% in the 12 h before
        before = [p for p in points if ep.start - 6 * HOUR <= p.at <= ep.start]
        base = before[-1].value if before else math.nan
        prior = [p.value for p in points if ep.start - 12 * HOUR <= p.at <= ep.start]
        if before and prior and base <= 0.8 * max(prior):
            notes.append("baseline P/F unstable (fell >= 20% in the 12 h before the dose): lower confidence")
            stable = 0.0
    else:  # last result in [T0-24 h, T0], up to 72 h with a warning
        before = [p for p in points if ep.start - 24 * HOUR <= p.at <= ep.start]
        if not before:
            before = [p for p in points if ep.start - 72 * HOUR <= p.at <= ep.start]
            if before:
                notes.append("pre-dose result older than 24 h")
        base = before[-1].value if before else math.nan
    if math.isnan(base):
        notes.append(f"no pre-dose {rule.analyte}: absolute thresholds only")
    escalate = any(f.rule_id in rule.escalate_with for f in earlier.values())
    out = []
    open_: Finding | None = None
    for p in points:
        if not (w0 <= p.at <= w1):
            continue
        # `hours`: since the end of the infusion (negative while it runs); `stable`: a baseline that
        # did not fall >= 20% in the 12 h before (the TRALI 2019 test), 0 without a baseline.
        env = {
            "value": p.value,
            "base": base,
            "uln": p.upper_limit,
            "hours": (p.at - ep.end_or(p.at)) / HOUR,
            "stable": 0.0 if math.isnan(base) else stable,
        }
        met = [lv.severity for lv in rule.levels if bool(lv.when(env))]
        if not met:
            if open_ is not None:
                out.append(Finding(**{**open_.__dict__, "cleared": True}))
                open_ = None
            continue
        severity = max(met, key=severity_rank)
        extra = ()
        if escalate and severity_rank(severity) < 2:
            severity, extra = (
                "high",
                (f"raised to high: {', '.join(rule.escalate_with)} alert in this episode",),
            )
        values = {"value": p.value, "base": None if math.isnan(base) else base}
        values["uln"] = None if math.isnan(p.upper_limit) else p.upper_limit
        f = Finding(
            rule.id,
            severity,
            p.at,
            p.at,
            p.at,
            False,
            message(rule.message, {**values, "unit": unit}),  # type: ignore[arg-type]
            values,  # type: ignore[arg-type]
            (f"lab:{p.id}",),
            tuple(notes) + extra,
        )
        if open_ is None:
            open_ = f
        else:  # the same open alert: the newer result keeps it open
            open_ = Finding(
                **{
                    **open_.__dict__,
                    "last_true": p.at,
                    "severity": max(open_.severity, severity, key=severity_rank),
                    "observations": open_.observations + f.observations,
                }
            )
    if open_ is not None:
        out.append(open_)
    return out


_LAB_UNITS = {"ddimer_feu": " mg/L FEU", "ddimer_ddu": " ng/mL DDU"}


def lab_points(rule: Rule, data: PatientData, notes: list[str]) -> tuple[list[LabPoint], str]:
    """The results a lab rule reads, and the unit they are read in. Results of several bases of one
    measurand (D-dimer FEU and DDU) are never converted into each other (the factor is assay
    dependent): where they do not share one, each is read as a ratio to its own lab's upper limit."""
    analytes = rule.analytes or (rule.analyte,)
    present = {a: data.labs.get(a, []) for a in analytes if data.labs.get(a)}
    if len(present) <= 1:
        a, points = next(iter(present.items()), (rule.analyte, []))
        return list(points), _LAB_UNITS.get(a, "")
    out = []
    for points in present.values():
        for p in points:
            if math.isnan(p.upper_limit) or p.upper_limit <= 0:
                continue
            out.append(replace(p, value=round(p.value / p.upper_limit, 2), upper_limit=1.0))
    skipped = sum(len(x) for x in present.values()) - len(out)
    notes.append(f"results in {' and '.join(sorted(present))}: read as a ratio to the upper reference limit")
    if skipped:
        notes.append(f"{skipped} result(s) without an upper reference limit not read")
    return out, " ×ULN"
