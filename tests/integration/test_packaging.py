"""One distribution installs bedside, adapters and ui and ships resources/ and the migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_the_three_packages_resources_and_migrations(tmp_path: Path) -> None:
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(out.glob("bedside-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "bedside/parameters.py",
        "adapters/mllp/server.py",
        "ui/app.py",
        "bedside_resources/parameters.toml",
        "adapters/db/migrations/env.py",
        "adapters/db/migrations/script.py.mako",
        "adapters/db/migrations/versions/0001_initial_schema.py",
    ):
        assert expected in names, expected
    for package in ("bedside", "adapters", "ui"):
        for module in (ROOT / package).rglob("*.py"):
            assert module.relative_to(ROOT).as_posix() in names, f"{module} is not in the wheel"
    for resource in (ROOT / "resources").rglob("*"):
        if resource.is_file():
            assert f"bedside_resources/{resource.relative_to(ROOT / 'resources').as_posix()}" in names
    entry_points = (
        zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    )
    assert "[gui_scripts]\nbedside = ui.app:main" in entry_points
    assert "bedside-ingest = adapters.ingest.main:main" in entry_points
    assert "bedside-cli = ui.cli:main" in entry_points  # adapters.cli plus the Qt report

    # Unpacked away from the checkout, the resources are found inside the installed layout.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "from bedside.resources import resources_dir; from bedside.parameters import ParameterCatalog;"
        "print(resources_dir()); print(len(ParameterCatalog.load()))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    where, count = result.stdout.split()
    assert Path(where) == site / "bedside_resources"
    assert int(count) >= 25
