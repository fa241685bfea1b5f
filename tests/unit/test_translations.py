"""The catalogues match the code, every text has its Spanish, and the language machinery works."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path

import pytest
from bedside_ui import translations

from bedside import i18n

ROOT = Path(__file__).resolve().parents[2]
MARKERS = {"tr", "translate", "_", "N_", "ngettext", "QT_TRANSLATE_NOOP"}


@pytest.fixture(autouse=True)
def english_after() -> None:
    yield
    i18n.set_language("en")


def test_every_catalogue_matches_the_code_and_is_translated() -> None:
    found = translations.problems()
    assert not found, "\n".join(found[:40]) + (f"\n… {len(found) - 40} more" if len(found) > 40 else "")


def _calls(path: Path) -> list[tuple[int, str]]:
    bad = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in MARKERS or not node.args:
            continue
        # translate(context, text): the text is the second argument; QT_TRANSLATE_NOOP likewise.
        text = (
            node.args[1]
            if name in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) > 1
            else node.args[0]
        )
        if isinstance(text, ast.JoinedStr) or (
            isinstance(text, ast.BinOp) and any(isinstance(v, ast.JoinedStr) for v in (text.left, text.right))
        ):
            bad.append((node.lineno, name))
    return bad


def test_no_text_is_marked_as_an_f_string() -> None:
    """An f-string is translated as the text it makes at run time, which no catalogue holds: a
    placeholder filled after translating is the only way a variable part gets in."""
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {name}(f'...')"
        for folder in ("bedside", "adapters", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, name in _calls(path)
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("requested", "environ", "expected"),
    [
        ("es", {}, "es"),
        ("es_ES.UTF-8", {}, "es"),
        (None, {"LANG": "es_ES.UTF-8"}, "es"),
        (None, {"LANGUAGE": "fr:es", "LANG": "en_GB.UTF-8"}, "es"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {}, "en"),
        (None, {"LC_ALL": "C"}, "en"),
    ],
)
def test_the_language_is_the_one_asked_for_else_the_systems(requested, environ, expected) -> None:
    assert i18n.choose_language(requested, environ) == expected


def test_an_unknown_language_asked_for_is_refused() -> None:
    with pytest.raises(ValueError, match="Bedside has: en, es"):
        i18n.choose_language("fr", {})


def test_numbers_a_person_reads_take_the_languages_decimal_separator() -> None:
    i18n.set_language("es")
    assert i18n.localize_number("38.5") == "38,5"
    assert i18n.localize_number("1.0 × 10⁶ cells/kg") == "1,0 × 10⁶ cells/kg"
    assert i18n.localize_number("SpO2 92 %") == "SpO2 92 %"
    assert i18n.localize_number("mg/L FEU. Done.") == "mg/L FEU. Done."  # a full stop is not a decimal
    i18n.set_language("en")
    assert i18n.localize_number("38.5") == "38.5"


def test_dates_in_the_languages_order_and_months() -> None:
    moment = datetime(2026, 12, 6, 14, 30)
    i18n.set_language("es")
    assert i18n.format_date(moment) == "06/12/2026"
    assert i18n.format_datetime(moment) == "06/12/2026 14:30"
    assert i18n.strftime(moment, "%d %b %H:%M") == "06 dic 14:30"
    i18n.set_language("en")
    assert i18n.format_date(moment) == "2026-12-06"
    assert i18n.strftime(moment, "%d %b %H:%M") == "06 Dec 14:30"


def test_a_gettext_catalogue_is_read_compiled_or_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue edited after it was compiled is read from its source, never from the stale copy."""
    messages = tmp_path / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po = messages / "probe.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Dose"\nmsgstr "Dosis"\n'
    )
    monkeypatch.setattr(i18n, "catalogue_dir", lambda: tmp_path)
    i18n.set_language("es")
    assert i18n._("Dose") == "Dosis"
    translations.compile_po(po, "es")
    assert po.with_suffix(".mo").is_file()
    i18n.set_language("es")
    assert i18n._("Dose") == "Dosis"
    po.write_text(po.read_text().replace('"Dosis"', '"Dosis del producto"'))
    i18n.set_language("es")
    assert i18n._("Dose") == "Dosis del producto"
