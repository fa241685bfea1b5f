"""docs/performance.md's figures, generated from build/bench.json at the end of `make bench`.

The page's prose (what each figure means and how it is measured) is written by hand; only the part
between BEGIN and END is replaced: one table of every figure (value, baseline, ratio, target, met?) and
the note each figure carries. Stdlib only, so it also runs on its own:

    python tests/bench/perf_page.py [--bench build/bench.json] [--page docs/performance.md]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BEGIN = (
    "<!-- bench:begin (generated from build/bench.json by tests/bench/perf_page.py; do not edit by hand) -->"
)
END = "<!-- bench:end -->"
GROUPS = ("ingest", "connections", "storage", "alerts", "failover", "ui")
"""The groups of `make bench`, in the order the page lists them."""


def is_maximum(r: dict) -> bool:
    """Targets are minimum ratios, except where the unit is bytes or the figure says so: there the
    value itself must stay below the target."""
    return r["unit"] == "B" or r.get("target_is") == "max"


def meets(r: dict) -> bool:
    """Whether a figure with a target meets it."""
    if is_maximum(r):
        return r["value"] < r["target"]
    return r["ratio"] is not None and r["ratio"] >= r["target"]


def number(v: float) -> str:
    """Three significant digits below 100, whole numbers with thousands separators above."""
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _unit(unit: str) -> str:
    return "µs" if unit == "us" else unit


def _target(r: dict) -> str:
    if r["target"] is None:
        return ""
    if is_maximum(r):
        return f"< {number(r['target'])} {_unit(r['unit'])}"
    return f"≥ {number(r['target'])}×"


def _met(r: dict) -> str:
    if r["target"] is None:
        return ""
    return "met" if meets(r) else "**not met**"


def _group(name: str) -> str:
    return name.split(".", 1)[0]


def _order(results: list[dict]) -> list[dict]:
    """Grouped as `make bench` runs them, each group in the order it measured its figures."""
    rank = {g: i for i, g in enumerate(GROUPS)}
    return sorted(results, key=lambda r: rank.get(_group(r["name"]), len(GROUPS)))


def render(results: list[dict], source: str = "build/bench.json") -> str:
    """The generated block: BEGIN, a summary line, the table, the notes, END."""
    rows = _order(results)
    targets = [r for r in rows if r["target"] is not None]
    present = {_group(r["name"]) for r in rows}
    missing = [g for g in GROUPS if g not in present and g != "failover"]
    out = [BEGIN, ""]
    out.append(
        f"{len(rows)} figures from `{source}`; {sum(meets(r) for r in targets)} of {len(targets)} targets met."
    )
    if missing:
        groups = ", ".join(f"`{g}`" for g in missing)
        out.append(f"Not in this file (run `make bench ONLY=<group>` or `make bench`): {groups}.")
    if "failover" not in present:
        out.append(
            "`failover` runs on its own (`make bench ONLY=failover`): its figures are in the text below."
        )
    out += [
        "",
        "| name | value | unit | baseline | ratio | target | met? |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for r in rows:
        base = "" if r["baseline"] is None else number(r["baseline"])
        ratio = "" if r["ratio"] is None else f"{number(r['ratio'])}×"
        out.append(
            f"| `{r['name']}` | {number(r['value'])} | {_unit(r['unit'])} | {base} | {ratio} "
            f"| {_target(r)} | {_met(r)} |"
        )
    notes = [r for r in rows if r.get("note")]
    if notes:
        out += ["", "Notes, as each measurement reports itself:", ""]
        out += [f"- `{r['name']}`: {r['note']}" for r in notes]
    out += ["", END]
    return "\n".join(out)


def update_page(page: str, results: list[dict], source: str = "build/bench.json") -> str:
    """The page with its generated block replaced; the hand-written text around it is kept."""
    if BEGIN not in page or END not in page:
        raise ValueError(f"the page has no generated block: it needs the lines {BEGIN!r} and {END!r}")
    head = page[: page.index(BEGIN)]
    tail = page[page.index(END) + len(END) :]
    return head + render(results, source) + tail


def write_page(bench: Path, page: Path) -> None:
    """Regenerate `page` from the figures in `bench`."""
    results = json.loads(bench.read_text(encoding="utf-8"))
    source = str(bench.relative_to(ROOT)) if bench.is_relative_to(ROOT) else str(bench)
    page.write_text(update_page(page.read_text(encoding="utf-8"), results, source), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench", type=Path, default=ROOT / "build" / "bench.json")
    p.add_argument("--page", type=Path, default=ROOT / "docs" / "performance.md")
    args = p.parse_args(argv)
    write_page(args.bench.resolve(), args.page.resolve())
    print(f"written to {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
