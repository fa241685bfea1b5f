"""`make validate`: every case through the pipeline (in parallel), the table, the figures, the JSON.

    python -m bedside_adapters.validation.report [--only NAME ...] [--jobs N] [--json build/validate.json]

Exits 1 when a target is missed (or a case could not run), 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

from bedside_adapters.validation.build import build_case
from bedside_adapters.validation.cases import Case, cases_dir, load_case, load_cases, rule_info
from bedside_adapters.validation.score import TARGETS, CaseScore, Summary, summarise


def run_case(case: Case, workdir: Path) -> CaseScore:
    from bedside_adapters.validation.score import score_case

    run = build_case(case, workdir / f"{case.name}.sqlite3")
    return score_case(case, run, rule_info())


def _run_path(path: str) -> tuple[CaseScore, float]:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bedside-validate-") as d:
        score = run_case(load_case(Path(path)), Path(d))
    return score, time.perf_counter() - began


def _times(s: CaseScore) -> str:
    parts = []
    for t in s.timings:
        mark = "" if t.in_time else "!"
        when = "-" if t.after_onset_min is None else f"{t.after_onset_min:g}"
        parts.append(f"{t.rule} {when}/{t.deadline_min:g}{mark}")
    return " ".join(parts) or "-"


def _list(x: list[str]) -> str:
    return " ".join(x) or "-"


def table(scores: list[CaseScore]) -> list[str]:
    """One row per case: Markdown, so docs/validation.md can carry it as it is printed."""
    lines = [
        "| case | kind | status | expected | raised (clinical) | missed | late | false | technical "
        "| top-level | minutes to alert / deadline |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        tech = _list(s.technical_raised)
        if s.technical_missing:
            tech += f" (missing {_list(s.technical_missing)})"
        notes = s.unavailable + s.errors + ([f"repeated {_list(s.repeated)}"] if s.repeated else [])
        notes += [f"too severe {_list(s.too_severe)}"] if s.too_severe else []
        status = s.status + (f" ({'; '.join(notes)})" if notes else "")
        lines.append(
            f"| {s.name} | {s.kind} | {status} | {_list(s.expected)} | {_list(s.raised)} | {_list(s.missed)} "
            f"| {_list(s.late)} | {_list(s.false)} | {tech} | {s.top_level} | {_times(s)} |"
        )
    return lines


def figures(summary: Summary) -> list[str]:
    def mark(ok: bool) -> str:
        return "met" if ok else "MISSED"

    sens_ok = summary.sensitivity >= TARGETS["sensitivity"]
    react_ok = summary.reaction_sensitivity >= TARGETS["sensitivity"]
    false_ok = summary.false_per_patient_day <= TARGETS["false_per_patient_day"]
    acks_ok = summary.acks_per_reaction <= TARGETS["acks_per_reaction"]
    return [
        "| figure | value | target | |",
        "|---|---|---|---|",
        f"| sensitivity (expected rules raised in time) | {summary.sensitivity:.0%} "
        f"({summary.in_time_rules}/{summary.expected_rules}) | 100 % | {mark(sens_ok)} |",
        f"| reactions with every expected rule in time | {summary.reaction_sensitivity:.0%} "
        f"({summary.reactions_in_time}/{summary.reactions}) | 100 % | {mark(react_ok)} |",
        f"| false clinical alerts per patient-day (calm, stable, artefacts) | "
        f"{summary.false_per_patient_day:.2f} ({summary.false_alerts} in {summary.quiet_patient_days:.1f} "
        f"patient-days) | 0 | {mark(false_ok)} |",
        f"| alerts to acknowledge per reaction (top level) | {summary.acks_per_reaction:.1f} "
        f"(worst {max(summary.acks, default=0)}) | ≤ 3 | {mark(acks_ok)} |",
        f"| cases that could not run | {len(summary.not_available)} {_list(summary.not_available)} | 0 "
        f"| {mark(not summary.not_available)} |",
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="validate", description=__doc__.splitlines()[0])
    p.add_argument("--only", nargs="*", help="case names (file stems)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--json", default="build/validate.json")
    args = p.parse_args(argv)
    cases = load_cases(args.only)
    paths = [str(cases_dir() / f"{c.name}.toml") for c in cases]
    began = time.perf_counter()
    if args.jobs > 1 and len(paths) > 1:
        # Spawned workers: each case in its own process and its own SQLite file.
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            results = pool.map(_run_path, paths, chunksize=1)
    else:
        results = [_run_path(x) for x in paths]
    scores = [s for s, _ in results]
    summary = summarise(scores)
    elapsed = time.perf_counter() - began
    print("\n".join(table(scores)))
    print()
    print("\n".join(figures(summary)))
    print(f"\n{len(scores)} cases in {elapsed:.0f} s ({args.jobs} processes)")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "cases": [s.as_json() | {"seconds": round(sec, 1)} for s, sec in results],
        "summary": summary.as_json(),
        "seconds": round(elapsed, 1),
    }
    out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    missed = summary.missed_targets()
    if missed:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
