"""Structure checks against the HL7 standard of a message's version, by hl7apy (where it is strong).

Not on the ingest path (hl7apy is far too slow for it, and its STRICT mode rejects most real
messages): for `bedside-cli validate` and integration work.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from bedside_adapters.hl7.decode import decode, normalise_segments


@dataclass(frozen=True)
class Validation:
    message_type: str
    version: str
    readable: bool
    problems: list[str] = field(default_factory=list)


def validate(raw: bytes) -> Validation:
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.exceptions import HL7apyException
    from hl7apy.parser import parse_message

    text = normalise_segments(decode(raw).text) + "\r"
    problems: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            msg = parse_message(text, validation_level=VALIDATION_LEVEL.TOLERANT, find_groups=False)
        except (HL7apyException, ValueError) as exc:
            return Validation("", "", False, [f"not readable: {type(exc).__name__}: {exc}"])
        mtype = msg.msh.msh_9.to_er7()
        version = msg.version or ""
        try:
            strict = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
            strict.validate()
        except (HL7apyException, ValueError) as exc:
            problems.append(f"{type(exc).__name__}: {exc}")
    return Validation(mtype, version, True, problems)
