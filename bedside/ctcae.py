"""The catalogues an adverse event is judged against: the CTCAE v5.0 terms (NCI, 2017) with their
Spanish names and the category of special interest each belongs to, and the reference safety
information (RSI) that says which terms, up to which grade, are expected (ICH E2A II.C). Both are
read from resources/adverse_events/."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bedside import i18n
from bedside.resources import resource_path


@dataclass(frozen=True)
class CtcaeTerm:
    term: str
    soc: str
    aesi: str | None
    term_es: str = ""
    """The term in Spanish, for a screen in Spanish only (what is stored is `term`)."""

    def shown(self) -> str:
        """The term in the screen's language."""
        return self.term_es if i18n.language() == "es" and self.term_es else self.term


@dataclass(frozen=True)
class CtcaeCatalogue:
    version: str
    terms: tuple[CtcaeTerm, ...]

    def find(self, term: str) -> CtcaeTerm | None:
        """The CTCAE term `term` names, in English or as shown in Spanish."""
        wanted = term.strip().casefold()
        return next(
            (t for t in self.terms if wanted and wanted in (t.term.casefold(), t.term_es.casefold())), None
        )


@dataclass(frozen=True)
class ReferenceSafetyInformation:
    product: str
    document: str
    version: str
    expected: Mapping[str, int]
    """CTCAE term (case-folded) → the highest grade listed as expected."""
    document_es: str = ""
    """The document's name in Spanish, for a reader in Spanish only (what is stored is `label`)."""

    @property
    def label(self) -> str:
        """What an event records as the RSI it was judged against."""
        return f"{self.document}, version {self.version}"

    def expectedness(self, ctcae_term: str | None, grade: int) -> str:
        """ "expected" when the RSI lists the term at this grade or higher, else "unexpected" (a term
        not listed, or listed at a lower grade: ICH E2A II.C, nature or severity not consistent)."""
        if ctcae_term is None:
            return "unexpected"
        listed = self.expected.get(ctcae_term.casefold())
        return "expected" if listed is not None and grade <= listed else "unexpected"


def load_ctcae(path: Path | None = None) -> CtcaeCatalogue:
    data = tomllib.loads((path or resource_path("adverse_events", "ctcae_terms.toml")).read_text("utf-8"))
    terms = tuple(
        CtcaeTerm(str(t["term"]), str(t["soc"]), t.get("aesi"), str(t.get("term_es", "")))
        for t in data["term"]
    )
    return CtcaeCatalogue(str(data["ctcae_version"]), terms)


def load_rsi(path: Path | None = None) -> ReferenceSafetyInformation:
    data = tomllib.loads((path or resource_path("adverse_events", "rsi.toml")).read_text("utf-8"))
    expected = {str(e["term"]).casefold(): int(e["max_grade"]) for e in data.get("expected", [])}
    return ReferenceSafetyInformation(
        str(data["product"]),
        str(data["document"]),
        str(data["version"]),
        expected,
        str(data.get("document_es", "")),
    )


@cache
def ctcae() -> CtcaeCatalogue:
    return load_ctcae()


def term_text(term: str) -> str:
    """A stored term (the English CTCAE term, or one recorded as written) as a person reads it: a
    CTCAE term in the screen's language, any other as written."""
    found = ctcae().find(term) if term else None
    return found.shown() if found is not None else term


@cache
def rsi() -> ReferenceSafetyInformation:
    return load_rsi()


def rsi_text(label: str, reference: ReferenceSafetyInformation | None = None) -> str:
    """An event's recorded RSI label as a person reads it: this RSI's document in the reader's
    language with its version; a label of another document as recorded."""
    reference = reference or rsi()
    stem = f"{reference.document}, version "
    if not label.startswith(stem):
        return label
    document = (
        reference.document_es if i18n.language() == "es" and reference.document_es else reference.document
    )
    return i18n._("{document}, version {version}").format(document=document, version=label[len(stem) :])


def special_interest(ctcae_term: str | None, catalogue: CtcaeCatalogue | None = None) -> str | None:
    """The adverse event of special interest the term belongs to (infusion reaction, thrombosis or
    embolism, infection), or None."""
    if ctcae_term is None:
        return None
    found = (catalogue or ctcae()).find(ctcae_term)
    return found.aesi if found else None
