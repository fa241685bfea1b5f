"""The language a person reads Bedside in: English, the source, or Spanish (Spain).

The Qt-free core, the command line and the report's texts are translated with gettext catalogues
(`resources/locale/<lang>/LC_MESSAGES/bedside.po`, extracted and compiled with Babel: `make
translations`); the Qt screens with Qt's own `.ts`/`.qm` files, loaded by the UI, which sets this
module's language too so that both agree.

A number a person reads carries the language's decimal separator (SpO2 92, temperature 38,5 in
Spanish): a misread "1.5" against "1,5" is a dosing error waiting to happen. Numbers for machines
(JSON, the CSV and SAS files for data management, HL7) never pass through here. Units stay as UCUM
writes them.
"""

from __future__ import annotations

import gettext
import io
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bedside.resources import resource_path

SOURCE = "en"
LANGUAGES = {"en": "English", "es": "Español"}
"""The languages Bedside ships, by code, each in its own name."""

_state: dict[str, object] = {"language": SOURCE, "translation": gettext.NullTranslations()}


def choose_language(requested: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: `requested` ("es", "es_ES.UTF-8", "es-ES"), else the one the system's
    locale names (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them); English where none
    of them names a language Bedside has."""
    env = os.environ if environ is None else environ
    candidates = [requested] if requested else []
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            candidates.extend(value.split(":"))
            break
    for candidate in candidates:
        if not candidate:
            continue
        code = re.split(r"[_.@-]", candidate.strip().lower(), maxsplit=1)[0]
        if code in LANGUAGES:
            return code
        if requested and candidate == requested:
            raise ValueError(f"no such language: {requested} (Bedside has: {', '.join(LANGUAGES)})")
    return SOURCE


def catalogue_dir() -> Path:
    return resource_path("locale")


def _compiled(po: Path) -> gettext.GNUTranslations:
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    # Not compiled yet (a checkout before `make translations`), or edited since: compiled here, in
    # memory, so a new translation is never silently left out.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def catalogues(language: str) -> list[Path]:
    """The gettext catalogues (`.po`) of one language: one per part of Bedside (the core's screen
    texts, the review's, the command line's...)."""
    return sorted((catalogue_dir() / language / "LC_MESSAGES").glob("*.po"))


def _load(language: str) -> gettext.NullTranslations:
    if language == SOURCE:
        return gettext.NullTranslations()
    found = catalogues(language)
    if not found:
        raise FileNotFoundError(f"no {language} catalogue in {catalogue_dir() / language}")
    first, *rest = (_compiled(po) for po in found)
    for other in rest:
        first.add_fallback(other)
    return first


def set_language(requested: str | None = None) -> str:
    """Use `requested` (or the system's language); returns the code chosen."""
    language = choose_language(requested)
    _state["translation"] = _load(language)
    _state["language"] = language
    return language


def language() -> str:
    return str(_state["language"])


def use_translation(translation: gettext.NullTranslations, language: str) -> None:
    """Translate with `translation`, as if Bedside were shown in `language` (its number and date
    formats, its names of parameters and rules). For tests: a pseudo-translation that marks every text
    it is asked for shows which texts on screen were never marked for translation. `set_language`
    undoes it."""
    _state.update(language=language, translation=translation)


@contextmanager
def for_machines() -> Iterator[None]:
    """Within it, texts are in the source language whatever the person's: what is built here goes
    into JSON or a file for machines, which never change with the language."""
    saved = dict(_state)
    _state.update(language=SOURCE, translation=gettext.NullTranslations())
    try:
        yield
    finally:
        _state.update(saved)


def _(message: str) -> str:
    """`message` in the current language (the English source where it has no translation)."""
    translation = _state["translation"]
    assert isinstance(translation, gettext.NullTranslations)
    return translation.gettext(message)


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined (a table of constants); `_()` translates
    it where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    translation = _state["translation"]
    assert isinstance(translation, gettext.NullTranslations)
    return translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language as meant in `context`: the same English word may be
    translated differently there (a command-line word is one token: "no_relacionada")."""
    translation = _state["translation"]
    assert isinstance(translation, gettext.NullTranslations)
    return translation.pgettext(context, message)


def decimal_separator() -> str:
    return "," if language() == "es" else "."


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def localize_number(text: str) -> str:
    """A number formatted for a person ("38.5", "+0.4", "1.0 × 10⁶") with the language's decimal
    separator. Only a point between two digits changes: units, names and dates are left alone."""
    if decimal_separator() == ".":
        return text
    return _DECIMAL_POINT.sub(decimal_separator(), text)


_MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic")


def format_date(moment: datetime) -> str:
    """A date as the language writes it: 2026-12-06 in English (ISO 8601, never ambiguous between
    British and American order), 06/12/2026 in Spanish (day, month, year)."""
    if language() == "es":
        return moment.strftime("%d/%m/%Y")
    return moment.strftime("%Y-%m-%d")


def format_datetime(moment: datetime) -> str:
    """Date and time, 24-hour clock."""
    return f"{format_date(moment)} {moment.strftime('%H:%M')}"


def strftime(moment: datetime, fmt: str) -> str:
    """`moment.strftime(fmt)` with the month's abbreviation (%b) in the language: "06 Dec 14:30" /
    "06 dic 14:30". Independent of the process's C locale, which a desktop session may set to
    anything."""
    if "%b" in fmt:
        month = _MONTHS_ES[moment.month - 1] if language() == "es" else _MONTHS_EN[moment.month - 1]
        fmt = fmt.replace("%b", month.replace("%", "%%"))
    return moment.strftime(fmt)


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
