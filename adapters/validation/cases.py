"""The validation cases: a course (bedside.course), clinician entries, and the expected outcome.

A case file (resources/validation/cases/NAME.toml):

    title = "..."                  # one line: what it represents
    kind = "reaction"              # reaction | calm | stable | artefact
    [course]                       # as a scenario: seed, days, [[course.dose]], [[course.perturbation]] ...
    [[document]]                   # a clinician's entry (not HL7): adverse_event | death
    [[manual]]                     # vital signs measured by hand (bedside-cli vitals)
    [expect]
    onset_minutes = 25             # the reaction's onset, after the start of dose `onset_dose` (0-based)
    raise = ["F1", "C2"]           # rules that must be raised, each within its deadline of the onset
    may_raise = ["B1"]             # rules that may be raised (neither required nor false)
    technical = ["TECH*"]          # technical alerts that must be raised (a trailing * is a prefix)
    max_per_rule = 1               # more alerts of one rule than this is a failure
    [expect.onset_at]              # per rule: its own onset, minutes after the start of dose `onset_dose`
    [expect.within]                # per rule: its own deadline, minutes after its onset
    [expect.severity]              # per rule: the highest severity it may have
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bedside.course import CourseModel
from bedside.course_spec import DAY, HOUR, MINUTE, CourseSpec, spec_from_dict
from bedside.resources import resource_path

START = 1_772_409_600.0
"""2026-03-02T00:00:00Z: every case starts here, so a run is the same whenever it is made."""
KINDS = ("reaction", "calm", "stable", "artefact")
QUIET_KINDS = ("calm", "stable", "artefact")
"""Cases with no reaction: their clinical alerts are false alerts."""
SEVERITIES = ("low", "medium", "high")
LAB_TURNAROUND_MINUTES = 60.0
"""The simulated lab reports a result an hour after the draw."""
FINE_AROUND_DOSE = (-HOUR, 6 * HOUR + 10 * MINUTE)
"""From 1 h before each dose to just past W6 (6 h after its end) the monitor reports every minute, and
at the case's report interval (15 s) inside the detail spans (the baseline, the dose and 2 h after, each
perturbation); elsewhere every 5 min. W6 never has a silence over 60 s; W24's late events are sampled
every 5 min, and their deadlines allow for it."""
COARSE_STEP = 300.0
FINE_STEP = 60.0
DEFAULT_PF_SCALE = 1.6
"""The course model's P/F (95-116, severe ARDS, +-4 % per gas) sits on the Berlin cut-off 100, which its
noise crosses; the cases are moderate ARDS (P/F ~150-185) unless they set the P/F themselves."""


def segments(model: CourseModel) -> list[tuple[float, float, float]]:
    """(from, to, report step) covering a case's course: fine around the doses, coarse elsewhere."""
    spec = model.spec
    begin, end = spec.start - 2 * HOUR, spec.start + spec.days * DAY
    fine: list[tuple[float, float]] = []
    for dose, start in zip(spec.doses, model.dose_starts(), strict=True):
        a = max(begin, start + FINE_AROUND_DOSE[0])
        b = min(end, start + dose.minutes * MINUTE + FINE_AROUND_DOSE[1])
        if fine and a <= fine[-1][1]:
            fine[-1] = (fine[-1][0], max(fine[-1][1], b))
        elif a < b:
            fine.append((a, b))
    out, at = [], begin
    for a, b in fine:
        if at < a:
            out.append((at, a, COARSE_STEP))
        out.append((a, b, FINE_STEP))
        at = b
    if at < end:
        out.append((at, end, COARSE_STEP))
    return out


def cases_dir() -> Path:
    return Path(str(resource_path("validation", "cases")))


def is_technical(rule_id: str) -> bool:
    return rule_id == "STALE" or rule_id.startswith("TECH")


@dataclass(frozen=True)
class Document:
    kind: str
    """adverse_event or death."""
    minutes: float
    dose: int = 0
    term: str = ""
    notes: str = ""
    grade: int = 2


@dataclass(frozen=True)
class Manual:
    minutes: float
    values: dict[str, float]
    dose: int = 0
    temp_site: str = "tympanic"


@dataclass(frozen=True)
class Expect:
    raise_: tuple[str, ...] = ()
    may_raise: tuple[str, ...] = ()
    technical: tuple[str, ...] = ()
    onset_minutes: float | None = None
    onset_dose: int = 0
    onset_at: dict[str, float] = field(default_factory=dict)
    within: dict[str, float] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    max_per_rule: int = 1


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    kind: str
    spec: CourseSpec
    expect: Expect
    documents: tuple[Document, ...] = ()
    manual: tuple[Manual, ...] = ()

    @property
    def mrn(self) -> str:
        return f"VAL{self.spec.seed}"

    def model(self) -> CourseModel:
        return CourseModel(self.spec)

    def onset_of(self, rule: str) -> float | None:
        """Epoch s where the condition of `rule` begins in this case (None: no onset defined)."""
        starts = self.model().dose_starts()
        e = self.expect
        if rule in e.onset_at:
            return starts[e.onset_dose] + e.onset_at[rule] * MINUTE
        if e.onset_minutes is None:
            return None
        return starts[e.onset_dose] + e.onset_minutes * MINUTE

    def sampling_minutes(self, signals: set[str], at: float | None) -> float:
        """The longest interval between measurements of any of `signals` at `at` in this course: an
        intermittent signal's interval, the report step there (5 min outside the dose's fine span),
        at least 1 min (a 1-min median closes a minute after its first sample)."""
        every = [m.every_minutes for m in self.spec.intermittent if signals & set(m.signals)]
        if self.manual and signals & {k for m in self.manual for k in m.values}:
            every.append(60.0)
        if at is not None and signals:
            every += [step / MINUTE for a, b, step in segments(self.model()) if a <= at < b]
        return max([1.0, *every])


