"""One distribution installs the core `bedside`, `bedside_adapters` (from adapters/) and `bedside_ui` (from
ui/), ships resources/ and the migrations, and puts no generic top-level name (`ui`, `adapters`) into
site-packages where another distribution could collide with it."""

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
        "bedside_adapters/mllp/server.py",
        "bedside_ui/app.py",
        "bedside_resources/parameters.toml",
        "bedside_adapters/db/migrations/env.py",
        "bedside_adapters/db/migrations/script.py.mako",
        "bedside_adapters/db/migrations/versions/0001_initial_schema.py",
    ):
        assert expected in names, expected
    installed_as = {"bedside": "bedside", "adapters": "bedside_adapters", "ui": "bedside_ui"}
    for folder, package in installed_as.items():
        for module in (ROOT / folder).rglob("*.py"):
            name = f"{package}/{module.relative_to(ROOT / folder).as_posix()}"
            assert name in names, f"{module} is not in the wheel"
    tops = {n.split("/")[0] for n in names if "/" in n and ".dist-info" not in n}
    assert tops == {"bedside", "bedside_adapters", "bedside_ui", "bedside_resources"}, tops
    for resource in (ROOT / "resources").rglob("*"):
        if resource.is_file():
            assert f"bedside_resources/{resource.relative_to(ROOT / 'resources').as_posix()}" in names
    entry_points = (
        zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    )
    assert "[gui_scripts]\nbedside = bedside_ui.app:main" in entry_points
    assert "bedside-ingest = bedside_adapters.ingest.main:main" in entry_points
    assert "bedside-cli = bedside_ui.cli:main" in entry_points  # adapters.cli plus the Qt report

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
