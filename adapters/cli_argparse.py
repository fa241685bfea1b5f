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
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("%(prog)s: error: %(message)s\n"),
)
"""The texts argparse shows a person (not those only a programmer meets: a parser built wrong)."""

REWORDED = {
    "argument %(argument_name)s: %(message)s": N_("%(argument_name)s: %(message)s"),
    "unrecognized arguments: %s": N_("not understood: %s (see --help)"),
    "the following arguments are required: %s": N_("missing: %s"),
    "one of the arguments %s is required": N_("missing: one of %s"),
    "not allowed with argument %s": N_("cannot be given with %s"),
    "expected one argument": N_("a value must follow it"),
    "expected at most one argument": N_("takes at most one value"),
    "expected at least one argument": N_("at least one value must follow it"),
    "ignored explicit argument %r": N_("takes no value (%r was given)"),
}
"""argparse's refusals that name its internals ("argument", "expected one argument"), in words a
person reads as a sentence, in English too (English has no catalogue to reword them in)."""

VALUE_REFUSALS = {
    int: N_("%(argument)s: '%(value)s' is not a whole number"),
    float: N_("%(argument)s: '%(value)s' is not a number (decimals with a point: 1.5)"),
}
ANY_VALUE_REFUSAL = N_("%(argument)s: '%(value)s' is not a value it takes")
CHOICE_REFUSAL = N_("%(argument)s: '%(value)s' is not one of: %(choices)s")
COMMAND_REFUSAL = N_("'%(value)s' is not a command of %(prog)s; the commands are: %(choices)s")
A_COMMAND = N_("a command (see --help)")


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
    pgettext("placeholder", "COMMAND"),
    pgettext("placeholder", "COMMENT"),
    pgettext("placeholder", "COMPACT_EVERY"),
    pgettext("placeholder", "COUNT"),
    pgettext("placeholder", "CRITERION"),
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
    pgettext("placeholder", "PLACE"),
    pgettext("placeholder", "PRODUCT"),
    pgettext("placeholder", "RATE"),
    pgettext("placeholder", "RAW_RETENTION_DAYS"),
    pgettext("placeholder", "REASON"),
    pgettext("placeholder", "REPORT_INTERVAL"),
    pgettext("placeholder", "RETENTION_DAYS"),
    pgettext("placeholder", "RULES"),
    pgettext("placeholder", "SCENARIO"),
    pgettext("placeholder", "SECONDS"),
    pgettext("placeholder", "SENDER"),
    pgettext("placeholder", "SENDER_ZONE"),
    pgettext("placeholder", "SENT"),
    pgettext("placeholder", "SITE"),
    pgettext("placeholder", "SIZE"),
    pgettext("placeholder", "SPAN"),
    pgettext("placeholder", "SPEED"),
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
    pgettext("placeholder", "WIDTHxHEIGHT"),
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


def _placeholder_word(metavar: str) -> str:
    return i18n.pgettext("placeholder", metavar)


def argument_name(action: argparse.Action | None) -> str | None:
    """How a refusal names an argument: an option as typed (`--grade`), a positional by the
    placeholder its usage shows, a subcommand as "a command"; never argparse's internal `dest`."""
    if action is None:
        return None
    if action.option_strings:
        return "/".join(action.option_strings)
    if isinstance(action, argparse._SubParsersAction):
        return i18n._(A_COMMAND)
    for name in (action.metavar, action.dest):
        if isinstance(name, str) and name != argparse.SUPPRESS:
            return _placeholder_word(name)
    return None


def _refusal(action: argparse.Action, message: str) -> argparse.ArgumentError:
    """An ArgumentError whose message is already the whole sentence (argparse adds no prefix)."""
    error = argparse.ArgumentError(action, message)
    error.argument_name = None
    return error


def _get_value(self: argparse.ArgumentParser, action: argparse.Action, arg_string: str) -> Any:
    type_func = self._registry_get("type", action.type, action.type)  # type: ignore[attr-defined]
    try:
        return type_func(arg_string)
    except argparse.ArgumentTypeError as err:
        raise argparse.ArgumentError(action, str(err)) from None
    except (TypeError, ValueError):
        text = VALUE_REFUSALS.get(action.type, ANY_VALUE_REFUSAL)  # type: ignore[call-overload]
        raise _refusal(
            action, i18n._(text) % {"argument": argument_name(action), "value": arg_string}
        ) from None


def _check_value(self: argparse.ArgumentParser, action: argparse.Action, value: Any) -> None:
    if action.choices is None or value in action.choices:
        return
    choices = ", ".join(str(c) for c in action.choices)
    if isinstance(action, argparse._SubParsersAction):
        said = i18n._(COMMAND_REFUSAL) % {"value": value, "prog": self.prog, "choices": choices}
    else:
        said = i18n._(CHOICE_REFUSAL) % {
            "argument": argument_name(action),
            "value": value,
            "choices": choices,
        }
    raise _refusal(action, said)


def _argparse_text(message: str) -> str:
    return i18n._(REWORDED.get(message, message))


def _plural(singular: str, plural: str, n: int) -> str:
    return i18n.ngettext(singular, plural, n)


def speak_the_language() -> None:
    """From now on argparse reads its texts from Bedside's catalogue, in the language set with
    `bedside.i18n.set_language` (whenever it is set: the lookup happens when a text is shown)."""
    argparse._ = _argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = _plural  # type: ignore[attr-defined]
    argparse._get_action_name = argument_name  # type: ignore[attr-defined]
    argparse.ArgumentParser._get_value = _get_value  # type: ignore[method-assign]
    argparse.ArgumentParser._check_value = _check_value  # type: ignore[method-assign]
    if not getattr(argparse.HelpFormatter._metavar_formatter, "bedside", False):
        placeholder = _placeholder(argparse.HelpFormatter._metavar_formatter)
        placeholder.bedside = True  # type: ignore[attr-defined]
        argparse.HelpFormatter._metavar_formatter = placeholder  # type: ignore[method-assign]


def preset_language(argv: list[str] | None = None) -> None:
    """The language `--lang` asks for (else the system's), set before the parser is built: its
    `--help` texts are translated when they are added. A `--lang` that names no language Bedside
    has is left for the parser to refuse, in the system's language (the one its reader asked for
    cannot be had)."""
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
    try:
        i18n.set_language(requested)
    except (ValueError, FileNotFoundError):
        with contextlib.suppress(ValueError, FileNotFoundError):
            i18n.set_language(None)
