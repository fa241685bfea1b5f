"""An outcome (an adverse event's, the study's outcome set) reads "desenlace" in every Spanish
catalogue, never "resultado", which a clinician reads as a laboratory result (docs/translating.md's
glossary)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from babel.messages.pofile import read_po

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def _spanish_texts() -> list[tuple[str, str, str]]:
    found = []
    for po in sorted((RESOURCES / "locale" / "es" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            for message in read_po(f):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strs = message.string if isinstance(message.string, tuple) else (message.string,)
                found += [(po.name, i, s) for i in ids for s in strs if i and s]
    for ts in sorted((RESOURCES / "i18n" / "es").glob("*.ts")):
        for message in ET.parse(ts).getroot().iter("message"):
            source, translation = message.findtext("source") or "", message.findtext("translation") or ""
            found.append((ts.name, source, translation))
    return found


def test_an_outcome_is_a_desenlace_never_a_resultado() -> None:
    texts = _spanish_texts()
    outcomes = [(name, source, said) for name, source, said in texts if "outcome" in source.lower()]
    assert any(said == "Desenlaces" for _name, _source, said in outcomes)
    wrong = [(name, source, said) for name, source, said in outcomes if "resultado" in said.lower()]
    assert not wrong, wrong
