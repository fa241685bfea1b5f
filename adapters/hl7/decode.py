"""Bytes to text: pick the codec from MSH-18, never raise on undecodable bytes.

MSH-18 is read from the raw bytes before decoding: every charset HL7 v2 allows is ASCII-compatible
in the MSH segment, so a byte-preserving latin-1 view is enough to find it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHARSETS = {
    "": None,
    "ASCII": "ascii",
    "8859/1": "latin-1",
    "8859/15": "iso8859-15",
    "UNICODE UTF-8": "utf-8",
    "UTF-8": "utf-8",
}


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    codec: str
    declared: str
    """MSH-18 as sent ("" when absent)."""
    lossy: bool
    """True when bytes could not be decoded and were replaced (U+FFFD): say so, never hide it."""


def _msh_field(raw: bytes, index: int) -> str:
    """Field `index` of the MSH split as bytes allow (split index: MSH-n is index n-1), first
    component, read before decoding: MSH is ASCII in every charset HL7 v2 allows."""
    start = raw.find(b"MSH")
    if start < 0 or len(raw) < start + 4:
        return ""
    end = len(raw)
    for sep in (b"\r", b"\n"):
        i = raw.find(sep, start)
        if i >= 0:
            end = min(end, i)
    msh = raw[start:end].decode("latin-1")  # the MSH line only: decoding the whole frame cost more
    if len(msh) < 4:
        return ""  # "MSH" and a line end: no separator to split on
    fields = msh.split(msh[3])
    return fields[index].split(msh[4] if len(msh) > 4 else "^")[0].strip() if len(fields) > index else ""


def declared_charset(raw: bytes) -> str:
    return _msh_field(raw, 17)  # MSH-1 is the separator itself, so MSH-18 is split index 17


def sending_application(raw: bytes) -> str:
    """MSH-3.1, to pick a sender's configured charset before the message can be decoded."""
    return _msh_field(raw, 2)


def decode(raw: bytes, fallback: str = "utf-8") -> DecodedText:
    """Decode one HL7 message. Unknown or absent MSH-18: `fallback` (a per-sender setting)."""
    declared = declared_charset(raw)
    codec = _CHARSETS.get(declared.upper()) or fallback
    if codec == "ascii":
        # Senders that declare ASCII and send UTF-8 are common; UTF-8 is a superset, so accept it.
        codec = "utf-8"
    try:
        return DecodedText(raw.decode(codec), codec, declared, lossy=False)
    except UnicodeDecodeError:
        return DecodedText(raw.decode(codec, errors="replace"), codec, declared, lossy=True)
    except LookupError:
        return DecodedText(raw.decode("utf-8", errors="replace"), "utf-8", declared, lossy=True)


_SEGMENT_BREAK = re.compile(r"\r\n|\n|\r")


def normalise_segments(text: str) -> str:
    """Strip BOM and MLLP bytes, make every segment end with CR.

    Both hl7apy and python-hl7 silently lose every OBX on LF-separated input (HL7 v2 ends segments
    with CR only);
    normalising here, and counting OBX lines afterwards, is what keeps that from happening to us.
    """
    text = text.lstrip("\ufeff\x0b").rstrip("\x1c\r\n\x00 ")
    if "\n" not in text:  # CR only, as the standard says: nothing to rewrite (the usual case)
        return text
    return _SEGMENT_BREAK.sub("\r", text)


def count_obx_lines(text: str, field_separator: str = "|") -> int:
    """OBX segments as a plain text scan sees them, to check the reader lost none."""
    head = "OBX" + field_separator
    return text.count("\r" + head) + text.count("\n" + head) + text.startswith(head)  # CRLF counts once
