"""`make sbom`: a CycloneDX bill of materials of the installed environment that names the packages
Bedside runs on with the versions pyproject.toml pins, and Bedside itself with its version."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bedside import __version__

ROOT = Path(__file__).resolve().parents[2]


def pinned() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"])}


def test_make_sbom_lists_the_pinned_packages_with_their_versions(tmp_path: Path) -> None:
    venv = Path(sys.executable).parent.parent
    out = tmp_path / "sbom" / "bedside.cdx.json"
    # The Makefile's own recipe on this environment; -o: the venv is as it is (no install step).
    subprocess.run(
        ["make", "-s", "-o", f"{venv}/.installed-test", "sbom", f"VENV={venv}", f"SBOM={out}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    bom = json.loads(out.read_text())
    assert bom["bomFormat"] == "CycloneDX"
    components = {canonicalize_name(c["name"]): c for c in bom["components"]}
    pins = pinned()
    for name in ("pyside6-essentials", "sqlalchemy", "hl7apy"):
        listed = components[name]
        assert listed["version"] == version(name), name
        assert pins[name].specifier.contains(listed["version"]), (name, listed["version"], pins[name])
        assert listed["purl"] == f"pkg:pypi/{name}@{listed['version']}"
    # The exact pins are the versions listed.
    assert components["pyside6-essentials"]["version"] == "6.11.3"
    assert components["hl7apy"]["version"] == "1.3.5"
    assert components["bedside"]["version"] == __version__
