"""Only the database package (adapters/db, installed as bedside_adapters.db) opens connections and
transactions: every other module hands it an engine or a unit of work (docs/architecture.md,
"Packages and their import contracts"). Import-linter already keeps SQLAlchemy's imports inside the package; this test catches
what an import cannot show, a module outside it calling `engine.connect()` or `engine.begin()` on
an engine it was handed."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bedside", "adapters", "ui")
DATABASE_PACKAGE = ROOT / "adapters" / "db"

OPENERS = frozenset({"connect", "begin", "begin_nested", "raw_connection"})
"""SQLAlchemy's ways to open a connection or a transaction on an engine or a connection: called
with no argument (a Qt signal's `connect(slot)` and a socket's `connect(address)` take one)."""


def _project_classes_with(modules: list[ast.Module]) -> dict[str, set[str]]:
    """Each class defined in the project and the names of its methods."""
    out: dict[str, set[str]] = {}
    for module in modules:
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef):
                methods = {n.name for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
                out.setdefault(node.name, set()).update(methods)
    return out


def _own_method(receiver: ast.expr, name: str, enclosing: set[str], classes: dict[str, set[str]]) -> bool:
    """The call is a project class's own method of that name (the MLLP client's `connect()` opens a
    socket): on `self` inside such a class, or on an instance built right there."""
    if isinstance(receiver, ast.Name) and receiver.id == "self":
        return name in enclosing
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name):
        return name in classes.get(receiver.func.id, set())
    return False


def openings(module: ast.Module, classes: dict[str, set[str]]) -> list[tuple[int, str]]:
    """(line, call) of each connection or transaction the module opens itself."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, enclosing: set[str]) -> None:
        if isinstance(node, ast.ClassDef):
            enclosing = {n.name for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in OPENERS
            and not node.args
            and not node.keywords
            and not _own_method(node.func.value, node.func.attr, enclosing, classes)
        ):
            found.append((node.lineno, ast.unparse(node)))
        for child in ast.iter_child_nodes(node):
            visit(child, enclosing)

    visit(module, set())
    return found


def _modules() -> dict[Path, ast.Module]:
    paths = [
        p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts
    ]
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in paths}


def test_only_the_database_package_opens_connections_and_transactions() -> None:
    modules = _modules()
    assert len(modules) > 100  # the packages were found where they are
    classes = _project_classes_with(list(modules.values()))
    outside = {p: m for p, m in modules.items() if not p.is_relative_to(DATABASE_PACKAGE)}
    inside = {p: m for p, m in modules.items() if p.is_relative_to(DATABASE_PACKAGE)}
    bad = {
        f"{p.relative_to(ROOT)}:{line}": call
        for p, m in outside.items()
        for line, call in openings(m, classes)
    }
    assert not bad, f"open the connection or transaction in adapters/db and call that instead: {bad}"
    # The check sees the openings the database package does make (else it would pass on anything).
    assert any(openings(m, classes) for m in inside.values())


def test_the_check_tells_an_engine_from_a_socket_client_and_a_signal() -> None:
    source = """
class Client:
    def connect(self):
        return self

    def send(self):
        self.connect()


def reads(engine, button, slot):
    Client().connect()
    button.clicked.connect(slot)
    with engine.connect() as conn:
        pass
    with engine.begin() as conn:
        conn.begin_nested()
    return engine.raw_connection()
"""
    module = ast.parse(source)
    found = openings(module, _project_classes_with([module]))
    assert [call for _line, call in found] == [
        "engine.connect()",
        "engine.begin()",
        "conn.begin_nested()",
        "engine.raw_connection()",
    ]
