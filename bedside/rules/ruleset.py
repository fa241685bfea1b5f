"""A rule set: versioned data (`resources/rules/*.toml`) read into typed, validated rules.

Every threshold, window, persistence and message lives in the file, so a site changes them there
(and replays the change on recorded cases first: `bedside-cli rules replay`). The loaded version and
the grading version are recorded with every alert and in the safety log.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bedside.resources import resource_path
from bedside.rules.expr import Condition, compile_condition

SEVERITIES = ("low", "medium", "high")
KINDS = ("signal", "lab", "pf", "composite", "alarm", "drug", "documented")
BASELINES = ("median", "last")
_OFFSET = re.compile(r"^(T0|T_end)\s*(?:([+-])\s*(\d+(?:\.\d+)?)\s*(min|h|d))?$")
_UNIT_SECONDS = {"min": 60.0, "h": 3600.0, "d": 86400.0}


class RuleSetError(ValueError):
    """A rule file that cannot be used; the message names the rule and the field."""


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Anchor:
    """A time relative to the dose: T0 (start) or T_end (end) plus an offset in seconds."""

    of: str
    offset: float

    @classmethod
    def parse(cls, text: str) -> Anchor:
        m = _OFFSET.match(text.replace(" ", ""))
        if not m:
            raise RuleSetError(f"window bound {text!r}: expected T0 or T_end with an optional ±N min|h|d")
        of, sign, amount, unit = m.groups()
        offset = 0.0 if amount is None else float(amount) * _UNIT_SECONDS[unit] * (-1 if sign == "-" else 1)
        return cls(of, offset)

    def at(self, start: float, end: float) -> float:
        return (start if self.of == "T0" else end) + self.offset


@dataclass(frozen=True)
class Window:
    name: str
    start: Anchor
    end: Anchor


@dataclass(frozen=True)
class SignalSpec:
    """A signal the rules use: which parameters feed it (first present wins), what counts as a valid
    sample (artefact handling, docs/clinical-safety.md), and how its pre-dose baseline is taken."""

    name: str
    parameters: tuple[str, ...]
    baseline: str = "median"
    valid: tuple[float, float] | None = None
    max_change_per_min: float | None = None
    """A larger change between consecutive minutes is a probe falling off or a flush, not the patient."""
    min_difference_from: tuple[str, float] | None = None
    """(other signal, d): a minute is invalid unless this signal exceeds the other by d (pulse pressure)."""
    agree_with: tuple[str, str, float] | None = None
    """(signal a, signal b, d): a minute is invalid when a and b differ by more than d (poor SpO2 signal:
    the oximeter's pulse rate disagrees with the ECG heart rate)."""
    suppressed_by: str = ""
    """The name of a suppression (suction, disconnection) that invalidates this signal while it holds."""


@dataclass(frozen=True)
class Suppression:
    name: str
    when: Condition
    hold_minutes: int


@dataclass(frozen=True)
class Level:
    severity: str
    when: Condition
    minutes: int | None = None
    """Persistence for this level, when it differs from the rule's (B2: 3 min when SBP < 80)."""
    no_baseline: Condition | None = None
    """The absolute criterion used while a baseline this level reads is missing; None (declared as
    "none" in the file) means the level is relative only and cannot be evaluated without one."""
    if_preexisting: Condition | None = None
    """Used instead of `when` when the pre-dose baseline itself already met `when` (an ARDS patient whose
    SpO2 or MAP sits at the treatment target): only a further worsening or the patient's own target
    counts. None: a pre-existing condition never fires this level."""


@dataclass(frozen=True)
class DoseLimit:
    """A vasopressor dose at or above which a rise after the start counts (B3: NE >= 10 µg/min)."""

    agent: str
    at_least: float
    per_kg: bool
    """µg/kg/min (needs the episode's weight), else µg/min."""

    @property
    def unit(self) -> str:
        return "µg/kg/min" if self.per_kg else "µg/min"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    kind: str
    window: str
    levels: tuple[Level, ...]
    """Lowest first; the alert's severity is the highest level that held persistently."""
    message: str
    source: str
    message_es: str = ""
    """The message in Spanish, with the same fields (shown; the English one is stored and logged)."""
    title_es: str = ""
    minutes: int = 1
    """Persistence on a continuous signal: every 1-min median for this many minutes."""
    apart: int = 5
    """Persistence on intermittent readings (a cuff pressure, a manual temperature): two consecutive
    readings at least this many minutes apart, with no reading between them that does not meet it."""
    optional: tuple[str, ...] = ()
    """Signals whose absence does not make a minute unknown (a sparse plateau pressure)."""
    analyte: str = ""
    analytes: tuple[str, ...] = ()
    """Lab rules over several bases of one measurand (D-dimer FEU and DDU): read as a ratio to the
    performing lab's upper reference limit whenever the results do not share one unit."""
    new_agent_severity: str = ""
    """Drug rules: the severity of a new agent below START's dose limits ("" : a new agent raises nothing)."""
    confirm_minutes: float = 0.0
    """Alarm rules: alarms of one kind repeating over this long confirm the event (composites may
    read `H4A.confirmed`); a single unconfirmed monitor alarm is often false."""
    events: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    """Drug rules: another name → the agent it is (noradrenaline → norepinephrine)."""
    dose_limits: tuple[DoseLimit, ...] = ()
    """Drug rules: per agent, the dose a rise to counts (rate × concentration of the pump channel)."""
    third_agent: bool = False
    """Drug rules: three agents delivered at once (fewer at the start) fire it too."""
    escalate_with: tuple[str, ...] = ()
    """Lab rules: the level goes to high when one of these rules has an alert in the same episode."""
    terms: tuple[str, ...] = ()
    """Documented rules: words that, written in an adverse event or a check's findings, fire it."""
    alert: bool = True
    """False: a component of composites only, never an alert of its own."""
    exclude_specimens: tuple[str, ...] = ()
    """Lab rules: results from specimens in these conditions (HL7 table 0493, e.g. HEM) are not read."""

    @property
    def condition(self) -> Condition:
        return self.levels[0].when

    @property
    def baseline_signals(self) -> frozenset[str]:
        """The signals whose pre-dose baseline this rule reads (`base.hr` → hr)."""
        return frozenset(n[5:] for lv in self.levels for n in lv.when.names if n.startswith("base."))

    @property
    def relative_only(self) -> bool:
        """No level can fire without a baseline: the screen lists the rule as not evaluable."""
        return bool(self.baseline_signals) and all(lv.no_baseline is None for lv in self.levels)


@dataclass(frozen=True)
class StaleFeed:
    signals: tuple[str, ...]
    after_seconds: float
    window: str
    severity: str
    message: str
    sensor_signals: tuple[str, ...] = ()
    message_es: str = ""
    """Signals whose persisting implausible readings raise a technical alert (`TECH_<SIGNAL>`)."""


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: str
    grading: str
    digest: str
    """sha256 of the file's bytes: two files with the same version string but different content differ."""
    rearm_minutes: int
    candidate_confirm_minutes: float
    escalation_minutes: dict[str, float]
    windows: dict[str, Window]
    signals: dict[str, SignalSpec]
    suppressions: dict[str, Suppression]
    rules: tuple[Rule, ...]
    stale: StaleFeed | None
    path: str = ""
    unverified: tuple[str, ...] = field(default=())

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"

    def signals_of(self) -> dict[str, frozenset[str]]:
        """Rule id → the signals its conditions read (base.hr, lag5.hr and min.hr all read hr). The
        screen colours those values. A composite colours nothing of its own: each tile turns red only
        for the rule whose own condition on that parameter holds (its component's alert)."""
        out = {}
        for r in self.rules:
            names = {n.rsplit(".", 1)[-1] for level in r.levels for n in level.when.names}
            out[r.id] = (
                frozenset(n for n in names if n in self.signals) if r.kind == "signal" else frozenset()
            )
        if self.stale is not None:
            out["STALE"] = frozenset(self.stale.signals)
        return out

    @classmethod
    def load(cls, path: Path | None = None) -> RuleSet:
        """The rule set in `path`, or the shipped default (resources/rules/infusion-reaction.toml)."""
        if path is None:
            with resource_path("rules", "infusion-reaction.toml").open("rb") as f:
                raw = f.read()
            where = "resources/rules/infusion-reaction.toml"
        else:
            raw = Path(path).read_bytes()
            where = str(path)
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RuleSetError(f"{where}: {exc}") from None
        return _build(data, hashlib.sha256(raw).hexdigest(), where)


def _build(d: dict, digest: str, where: str) -> RuleSet:
    def need(obj: dict, key: str, ctx: str):  # type: ignore[no-untyped-def]
        if key not in obj:
            raise RuleSetError(f"{where}: {ctx}: missing {key!r}")
        return obj[key]

    windows = {
        name: Window(name, Anchor.parse(bounds[0]), Anchor.parse(bounds[1]))
        for name, bounds in need(d, "windows", "top level").items()
    }
    signals = {}
    for name, s in need(d, "signals", "top level").items():
        if s.get("baseline", "median") not in BASELINES:
            raise RuleSetError(f"{where}: signal {name}: baseline must be one of {BASELINES}")
        signals[name] = SignalSpec(
            name=name,
            parameters=tuple(s["parameters"]),
            baseline=s.get("baseline", "median"),
            valid=tuple(s["valid"]) if "valid" in s else None,  # type: ignore[arg-type]
            max_change_per_min=s.get("max_change_per_min"),
            min_difference_from=tuple(s["min_difference_from"]) if "min_difference_from" in s else None,  # type: ignore[arg-type]
            agree_with=tuple(s["agree_with"]) if "agree_with" in s else None,  # type: ignore[arg-type]
            suppressed_by=s.get("suppressed_by", ""),
        )
    suppressions = {
        name: Suppression(name, compile_condition(s["when"]), int(s.get("hold_minutes", 0)))
        for name, s in d.get("suppression", {}).items()
    }
    rules = []
    seen: set[str] = set()
    for r in need(d, "rule", "top level"):
        rid = need(r, "id", "a rule")
        ctx = f"rule {rid}"
        if rid in seen:
            raise RuleSetError(f"{where}: {ctx}: duplicate id")
        seen.add(rid)
        kind = r.get("kind", "signal")
        if kind not in KINDS:
            raise RuleSetError(f"{where}: {ctx}: kind must be one of {KINDS}")
        window = need(r, "window", ctx)
        if window not in windows:
            raise RuleSetError(f"{where}: {ctx}: unknown window {window!r}")
        levels = []
        if "when" in r:
            levels.append(_level(r, where, ctx))
        for lv in r.get("level", []):
            levels.append(_level(lv, where, ctx))
        if kind in ("alarm", "drug", "documented") and not levels:
            levels.append(Level(_severity(r.get("severity"), where, ctx), compile_condition("1")))
        if not levels:
            raise RuleSetError(f"{where}: {ctx}: needs `when` or `[[rule.level]]`")
        levels.sort(key=lambda lv: severity_rank(lv.severity))
        rule = Rule(
            id=rid,
            title=need(r, "title", ctx),
            kind=kind,
            window=window,
            levels=tuple(levels),
            message=need(r, "message", ctx),
            source=need(r, "source", ctx),
            message_es=_spanish(r, "message", where, ctx),
            title_es=_spanish(r, "title", where, ctx),
            minutes=int(r.get("minutes", 1)),
            apart=int(r.get("apart", max(5, int(r.get("minutes", 1))))),
            optional=tuple(r.get("optional", ())),
            analyte=r.get("analyte", "") or (r["analytes"][0] if r.get("analytes") else ""),
            analytes=tuple(r.get("analytes", ())),
            new_agent_severity=_severity(r["new_agent_severity"], where, ctx)
            if "new_agent_severity" in r
            else "",
            confirm_minutes=float(r.get("confirm_minutes", 0)),
            events=tuple(r.get("events", ())),
            agents=tuple(a.lower() for a in r.get("agents", ())),
            synonyms=tuple((k.lower(), str(v).lower()) for k, v in r.get("synonyms", {}).items()),
            dose_limits=tuple(_dose_limit(x, where, ctx) for x in r.get("dose_limits", ())),
            third_agent=bool(r.get("third_agent", False)),
            escalate_with=tuple(r.get("escalate_with", ())),
            exclude_specimens=tuple(str(x).upper() for x in r.get("exclude_specimens", ())),
            terms=tuple(str(x).lower() for x in r.get("terms", ())),
            alert=bool(r.get("alert", True)),
        )
        if kind == "signal":
            for lv in rule.levels:
                conditions = [c for c in (lv.when, lv.no_baseline, lv.if_preexisting) if c is not None]
                for name in {n for c in conditions for n in c.names}:
                    base = name.split(".")[-1]  # hr, base.hr, lag1.hr, target.spo2
                    if base not in signals:
                        raise RuleSetError(f"{where}: {ctx}: unknown signal {name!r}")
            if rule.baseline_signals and not _declares_no_baseline(r):
                # Silence must never look like safety: every rule that reads a baseline says what it
                # does without one (an absolute criterion, or "none": listed as not evaluable).
                raise RuleSetError(f"{where}: {ctx}: reads a baseline but declares no `no_baseline`")
        unknown = {x.agent for x in rule.dose_limits} - set(rule.agents) - {a for _, a in rule.synonyms}
        if unknown:
            raise RuleSetError(f"{where}: {ctx}: dose limits for agents not listed: {sorted(unknown)}")
        if kind in ("lab", "pf") and not rule.analyte:
            raise RuleSetError(f"{where}: {ctx}: lab rules need `analyte`")
        rules.append(rule)
    for r in rules:
        if r.kind == "composite":
            for lv in r.levels:
                for name in lv.when.names:
                    if name.split(".")[0] not in seen:
                        raise RuleSetError(f"{where}: rule {r.id}: unknown rule {name!r} in the composite")
    st = d.get("stale_feed")
    stale = None
    if st:
        stale = StaleFeed(
            tuple(st["signals"]),
            float(st["after_seconds"]),
            st["window"],
            _severity(st.get("severity"), where, "stale_feed"),
            st["message"],
            tuple(st.get("sensor_signals", ())),
            _spanish(st, "message", where, "stale_feed"),
        )
    return RuleSet(
        id=need(d, "id", "top level"),
        version=str(need(d, "version", "top level")),
        grading=need(d, "grading", "top level"),
        digest=digest,
        rearm_minutes=int(d.get("rearm_minutes", 30)),
        candidate_confirm_minutes=float(d.get("candidate_confirm_minutes", 30)),
        escalation_minutes={k: float(v) for k, v in d.get("escalation_minutes", {}).items()},
        windows=windows,
        signals=signals,
        suppressions=suppressions,
        rules=tuple(rules),
        stale=stale,
        path=where,
        unverified=tuple(d.get("unverified", ())),
    )


def _level(lv: dict, where: str, ctx: str) -> Level:  # type: ignore[type-arg]
    def optional(key: str) -> Condition | None:
        text = lv.get(key)
        return None if text in (None, "none") else _condition(text, where, ctx)

    return Level(
        _severity(lv.get("severity"), where, ctx),
        _condition(lv["when"], where, ctx),
        int(lv["minutes"]) if "minutes" in lv else None,
        optional("no_baseline"),
        optional("if_preexisting"),
    )


def _declares_no_baseline(r: dict) -> bool:  # type: ignore[type-arg]
    return "no_baseline" in r or any("no_baseline" in lv for lv in r.get("level", []))


_FIELDS = re.compile(r"\{([A-Za-z0-9_.]+)\}")


def _spanish(d: dict, key: str, where: str, ctx: str) -> str:
    """`<key>_es`, the Spanish a nurse reads when Bedside runs in Spanish: required (a rule that
    would show English in a Spanish screen is an incomplete file), with the same fields as the
    English text, so that no value is lost or invented in translation."""
    text = d.get(f"{key}_es")
    if not isinstance(text, str) or not text.strip():
        raise RuleSetError(f"{where}: {ctx}: needs `{key}_es` (the {key} in Spanish)")
    english = d.get(key)
    if isinstance(english, str) and set(_FIELDS.findall(english)) != set(_FIELDS.findall(text)):
        raise RuleSetError(
            f"{where}: {ctx}: `{key}_es` must have the same {{fields}} as `{key}`: "
            f"{sorted(set(_FIELDS.findall(english)))} against {sorted(set(_FIELDS.findall(text)))}"
        )
    return text


def _severity(value: object, where: str, ctx: str) -> str:
    if value not in SEVERITIES:
        raise RuleSetError(f"{where}: {ctx}: severity must be one of {SEVERITIES}")
    return str(value)


def _condition(text: str, where: str, ctx: str) -> Condition:
    try:
        return compile_condition(text)
    except ValueError as exc:
        raise RuleSetError(f"{where}: {ctx}: {exc}") from None


_DOSE_UNITS = {"ug/min": False, "ug/kg/min": True}


def _dose_limit(x: dict, where: str, ctx: str) -> DoseLimit:  # type: ignore[type-arg]
    unit = str(x.get("unit", ""))
    if unit not in _DOSE_UNITS:
        raise RuleSetError(f"{where}: {ctx}: a dose limit's unit must be one of {sorted(_DOSE_UNITS)}")
    try:
        return DoseLimit(str(x["agent"]).lower(), float(x["at_least"]), _DOSE_UNITS[unit])
    except (KeyError, TypeError, ValueError) as e:
        raise RuleSetError(f"{where}: {ctx}: a dose limit needs `agent` and a number `at_least`") from e
