"""Comments and docstrings explain the code as it is, on their own: in the packages, the tests, the
Makefile and the resource tables (resources/**/*.toml).

They must not send the reader to files outside the repository (`shared/...`, ARCHITECTURE.md, SCREENS.md,
any other Markdown file the repository does not hold, or a bare "§n" of such a file), to an issue number,
or quote a measured duration ("12 µs", "3.4 ms"): such a figure goes stale with the next change and
belongs in the generated performance page (docs/performance.md). A section of a public standard is
fine when the line names it (HL7, IHE, ISO, IEC, RFC, CTCAE). Timeouts and other configuration values in
the code itself are not comments and are not checked.
"""

from __future__ import annotations

import ast
import io
import os
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bedside", "adapters", "ui", "tests")
THIS_FILE = Path(__file__).resolve()
"""Names every forbidden kind to describe the rule: not checked against it."""

FORBIDDEN: dict[str, re.Pattern[str]] = {
    "a file outside the repository (shared/)": re.compile(r"\bshared/"),
    "ARCHITECTURE.md": re.compile(r"\bARCHITECTURE\b"),
    "SCREENS.md": re.compile(r"SCREENS\.md"),
    "an issue number": re.compile(r"\bissues?\s*#?\s*\d+", re.IGNORECASE),
    "a measured duration": re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?\s*(?:µs|μs|us|ms)\b"),
}
MARKDOWN = re.compile(r"[\w./-]*\w\.md\b")
SECTION = re.compile(r"§")
PUBLIC_SOURCE = re.compile(r"\b(?:HL7|IHE|ISO|IEC|RFC|CTCAE)\b")


def _repository_markdown() -> set[str]:
    """The Markdown files the repository holds, by path and by name (virtualenv and build left out)."""
    files: list[Path] = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("build", "__pycache__")]
        files += [(Path(folder) / n).relative_to(ROOT) for n in names if n.endswith(".md")]
    return {str(p) for p in files} | {p.name for p in files}


def _outside(text: str, present: set[str]) -> list[str]:
    """What a line cites that a reader of the repository cannot open."""
    named = ("shared/", "ARCHITECTURE.md", "SCREENS.md")  # reported as such by FORBIDDEN
    return [
        f"{name} (not in the repository)"
        for name in MARKDOWN.findall(text)
        if name not in present and not name.startswith(named)
    ]


def comments_and_docstrings(source: str) -> list[tuple[int, str]]:
    """(line, text) of every comment and every module, class and function docstring."""
    found = [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            first = body[0] if body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                lines = first.value.value.splitlines()
                found += [(first.lineno + i, line) for i, line in enumerate(lines)]
    return found


def hash_comments(source: str) -> list[tuple[int, str]]:
    """(line, text) of every `#` comment of a TOML file or a Makefile: from a `#` outside quotes to the
    end of its line."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        quote = ""
        for i, char in enumerate(line):
            if quote:
                if char == quote and (quote == "'" or line[i - 1] != "\\"):
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "#":
                found.append((number, line[i:]))
                break
    return found


def offences(
    source: str, present: set[str] | None = None, comments: list[tuple[int, str]] | None = None
) -> list[tuple[int, str, str]]:
    """(line, what, text) for every comment or docstring line that breaks the rule; `comments` when
    the source is not Python (see hash_comments)."""
    present = _repository_markdown() if present is None else present
    found = []
    for line, text in comments_and_docstrings(source) if comments is None else comments:
        whats = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]
        whats += _outside(text, present)
        if not whats and SECTION.search(text) and not PUBLIC_SOURCE.search(text):
            whats.append("a section (§) of a document outside the repository")
        found += [(line, what, text.strip()) for what in whats]
    return found


def _python_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if p.resolve() != THIS_FILE)


def _commented_files() -> list[Path]:
    return [ROOT / "Makefile", *sorted((ROOT / "resources").rglob("*.toml"))]


def test_the_checker_finds_each_kind_and_ignores_code() -> None:
    source = '''"""Module text; see shared/research/x.md."""
TIMEOUT_MS = 250  # a configuration value in code: fine
def f():
    """As ARCHITECTURE.md §3 says."""
    x = "12 ms"  # took 12 µs here (issue 5)
    # the SCREENS.md layout; Issue #12
    # see hl7-research.md; docs/validation.md is fine
    # as the rule table says (§(c))
    # HL7 v2.5.1 §2.9.2 is a public source
    return x
'''
    found = {(line, what) for line, what, _ in offences(source, present={"docs/validation.md"})}
    assert found == {
        (1, "a file outside the repository (shared/)"),
        (4, "ARCHITECTURE.md"),
        (5, "a measured duration"),
        (5, "an issue number"),
        (6, "SCREENS.md"),
        (6, "an issue number"),
        (7, "hl7-research.md (not in the repository)"),
        (8, "a section (§) of a document outside the repository"),
    }


def test_the_checker_reads_hash_comments_outside_quotes() -> None:
    source = (
        'a = "#1 not a comment"  # see shared/x.md\n'
        "# issue 4\n"
        'b = "an escaped \\" and a # in quotes"  # fine\n'
        "c = 'a # in a literal string'\n"
    )
    assert hash_comments(source) == [(1, "# see shared/x.md"), (2, "# issue 4"), (3, "# fine")]
    found = {(line, what) for line, what, _ in offences(source, set(), hash_comments(source))}
    assert found == {(1, "a file outside the repository (shared/)"), (2, "an issue number")}


def test_no_comment_or_docstring_points_outside_the_code_or_quotes_a_timing() -> None:
    present = _repository_markdown()
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {what}: {text}"
        for path in _python_files()
        for line, what, text in offences(path.read_text(encoding="utf-8"), present)
    ]
    if bad:
        pytest.fail("comments or docstrings to rewrite:\n" + "\n".join(bad), pytrace=False)


def test_no_comment_of_the_makefile_or_a_resource_table_points_outside_the_repository() -> None:
    present = _repository_markdown()
    bad = []
    for path in _commented_files():
        source = path.read_text(encoding="utf-8")
        bad += [
            f"{path.relative_to(ROOT)}:{line}: {what}: {text}"
            for line, what, text in offences(source, present, hash_comments(source))
        ]
    if bad:
        pytest.fail("comments to rewrite:\n" + "\n".join(bad), pytrace=False)
