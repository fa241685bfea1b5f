"""argparse's own words (usage:, options, "show this help message and exit", its refusals) in the
command's language. argparse asks the `gettext` module's `_()` and `ngettext()` for them, which
read the system's catalogues for the "messages" domain, not Bedside's: `speak_the_language` hands
argparse Bedside's catalogue instead, which holds these texts (marked below, translated in the
command line's catalogue), so `--lang es` reads the same language as the help texts beside them."""

from __future__ import annotations

import argparse

from bedside import i18n
from bedside.i18n import N_

ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
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


def _plural(singular: str, plural: str, n: int) -> str:
    return i18n.ngettext(singular, plural, n)


def speak_the_language() -> None:
    """From now on argparse reads its texts from Bedside's catalogue, in the language set with
    `bedside.i18n.set_language` (whenever it is set: the lookup happens when a text is shown)."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = _plural  # type: ignore[attr-defined]
