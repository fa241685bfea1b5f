"""Bedside's catalogues: extract the texts marked in the code, compile the translations, check both.

    python -m bedside_ui.translations update    # after changing texts: new ones appear untranslated
    python -m bedside_ui.translations compile   # .ts → .qm (pyside6-lrelease), .po → .mo (Babel)
    python -m bedside_ui.translations check     # what is stale or untranslated (the tests run this)

Which catalogue a source file's texts belong to is resources/i18n/catalogues.toml. The screens are
marked the way Qt extracts them (`self.tr("...")`, `QCoreApplication.translate("Context", "...")`,
`QT_TRANSLATE_NOOP`), the Qt-free core and the command line the way gettext does (`_("...")`,
`N_("...")`, `ngettext`). A text is a literal, never an f-string: the catalogue holds the text as
written, and `{name}` placeholders are filled after translating (`.format(...)`).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bedside.resources import resource_path

ROOT = Path(__file__).resolve().parent.parent
"""The checkout (update and check work on a checkout, where the sources are)."""
GETTEXT_KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}|%n|%[sd]")


@dataclass(frozen=True)
class Catalogue:
    kind: str  # "qt" or "gettext"
    name: str
    patterns: tuple[str, ...]


def _config() -> dict:
    with resource_path("i18n", "catalogues.toml").open("rb") as f:
        return tomllib.load(f)


def languages() -> list[str]:
    return list(_config()["languages"])


def catalogues() -> list[Catalogue]:
    config = _config()
    return [
        Catalogue(kind, entry["name"], tuple(entry["sources"]))
        for kind in ("qt", "gettext")
        for entry in config[kind]
    ]


def sources(root: Path = ROOT) -> dict[Catalogue, list[Path]]:
    """Each catalogue's source files: a file goes to the first catalogue of its kind that matches."""
    out: dict[Catalogue, list[Path]] = {}
    taken: dict[str, set[Path]] = {"qt": set(), "gettext": set()}
    for catalogue in catalogues():
        files = []
        for pattern in catalogue.patterns:
            for path in sorted(root.glob(pattern)):
                if path.suffix == ".py" and path not in taken[catalogue.kind]:
                    taken[catalogue.kind].add(path)
                    files.append(path)
        out[catalogue] = files
    return out


def path_of(catalogue: Catalogue, language: str) -> Path:
    if catalogue.kind == "qt":
        return resource_path("i18n", language, f"{catalogue.name}.ts")
    return resource_path("locale", language, "LC_MESSAGES", f"{catalogue.name}.po")


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


# ---- Qt ---------------------------------------------------------------------------------------------


TARGETS = {"es": "es_ES"}
"""Qt's name of each language's variant (Spanish as written in Spain)."""


def _lupdate(files: list[Path], ts: Path, language: str) -> None:
    ts.parent.mkdir(parents=True, exist_ok=True)
    if not files:
        return
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            "-silent",
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            TARGETS.get(language, language),
            *map(str, files),
            "-ts",
            str(ts),
        ],
        check=True,
        capture_output=True,
    )
    text = ts.read_text(encoding="utf-8")
    if '<TS version="2.1">' in text:  # plural forms follow the language's rules: lrelease needs it
        ts.write_text(
            text.replace(
                '<TS version="2.1">', f'<TS version="2.1" language="{TARGETS.get(language, language)}">'
            ),
            encoding="utf-8",
        )


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    finished: bool
    plural: bool


def qt_messages(ts: Path) -> list[Message]:
    if not ts.is_file():
        return []
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            kind = "" if tr is None else tr.get("type", "")
            if kind in ("obsolete", "vanished"):
                continue
            plural = message.get("numerus") == "yes"
            if tr is None:
                text = ""
            elif plural:
                text = "\n".join(f.text or "" for f in tr.iter("numerusform"))
            else:
                text = tr.text or ""
            out.append(Message(name, message.findtext("source") or "", text, kind != "unfinished", plural))
    return out


# ---- gettext ------------------------------------------------------------------------------------------


