"""UCUM codes are what we store and compare; screens show units and numbers as clinicians write them.

The UCUM code stays the identity underneath (conversions, D-dimer FEU never mixed with DDU); only the
text on screen changes. Precision is one rule for every place a value appears (tile, plot title,
header), so two places never show the same reading differently.
"""

from __future__ import annotations

import math
import re

from bedside.i18n import _, localize_number

_DISPLAY = {
    "Cel": "°C",
    "mm[Hg]": "mmHg",
    "cm[H2O]": "cmH₂O",
    "/min": "/min",
    "%": "%",
    "1": "",
    "mL/cm[H2O]": "mL/cmH₂O",
    "cm[H2O]/L/s": "cmH₂O/L/s",
    "10*9/L": "10⁹/L",
    "10*6/L": "10⁶/L",
    "10*12/L": "10¹²/L",
    "/uL": "/µL",
    "ug/L": "µg/L",
    "ug/mL": "µg/mL",
    "ug/min": "µg/min",
    "ug/kg/min": "µg/kg/min",
    "{score}": "",
    "mg/L{FEU}": "mg/L FEU",
    "ug/mL{FEU}": "µg/mL FEU",
    "ng/mL{FEU}": "ng/mL FEU",
    "ng/mL{DDU}": "ng/mL DDU",
    "ug/L{DDU}": "µg/L DDU",
    "mg/L{DDU}": "mg/L DDU",
}

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

DECIMALS: dict[str, int] = {
    "temp": 1,
    "temp_peripheral": 1,
    "temp_skin": 1,
}
"""Decimals shown per parameter; every other vital sign, ventilator value and the P/F ratio is whole:
a monitor shows HR 134, a ventilator PEEP 10, a blood gas P/F 152, never 151.795."""
WHOLE_UNITS = frozenset({"/min", "%", "mm[Hg]", "cm[H2O]", "mL", "1"})
"""Units whose values are read as whole numbers wherever they are shown."""


def display_unit(ucum: str) -> str:
    """'10*9/L' → '10⁹/L', 'mg/L{FEU}' → 'mg/L FEU', '[iU]/kg/h' → 'IU/kg/h'; an unknown code is
    shown as sent (u → µ for micro, an annotation as a plain word)."""
    if ucum in _DISPLAY:
        return _DISPLAY[ucum]
    text = re.sub(r"10\*(-?\d+)", lambda m: "10" + m.group(1).translate(_SUPERSCRIPT), ucum)
    text = re.sub(r"(^|/)u(?=[a-zA-Z])", r"\1µ", text)
    text = re.sub(r"\{([^}]*)\}", r" \1", text)
    text = text.replace("[Hg]", "Hg").replace("[H2O]", "H₂O")
    # The international unit, UCUM's [iU], as clinicians write it: IU, in Spanish UI.
    return text.replace("[iU]", _("IU"))


def decimals_for(parameter: str, unit: str = "") -> int | None:
    """Decimals to show a parameter's value with; None: as reported (a lab result)."""
    if parameter in DECIMALS:
        return DECIMALS[parameter]
    if parameter == "pf" or unit in WHOLE_UNITS:
        return 0
    return None


def plain_number(value: float, decimals: int | None = None) -> str:
    """A value with fixed decimals, or as reported (at most 3 decimals, no trailing zeros); never
    '-0' (a value that rounds to zero has no sign). Always a decimal point: for machines (JSON,
    CSV, HL7, the safety log) and for code that reads the text back; a person reads
    `format_number`."""
    if decimals is None:
        text = f"{round(value, 3):g}" if abs(value) < 1e6 else f"{value:.3g}"
    else:
        text = f"{value:.{decimals}f}"
    return _unsigned_zero(text)


def format_number(value: float, decimals: int | None = None) -> str:
    """`plain_number` as a person reads it: with the language's decimal separator (38,5 in
    Spanish)."""
    return localize_number(plain_number(value, decimals))


def plain_value(parameter: str, value: float, unit: str = "") -> str:
    """A stored value at its parameter's precision, with a decimal point (for machines)."""
    return plain_number(value, decimals_for(parameter, unit))


def format_value(parameter: str, value: float, unit: str = "") -> str:
    """The one text of a stored value on every screen: `format_value('pf', 151.795)` → '152';
    in the language's decimal separator."""
    return localize_number(plain_value(parameter, value, unit))


