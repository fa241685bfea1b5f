"""The parameter catalogue: which MDC codes Bedside understands, in which units, shown how.

Loaded from `resources/parameters.toml` so that the table is data, reviewed like data, and the same
in every process. Lookups are by the numeric MDC code (OBX-3.1); the REFID is a cross-check only,
because public messages carry wrong REFIDs and vendors abbreviate them (in IHE PCD-01 the REFID
travels in OBX-3.2, the text component, beside the code in OBX-3.1).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from bedside.model import FLOAT32_MAX, MdcCode, Parameter
from bedside.resources import resource_path

SETTING_OFFSET = 0x01000000


@dataclass(frozen=True, slots=True)
class UnitCode:
    """An MDC dimension code (OBX-6.1) and the UCUM unit it stands for."""

    code: int
    refid: str
    ucum: str


class CatalogError(ValueError):
    """The parameter table itself is inconsistent: a packaging or editing error, not bad input."""


class ParameterCatalog:
    def __init__(self, parameters: list[Parameter], units: list[UnitCode], version: str) -> None:
        self.version = version
        self._by_key: dict[str, Parameter] = {}
        self._by_code: dict[int, Parameter] = {}
        for p in parameters:
            if p.key in self._by_key:
                raise CatalogError(f"parameter key {p.key!r} is defined twice")
            self._by_key[p.key] = p
            for c in p.codes:
                if c.code in self._by_code:
                    raise CatalogError(f"MDC code {c.code} is mapped twice")
                self._by_code[c.code] = p
        self._units_by_code = {u.code: u for u in units}
        self._convertible = {c[0] for p in parameters for c in p.conversions}
        self._settings: dict[str, Parameter] = {}
        # A UCUM text in OBX-6 is accepted when it is a listed dimension or a parameter's own unit.
        self._ucum = {u.ucum for u in units} | {p.unit for p in parameters}

    @classmethod
    def load(cls, path: Path | None = None) -> ParameterCatalog:
        path = path or resource_path("parameters.toml")
        with path.open("rb") as f:
            data = tomllib.load(f)
        units = [
            UnitCode(code=int(code), refid=u["refid"], ucum=u["ucum"])
            for code, u in data.get("units", {}).items()
        ]
        parameters = [
            Parameter(
                key=p["key"],
                label_en=p["label"],
                short_en=p.get("short", p["label"]),
                label_es=p.get("label_es", ""),
                short_es=p.get("short_es", p.get("label_es", "")),
                unit=p["unit"],
                codes=tuple(MdcCode(int(c["mdc"]), c["refid"]) for c in p["codes"]),
                display_min=float(p["display"][0]),
                display_max=float(p["display"][1]),
                group=p.get("group", "vitals"),
                refids=frozenset(c["refid"] for c in p["codes"]),
                conversions=tuple((u, float(f), float(o)) for u, (f, o) in p.get("convert", {}).items()),
                physical_min=float(p.get("physical", (-FLOAT32_MAX, FLOAT32_MAX))[0]),
                physical_max=float(p.get("physical", (-FLOAT32_MAX, FLOAT32_MAX))[1]),
            )
            for p in data.get("parameter", [])
        ]
        catalog = cls(parameters, units, str(data.get("version", "unversioned")))
        for p in parameters:
            if p.unit not in catalog._ucum:
                raise CatalogError(f"parameter {p.key!r} has unit {p.unit!r}, which no unit code maps to")
            if not -FLOAT32_MAX <= p.physical_min < p.physical_max <= FLOAT32_MAX:
                raise CatalogError(f"parameter {p.key!r} has physical bounds that are not a range")
        return catalog

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def get(self, key: str) -> Parameter:
        return self._by_key[key]

    def by_code(self, code: int) -> Parameter | None:
        """The parameter of an MDC code. A setting is its measured code + 0x01000000 (e.g.
        MDC_VENT_VOL_TIDAL_SETTING 16929196): it becomes its own parameter, `<key>_set`, so a set
        value is never drawn or judged as a measured one."""
        found = self._by_code.get(code)
        if found is not None or code < SETTING_OFFSET:
            return found
        measured = self._by_code.get(code - SETTING_OFFSET)
        if measured is None:
            return None
        setting = self._settings.get(measured.key)
        if setting is None:
            setting = replace(
                measured,
                key=f"{measured.key}_set",
                label_en=f"{measured.label_en} (setting)",
                short_en=f"{measured.short_en} set",
                label_es=f"{measured.label_es} (programado)" if measured.label_es else "",
                short_es=f"{measured.short_es} prog." if measured.short_es else "",
                codes=tuple(MdcCode(c.code + SETTING_OFFSET, f"{c.refid}_SETTING") for c in measured.codes),
                refids=frozenset(f"{r}_SETTING" for r in measured.refids),
            )
            self._settings[measured.key] = setting
            self._by_key[setting.key] = setting
        return setting

    def unit_for(self, mdc_unit_code: int | None, ucum_text: str | None) -> str | None:
        """Resolve OBX-6 to a UCUM unit: the MDC dimension code first, then a UCUM text as sent."""
        if mdc_unit_code is not None and mdc_unit_code in self._units_by_code:
            return self._units_by_code[mdc_unit_code].ucum
        if ucum_text and (ucum_text in self._ucum or ucum_text in self._convertible):
            return ucum_text
        return None
