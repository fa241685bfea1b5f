"""argparse's own words (usage:, options, "show this help message and exit", its refusals) in the
command's language. argparse asks the `gettext` module's `_()` and `ngettext()` for them, which
read the system's catalogues for the "messages" domain, not Bedside's: `speak_the_language` hands
argparse Bedside's catalogue instead, which holds these texts (marked below, translated in the
command line's catalogue), so `--lang es` reads the same language as the help texts beside them."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from typing import Any

from bedside import i18n
from bedside.i18n import N_, pgettext

ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
)
"""The texts argparse shows a person (not those only a programmer meets: a parser built wrong)."""


PLACEHOLDERS = (
    pgettext("placeholder", "ACK_LOG"),
    pgettext("placeholder", "ALERTS"),
    pgettext("placeholder", "AT"),
    pgettext("placeholder", "AUTH_CONFIG"),
    pgettext("placeholder", "AWARENESS"),
    pgettext("placeholder", "AWARENESS_REASON"),
    pgettext("placeholder", "BACKFILL"),
    pgettext("placeholder", "BACKFILL_MINUTES"),
    pgettext("placeholder", "BUSY_TIMEOUT"),
    pgettext("placeholder", "BYTES"),
    pgettext("placeholder", "CELLS"),
    pgettext("placeholder", "CELLS_PER_KG"),
    pgettext("placeholder", "COMMENT"),
    pgettext("placeholder", "COMPACT_EVERY"),
    pgettext("placeholder", "COUNT"),
    pgettext("placeholder", "CSV"),
    pgettext("placeholder", "DAYS"),
    pgettext("placeholder", "DB"),
    pgettext("placeholder", "DEFAULT_CHARSET"),
    pgettext("placeholder", "DOSE"),
    pgettext("placeholder", "DRUG"),
    pgettext("placeholder", "END"),
    pgettext("placeholder", "EVENT"),
    pgettext("placeholder", "FILE"),
    pgettext("placeholder", "FINGERPRINT"),
    pgettext("placeholder", "FULL_NAME"),
    pgettext("placeholder", "GRADE"),
    pgettext("placeholder", "HISTORY"),
    pgettext("placeholder", "HOURS"),
    pgettext("placeholder", "IDLE_TIMEOUT"),
    pgettext("placeholder", "INTERVAL"),
    pgettext("placeholder", "LAST"),
    pgettext("placeholder", "LIMIT"),
    pgettext("placeholder", "LIVE_SECONDS"),
    pgettext("placeholder", "LOG_LEVEL"),
    pgettext("placeholder", "MAP"),
    pgettext("placeholder", "MAX_CONNECTIONS"),
    pgettext("placeholder", "MAX_FRAME"),
    pgettext("placeholder", "MEANING"),
    pgettext("placeholder", "MRN=SUBJECT"),
    pgettext("placeholder", "N"),
    pgettext("placeholder", "NOTES"),
    pgettext("placeholder", "OF"),
    pgettext("placeholder", "OLDER_THAN_DAYS"),
    pgettext("placeholder", "ONSET"),
    pgettext("placeholder", "OUT"),
    pgettext("placeholder", "PATIENT"),
    pgettext("placeholder", "PLANNED"),
    pgettext("placeholder", "PRODUCT"),
    pgettext("placeholder", "RATE"),
    pgettext("placeholder", "RAW_RETENTION_DAYS"),
    pgettext("placeholder", "REASON"),
    pgettext("placeholder", "REPORT_INTERVAL"),
    pgettext("placeholder", "RETENTION_DAYS"),
    pgettext("placeholder", "RULES"),
    pgettext("placeholder", "SCENARIO"),
    pgettext("placeholder", "SCREENSHOT"),
    pgettext("placeholder", "SCREENSHOT_AFTER"),
    pgettext("placeholder", "SECONDS"),
    pgettext("placeholder", "SENDER"),
    pgettext("placeholder", "SENDER_ZONE"),
    pgettext("placeholder", "SENT"),
    pgettext("placeholder", "SITE"),
    pgettext("placeholder", "SIZE"),
    pgettext("placeholder", "SPAN"),
    pgettext("placeholder", "SPEED"),
    pgettext("placeholder", "STALE_AFTER"),
    pgettext("placeholder", "START"),
    pgettext("placeholder", "STUDY"),
    pgettext("placeholder", "SUBJECT"),
    pgettext("placeholder", "TERM"),
    pgettext("placeholder", "TEXT"),
    pgettext("placeholder", "TIMEOUT"),
    pgettext("placeholder", "TLS_CERT"),
    pgettext("placeholder", "TLS_CLIENT_CA"),
    pgettext("placeholder", "TLS_KEY"),
    pgettext("placeholder", "TREATMENT"),
    pgettext("placeholder", "UNIT"),
    pgettext("placeholder", "USER"),
    pgettext("placeholder", "WEIGHT_KG"),
    pgettext("placeholder", "alert"),
    pgettext("placeholder", "event"),
    pgettext("placeholder", "files"),
    pgettext("placeholder", "id"),
    pgettext("placeholder", "path"),
    pgettext("placeholder", "username"),
    pgettext("placeholder", "MSH3=CODEC"),
    pgettext("placeholder", "HOST:PORT"),
)
"""The placeholders `--help` shows for an option's value (PATIENT, FILE, AT): a word in the reader's
language, in the context "placeholder". Codes and units (ISO, CIDR, SPO2, mmHg) stay as written."""


def _placeholder(formatter: Callable[..., Any]) -> Callable[..., Any]:
    """argparse's metavar formatter, with each placeholder in the command's language."""

    def format_metavar(self: argparse.HelpFormatter, action: argparse.Action, default: str) -> Any:
        shown = formatter(self, action, default)
        if action.choices is not None and action.metavar is None:
            return shown  # {a,b}: the choices as typed

        def translated(size: int) -> tuple[str, ...]:
            return tuple(i18n.pgettext("placeholder", m) for m in shown(size))

        return translated

    return format_metavar


def _plural(singular: str, plural: str, n: int) -> str:
    return i18n.ngettext(singular, plural, n)


def speak_the_language() -> None:
    """From now on argparse reads its texts from Bedside's catalogue, in the language set with
    `bedside.i18n.set_language` (whenever it is set: the lookup happens when a text is shown)."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = _plural  # type: ignore[attr-defined]
    if not getattr(argparse.HelpFormatter._metavar_formatter, "bedside", False):
        placeholder = _placeholder(argparse.HelpFormatter._metavar_formatter)
        placeholder.bedside = True  # type: ignore[attr-defined]
        argparse.HelpFormatter._metavar_formatter = placeholder  # type: ignore[method-assign]


def preset_language(argv: list[str] | None = None) -> None:
    """The language `--lang` asks for (else the system's), set before the parser is built: its
    `--help` texts are translated when they are added. A `--lang` that names no language Bedside
    has is left for the parser to refuse."""
    speak_the_language()
    words = sys.argv[1:] if argv is None else argv
    requested = None
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(words):
            requested = words[i + 1]
        elif word.startswith("--lang="):
            requested = word.partition("=")[2]
    with contextlib.suppress(ValueError, FileNotFoundError):
        i18n.set_language(requested)
