"""A synthetic, deterministic ICU course of a ventilated ARDS patient receiving cell-therapy doses.

The demo, the simulator and the tests of the rules and screens all draw from it. Values are a
function of (seed, time) only: any window can be asked for in any order and is the same every time.
Everything is synthetic; the shapes are typical ventilated-ARDS values (Berlin definition, JAMA
2012;307:2526), the reactions the rules look for (docs/clinical-safety.md), and the artefacts they
must not alarm on. What a course is made of (CourseSpec) and how scenarios are read: bedside.course_spec.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bedside.course_outcomes import outcome_truth
from bedside.course_spec import DAY, HOUR, MINUTE, Array, CourseSpec, Perturbation


@dataclass(frozen=True)
class LabDraw:
    at: float
    values: dict[str, float] = field(default_factory=dict)
    """Analyte key (resources/labs.toml) → value in the unit the simulated lab sends it in (the
    canonical unit, but creatinine in mg/dL as many labs report it: adapters/sim/course_feed.py)."""
    haemolysed: bool = False


def _splitmix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """A counter-based hash (splitmix64): the same input always gives the same 64 random bits."""
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _normal_at(seed: int, channel: int, knots: npt.NDArray[np.int64]) -> Array:
    """Standard normal values for integer knots, a pure function of (seed, channel, knot)."""
    base = np.uint64((seed * 1_000_003 + channel * 7919) & 0xFFFFFFFFFFFF) << np.uint64(16)
    k = knots.astype(np.uint64) * np.uint64(2)
    with np.errstate(over="ignore"):
        u1 = (_splitmix(base + k) >> np.uint64(11)).astype(np.float64) / 2.0**53
        u2 = (_splitmix(base + k + np.uint64(1)) >> np.uint64(11)).astype(np.float64) / 2.0**53
    return np.sqrt(-2.0 * np.log(np.maximum(u1, 1e-300))) * np.cos(2 * np.pi * u2)


def _noise(seed: int, channel: int, times: Array, scale: float, smooth: float) -> Array:
    """Smooth, deterministic noise: normal values on a grid of `smooth` seconds, a function of
    (seed, channel, grid index), interpolated; the same at a time whatever window it is asked in."""
    if times.size == 0:
        return np.zeros(0)
    lo, hi = math.floor(times.min() / smooth), math.floor(times.max() / smooth) + 1
    knots = np.arange(lo, hi + 1, dtype=np.int64)
    return scale * np.interp(times / smooth, knots, _normal_at(seed, channel, knots))


def _bump(t: Array, onset: float, rise: float, hold: float, fall: float) -> Array:
    """0 before onset, rising to 1, held, falling back to 0: the shape of a transient reaction."""
    x = np.clip((t - onset) / rise, 0.0, 1.0)
    y = np.clip(1.0 - (t - onset - rise - hold) / fall, 0.0, 1.0)
    return np.where(t < onset, 0.0, np.minimum(x, y))


def _envelope(t: Array, onset: float, p: Perturbation) -> Array:
    """0..1: how much of a perturbation applies at each time (a step when rise and fall are 0)."""
    out = np.zeros_like(t)
    for k in range(max(1, p.repeat)):
        at = onset + k * p.every_minutes * MINUTE
        rise, fall = p.rise_minutes * MINUTE, p.fall_minutes * MINUTE
        up = np.ones_like(t) if rise <= 0 else np.clip((t - at) / rise, 0.0, 1.0)
        end = at + rise + p.hold_minutes * MINUTE
        down = (t < end).astype(np.float64) if fall <= 0 else np.clip(1.0 - (t - end) / fall, 0.0, 1.0)
        out = np.maximum(out, np.where(t < at, 0.0, np.minimum(up, down)))
    return out


def _perturb(x: Array, p: Perturbation, e: Array) -> Array:
    if p.mode == "delta":
        return x + p.amount * e
    if p.mode == "scale":
        return x * (1.0 + (p.amount - 1.0) * e)
    if p.mode == "value":
        return np.where(e > 0, x * (1.0 - e) + p.amount * e, x)
    if p.mode == "absent":
        return np.where(e > 0, np.nan, x)
    raise ValueError(f"unknown perturbation mode {p.mode!r}")


class CourseModel:
    def __init__(self, spec: CourseSpec) -> None:
        self.spec = spec

    def dose_starts(self) -> list[float]:
        return [self.spec.start + d.after_hours * HOUR for d in self.spec.doses]

    def reaction_onset(self) -> float | None:
        r = self.spec.reaction
        if r is None:
            return None
        return self.dose_starts()[r.dose] + r.onset_minutes * MINUTE

    def perturbation_onset(self, p: Perturbation) -> float | None:
        """Epoch s where a perturbation begins; None: the whole course."""
        if p.dose is not None:
            return self.dose_starts()[p.dose] + p.onset_minutes * MINUTE
        if p.after_hours is not None:
            return self.spec.start + p.after_hours * HOUR + p.onset_minutes * MINUTE
        return None

    def _apply_perturbations(self, t: Array, out: dict[str, Array]) -> None:
        for p in self.spec.perturbations:
            keys = [k for k in p.signals if k in out]
            if not keys:
                continue
            onset = self.perturbation_onset(p)
            e = np.ones_like(t) if onset is None else _envelope(t, onset, p)
            for k in keys:
                out[k] = _perturb(out[k], p, e)

    def _apply_intermittent(self, t: Array, out: dict[str, Array]) -> None:
        """Signals measured now and then have values only at their measurement times."""
        for m in self.spec.intermittent:
            period = m.every_minutes * MINUTE
            off = np.abs(np.mod(t, period)) > 1e-6
            for k in m.signals:
                if k in out:
                    out[k] = np.where(off, np.nan, out[k])

    def present(self, t: Array) -> Array:
        """True while the patient is alive and in the ICU (the monitor's feed runs)."""
        s, out = self.spec, np.ones(np.shape(t), dtype=bool)
        for hours in (s.death_hours, s.icu_discharge_hours):
            if hours is not None:
                out &= t < s.start + hours * HOUR
        return out

    def on_ventilator(self, t: Array) -> Array:
        """True while intubated: to the extubation, and again from a reintubation to its extubation."""
        s = self.spec
        at = lambda hours: s.start + hours * HOUR  # noqa: E731
        on = np.ones(np.shape(t), dtype=bool) if s.extubation_hours is None else t < at(s.extubation_hours)
        if s.reintubation_hours is not None:
            again = t >= at(s.reintubation_hours)
            if s.reextubation_hours is not None:
                again &= t < at(s.reextubation_hours)
            on |= again
        return on & self.present(t)

    def _progress(self, t: Array) -> Array:
        """0 at the start, 1 at the end of the course when improving; stays near 0 otherwise."""
        frac = np.clip((t - self.spec.start) / (self.spec.days * DAY), 0.0, 1.0)
        return frac if self.spec.improving else 0.15 * frac

    def _reaction(self, t: Array) -> Array:
        onset = self.reaction_onset()
        if onset is None:
            return np.zeros_like(t)
        assert self.spec.reaction is not None
        return self.spec.reaction.severity * _bump(t, onset, 20 * MINUTE, 60 * MINUTE, 90 * MINUTE)

    def vitals(self, times: Array) -> dict[str, Array]:
        """Monitor values at `times` (epoch s): hr, pr_spo2, spo2, abp_sys/dia/mean, temp, rr."""
        s, t = self.spec.seed, np.asarray(times, dtype=np.float64)
        day_phase = 2 * np.pi * ((t % DAY) / DAY)
        circadian = np.sin(day_phase - np.pi / 2)  # lowest at night
        p, r = self._progress(t), self._reaction(t)
        hr = 98 - 14 * p + 4 * circadian + _noise(s, 1, t, 3.0, 600) + _noise(s, 2, t, 1.2, 15) + 35 * r
        sys_ = 112 + 8 * p + 5 * circadian + _noise(s, 3, t, 4.0, 900) + _noise(s, 4, t, 1.5, 20)
        sys_ = sys_ * (1 - 0.35 * r)
        dia = 0.52 * sys_ + _noise(s, 5, t, 1.5, 60)
        spo2 = np.minimum(100.0, 92.5 + 3 * p + _noise(s, 6, t, 0.8, 300) + _noise(s, 7, t, 0.5, 10) - 7 * r)
        temp = 37.6 - 0.6 * p + 0.2 * circadian + _noise(s, 8, t, 0.08, 1800) + 1.7 * r
        rr = 24 - 6 * p + _noise(s, 9, t, 1.0, 120) + 6 * r
        out = {
            "hr": hr,
            "pr_spo2": hr + _noise(s, 10, t, 1.0, 10),
            "spo2": spo2,
            "abp_sys": sys_,
            "abp_dia": dia,
            "abp_mean": (sys_ + 2 * dia) / 3,
            "temp": temp,
            "rr": rr,
        }
        if self.spec.perturbations:
            self._apply_perturbations(t, out)
        self._apply_artefacts(t, out)
        if self.spec.cuff_pressure:
            # A cuff instead of an arterial line: the same pressures, under the cuff's codes.
            for k in ("sys", "dia", "mean"):
                out[f"nibp_{k}"] = out.pop(f"abp_{k}")
        if self.spec.intermittent:
            self._apply_intermittent(t, out)
        gone = ~self.present(t)
        if gone.any():
            for v in out.values():
                v[gone] = np.nan
        return {k: np.round(v, 1) if k == "temp" else np.round(v) for k, v in out.items()}

    def _apply_artefacts(self, t: Array, out: dict[str, Array]) -> None:
        for a in self.spec.artefacts:
            start = self.spec.start + a.after_hours * HOUR
            inside = (t >= start) & (t < start + a.seconds)
            if a.kind == "probe_off":
                out["spo2"][inside] = np.nan
                out["pr_spo2"][inside] = np.nan
            elif a.kind == "motion":
                out["hr"][inside] = 178.0
            elif a.kind == "flush":
                out["abp_sys"][inside] = 300.0
                out["abp_dia"][inside] = 295.0
                out["abp_mean"][inside] = 298.0
            elif a.kind == "temp_probe_off":
                out["temp"][inside] = 31.0 - (t[inside] - start) / 600.0
            elif a.kind == "poor_signal":
                # A moving hand or poor perfusion: the oximeter reads low and its pulse rate disagrees
                # with the ECG's (what the signal-quality check looks at).
                out["spo2"][inside] = 79.0 + 3 * np.sin(t[inside] / 7.0)
                out["pr_spo2"][inside] = out["hr"][inside] + 38.0
            elif a.kind == "feed_stop":
                for v in out.values():
                    v[inside] = np.nan

    def ventilator(self, times: Array) -> dict[str, Array]:
        """Ventilator values (fio2 in %, peep, ppeak, pplat, vt_exp, mv, vent_rr); NaN once extubated."""
        s, t = self.spec.seed, np.asarray(times, dtype=np.float64)
        p, r = self._progress(t), self._reaction(t)
        steps = np.floor(p * 8) / 8  # settings change in steps, not continuously
        fio2 = np.clip(60 - 30 * steps + 20 * np.round(r), 21, 100)
        peep = np.clip(12 - 4 * steps + 2 * np.round(r), 5, 20)
        ppeak = 30 - 5 * p + _noise(s, 20, t, 1.0, 60) + 5 * r
        vt = 420 + _noise(s, 21, t, 15.0, 120)
        rate = 24 - 6 * p + _noise(s, 22, t, 0.6, 300)
        out = {
            "fio2": fio2,
            "peep": peep,
            "ppeak": np.round(ppeak),
            "pplat": np.round(ppeak - 4 + _noise(s, 23, t, 0.5, 300)),
            "vt_exp": np.round(vt),
            "mv": np.round(vt * rate / 1000.0, 1),
            "vent_rr": np.round(rate),
        }
        if self.spec.set_rate:
            # Fully controlled ventilation: the measured rate is the set rate.
            out["vent_rr_set"] = out["vent_rr"].copy()
        if self.spec.capnography:
            out["etco2"] = np.round(40 + _noise(s, 24, t, 1.0, 300))
        if self.spec.perturbations:
            self._apply_perturbations(t, out)
            for k in ("fio2", "peep", "ppeak", "pplat", "vt_exp", "vent_rr", "vent_rr_set", "etco2"):
                if k in out:
                    out[k] = np.round(out[k])
            out["mv"] = np.round(out["vt_exp"] * out["vent_rr"] / 1000.0, 1)
        for a in self.spec.artefacts:
            if a.kind != "suction":
                continue
            # Closed suction: the circuit is open for a minute (pressure and volume collapse), then
            # coughing and re-recruitment raise the peak pressure for the rest of the artefact.
            at = self.spec.start + a.after_hours * HOUR
            open_ = (t >= at) & (t < at + 60.0)
            after = (t >= at + 60.0) & (t < at + a.seconds)
            for k in ("ppeak", "pplat", "vt_exp", "mv"):
                out[k][open_] = 0.0
            out["ppeak"][after] += 9.0
        off = ~self.on_ventilator(t)
        if off.any():
            for v in out.values():
                v[off] = np.nan
        return out

    def labs(self) -> list[LabDraw]:
        """Daily labs at 06:00 (local to the course start) and an ABG every 8 h while ventilated."""
        s = self.spec
        draws: list[LabDraw] = []
        first = s.start - (s.start % DAY) + 6 * HOUR
        day = 0
        while first + day * DAY < s.start + s.days * DAY:
            at = first + day * DAY
            if at >= s.start and self.present(np.array([at]))[0]:
                p = float(self._progress(np.array([at]))[0])
                j = 1 + 0.06 * _normal_at(s.seed, 100 + day, np.arange(12, dtype=np.int64))
                draws.append(
                    LabDraw(
                        at,
                        {
                            "crp": round(160 * (1 - 0.8 * p) * j[0], 1),
                            "ferritin": round(2400 * (1 - 0.6 * p) * j[1]),
                            "ddimer_feu": round(3.4 * (1 - 0.6 * p) * j[2], 2),
                            "ldh": round(620 * (1 - 0.45 * p) * j[3]),
                            "lymphocytes": round(0.35 * (1 + 2.0 * p) * j[4], 2),
                            "cd3_abs": round(230 * (1 + 1.8 * p) * j[5]),
                            "cd4_abs": round(130 * (1 + 1.8 * p) * j[6]),
                            "cd8_abs": round(85 * (1 + 1.6 * p) * j[7]),
                            "cd19_abs": round(50 * (1 + 1.5 * p) * j[8]),
                            # The SOFA panel: platelets recover, bilirubin and creatinine (mg/dL, as
                            # many labs report it) settle as the lungs improve.
                            "platelets": round(110 * (1 + 0.9 * p) * j[9]),
                            "bilirubin": round(30 * (1 - 0.4 * p) * j[10]),
                            "creatinine": round(1.5 * (1 - 0.3 * p) * j[11], 2),
                        },
                    )
                )
                # The nurse's charted GCS at 08:00: the GCS assumed without sedation, as SOFA asks.
                draws.append(LabDraw(at + 2 * HOUR, {"gcs": 13.0 if p < 0.3 else 14.0 if p < 0.6 else 15.0}))
            day += 1
        if s.ddimer_basis == "DDU":
            # A lab reporting D-dimer units: about half the FEU value, in ng/mL (never converted).
            for d in draws:
                if "ddimer_feu" in d.values:
                    d.values["ddimer_ddu"] = round(d.values.pop("ddimer_feu") * 500)
        t = s.start + 2 * HOUR
        ventilated_until = s.extubation_hours if s.reintubation_hours is None else s.reextubation_hours
        end = s.start + (ventilated_until if ventilated_until is not None else s.days * 24) * HOUR
        k = 0
        while t < end:
            if not self.on_ventilator(np.array([t]))[0]:  # blood gases while ventilated
                t += 8 * HOUR
                k += 1
                continue
            v = self.ventilator(np.array([t]))
            pf_ratio = 95 + 140 * float(self._progress(np.array([t]))[0])
            pao2 = pf_ratio * float(v["fio2"][0]) / 100.0
            wobble = float(_normal_at(s.seed, 200, np.array([k], dtype=np.int64))[0])
            if any("pf" in p.signals for p in s.perturbations):
                pf = {"pf": np.array([pf_ratio * (1 + 0.04 * wobble)])}
                self._apply_perturbations(np.array([t]), pf)
                draws.append(LabDraw(t, {"pao2": round(float(pf["pf"][0]) * float(v["fio2"][0]) / 100.0)}))
            else:
                draws.append(LabDraw(t, {"pao2": round(pao2 * (1 + 0.04 * wobble))}))
            t += 8 * HOUR
            k += 1
        if s.perturbations:
            self._perturb_labs(draws)
        starts = self.dose_starts()
        for x in s.extra_labs:
            draws.append(LabDraw(starts[x.dose] + x.minutes * MINUTE, dict(x.values), x.haemolysed))
        return sorted(draws, key=lambda d: d.at)

    def _perturb_labs(self, draws: list[LabDraw]) -> None:
        """Perturbations of lab analytes change the panels drawn while they apply."""
        for d in draws:
            values = {k: np.array([v]) for k, v in d.values.items() if k != "pao2"}
            if not values:
                continue
            self._apply_perturbations(np.array([d.at]), values)
            for k, v in values.items():
                d.values[k] = round(float(v[0]), 2 if k in ("ddimer_feu", "lymphocytes") else 1)

    def lab_corrections(self) -> list[dict]:
        """The lab corrects one result a day into the course: the CRP of the second daily panel,
        reported again 3 h later as a correction (OBX-11 C) with the right value."""
        panels = [d for d in self.labs() if "crp" in d.values and d.at >= self.spec.start + DAY]
        if not panels:
            return []
        draw = panels[0]
        wrong = draw.values["crp"]
        return [
            {
                "analyte": "crp",
                "drawn": draw.at,
                "reported_value": wrong,
                "corrected_value": round(wrong * 0.8, 1),
                "corrected_at": draw.at + 4 * HOUR,
            }
        ]

    def detail_spans(self) -> list[tuple[float, float]]:
        """Where history must be sent at the scenario's own report interval, not thinned: around each
        dose (1 h before its start, the baseline window, to 2 h after its end) and around each
        artefact, so seconds-long artefacts (a motion spike, a line flush) reach the database."""
        spans = [
            (st - HOUR, st + d.minutes * MINUTE + 2 * HOUR)
            for d, st in zip(self.spec.doses, self.dose_starts(), strict=True)
        ]
        for a in self.spec.artefacts:
            at = self.spec.start + a.after_hours * HOUR
            spans.append((at - 5 * MINUTE, at + a.seconds + 5 * MINUTE))
        for p in self.spec.perturbations:
            onset = self.perturbation_onset(p)
            if onset is not None and p.hold_minutes < 600:
                length = (p.repeat - 1) * p.every_minutes + p.rise_minutes + p.hold_minutes + p.fall_minutes
                spans.append((onset - 5 * MINUTE, onset + (length + 10) * MINUTE))
        return spans

    def ground_truth(self) -> dict:
        s = self.spec
        return (
            {
                "scenario": s.name,
                "seed": s.seed,
                "start": s.start,
                "days": s.days,
                "weight_kg": s.weight_kg,
                "improving": s.improving,
                "doses": [
                    {
                        "number": i + 1,
                        "start": st,
                        "end": st + d.minutes * MINUTE,
                        "route": d.route,
                        "cells_per_kg": d.cells_per_kg,
                        "cells": d.cells_per_kg * s.weight_kg,
                    }
                    for i, (d, st) in enumerate(zip(s.doses, self.dose_starts(), strict=True))
                ],
                "reaction_onset": self.reaction_onset(),
                "artefacts": [
                    {"kind": a.kind, "start": s.start + a.after_hours * HOUR, "seconds": a.seconds}
                    for a in s.artefacts
                ],
                "extubation": None if s.extubation_hours is None else s.start + s.extubation_hours * HOUR,
                "lab_corrections": self.lab_corrections(),
            }
            | self._extra_truth()
            | outcome_truth(s, self.dose_starts())
        )

    def _extra_truth(self) -> dict:
        """What a validation case changed (absent for the demo scenarios, whose truth stays as it was)."""
        s = self.spec
        if not (s.perturbations or s.infusions or s.alarms or s.extra_labs):
            return {}
        return {
            "perturbations": [
                {
                    "signals": list(p.signals),
                    "mode": p.mode,
                    "amount": p.amount,
                    "onset": self.perturbation_onset(p),
                }
                for p in s.perturbations
            ],
            "infusions": [{"label": x.label, "steps": [list(st) for st in x.steps]} for x in s.infusions],
            "alarms": [
                {"event": a.event, "at": self.dose_starts()[a.dose] + a.minutes * MINUTE} for a in s.alarms
            ],
        }