def plain_change(change: float, decimals: int = 0) -> str:
    """'+36', '-6', '±0' for a change that rounds to nothing (never '-0' or '+0'); decimal point."""
    text = f"{change:+.{decimals}f}"
    if float(text) == 0:
        return "±" + text[1:]
    return text


def format_change(change: float, decimals: int = 0) -> str:
    """`plain_change` in the language's decimal separator ('+0,4' in Spanish)."""
    return localize_number(plain_change(change, decimals))


def format_hours(hours: float) -> str:
    """'+3 h', '-2 h', '0 h' (never '-0 h')."""
    rounded = round(hours)
    return "0 h" if rounded == 0 else f"{rounded:+d} h"


def cells_text(value: float) -> str:
    """1000000 → '1.0 × 10⁶' (the way a prescription writes a cell dose; '1,0 × 10⁶' in Spanish)."""
    if value <= 0 or not math.isfinite(value):
        return localize_number(f"{value:g}")
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    if round(mantissa, 1) >= 10:  # 9.96e6 reads 1.0 × 10⁷, never 10.0 × 10⁶
        exponent, mantissa = exponent + 1, mantissa / 10
    return localize_number(f"{mantissa:.1f} × 10{str(exponent).translate(_SUPERSCRIPT)}")


_LABEL_DOSE = re.compile(r"\s*\bdose\s+(\d+)\b", re.IGNORECASE)
_LABEL_CELLS = re.compile(r"\s*\b(\d+(?:\.\d+)?)\s*[eE]\s*\+?(\d+)\s*(?:cells)?\s*/\s*kg\b")


def dose_heading(number: int, of: int | None, product: str, cells_per_kg: float | None) -> str:
    """'Dose 2 of 3 · AT-MSC · 1.0 × 10⁶ cells/kg'. A pump's drug label often carries the dose number
    and the cell dose itself ('AT-MSC dose 1 1.0e6/kg'): they are read from it once, never repeated
    in a second notation."""
    product, cells_per_kg = _label_parts(number, product, cells_per_kg)
    parts = [_("Dose {n} of {total}").format(n=number, total=of) if of else _("Dose {n}").format(n=number)]
    if product:
        parts.append(product)
    if cells_per_kg:
        parts.append(_("{cells} cells/kg").format(cells=cells_text(cells_per_kg)))
    return " · ".join(parts)


def product_text(number: int, product: str, cells_per_kg: float | None) -> str:
    """A dose's product as a person reads it, without the dose number the heading already gives:
    'AT-MSC, 1.0 × 10⁶ cells/kg' ('AT-MSC, 1,0 × 10⁶ células/kg'), read once from a pump's label
    ('AT-MSC dose 1 1.0e6/kg') as `dose_heading` does; empty when nothing is known."""
    product, cells_per_kg = _label_parts(number, product, cells_per_kg)
    parts = [product] if product else []
    if cells_per_kg:
        parts.append(_("{cells} cells/kg").format(cells=cells_text(cells_per_kg)))
    return ", ".join(parts)


def label_dose_number(product: str) -> int | None:
    """The dose number a pump's drug label carries ('AT-MSC dose 1 1.0e6/kg' → 1), None without one."""
    found = _LABEL_DOSE.search(product)
    return None if found is None else int(found.group(1))


def _label_parts(number: int, product: str, cells_per_kg: float | None) -> tuple[str, float | None]:
    """The product's name and its cell dose, the dose number and cell dose written in a pump's label
    taken out of the name (the cell dose kept when the episode has none, or the same)."""
    product = product.strip()
    label_dose = _LABEL_DOSE.search(product)
    if label_dose is not None and int(label_dose.group(1)) == number:
        product = _LABEL_DOSE.sub("", product, count=1).strip()
    label_cells = _LABEL_CELLS.search(product)
    if label_cells is not None:
        written = float(label_cells.group(1)) * 10 ** int(label_cells.group(2))
        if cells_per_kg is None or math.isclose(written, cells_per_kg, rel_tol=0.01):
            cells_per_kg = written
            product = _LABEL_CELLS.sub("", product, count=1).strip()
    return product, cells_per_kg


def _unsigned_zero(text: str) -> str:
    return text[1:] if text.startswith("-") and float(text) == 0 else text
