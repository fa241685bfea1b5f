"""Every text a person reads on the screens, the dialogs and the report is marked for translation.

The catalogue tests (tests/unit/test_translations.py) see only texts that were marked; a literal
never wrapped in tr()/_() is invisible to them and stays English in Spanish. Here both translation
systems are replaced by a pseudo-translation that returns every text it is asked for between
markers (⟦Dose {n}⟧), the screens are opened on the reaction course, and every visible text is
walked: a word outside the markers was never translated, unless it is data (a name, a code, a
unit). The names of parameters, labs and rules come from their own tables (label_es, title_es,
message_es): they are marked the same way where those tables are read.
"""

from __future__ import annotations

import dataclasses
import gettext
import html
import re
from collections.abc import Callable, Iterator

import pyqtgraph as pg
import pytest
from bedside_adapters.db.queries import sql_ports
from bedside_adapters.db.review_store import load_review
from bedside_ui import report, trends
from bedside_ui.adverse_event_dialog import AdverseEventDialog
from bedside_ui.alert_words import default_rules
from bedside_ui.course_event_dialog import CourseEventDialog
from bedside_ui.i18n import LOCALES, install_language
from bedside_ui.review_window import ReviewWindow
from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, QTranslator
from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStatusBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from bedside import i18n
from bedside.ctcae import CtcaeTerm, ctcae
from bedside.labs import Analyte, LabCatalog
from bedside.model import Parameter, PatientRef
from bedside.parameters import ParameterCatalog
from bedside.rules.ruleset import RuleSet
from bedside.sofa import VASOPRESSORS
from bedside.units import _DISPLAY, display_unit
from tests.ui.conftest import REACTION_NOW, REACTION_PATIENT
from tests.ui.signing import USERS, acting_as, signed_in
from tests.ui.test_adverse_event_form_checks import LATEST
from tests.ui.test_dialogs_spanish import DIALOGS, DOCTOR, NOW
from tests.ui.test_nurse_screen import reacting, window_for  # noqa: F401  (reacting: the fixture)
from tests.ui.test_ward_overview import NOW as WARD_NOW
from tests.ui.test_ward_overview import close, ward_db, ward_for  # noqa: F401  (ward_db: the fixture)

OPEN, SHUT = "⟦", "⟧"


def marked(text: str) -> str:
    return f"{OPEN}{text}{SHUT}" if text else text


class PseudoTranslator(QTranslator):
    """Qt's side: every text asked for comes back between markers ({placeholders} and %n kept)."""

    def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[no-untyped-def,override]
        return marked(source)

    def isEmpty(self) -> bool:
        return False