def template(files: list[Path], root: Path = ROOT) -> Catalog:
    catalog = Catalog(project="Bedside", domain=None)
    for path in files:
        for lineno, message, comments, context in extract_from_file(
            "python", str(path), keywords=GETTEXT_KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            catalog.add(
                message,
                None,
                [(str(path.relative_to(root)), lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def _describe(po: Catalog, catalogue: Catalogue) -> None:
    po.fuzzy = False  # a fuzzy header is left out of the compiled catalogue, its plural rule with it
    po.project, po.version = "Bedside", catalogue.name
    po.copyright_holder = "Bedside contributors"
    po.msgid_bugs_address = "https://github.com/bedside/bedside/issues"
    po.last_translator = po.language_team = "Bedside contributors"


def _write_po(catalog: Catalog, po: Path) -> None:
    po.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        omit_header=False,
        no_location=True,
        sort_output=True,
        ignore_obsolete=True,
        width=110,
    )
    po.write_bytes(buffer.getvalue())


def _read_po(po: Path, language: str) -> Catalog:
    if not po.is_file():
        return Catalog(locale=language, project="Bedside")
    with po.open("rb") as f:
        return read_po(f, locale=language)


def po_messages(po: Path, language: str) -> list[Message]:
    out = []
    for m in _read_po(po, language):
        if not m.id:
            continue
        plural = isinstance(m.id, (list, tuple))
        source = "\n".join(m.id) if plural else m.id
        text = "\n".join(s or "" for s in m.string) if plural else (m.string or "")
        finished = bool(all(m.string) if plural else m.string) and not m.fuzzy
        out.append(Message(m.context or "", source, text, finished, plural))
    return out


# ---- commands -------------------------------------------------------------------------------------------


def update(root: Path = ROOT) -> None:
    for catalogue, files in sources(root).items():
        for language in languages():
            target = path_of(catalogue, language)
            if catalogue.kind == "qt":
                _lupdate(files, target, language)
            else:
                po = _read_po(target, language)
                fresh = template(files, root)
                fresh.creation_date = po.creation_date  # no change to the file when no text changed
                po.update(fresh, no_fuzzy_matching=True)
                _describe(po, catalogue)
                _write_po(po, target)


def compile_all() -> None:
    for catalogue in catalogues():
        for language in languages():
            source = path_of(catalogue, language)
            if not source.is_file():
                continue
            if catalogue.kind == "qt":
                subprocess.run(
                    [
                        _tool("pyside6-lrelease"),
                        "-silent",
                        str(source),
                        "-qm",
                        str(source.with_suffix(".qm")),
                    ],
                    check=True,
                    capture_output=True,
                )
            else:
                compile_po(source, language)


def compile_po(po: Path, language: str) -> Path:
    buffer = io.BytesIO()
    write_mo(buffer, _read_po(po, language))
    mo = po.with_suffix(".mo")
    mo.write_bytes(buffer.getvalue())
    return mo


def fill(path: Path, translations: dict[str, str | list[str]]) -> int:
    """Write translations into a catalogue by source text (every context holding it); a plural's
    translation is the list of its forms. Returns how many messages were filled."""
    filled = 0
    if path.suffix == ".ts":
        tree = ET.parse(path)
        for message in tree.getroot().iter("message"):
            source = message.findtext("source") or ""
            if source not in translations:
                continue
            value = translations[source]
            tr = message.find("translation")
            if tr is None:
                tr = ET.SubElement(message, "translation")
            tr.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                forms = [value] * 2 if isinstance(value, str) else value
                for old in list(tr):
                    tr.remove(old)
                tr.text = None
                for form in forms:
                    ET.SubElement(tr, "numerusform").text = form
            else:
                tr.text = value if isinstance(value, str) else value[0]
            filled += 1
        ET.indent(tree, space="    ")
        with path.open("wb") as f:
            f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
            tree.write(f, encoding="utf-8", xml_declaration=False)
            f.write(b"\n")
        return filled
    language = path.parent.parent.name
    catalog = _read_po(path, language)
    for m in catalog:
        if not m.id:
            continue
        key = m.id[0] if isinstance(m.id, (list, tuple)) else m.id
        if key not in translations:
            continue
        value = translations[key]
        if isinstance(m.id, (list, tuple)):
            m.string = tuple([value] * 2 if isinstance(value, str) else value)
        else:
            m.string = value if isinstance(value, str) else value[0]
        m.flags.discard("fuzzy")
        filled += 1
    _write_po(catalog, path)
    return filled


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(root: Path = ROOT) -> list[str]:
    """Everything that keeps the catalogues from matching the code: texts in the code that a
    catalogue lacks, texts a catalogue still holds that the code no longer has, texts without a
    translation, and translations whose placeholders differ from their source's."""
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for catalogue, files in sources(root).items():
            for language in languages():
                committed_path = path_of(catalogue, language)
                if catalogue.kind == "qt":
                    fresh_path = Path(tmp) / f"{catalogue.name}.ts"
                    _lupdate(files, fresh_path, language)
                    fresh = {(m.context, m.source) for m in qt_messages(fresh_path)}
                    committed = qt_messages(committed_path)
                else:
                    fresh = {
                        (m.context or "", "\n".join(m.id) if isinstance(m.id, (list, tuple)) else m.id)
                        for m in template(files, root)
                        if m.id
                    }
                    committed = po_messages(committed_path, language)
                held = {(m.context, m.source) for m in committed}
                label = f"{committed_path.relative_to(resource_path())}"
                for context, source in sorted(fresh - held):
                    found.append(f"{label}: not in the catalogue (run update): {context}: {source!r}")
                for context, source in sorted(held - fresh):
                    found.append(f"{label}: no longer in the code (run update): {context}: {source!r}")
                for m in committed:
                    if (m.context, m.source) not in fresh:
                        continue
                    if not m.finished or not m.translation.strip():
                        found.append(f"{label}: untranslated: {m.context}: {m.source!r}")
                    elif (
                        placeholders(m.source.replace("\n", " "))
                        != placeholders(m.translation.replace("\n", " "))
                        and not m.plural
                    ):
                        found.append(f"{label}: placeholders differ: {m.source!r} → {m.translation!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bedside_ui.translations", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", choices=["update", "compile", "check", "fill"])
    parser.add_argument("catalogue", nargs="?", type=Path, help="fill: the .ts or .po to write into")
    parser.add_argument(
        "translations", nargs="?", type=Path, help='fill: a JSON file {"source text": "translation", ...}'
    )
    args = parser.parse_args(argv)
    if args.command == "fill":
        if args.catalogue is None or args.translations is None:
            parser.error("fill needs a catalogue and a JSON file of translations")
        mapping = json.loads(args.translations.read_text(encoding="utf-8"))
        print(f"{fill(args.catalogue, mapping)} messages filled in {args.catalogue}")
    elif args.command == "update":
        update()
    elif args.command == "compile":
        compile_all()
    else:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
