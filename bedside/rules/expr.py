"""Rule conditions as small expressions, compiled once to vectorised numpy functions.

A rule set is data a site edits (`resources/rules/*.toml`), so its conditions are text such as
``hr > 100 and hr >= base.hr + 20``. Python's own parser reads them; only a whitelisted subset is
accepted (names, numbers, arithmetic, comparisons, and/or/not, abs/min/max), so a rule file cannot run
code. Names are signals: ``hr`` is the 1-min median series, ``base.hr`` its pre-dose baseline,
``lag1.hr`` / ``lead2.hr`` the median one minute before / two minutes after, ``value`` and ``base`` for
lab rules, and rule ids (``F1``, ``O3.high``) in composites. A missing value is NaN and every
comparison with NaN is false: a rule whose baseline is missing falls back to its absolute part.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

Env = Mapping[str, object]
_Fn = Callable[[Env], object]

_COMPARE = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}
_CALLS = {"abs": np.abs, "min": np.fmin, "max": np.fmax}


class RuleExpressionError(ValueError):
    """A condition in a rule file that is not in the accepted subset (the message says where)."""


@dataclass(frozen=True)
class Condition:
    text: str
    names: frozenset[str]
    _fn: _Fn

    def __call__(self, env: Env) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(self._fn(env), dtype=bool)


def compile_condition(text: str) -> Condition:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise RuleExpressionError(f"{text!r}: {exc.msg}") from None
    names: set[str] = set()
    fn = _compile(tree.body, text, names)
    return Condition(text, frozenset(names), fn)


def _name_of(node: ast.expr) -> str | None:
    """`hr`, `base.hr`, `lag1.hr`, `O3.high` as one dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _name_of(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def _compile(node: ast.expr, text: str, names: set[str]) -> _Fn:
    name = _name_of(node)
    if name is not None:
        names.add(name)

        def lookup(env: Env, name: str = name) -> object:
            try:
                return env[name]
            except KeyError:
                return np.nan  # a signal this patient does not have: never true

        return lookup
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        value = float(node.value)
        return lambda env: value
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, text, names) for v in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or

        def boolean(env: Env) -> object:
            out = _truth(parts[0](env))
            for p in parts[1:]:
                out = combine(out, _truth(p(env)))
            return out

        return boolean
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _compile(node.operand, text, names)
        return lambda env: np.logical_not(_truth(inner(env)))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _compile(node.operand, text, names)
        return lambda env: np.negative(inner(env))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        op = _BINARY[type(node.op)]
        left, right = _compile(node.left, text, names), _compile(node.right, text, names)
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.Compare):
        ops = [_COMPARE.get(type(o)) for o in node.ops]
        if None in ops:
            raise RuleExpressionError(f"{text!r}: comparison not allowed")
        terms = [_compile(node.left, text, names)] + [_compile(c, text, names) for c in node.comparators]

        def compare(env: Env) -> object:
            values = [term(env) for term in terms]
            out: object = True
            for op, a, b in zip(ops, values, values[1:], strict=False):
                out = np.logical_and(out, op(a, b))  # type: ignore[misc]
            return out

        return compare
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _CALLS
        and not node.keywords
        and 1 <= len(node.args) <= 2
    ):
        fn = _CALLS[node.func.id]
        args = [_compile(a, text, names) for a in node.args]
        return lambda env: fn(*(a(env) for a in args))
    raise RuleExpressionError(f"{text!r}: {ast.unparse(node)!r} is not allowed in a rule condition")


def _truth(x: object) -> object:
    """Booleans stay booleans; a number is true when it is not zero and not NaN (a rule id's flag)."""
    arr = np.asarray(x)
    if arr.dtype == bool:
        return arr
    return np.nan_to_num(arr.astype(float), nan=0.0) != 0.0
