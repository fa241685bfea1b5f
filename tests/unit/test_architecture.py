"""The layering of docs/architecture.md, enforced: import-linter's contracts from pyproject.toml."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_core_imports_without_qt_sqlalchemy_or_hl7apy() -> None:
    code = (
        "import sys, bedside.live, bedside.parameters, bedside.ports, bedside.feeds;"
        "banned = ('PySide6', 'pyqtgraph', 'sqlalchemy', 'hl7apy', 'socket', 'asyncio');"
        "bad = [m for m in banned if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


PACKAGES = ("bedside", "ui", "adapters")
MAX_LINES = 500
"""Past this a module has usually taken on a second job (docs/architecture.md, "Modules before and
after")."""


def _lines(path: Path) -> int:
    """What `wc -l` counts."""
    return path.read_bytes().count(b"\n")


def test_no_module_is_over_500_lines() -> None:
    modules = [
        p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts
    ]
    assert len(modules) > 100  # the packages were found where they are
    over = {str(p.relative_to(ROOT)): n for p in modules if (n := _lines(p)) > MAX_LINES}
    assert not over, f"split these by job (over {MAX_LINES} lines): {over}"


def _size_table() -> list[list[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Modules before and after", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def _stated_sizes() -> list[tuple[str, float, float]]:
    """(what, the size the table states, the size measured) for every figure of the table's "now"
    and "beside it" columns: a module's lines, a package's lines and its largest module's, the
    README's kilobytes."""
    out: list[tuple[str, float, float]] = []
    for module_cell, _before, now, beside in _size_table():
        module = ROOT / re.findall(r"`([^`]+)`", module_cell)[0]
        package = re.match(r"package `([^`]+)`: (\d+) modules, (\d+) lines, the largest `([^`]+)` (\d+)", now)
        if package:
            folder = ROOT / package[1]
            files = sorted(folder.glob("*.py"))
            out.append((f"{package[1]} (lines)", float(package[3]), float(sum(_lines(p) for p in files))))
            out.append((f"{package[1]}{package[4]}", float(package[5]), float(_lines(folder / package[4]))))
        elif kb := re.match(r"(\d+) KB", now):
            out.append((module.name, float(kb[1]), module.stat().st_size / 1024))
        else:
            out.append(
                (str(module.relative_to(ROOT)), float(re.match(r"\d+", now)[0]), float(_lines(module)))
            )  # type: ignore[index]
        for name, stated in re.findall(r"`([\w/.]+\.py)` (\d+)", beside):
            path = ROOT / name if "/" in name else module.parent / name
            out.append((str(path.relative_to(ROOT)), float(stated), float(_lines(path))))
    return out


def test_the_module_sizes_in_docs_architecture_hold() -> None:
    """The table of modules before and after their split states sizes; a figure more than 10 % off
    the code (and more than 25 lines: a small module's few added lines are no stale table) fails, and
    the message gives the sizes measured, to copy into the table."""
    sizes = _stated_sizes()
    assert len(sizes) >= 30  # the table was read
    drifted = [
        f"{what}: the table says {stated:g}, measured {measured:.0f}"
        for what, stated, measured in sizes
        if abs(measured - stated) > max(0.10 * stated, 25.0)
    ]
    assert not drifted, "docs/architecture.md, Modules before and after:\n" + "\n".join(drifted)