def load_case(path: Path) -> Case:
    with path.open("rb") as f:
        d = tomllib.load(f)
    kind = d.get("kind", "reaction")
    if kind not in KINDS:
        raise ValueError(f"{path.name}: kind must be one of {', '.join(KINDS)}")
    x = d.get("expect", {})
    expect = Expect(
        raise_=tuple(x.get("raise", ())),
        may_raise=tuple(x.get("may_raise", ())),
        technical=tuple(x.get("technical", ())),
        onset_minutes=x.get("onset_minutes"),
        onset_dose=int(x.get("onset_dose", 0)),
        onset_at={k: float(v) for k, v in x.get("onset_at", {}).items()},
        within={k: float(v) for k, v in x.get("within", {}).items()},
        severity=dict(x.get("severity", {})),
        max_per_rule=int(x.get("max_per_rule", 1)),
    )
    for r, sev in expect.severity.items():
        if sev not in SEVERITIES:
            raise ValueError(f"{path.name}: severity of {r} must be one of {', '.join(SEVERITIES)}")
    if kind == "reaction" and expect.raise_ and expect.onset_minutes is None:
        missing = [r for r in expect.raise_ if r not in expect.onset_at]
        if missing:
            raise ValueError(f"{path.name}: no onset for {', '.join(missing)}")
    course = {"seed": 9000, "days": 2, "improving": False, "report_interval": 15, "lab_ranges": True}
    course |= d.get("course", {})
    if not any("pf" in (p.get("signal"), *p.get("signals", ())) for p in course.get("perturbation", [])):
        pf = {"signal": "pf", "mode": "scale", "amount": DEFAULT_PF_SCALE}
        course["perturbation"] = [pf, *course.get("perturbation", [])]
    return Case(
        name=path.stem,
        title=d.get("title", path.stem),
        kind=kind,
        spec=spec_from_dict(path.stem, course, START),
        expect=expect,
        documents=tuple(Document(**doc) for doc in d.get("document", [])),
        manual=tuple(Manual(**m) for m in d.get("manual", [])),
    )


def load_cases(only: list[str] | None = None, folder: Path | None = None) -> list[Case]:
    paths = sorted((folder or cases_dir()).glob("*.toml"))
    cases = [load_case(p) for p in paths if not only or p.stem in only]
    seeds = [c.spec.seed for c in cases]
    dupes = {s for s in seeds if seeds.count(s) > 1}
    if dupes:
        raise ValueError(f"cases share a seed (and so a patient): {sorted(dupes)}")
    return cases


@dataclass(frozen=True)
class RuleInfo:
    """What the scoring needs from the rule file: persistence and the signals a rule reads."""

    persistence: dict[str, float]
    signals: dict[str, set[str]]
    """Rule → the stored parameters it reads (through the rule file's [signals] table)."""
    lab_rules: set[str]

    def deadline(self, case: Case, rule: str) -> float:
        """Minutes from onset within which `rule` must be raised: its persistence + 5 min, plus the
        sampling interval of an intermittent signal, plus the lab's turnaround for results."""
        if rule in case.expect.within:
            return case.expect.within[rule]
        extra = LAB_TURNAROUND_MINUTES if rule in self.lab_rules else 0.0
        sampling = case.sampling_minutes(self.signals.get(rule, set()), case.onset_of(rule))
        return self.persistence.get(rule, 0.0) + 5.0 + sampling + extra


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def rule_info(path: Path | None = None) -> RuleInfo:
    """Read from the shipped rule file (read only; the scoring follows the rule table's persistence)."""
    with (path or Path(str(resource_path("rules", "infusion-reaction.toml")))).open("rb") as f:
        d = tomllib.load(f)
    rules = {r["id"]: r for r in d.get("rule", [])}
    params = {name: set(s.get("parameters", [name])) for name, s in d.get("signals", {}).items()}
    persistence: dict[str, float] = {}
    signals: dict[str, set[str]] = {}
    lab_rules = {i for i, r in rules.items() if r.get("kind") in ("lab", "pf")}

    def words(r: dict) -> set[str]:
        text = " ".join([r.get("when", "")] + [lv.get("when", "") for lv in r.get("level", [])])
        return set(_WORD.findall(text))

    def resolve(rid: str, seen: frozenset[str] = frozenset()) -> tuple[float, set[str], bool]:
        r = rules.get(rid)
        if r is None or rid in seen:
            return 0.0, set(), False
        if r.get("kind") == "composite":
            parts = [resolve(w, seen | {rid}) for w in words(r) if w in rules]
            return (
                max([p[0] for p in parts] or [0.0]),
                set().union(*[p[1] for p in parts]) if parts else set(),
                any(p[2] for p in parts),
            )
        minutes = [float(r.get("minutes", 0))] + [float(lv.get("minutes", 0)) for lv in r.get("level", [])]
        per = max(minutes)
        if rid == "H4":
            per = max(per, 2.0)  # "still present 2 min later"
        used = set().union(*[params[w] for w in words(r) if w in params]) if words(r) else set()
        return per, used, rid in lab_rules

    for rid in rules:
        per, used, lab = resolve(rid)
        persistence[rid], signals[rid] = per, used
        if lab:
            lab_rules.add(rid)
    return RuleInfo(persistence, signals, lab_rules)
