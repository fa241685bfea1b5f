"""Words a command takes from a fixed list (a temperature's site, a role, a relatedness, an
outcome...) in the command's language as well as in English: a Spanish nurse types `--temp-site
axilar` or `--temp-site axillary`, and `--help` lists the language's words. What is stored is
always the English code, whichever was typed.

A word is one token (joined by `_`: "no_relacionada"), translated in the catalogue in the context
"command-line word", and read with or without its accents ("timpanica" is "timpánica")."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bedside.i18n import _, pgettext

CONTEXT = "command-line word"
ROUTE_CONTEXT = "command-line route"
"""A co-medication's route: its own context, since its word agrees with "vía" (feminine: "otra"),
where the same code as a drug class ("other") agrees with the screen's "Otros"."""

WORDS = (
    # temperature sites
    pgettext("command-line word", "core"),
    pgettext("command-line word", "oesophageal"),
    pgettext("command-line word", "bladder"),
    pgettext("command-line word", "rectal"),
    pgettext("command-line word", "tympanic"),
    pgettext("command-line word", "axillary"),
    pgettext("command-line word", "oral"),
    # roles
    pgettext("command-line word", "nurse"),
    pgettext("command-line word", "intensivist"),
    pgettext("command-line word", "investigator"),
    pgettext("command-line word", "admin"),
    pgettext("command-line word", "service"),
    # relatedness
    pgettext("command-line word", "unrelated"),
    pgettext("command-line word", "unlikely"),
    pgettext("command-line word", "possible"),
    pgettext("command-line word", "probable"),
    pgettext("command-line word", "definite"),
    pgettext("command-line word", "not yet assessed"),
    # seriousness criteria (ICH E2A)
    pgettext("command-line word", "death"),
    pgettext("command-line word", "life_threatening"),
    pgettext("command-line word", "hospitalisation"),
    pgettext("command-line word", "disability"),
    pgettext("command-line word", "congenital_anomaly"),
    pgettext("command-line word", "medically_important"),
    # outcomes (SDTM AEOUT)
    pgettext("command-line word", "recovered"),
    pgettext("command-line word", "recovering"),
    pgettext("command-line word", "not_recovered"),
    pgettext("command-line word", "recovered_with_sequelae"),
    pgettext("command-line word", "fatal"),
    pgettext("command-line word", "unknown"),
    # action taken with the product (SDTM AEACN)
    pgettext("command-line word", "none"),
    pgettext("command-line word", "slowed"),
    pgettext("command-line word", "interrupted"),
    pgettext("command-line word", "stopped"),
    pgettext("command-line word", "later_dose_withheld"),
    pgettext("command-line word", "not_applicable"),
    # course events
    pgettext("command-line word", "intubation"),
    pgettext("command-line word", "extubation"),
    pgettext("command-line word", "icu_discharge"),
    pgettext("command-line word", "alive"),
    pgettext("command-line word", "radiology"),
    pgettext("command-line word", "symptom_onset"),
    pgettext("command-line word", "tracheostomy"),
    pgettext("command-line word", "ecmo_start"),
    pgettext("command-line word", "ecmo_end"),
    pgettext("command-line word", "rrt_start"),
    pgettext("command-line word", "rrt_end"),
    pgettext("command-line word", "thrombosis"),
    pgettext("command-line word", "infection"),
    # co-medication classes
    pgettext("command-line word", "corticosteroid"),
    pgettext("command-line word", "immunomodulator"),
    pgettext("command-line word", "antipyretic"),
    pgettext("command-line word", "anticoagulant"),
    pgettext("command-line word", "vasopressor"),
    pgettext("command-line word", "antihistamine"),
    pgettext("command-line word", "other"),
    # colour themes of the screens
    pgettext("command-line word", "dark"),
    pgettext("command-line word", "light"),
    # co-medication routes (HL7 table 0162 codes, written as such in both languages, but "other")
    pgettext("command-line route", "other"),
)
"""Marks every word for the catalogue (evaluated at import, in English: only the extraction reads
it). A list a command takes whose words are missing here shows them in English."""


def word(value: str, context: str = CONTEXT) -> str:
    """The command-line word for a stored value in the command's language."""
    return pgettext(context, value)


def _folded(text: str) -> str:
    """Lower case without accents: what a keyboard without them types."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "_")


def read_word(values: Iterable[str], context: str = CONTEXT) -> Callable[[str], str]:
    """An argparse `type`: the stored value for its English code or the language's word; anything
    else as typed, for `choices` (or the command) to refuse naming the words there are."""
    known = tuple(values)

    def read(text: str) -> str:
        typed = _folded(text)
        for value in known:
            if typed in (_folded(value), _folded(word(value, context))):
                return value
        return text

    return read


class Words:
    """argparse `choices` that hold the stored values but list the language's words (in `--help`
    and in the refusal of a word that is none of them)."""

    def __init__(self, values: Iterable[str], context: str = CONTEXT) -> None:
        self.values = tuple(values)
        self.context = context

    def __contains__(self, value: object) -> bool:
        return value in self.values

    def __iter__(self) -> Iterator[str]:
        return iter([word(v, self.context) for v in self.values])

    def __len__(self) -> int:
        return len(self.values)


def choice(values: Iterable[str], context: str = CONTEXT) -> dict[str, Any]:
    """`add_argument` keywords for an option that takes one of `values` (stored codes)."""
    known = tuple(values)
    return {"type": read_word(known, context), "choices": Words(known, context)}


def listed(values: Iterable[str]) -> str:
    """The language's words for `values`, for a help text."""
    return ", ".join(word(v) for v in values)


def listed_with_codes(values: Iterable[str]) -> str:
    """`listed`, and where the language's words are not the English codes, those codes too (an option
    takes either: a script written once works in every language)."""
    known = tuple(values)
    words = listed(known)
    codes = ", ".join(known)
    return (
        words
        if words == codes
        else _("{words} (or the English codes: {codes})").format(words=words, codes=codes)
    )