class PseudoGettext(gettext.NullTranslations):
    """The core's side: the same, for _(), ngettext."""

    def gettext(self, message: str) -> str:
        return marked(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return marked(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return marked(message)


def _marked_rules(load):  # type: ignore[no-untyped-def]
    def load_marked(*args, **kwargs):  # type: ignore[no-untyped-def]
        rules = load(*args, **kwargs)
        each = tuple(
            dataclasses.replace(r, title_es=marked(r.title_es), message_es=marked(r.message_es))
            for r in rules.rules
        )
        stale = rules.stale and dataclasses.replace(rules.stale, message_es=marked(rules.stale.message_es))
        return dataclasses.replace(rules, rules=each, stale=stale)

    return load_marked


def mark_data_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parameter's, a lab's, a rule's and a CTCAE term's Spanish name is its table's (label_es,
    title_es, message_es, term_es): marked where it is read, only where it has one (one missing shows the English
    name, unmarked: found)."""
    monkeypatch.setattr(
        Parameter, "label", property(lambda p: marked(p.label_es) if p.label_es else p.label_en)
    )
    monkeypatch.setattr(
        Parameter, "short", property(lambda p: marked(p.short_es) if p.short_es else p.short_en)
    )
    monkeypatch.setattr(
        Analyte, "label", property(lambda a: marked(a.label_es) if a.label_es else a.label_en)
    )
    monkeypatch.setattr(RuleSet, "load", _marked_rules(RuleSet.load))
    monkeypatch.setattr(CtcaeTerm, "shown", lambda t: marked(t.term_es) if t.term_es else t.term)


@pytest.fixture
def pseudo(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The pseudo-translation installed for both systems, with Spanish's formats and Spanish's
    branches (the rules' and parameters' own Spanish texts, marked where they are read); English
    again after."""
    install_language(qapp, "en")
    translator = PseudoTranslator(qapp)
    qapp.installTranslator(translator)
    QLocale.setDefault(LOCALES["es"])
    i18n.use_translation(PseudoGettext(), "es")
    mark_data_tables(monkeypatch)
    # The dose band's texts are kept per language: a Spanish screen built before this test must not
    # lend its real Spanish to the pseudo-translation's "es".
    monkeypatch.setattr(trends, "_DOSE_TEXTS", {})
    # The screens' rule set is read once per process: read again marked here, and again unmarked
    # after, so no later test sees this test's markers.
    default_rules.cache_clear()
    try:
        yield
    finally:
        qapp.removeTranslator(translator)
        translator.deleteLater()
        install_language(qapp, "en")
        default_rules.cache_clear()


# What a person reads that is data, not text: left as it is in every language. Kept narrow.
PRODUCT = {"Bedside", "AT-MSC"}  # the application's name, and the cell product's in the demo course
PEOPLE = {w for u in USERS for w in (*u.full_name.split(), u.username)}  # the tests' signed-in users
DEMO_PATIENTS = {"SYNTHETIC", "Patient"}  # the demo patients' names (SYNTHETIC, Patient A)


WORD_OF_LETTERS = re.compile(r"[^\W\d_]+")


def _units() -> set[str]:
    """Every unit's display name (UCUM as clinicians write it: mmHg, mg/L FEU): the same in every
    language."""
    units = set(_DISPLAY) | set(_DISPLAY.values())
    units |= {display_unit(p.unit) for p in ParameterCatalog.load()}
    units |= {display_unit(a.unit) for a in LabCatalog.load()}
    return {w for u in units for w in re.findall(r"[^\W\d_]+", u)}


SCORES = {"SOFA"}  # a score's name, written the same in Spanish ICUs
DRUGS = {*VASOPRESSORS, "dexamethasone", "enoxaparin", "paracetamol"}
"""A drug's name as the record holds it (the demo course's co-medication)."""
TERMS = {w for t in ctcae().terms for w in WORD_OF_LETTERS.findall(t.term)}
"""An adverse event's CTCAE v5 term as recorded (the coded English term) where a record shows it;
the form's list shows the catalogue's Spanish (term_es, marked above)."""
MONTHS = {m.strip(".") for m in (*i18n._MONTHS_EN, *i18n._MONTHS_ES)}
"""A date's month, from bedside.i18n's own table of each language's months."""
DATA = PRODUCT | PEOPLE | DEMO_PATIENTS | _units() | SCORES | DRUGS | TERMS | MONTHS
WORD = re.compile(r"[^\W_][\w'’.:-]*")
INSIDE = re.compile(f"{OPEN}[^{OPEN}{SHUT}]*{SHUT}")


QUOTED = re.compile(r"“[^”]*”")
"""A person's or a device's own words, quoted as written (a comment, a reason, a note)."""


def leftover(text: str) -> list[str]:
    """The words of `text` outside every marker that are not data. A word with a digit in it is a
    code or a value (C1, SpO2, SIM1729, 10⁹), never a sentence's word; a single letter is a unit or
    an initial (h, L)."""
    if Qt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    text = html.unescape(text).replace("&", "")
    while INSIDE.search(text):
        text = INSIDE.sub(" ", text)
    # A word joined to another by '.', ':' or '_' is a code (a log entry's kind, a sender's name).
    words = [w.rstrip(".:-") for w in WORD.findall(text)]
    return [
        w
        for w in words
        if not any(c.isdigit() or c in ".:_" for c in w)
        and sum(c.isalpha() for c in w) > 1
        and w.strip("'’-") not in DATA
        and w.lower() not in DRUGS
    ]


def _model_texts(view: QAbstractItemView) -> Iterator[tuple[str, str]]:
    model = view.model()
    if model is None:
        return
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list's model (a completer's) hides it: one column
        columns = 1
    for section in range(columns):
        yield f"header {section}", str(model.headerData(section, Qt.Orientation.Horizontal) or "")

    def walk(parent, depth: int) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
        for row in range(model.rowCount(parent)):
            for col in range(columns if not parent.isValid() else model.columnCount(parent)):
                index = model.index(row, col, parent)
                for role, name in (
                    (Qt.ItemDataRole.DisplayRole, ""),
                    (Qt.ItemDataRole.ToolTipRole, " tooltip"),
                ):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        yield f"cell {row},{col}{name}", value
                if depth < 3 and col == 0 and model.rowCount(index) > 0:
                    yield from walk(index, depth + 1)

    yield from walk(QModelIndex(), 0)


