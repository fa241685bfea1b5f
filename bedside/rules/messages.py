"""An alert's text from its rule's template: values with their precision, a missing baseline said in
words ("no pre-dose value"), never "None" or "nan"."""

from __future__ import annotations

import math
import re

import numpy as np


def value_at(x: object, i: int) -> float | None:
    arr = np.asarray(x, dtype=float)
    v = float(arr) if arr.ndim == 0 else float(arr[i])
    return None if math.isnan(v) else round(v, 2)


_FIELD = re.compile(r"\{([A-Za-z0-9_.]+)\}")


_NO_BASE = re.compile(
    r"(?:the )?pre-dose \{(base\.[A-Za-z0-9_]+)\}(?:(?:/min| ?°C| ?mmHg| ?mL| ?%)(?=[\s,.;)]))?"
)


def message(template: str, values: dict[str, object]) -> str:
    def no_base(m: re.Match[str]) -> str:
        return "no pre-dose value" if values.get(m.group(1)) is None else m.group(0)

    def sub(m: re.Match[str]) -> str:
        v = values.get(m.group(1))
        if v is None:
            return "no pre-dose value" if m.group(1).startswith("base") else "n/a"
        if isinstance(v, float):
            return f"{v:g}"
        return str(v)

    return _FIELD.sub(sub, _NO_BASE.sub(no_base, template))
