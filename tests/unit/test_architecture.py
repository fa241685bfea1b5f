"""The layering of docs/architecture.md, enforced: import-linter's contracts from pyproject.toml."""

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