def _plot_texts(view: pg.GraphicsView) -> Iterator[tuple[str, str]]:
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        if not item.isVisible():
            continue
        if isinstance(item, pg.AxisItem) and item.isVisible() and item.label.isVisible():
            yield f"axis {item.orientation}", item.labelString()
        elif isinstance(item, pg.LabelItem):
            yield "plot label", item.text
        elif isinstance(item, pg.TextItem):
            yield "plot text", item.textItem.toPlainText()


def texts(top: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text `top` shows a person."""
    yield "window title", top.windowTitle()
    widgets = [top, *(w for w in top.findChildren(QWidget) if w.isVisibleTo(top))]
    for w in widgets:
        where = f"{type(w).__name__}{'#' + w.objectName() if w.objectName() else ''}"
        if w.toolTip():
            yield f"{where} tooltip", w.toolTip()
        if isinstance(w, QLabel):
            yield where, w.text()
        elif isinstance(w, QAbstractButton):
            yield where, w.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        elif isinstance(w, QGroupBox):
            yield where, w.title()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield f"{where} tab {i}", w.tabText(i)
                yield f"{where} tab {i} tooltip", w.tabToolTip(i)
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{where} item {i}", w.itemText(i)
            if w.lineEdit() is not None:
                yield f"{where} placeholder", w.lineEdit().placeholderText()
        elif isinstance(w, QLineEdit):
            yield f"{where} placeholder", w.placeholderText()
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            yield f"{where} placeholder", w.placeholderText()
            if w.isReadOnly():
                yield where, w.toPlainText()
        elif isinstance(w, QStatusBar):
            yield where, w.currentMessage()
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):  # its view's model
            for part, text in _model_texts(w):
                yield f"{where} {part}", text
        elif isinstance(w, pg.GraphicsView):
            for part, text in _plot_texts(w):
                yield f"{where} {part}", text


def untranslated(top: QWidget, name: str) -> list[str]:
    out = []
    for where, text in texts(top):
        words = leftover(text)
        if words:
            out.append(f"{name} / {where}: {text!r:.160} (unmarked: {' '.join(dict.fromkeys(words))})")
    return sorted(set(out))


def test_the_walk_finds_an_unmarked_label(qtbot, pseudo) -> None:  # type: ignore[no-untyped-def]
    """The check itself: a label set without tr() is found, one with it is not, data is not."""
    top = QWidget()
    qtbot.addWidget(top)
    QLabel(QCoreApplication.translate("Test", "Dose {n} of {total}").format(n=2, total=3), top)
    QLabel("SIM1729 · 38.5 °C · SpO2 92 % · Ana Lopez", top).setObjectName("data")
    QLabel(i18n._("Temperature") + " " + i18n.ngettext("{n} dose", "{n} doses", 2), top)
    QLabel("Not marked", top).setObjectName("plain")
    found = untranslated(top, "probe")
    assert len(found) == 1 and "QLabel#plain" in found[0] and "Not marked" in found[0], found


@pytest.mark.usefixtures("pseudo")
def test_the_nurse_screen_and_its_alert_list(qtbot, reacting) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    engine, now = reacting
    window = window_for(qtbot, engine, now)
    try:
        qtbot.waitUntil(
            lambda: bool(window.status.alerts) and window.numerics.tiles["temp"].reading is not None,
            timeout=15_000,
        )
        found = untranslated(window, "nurse screen, locked")
        signed_in(window, USERS[3])  # AB, a nurse
        refreshes = window.refreshes
        qtbot.waitUntil(lambda: window.refreshes > refreshes + 1, timeout=10_000)
        found += untranslated(window, "nurse screen, signed in")
        window.show_alert_list()
        assert window.alert_list is not None
        found += untranslated(window.alert_list, "alert list")
        window.alert_list.close()
        assert not found, "\n".join(found)
    finally:
        window.shutdown()


MORE_DIALOGS: dict[str, Callable[[pytest.MonkeyPatch], QDialog]] = {
    "adverse event follow-up": lambda _: AdverseEventDialog([1, 2], [], DOCTOR, now=NOW, latest=LATEST),
    "confirm extubation": lambda _: CourseEventDialog("extubation", NOW, DOCTOR),
    "record an outcome": lambda _: CourseEventDialog("death", NOW, DOCTOR),
}


@pytest.mark.parametrize("name", [*DIALOGS, *MORE_DIALOGS])
def test_each_dialog(qtbot, pseudo, name, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    dialog: QDialog = {**DIALOGS, **MORE_DIALOGS}[name](monkeypatch)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    found = untranslated(dialog, name)
    dialog.reject()
    assert not found, "\n".join(found)


@pytest.mark.usefixtures("pseudo")
def test_the_review_and_each_of_its_tabs(qtbot, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    acting = acting_as(USERS[6])
    w = ReviewWindow(
        sql_ports(reaction_engine),
        PatientRef.parse(REACTION_PATIENT),
        clock=lambda: REACTION_NOW,
        acting=acting,
    )
    acting.setParent(w)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.data is not None, timeout=20_000)
    found: list[str] = []
    for i in range(w.tabs.count()):
        w.tabs.setCurrentIndex(i)
        if w.tabs.widget(i) is w.cohort:  # read when first shown
            qtbot.waitUntil(lambda: w.cohort_rows is not None and not w.busy, timeout=20_000)
        QApplication.processEvents()
        found += untranslated(w, f"review, tab {i}")
    assert not found, "\n".join(sorted(set(found)))


@pytest.mark.usefixtures("pseudo")
def test_the_ward_overview(qtbot, ward_db) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ward = ward_for(qtbot, ward_db, WARD_NOW)
    try:
        qtbot.waitUntil(lambda: len(ward.overview.tiles) == 3 and ward.overview.columns > 0, timeout=15_000)
        found = untranslated(ward, "ward overview")
        assert not found, "\n".join(found)
    finally:
        close(ward)


@pytest.mark.usefixtures("pseudo")
def test_the_report(qapp, reaction_engine) -> None:  # type: ignore[no-untyped-def]
    data = load_review(reaction_engine, PatientRef.parse(REACTION_PATIENT), REACTION_NOW)
    built, footer = report.build(data)
    found = [f"report footer: {footer!r}" for _ in [0] if leftover(footer)]
    as_logged = {report.translate("Report", "Who")}
    for n, block in enumerate(built.blocks):
        rows = block.rows or [[block.text]]
        # The safety log extract names each entry's sender as logged (an account, a process); what a
        # person or a device wrote is quoted as written.
        skip = {c for c, head in enumerate(rows[0]) if head in as_logged} if block.rows else set()
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if c not in skip and leftover(QUOTED.sub(" ", cell)):
                    found.append(f"report block {n} ({block.kind}) row {r} col {c}: {cell!r:.160}")
    assert not found, "\n".join(found)
