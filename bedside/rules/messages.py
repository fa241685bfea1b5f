"""An alert's text from its rule's template: values with their precision, a missing baseline said in
words ("no pre-dose value"), never "None" or "nan"."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import cache

import numpy as np

from bedside import i18n
from bedside.i18n import _, localize_number
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import Rule, RuleSet
from bedside.rules.technical import LABELS, SENSOR_MESSAGES, STREAM_STOPPED, is_technical
from bedside.units import decimals_for, plain_number


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


# ---- the message a person reads --------------------------------------------------------------------
# What the engine stores and logs is always the English message (the safety log and the database do
# not change with the screen's language). A screen in another language reads the stored text back
# against the rule's English template, keeps its values, and writes them into the rule's message in
# that language; a text that does not fit the template (an alert raised under an older rule file)
# is shown as stored, with the language's decimal separator.

_NO_BASE_ES = re.compile(
    r"basal \{(base\.[A-Za-z0-9_]+|base)\}(?:(?:/min| ?°C| ?mmHg| ?mL| ?%)(?=[\s,.;)]))?"
)
_NO_VALUE_EN = ("no pre-dose value", "n/a")


_TEXT_FIELDS = frozenset({"event", "unit", "silence", "label"})
"""Fields that are words; every other field is a number as `message` writes it (or "n/a")."""
_NUMBER = r"[-+]?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|inf)|n/a|no pre-dose value"


def _group(name: str, fields: list[str]) -> str:
    """A field's group; a field written twice (a lab's unit) must read the same both times."""
    if name in fields:
        return f"(?P=f{fields.index(name)})"
    fields.append(name)
    return f"(?P<f{len(fields) - 1}>.+?)" if name in _TEXT_FIELDS else f"(?P<f{len(fields) - 1}>{_NUMBER})"


def _template_pattern(template: str, suffixes: tuple[str, ...]) -> tuple[re.Pattern[str], list[str]]:
    """A regular expression matching what `message(template, ...)` writes, with one group per
    field (a missing baseline's "no pre-dose value" in place of its phrase), then a known suffix."""
    fields: list[str] = []
    out = []
    pos = 0
    spans = [(m.start(), m.end(), m) for m in _NO_BASE.finditer(template)]
    spans += [(m.start(), m.end(), m) for m in _FIELD.finditer(template)]
    spans.sort(key=lambda s: s[0])
    end = 0
    for start, stop, m in spans:
        if start < end:  # a field inside a baseline phrase already taken
            continue
        out.append(re.escape(template[pos:start]))
        if m.re is _NO_BASE:
            phrase = template[start:stop]
            inner = _FIELD.search(phrase)
            assert inner is not None
            written = (
                re.escape(phrase[: inner.start()])
                + _group(inner.group(1), fields)
                + re.escape(phrase[inner.end() :])
            )
            out.append(f"(?:{written}|no pre-dose value)")
        else:
            out.append(_group(m.group(1), fields))
        pos = end = stop
    out.append(re.escape(template[pos:]))
    rest = "|".join(re.escape(s) for s in suffixes)
    tail = rf"(?P<rest>(?: Components: .*?)?(?:{rest})?)" if rest else r"(?P<rest>(?: Components: .*?)?)"
    return re.compile("".join(out) + tail + r"\Z", re.DOTALL), fields


def _fill_es(template: str, values: dict[str, str | None]) -> str:
    def no_base(m: re.Match[str]) -> str:
        return _("no baseline value") if values.get(m.group(1)) is None else m.group(0)

    def sub(m: re.Match[str]) -> str:
        v = values.get(m.group(1))
        if v is None:
            return _("no baseline value") if m.group(1).startswith("base") else _("n/a")
        return v

    return _FIELD.sub(sub, _NO_BASE_ES.sub(no_base, template))


@cache
def _parameter_units() -> dict[str, str]:
    return {p.key: p.unit for p in ParameterCatalog.load()}


def _at_shown_precision(name: str, text: str) -> str:
    """A vital sign's value as its tile shows it: a baseline median of 95.5/min reads 96, as the
    tile's whole numbers; a lab value or a count is left as written."""
    parameter = name.removeprefix("base.")
    unit = _parameter_units().get(parameter)
    if unit is None:
        return text
    decimals = decimals_for(parameter, unit)
    try:
        value = float(text)
    except ValueError:
        return text
    return text if decimals is None or not math.isfinite(value) else plain_number(value, decimals)


def _value_text(name: str, text: str) -> str:
    """A value read out of a stored English message, for a person: at the precision its tile shows,
    with the decimal separator, and the few words the engine writes in a value (a silence "at least
    3 min", a signal's name)."""
    if name == "label":
        return _lower_first(_(text))
    if text.startswith("at least "):
        text = _("at least {duration}").format(duration=text.removeprefix("at least "))
    return localize_number(_at_shown_precision(name, text))


def translated_message(english: str, translated: str, stored: str, suffixes: Mapping[str, str]) -> str:
    """`stored` (written from the template `english`) rewritten into the template `translated`.
    `suffixes`: sentences the engine appends to a message, each with its translation."""
    return _translate(english, translated, stored, suffixes) or localize_number(stored)


def _translate(english: str, translated: str, stored: str, suffixes: Mapping[str, str]) -> str | None:
    if not translated:
        return None
    pattern, fields = _template_pattern(english, tuple(suffixes))
    m = pattern.match(stored)
    if m is None:
        return None
    read: dict[str, str | None] = {}
    for i, name in enumerate(fields):
        got = m.group(f"f{i}")
        read[name] = None if got is None or got in _NO_VALUE_EN else got
    rest = m.group("rest")
    if message(english, dict(read)) + rest != stored:  # read back otherwise than it was written
        return None
    values = {k: None if v is None else _value_text(k, v) for k, v in read.items()}
    text = localize_number(_fill_es(translated, values))
    text = text[:1].upper() + text[1:]  # a name lowered for the middle of a sentence may open it
    if rest.startswith(" Components: "):
        body, _sep, after = rest.removeprefix(" Components: ").partition(".")
        text += " " + _("Components: {parts}.").format(parts=body)
        rest = after
    for suffix, said in suffixes.items():
        if rest == suffix:
            text += said
    return text


def _lower_first(title: str) -> str:
    """'Fiebre' → 'fiebre' in a list; 'PCR', 'SpO2', 'EtCO2' stay (an abbreviation is not a word)."""
    first = title.split(" ", 1)[0]
    return title if any(c.isupper() for c in first[1:]) else title[:1].lower() + title[1:]


def shown_rule(rules: RuleSet, rule_id: str, stored_title: str) -> str:
    """An alert's rule where a list names it: a rule of the rule set by its id (F1, H1: what the rule
    file and the protocol call it); Bedside's own technical checks (STALE, TECH_*), whose ids are
    codes a person has nowhere to look up, by their title in the screen's language."""
    return shown_title(rules, rule_id, stored_title) if is_technical(rule_id) else rule_id


def technical_title(rule_id: str) -> str:
    """The title of one of Bedside's own technical checks (STALE, TECH_*) in the reader's language,
    for a text that has only its id (a safety-log entry)."""
    if rule_id == "STALE":
        return _("Feed stopped")
    signal = rule_id.removeprefix("TECH_").lower()
    name = _(LABELS[signal]) if signal in LABELS else signal
    return _("Check the {signal} sensor").format(signal=_lower_first(name))


def shown_title(rules: RuleSet, rule_id: str, stored: str) -> str:
    """An alert's title as a person reads it: the rule's, in the screen's language."""
    if i18n.language() != "es":
        return stored
    if is_technical(rule_id):
        return technical_title(rule_id)
    rule = _rule(rules, rule_id)
    return rule.title_es if rule is not None and rule.title_es else stored


_COMPARISONS = {">=": "≥", "<=": "≤"}


def readable_comparisons(text: str) -> str:
    """A rule's text as a person reads it: '>= 40/min' as '≥ 40/min' ('<=' as '≤'). The stored text
    keeps the characters a rule file is written in; they are converted only where shown."""
    for typed, written in _COMPARISONS.items():
        text = text.replace(typed, written)
    return text


def shown_message(rules: RuleSet, rule_id: str, stored: str) -> str:
    """An alert's message as a person reads it, in the screen's language (the stored English text
    is what the safety log holds; see above), its comparisons written as a person writes them
    (≥, ≤). A message stored before the rule set wrote pressures' unit as clinicians do (cmH₂O)
    reads the same as one stored after."""
    return readable_comparisons(_message_in_language(rules, rule_id, stored.replace(" cmH2O", " cmH₂O")))


def _message_in_language(rules: RuleSet, rule_id: str, stored: str) -> str:
    if i18n.language() != "es":
        return stored
    suffixes = {UNCONFIRMED_SUFFIX: " " + _("The dose start is not yet confirmed.")}
    if rule_id == "STALE" and rules.stale is not None:
        return translated_message(rules.stale.message, rules.stale.message_es, stored, suffixes)
    if is_technical(rule_id):
        for english in (STREAM_STOPPED, *SENSOR_MESSAGES.values()):
            said = _translate(english, _(english), stored, suffixes)
            if said is not None:
                return said
        return localize_number(stored)
    rule = _rule(rules, rule_id)
    if rule is None:
        return localize_number(stored)
    text = translated_message(rule.message, rule.message_es, stored, suffixes)
    marker = _("Components: {parts}.").split("{parts}")[0]
    head, found, tail = text.partition(marker)
    if found:
        body, _sep, after = tail.partition(".")
        parts = []
        for part in _COMPONENT.finditer(body):
            component = _rule(rules, part.group(1))
            title = component.title_es if component is not None and component.title_es else part.group(0)
            parts.append(f"{_lower_first(title)} ({part.group(1)})" if component is not None else title)
        text = head + _("Components: {parts}.").format(parts=", ".join(parts)) + after
    return text


_COMPONENT = re.compile(r"\(([A-Z0-9_]+)\)")
UNCONFIRMED_SUFFIX = " The dose start is not yet confirmed."
"""What the engine appends to an alert of a dose whose start nobody confirmed (bedside.alert_changes)."""


def _rule(rules: RuleSet, rule_id: str) -> Rule | None:
    try:
        return rules.rule(rule_id)
    except KeyError:
        return None
