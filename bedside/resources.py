"""Find the top-level `resources/` folder from a checkout and from an installed wheel.

In a checkout (and an editable install) it sits beside the `bedside` package; in a wheel it is
shipped as the data package `bedside_resources` (pyproject.toml maps the folder to that name).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

_MARKER = "parameters.toml"


@cache
def resources_dir() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if (checkout / _MARKER).is_file():
        return checkout
    spec = importlib.util.find_spec("bedside_resources")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if (Path(location) / _MARKER).is_file():
                return Path(location)
    raise FileNotFoundError(
        "Bedside's resources folder was not found: reinstall the package (pip install bedside)"
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def scenario_names() -> list[str]:
    """The demo's scenarios: every resources/scenarios/NAME.toml, by name."""
    return sorted(p.stem for p in resource_path("scenarios").glob("*.toml"))
