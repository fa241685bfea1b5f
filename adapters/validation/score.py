"""Score a case's alerts against its expected outcome, and the library as an alarm system is judged.

Per case: which expected rules were raised, how long after the onset (the first alert of the rule,
at the time its condition was met: `fired_at`), which were missed or late, which clinical alerts were
not expected (false), which expected technical alerts are missing.

In all:
- sensitivity: expected rules raised within their deadline (the rule's persistence + 5 min, plus the
  sampling interval of an intermittent signal and the lab's turnaround for lab results), over all
  expected rules of all cases; also per reaction (every expected rule of the case in time);
- false clinical alerts per patient-day, on the cases without a reaction (calm, sick-but-stable,
  artefacts): clinical = every rule but `STALE` and `TECH*`; patient-days = the time the rules watched
  (from each dose's start to the end of its windows, the next dose or the course's end);
- alerts a nurse must acknowledge per reaction: the top-level alerts (not folded under a composite:
  `folded_into` empty or absent) of each reaction case, technical ones included.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bedside_adapters.validation.build import CaseRun
from bedside_adapters.validation.cases import QUIET_KINDS, SEVERITIES, Case, RuleInfo, is_technical

from bedside.course_spec import DAY, MINUTE

EARLY_MINUTES = 2.0
"""An alert up to 2 min before the onset is the minute the onset falls in (1-min medians)."""
WATCH_DAYS_AFTER_END = 7.0
"""The longest rule window: WL, labs up to 7 days after the end of the dose."""
TARGETS = {"sensitivity": 1.0, "false_per_patient_day": 0.0, "acks_per_reaction": 3.0}


def _matches(rule_id: str, pattern: str) -> bool:
    return rule_id.startswith(pattern[:-1]) if pattern.endswith("*") else rule_id == pattern


@dataclass
class Timing:
    rule: str
    deadline_min: float
    after_onset_min: float | None
    """Minutes from the onset to the first alert of the rule; None: not raised."""

    @property
    def in_time(self) -> bool:
        t = self.after_onset_min
        return t is not None and -EARLY_MINUTES <= t <= self.deadline_min


@dataclass
class CaseScore:
    name: str
    kind: str
    title: str
    expected: list[str]
    raised: list[str]
    technical_raised: list[str]
    timings: list[Timing]
    missed: list[str]
    late: list[str]
    false: list[str]
    technical_missing: list[str]
    repeated: list[str]
    too_severe: list[str]
    top_level: int
    watched_days: float
    unavailable: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.unavailable:
            return "n/a"
        bad = self.missed or self.late or self.false or self.technical_missing or self.repeated
        return "fail" if bad or self.too_severe or self.errors else "pass"

    def as_json(self) -> dict:
        d = asdict(self)
        d["status"] = self.status
        d["timings"] = [asdict(t) | {"in_time": t.in_time} for t in self.timings]
        return d


def watched_days(case: Case) -> float:
    model = case.model()
    spec = model.spec
    end = spec.start + spec.days * DAY
    starts = model.dose_starts()
    total = 0.0
    for i, (dose, start) in enumerate(zip(spec.doses, starts, strict=True)):
        stop = min(end, start + dose.minutes * MINUTE + WATCH_DAYS_AFTER_END * DAY)
        if i + 1 < len(starts):
            stop = min(stop, starts[i + 1])
        total += max(0.0, stop - start)
    return total / DAY


def score_case(case: Case, run: CaseRun, info: RuleInfo) -> CaseScore:
    e = case.expect
    clinical = [a for a in run.alerts if not is_technical(a["rule_id"])]
    technical = [a for a in run.alerts if is_technical(a["rule_id"])]
    first: dict[str, float] = {}
    counts: dict[str, int] = {}
    worst: dict[str, int] = {}
    for a in clinical:
        r = a["rule_id"]
        first[r] = min(first.get(r, a["fired_at"]), a["fired_at"])
        counts[r] = counts.get(r, 0) + 1
        rank = SEVERITIES.index(a["severity"]) if a["severity"] in SEVERITIES else len(SEVERITIES)
        worst[r] = max(worst.get(r, -1), rank)
    timings = []
    for r in e.raise_:
        onset = case.onset_of(r)
        after = None if r not in first or onset is None else (first[r] - onset) / 60.0
        timings.append(Timing(r, info.deadline(case, r), round(after, 1) if after is not None else None))
    allowed = set(e.raise_) | set(e.may_raise)
    return CaseScore(
        name=case.name,
        kind=case.kind,
        title=case.title,
        expected=list(e.raise_),
        raised=sorted(first, key=lambda r: first[r]),
        technical_raised=sorted({a["rule_id"] for a in technical}),
        timings=timings,
        missed=[r for r in e.raise_ if r not in first],
        late=[t.rule for t in timings if t.after_onset_min is not None and not t.in_time],
        false=[a["rule_id"] for a in clinical if a["rule_id"] not in allowed],
        technical_missing=[p for p in e.technical if not any(_matches(a["rule_id"], p) for a in technical)],
        repeated=[r for r, n in counts.items() if n > e.max_per_rule],
        too_severe=[r for r, sev in e.severity.items() if r in worst and worst[r] > SEVERITIES.index(sev)],
        top_level=sum(1 for a in run.alerts if a.get("folded_into") is None),
        watched_days=round(watched_days(case), 3),
        unavailable=list(run.unavailable),
        errors=list(run.errors) + ([f"{run.rejected} messages not accepted"] if run.rejected else []),
    )


@dataclass
class Summary:
    expected_rules: int
    in_time_rules: int
    reactions: int
    reactions_in_time: int
    false_alerts: int
    quiet_patient_days: float
    acks: list[int]
    not_available: list[str]

    @property
    def sensitivity(self) -> float:
        return self.in_time_rules / self.expected_rules if self.expected_rules else 1.0

    @property
    def reaction_sensitivity(self) -> float:
        return self.reactions_in_time / self.reactions if self.reactions else 1.0

    @property
    def false_per_patient_day(self) -> float:
        return self.false_alerts / self.quiet_patient_days if self.quiet_patient_days else 0.0

    @property
    def acks_per_reaction(self) -> float:
        return sum(self.acks) / len(self.acks) if self.acks else 0.0

    def missed_targets(self) -> list[str]:
        out = []
        if self.sensitivity < TARGETS["sensitivity"] or self.reaction_sensitivity < TARGETS["sensitivity"]:
            out.append("sensitivity")
        if self.false_per_patient_day > TARGETS["false_per_patient_day"]:
            out.append("false clinical alerts per patient-day")
        if self.acks_per_reaction > TARGETS["acks_per_reaction"]:
            out.append("alerts to acknowledge per reaction")
        if self.not_available:
            out.append("cases that could not run")
        return out

    def as_json(self) -> dict:
        return asdict(self) | {
            "sensitivity": self.sensitivity,
            "reaction_sensitivity": self.reaction_sensitivity,
            "false_per_patient_day": self.false_per_patient_day,
            "acks_per_reaction": self.acks_per_reaction,
            "acks_worst": max(self.acks, default=0),
            "targets": TARGETS,
            "missed_targets": self.missed_targets(),
        }


def summarise(scores: list[CaseScore]) -> Summary:
    timed = [t for s in scores if s.status != "n/a" for t in s.timings]
    reactions = [s for s in scores if s.timings and s.status != "n/a"]
    quiet = [s for s in scores if s.kind in QUIET_KINDS and s.status != "n/a"]
    return Summary(
        expected_rules=len(timed),
        in_time_rules=sum(t.in_time for t in timed),
        reactions=len(reactions),
        reactions_in_time=sum(all(t.in_time for t in s.timings) for s in reactions),
        false_alerts=sum(len(s.false) for s in quiet),
        quiet_patient_days=round(sum(s.watched_days for s in quiet), 3),
        acks=[s.top_level for s in scores if s.kind == "reaction" and s.status != "n/a"],
        not_available=[s.name for s in scores if s.status == "n/a"],
    )
