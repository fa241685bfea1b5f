"""A small, strict ER7 (pipe-and-hat) reader into plain Python objects.

Why our own: hl7apy is far slower on a device report and silently drops segments it cannot place;
this reader splits with str.split and refuses what it cannot account for. Values are kept escaped as
received and unescaped on access, after splitting (an escaped delimiter such as \\F\\ must not split
a field).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SEGMENT_ID = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_COMMON_IDS = frozenset(
    {
        "MSH",
        "SFT",
        "EVN",
        "PID",
        "PD1",
        "NK1",
        "PV1",
        "PV2",
        "ORC",
        "OBR",
        "OBX",
        "NTE",
        "TQ1",
        "SPM",
        "RXA",
        "RXR",
        "RXG",
        "RXO",
        "RXE",
        "RXC",
        "PRT",
        "ROL",
        "AL1",
        "DG1",
    }
)
"""Ids that pass the pattern, known without running it (a set lookup instead of a regex per line)."""


class Er7Error(ValueError):
    """The text is not a readable HL7 v2 message. `err_code` is from HL7 table 0357."""

    def __init__(self, reason: str, err_code: int = 100) -> None:
        super().__init__(reason)
        self.reason = reason
        self.err_code = err_code


@dataclass(frozen=True, slots=True)
class Delimiters:
    field: str = "|"
    component: str = "^"
    repetition: str = "~"
    escape: str = "\\"
    subcomponent: str = "&"

    @property
    def encoding_characters(self) -> str:
        return self.component + self.repetition + self.escape + self.subcomponent


STANDARD = Delimiters()


def unescape(value: str, d: Delimiters = STANDARD) -> str:
    r"""Decode \F\ \S\ \T\ \R\ \E\ and \Xhh..\ ; drop formatting escapes (\H\ \N\ \.br\ ...)."""
    e = d.escape
    if e not in value:
        return value
    out: list[str] = []
    i = 0
    n = len(value)
    while i < n:
        ch = value[i]
        if ch != e:
            out.append(ch)
            i += 1
            continue
        j = value.find(e, i + 1)
        if j < 0:  # a lone escape character: keep it, it is data
            out.append(value[i:])
            break
        token = value[i + 1 : j]
        replacement = {"F": d.field, "S": d.component, "T": d.subcomponent, "R": d.repetition, "E": e}.get(
            token
        )
        if replacement is not None:
            out.append(replacement)
        elif token.startswith("X") and len(token) > 1:
            try:
                out.append(bytes.fromhex(token[1:]).decode("latin-1"))
            except ValueError:
                out.append(value[i : j + 1])
        elif token in ("H", "N") or token.startswith("."):
            pass  # highlighting and formatting: no meaning for a value
        else:
            out.append(value[i : j + 1])
        i = j + 1
    return "".join(out)


def escape(value: str, d: Delimiters = STANDARD) -> str:
    """Escape a value for writing with delimiters `d` (escape character first)."""
    e = d.escape
    if (
        e not in value
        and d.field not in value
        and d.component not in value
        and d.subcomponent not in value
        and d.repetition not in value
    ):
        return value  # the usual case; five replace() calls cost more than five scans
    value = value.replace(e, f"{e}E{e}")
    for ch, code in ((d.field, "F"), (d.component, "S"), (d.subcomponent, "T"), (d.repetition, "R")):
        value = value.replace(ch, f"{e}{code}{e}")
    return value


class Segment:
    """One segment: its id, its raw (escaped) fields and the message's delimiters. Read-only by
    convention; a plain slotted class because a frozen dataclass's __init__ cost a tenth of
    reading a device report."""

    __slots__ = ("delimiters", "fields", "name")

    def __init__(self, name: str, fields: tuple[str, ...], delimiters: Delimiters) -> None:
        self.name = name
        self.fields = fields
        """Raw (escaped) fields; fields[0] is the segment name. For MSH, fields[1] is MSH-2."""
        self.delimiters = delimiters

    def __repr__(self) -> str:
        return f"Segment({self.name!r}, {len(self.fields)} fields)"

    def raw(self, n: int) -> str:
        """Field n (1-based, HL7 numbering) as received, escaped, all repetitions."""
        if self.name == "MSH":
            if n == 1:
                return self.delimiters.field
            n -= 1
        return self.fields[n] if 0 < n < len(self.fields) else ""

    def get(self, n: int, component: int = 1, repetition: int = 1, subcomponent: int = 1) -> str:
        """One unescaped value: field n, repetition, component and subcomponent (all 1-based)."""
        value = self.raw(n)
        if not value:
            return ""
        if self.name == "MSH" and n == 2:
            return value
        d = self.delimiters
        if d.component not in value and d.repetition not in value and d.subcomponent not in value:
            # Most fields are one plain value: no splitting needed (a hot path at ingest).
            first = component == 1 and repetition == 1 and subcomponent == 1
            return (unescape(value, d) if d.escape in value else value) if first else ""
        reps = value.split(d.repetition)
        if repetition > len(reps):
            return ""
        comps = reps[repetition - 1].split(d.component)
        if component > len(comps):
            return ""
        subs = comps[component - 1].split(d.subcomponent)
        if subcomponent > len(subs):
            return ""
        return unescape(subs[subcomponent - 1], d)

    def components(self, n: int, repetition: int = 1) -> list[str]:
        value = self.raw(n)
        if not value:
            return []
        reps = value.split(self.delimiters.repetition)
        if repetition > len(reps):
            return []
        return [unescape(c, self.delimiters) for c in reps[repetition - 1].split(self.delimiters.component)]


@dataclass(frozen=True, slots=True)
class Er7Message:
    segments: tuple[Segment, ...]
    delimiters: Delimiters

    @property
    def msh(self) -> Segment:
        return self.segments[0]

    def all(self, name: str) -> Iterator[Segment]:
        return (s for s in self.segments if s.name == name)

    def first(self, name: str) -> Segment | None:
        return next(self.all(name), None)

    @property
    def message_type(self) -> str:
        """MSH-9 as CODE^EVENT (the structure component is ignored: senders differ)."""
        code, event = self.msh.get(9, 1), self.msh.get(9, 2)
        return f"{code}^{event}" if event else code

    @property
    def control_id(self) -> str:
        return self.msh.get(10)

    @property
    def version(self) -> str:
        return self.msh.get(12)


def read_er7(text: str) -> Er7Message:
    """Read a CR-normalised message (see decode.normalise_segments). Raises Er7Error."""
    if not text.startswith("MSH"):
        raise Er7Error("the message does not start with an MSH segment", 100)
    if len(text) < 8:
        raise Er7Error("the MSH segment is too short to hold its delimiters", 100)
    field_sep = text[3]
    enc = text[4:8]
    if field_sep.isalnum() or len(set(enc + field_sep)) != 5 or any(c.isalnum() or c in "\r" for c in enc):
        raise Er7Error(f"invalid delimiters in MSH-1/MSH-2: {text[3:8]!r}", 102)
    d = Delimiters(field_sep, enc[0], enc[1], enc[2], enc[3])
    segments = []
    for number, line in enumerate(text.split("\r"), start=1):
        if not line:
            continue
        fields = tuple(line.split(field_sep))
        name = fields[0]
        if name not in _COMMON_IDS and not _SEGMENT_ID.match(name):
            raise Er7Error(
                f"segment {number} has no valid segment id ({line[:20]!r}): a wrapped or corrupted line",
                100,
            )
        segments.append(Segment(name, fields, d))
    if segments[0].get(9, 1) == "":
        raise Er7Error("MSH-9 (message type) is empty", 101)
    return Er7Message(tuple(segments), d)
