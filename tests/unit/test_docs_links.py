"""The README and the docs pages link only to files and headings that exist, and name only commands
and make targets that exist: a new user on a fresh clone can follow every one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    body = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {anchor(m.group(1)) for m in re.finditer(r"^#+ (.+)$", body, flags=re.MULTILINE)}


def test_anchor_follows_github() -> None:
    assert anchor("The nurse's screen") == "the-nurses-screen"
    assert anchor("B3, vasopressors") == "b3-vasopressors"
    assert anchor("Performance (`make bench`)") == "performance-make-bench"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_reaches_a_file_and_heading(page: Path) -> None:
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(f"{target}: no such heading")
    assert not broken, broken


def test_the_readme_names_the_two_commands_and_they_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.MULTILINE))
    named = set(re.findall(r"`make ([a-z][\w-]*)", readme))
    assert {"run", "test"} <= named
    assert named <= targets, named - targets
    assert "secondary" in readme.lower() and "primary alarms" in readme


def test_every_bedside_cli_command_the_docs_show_exists() -> None:
    cli = Path(sys.executable).with_name("bedside-cli")
    result = subprocess.run([str(cli), "--help"], capture_output=True, text=True, timeout=120)
    # The commands: each on its own line under COMMAND, its name then its help.
    commands = set(re.findall(r"^    ([a-z][\w-]*)\b", result.stdout, re.MULTILINE))
    assert {"db", "review", "medication"} <= commands, result.stdout + result.stderr
    shown = {
        name
        for page in PAGES
        for name in re.findall(r"bedside-cli (?:--db \S+ )?([a-z][\w-]*)", page.read_text(encoding="utf-8"))
    }
    assert shown, "the docs show no bedside-cli command"
    assert shown <= commands, shown - commands
