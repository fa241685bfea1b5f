"""The nurse's screen fits the screens it runs on: every text whole in its rectangle (a clipped digit
is a wrong value), every control inside the window, the window no wider than the screen, and every
dialog within 1366x768, the login and the signature dialogs among them. On the reaction course (the
longest banner, coloured tiles, a candidate dose), at 1366x768 and 1920x1080, in both themes, locked
and signed in, in English and in Spanish (whose texts are longer)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bedside_adapters.alerting.service import AlertingService
from bedside_adapters.db.queries import sql_ports
from bedside_ui.alert_list import AlertListDialog
from bedside_ui.checks_view import ChecksView
from bedside_ui.fit import NoteLabel
from bedside_ui.i18n import install_language
from bedside_ui.login_dialog import DemoAccount
from bedside_ui.main_window import MainWindow
from bedside_ui.theme import THEMES
from PySide6.QtCore import QCoreApplication, QRect, QSettings, QTimer
from PySide6.QtGui import QFontMetricsF, Qt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QStyle,
    QStyleOptionHeader,
    QWidget,
)

from bedside.checks import CheckState
from bedside.model import PatientRef
from bedside.numerics import NUMERICS, NumericReading
from bedside.nurse_checks import CheckRow, Checks
from bedside.nurse_screen import SECONDARY_NOTICE
from bedside.parameters import ParameterCatalog
from bedside.users import Action, Role, User
from tests.helpers import shown_alert
from tests.ui.signing import USERS, Accounts, password, signed_in
from tests.ui.test_nurse_screen import DOSE, PATIENT, RULES, fill

SCREENS = ((1366, 768), (1920, 1080))
DEMO_ACCOUNTS = [DemoAccount(u.username, password(u), str(u.role), u.full_name) for u in USERS]
LONG_NAME = User(
    username="mcastellanos", full_name="María de los Ángeles Castellanos Villanueva", role=Role.INTENSIVIST
)
"""A long printed name in the header, signed in."""
WINDOW_MANAGER = 70
"""What a window manager may take above the window: openbox places it at y=40 under a panel, and its
title bar is about 25 px; the bottom buttons must stay on the screen all the same."""


def _visible(widget: QWidget, top: QWidget) -> Iterator[QWidget]:
    for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if child.isVisibleTo(top) and not child.isWindow():
            yield child
            yield from _visible(child, top)


def _text_size(label: QLabel) -> tuple[float, float]:
    text, font = label.text(), label.font()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    )
    if rich:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(font)
        doc.setHtml(text)
        return doc.idealWidth(), doc.size().height()
    metrics = QFontMetricsF(font)
    lines = text.split("\n")
    width = max(metrics.boundingRect(line).width() for line in lines)
    width = max(width, max(metrics.horizontalAdvance(line) for line in lines))
    return width, metrics.height() + metrics.lineSpacing() * (len(lines) - 1)


def misfits(top: QWidget) -> list[str]:
    """Every visible text that does not fit its rectangle, and every visible widget outside `top`."""
    out: list[str] = []
    frame = top.rect()
    for w in _visible(top, top):
        where = QRect(w.mapTo(top, w.rect().topLeft()), w.size())
        name = f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r:.70}"
        if w.width() > 0 and w.height() > 0 and not frame.contains(where):
            out.append(f"outside the window {where.getRect()} of {frame.getRect()}: {name}")
        if isinstance(w, QLabel) and w.text() and w.pixmap().isNull() is not False:
            room = w.contentsRect().adjusted(w.margin(), w.margin(), -w.margin(), -w.margin())
            if w.indent() > 0:
                room.setWidth(room.width() - w.indent())
            if "…" in w.text() and not w.text().rstrip().endswith("…)"):
                out.append(f"elided: {name}")
            if w.wordWrap():
                need = w.heightForWidth(w.width())
                if need > w.height():
                    out.append(f"wrapped text {need} px tall in {w.height()}: {name}")
                continue
            width, height = _text_size(w)
            if width > room.width() + 1 or height > room.height() + 1.5:
                out.append(
                    f"text {width:.0f}x{height:.0f} in {room.width()}x{room.height()}"
                    f" (font {w.font().pointSizeF():g}pt/{w.font().pixelSize()}px): {name}"
                )
        elif isinstance(w, QAbstractButton | QComboBox) and w.width() < w.minimumSizeHint().width():
            out.append(f"squeezed to {w.width()} of {w.minimumSizeHint().width()} px: {name}")
        elif isinstance(w, QHeaderView):
            out += header_misfits(w)
    return out


def header_misfits(header: QHeaderView) -> list[str]:
    """A table's column headers: each starts with a capital and fits its column, whole."""
    out: list[str] = []
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return out
    metrics = QFontMetricsF(header.font())
    option = QStyleOptionHeader()
    option.initFrom(header)
    margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, option, header)
    for section in range(model.columnCount()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        first = text.lstrip("#(¿¡«“ ")[:1]
        if first.islower():
            out.append(f"header not capitalised: {text!r}")
        need = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0.0) + margin
        if text and header.sectionSize(section) + 1 < need:
            out.append(f"header {need:.0f} px wide in {header.sectionSize(section)}: {text!r}")
    return out


def broken_items(label: QLabel) -> list[str]:
    """The items of a rich-text line ("a&nbsp;&nbsp; b") that the label's wrapping breaks inside."""
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(label.font())
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    doc.size()  # lays the lines out
    ends: list[int] = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            ends.append(block.position() + line.textStart() + line.textLength())
        block = block.next()
    text = doc.toRawText()  # keeps the no-break spaces between items (toPlainText makes them spaces)
    out, start = [], 0
    for item in text.split("\xa0\xa0 "):
        stop = start + len(item)
        if any(start < end < stop for end in ends):
            out.append(item)
        start = stop + 3
    return out


def worst_readings() -> list[NumericReading]:
    """The widest values a tile must hold: 3-digit pressures, a manual entry, a HIGH flag, context."""
    out = []
    for spec in NUMERICS:
        wide = {"abp_sys": 188.0, "temp": 40.9, "hr": 188.0, "spo2": 100.0}.get(spec.key, 188.0)
        out.append(
            NumericReading(
                spec,
                wide,
                DOSE,
                4000.0,
                True,
                "nibp_sys" if spec.key == "abp_sys" else spec.parameters[0],
                wide - 111.0,
                "",
                "high",
                (112.0, 137.0) if spec.key == "abp_sys" else (),
                (100.0, 108.0) if spec.key == "abp_sys" else (),
                True,
                "oesophageal",
                "MAP below 65 before the dose: alerts below 60" if spec.key == "abp_sys" else "",
            )
        )
    return out


def check_dialog(qtbot, window: MainWindow, open_it: Callable[[], None], name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open a dialog through the window, measure it, close it."""
    found: list[str] = []
    seen: list[bool] = []

    def measure() -> None:
        # Modal dialogs, and the alerts list, which stays open beside the screen (not modal).
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
        dialog = QApplication.activeModalWidget() or (shown[0] if shown else None)
        if dialog is None:
            QTimer.singleShot(20, measure)
            return
        seen.append(True)
        hint = dialog.sizeHint().expandedTo(dialog.minimumSize())
        size = dialog.size()
        if max(hint.width(), size.width()) > 1366 or max(hint.height(), size.height()) > 768 - WINDOW_MANAGER:
            found.append(f"{name}: {size.width()}x{size.height()} (hint {hint.width()}x{hint.height()})")
        found.extend(f"{name}: {m}" for m in misfits(dialog))
        dialog.reject()

    QTimer.singleShot(0, measure)
    open_it()
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    qtbot.waitUntil(
        lambda: not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    )
    return found


@pytest.fixture(params=["en", "es"])
def language(request, qapp) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The screens built in each language (set before the window is built), English again after."""
    install_language(qapp, request.param)
    try:
        yield request.param
    finally:
        install_language(qapp, "en")


@pytest.fixture
def reaction(sqlite_engine):  # type: ignore[no-untyped-def]
    """40 min into the dose, 15 min into the reaction: alerts open, tiles coloured, start unconfirmed."""
    now = DOSE + 40 * 60
    fill(sqlite_engine, now, step=30.0)
    AlertingService(sqlite_engine, RULES).evaluate_patient(PatientRef.parse(PATIENT), now)
    return sqlite_engine, now


def test_every_text_and_control_fits_1366x768_and_1920x1080_in_both_themes(qtbot, reaction, language) -> None:  # type: ignore[no-untyped-def]
    engine, now = reaction
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        sql_ports(engine),
        ParameterCatalog.load(),
        clock=lambda: now,
        refresh_ms=100,
        settings=settings,
        demo=True,
        authenticator=Accounts(),
        demo_accounts=DEMO_ACCOUNTS,
    )
    qtbot.addWidget(window)
    window.resize(*SCREENS[0])
    window.show()
    try:
        qtbot.waitUntil(
            lambda: bool(window.status.alerts) and window.numerics.tiles["abp_sys"].reading is not None,
            timeout=15_000,
        )
        # The window can shrink to what a 768-line screen leaves below a window manager's bar.
        least = window.minimumSizeHint()
        assert least.width() <= 1366 and least.height() <= 768 - WINDOW_MANAGER, least
        problems: list[str] = []
        for user in (None, LONG_NAME):  # locked, then signed in
            if user is not None:
                signed_in(window, user)
            for width, height in SCREENS:
                for theme in ("dark", "light"):
                    window.apply_theme(THEMES[theme])
                    window.resize(width, height - WINDOW_MANAGER)
                    refreshes = window.refreshes
                    qtbot.waitUntil(lambda r=refreshes: window.refreshes > r + 1, timeout=10_000)
                    where = f"{language} {width}x{height} {theme} {'signed in' if user else 'locked'}"
                    if window.width() > width:
                        problems.append(f"{where}: window {window.width()} px wide")
                    problems += [f"{where}: {m}" for m in misfits(window)]
                    problems += [
                        f"{where}: a check broken over two lines: {t!r}"
                        for t in broken_items(window.checks_label)
                    ]
                    # The widest values a tile must hold, as a reaction at its worst would show them.
                    window.numerics.show_readings(worst_readings())
                    QApplication.processEvents()
                    problems += [f"{where} widest values: {m}" for m in misfits(window.numerics)]
        assert not problems, "\n".join(problems)

        window.resize(*SCREENS[0])
        qtbot.waitUntil(lambda: window.sign_button.isEnabled(), timeout=10_000)
        dialogs = [
            ("start dose", window.start_dose),
            ("stop dose", window.stop_dose),
            ("confirm start", window.confirm_dose),
            ("adverse event", window.record_adverse_event),
            ("record vitals", window.record_vitals),
            ("sign check", window.sign_check),
            ("alerts list", window.show_alert_list),
            ("login", window.screen_lock.sign_in),
            (
                "signature, both components",
                lambda: window.screen_lock.sign(
                    Action.ACKNOWLEDGE, "the acknowledgement of HIGH C1 Reaction"
                ),
            ),
            (
                "signature with its meaning stated",
                lambda: window.screen_lock.sign(
                    Action.RECORD_ADVERSE_EVENT, "the adverse event Fever, grade 2"
                ),
            ),
        ]
        found: list[str] = []
        for name, open_it in dialogs:
            found += check_dialog(qtbot, window, open_it, name)
        assert not found, "\n".join(found)
    finally:
        window.shutdown()


def test_the_screen_comes_back_whole_after_a_resize_and_back(qtbot, reaction) -> None:  # type: ignore[no-untyped-def]
    # Narrower, the banner's and the feeds' texts wrap to more lines and take height from the trends;
    # wide again, that height goes back to the trends (not left as empty space under the texts).
    engine, now = reaction
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        sql_ports(engine), ParameterCatalog.load(), clock=lambda: now, refresh_ms=100, settings=settings
    )
    qtbot.addWidget(window)
    size = (1366, 768 - WINDOW_MANAGER)
    window.resize(*size)
    window.show()
    try:
        qtbot.waitUntil(lambda: bool(window.status.alerts), timeout=15_000)
        refreshes = window.refreshes
        qtbot.waitUntil(lambda: window.refreshes > refreshes + 1, timeout=10_000)
        before = window.trends.height()
        window.resize(1100, 700)
        refreshes = window.refreshes
        qtbot.waitUntil(lambda: window.refreshes > refreshes + 1, timeout=10_000)
        window.resize(*size)
        refreshes = window.refreshes
        qtbot.waitUntil(lambda: window.refreshes > refreshes + 1, timeout=10_000)
        assert abs(window.trends.height() - before) <= 2, (before, window.trends.height())
    finally:
        window.shutdown()


def test_locking_and_signing_in_as_another_user_never_widens_the_window(qtbot, reaction, language) -> None:  # type: ignore[no-untyped-def]
    # The window is not resized between the steps: a header text asking for more than the screen's
    # width would grow the window past it (and keep it there), the buttons at its right off-screen.
    engine, now = reaction
    settings = QSettings(str(Path(os.environ["BEDSIDE_DATA_DIR"]) / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        sql_ports(engine),
        ParameterCatalog.load(),
        clock=lambda: now,
        refresh_ms=100,
        settings=settings,
        demo=True,
        authenticator=Accounts(),
        demo_accounts=DEMO_ACCOUNTS,
    )
    qtbot.addWidget(window)
    width, height = SCREENS[0]
    window.resize(width, height - WINDOW_MANAGER)
    window.show()
    try:
        qtbot.waitUntil(lambda: bool(window.status.alerts), timeout=15_000)
        other = User(
            username="fvillanueva",
            full_name="Francisco Javier Fernández-Villanueva de la Santísima Trinidad",
            role=Role.INTENSIVIST,
        )
        problems: list[str] = []
        for step, act in (
            ("signed in", lambda: signed_in(window, LONG_NAME)),
            ("locked", window.screen_lock.lock),
            ("another user signed in", lambda: signed_in(window, other)),
            ("locked again", window.screen_lock.lock),
        ):
            act()
            refreshes = window.refreshes
            qtbot.waitUntil(lambda r=refreshes: window.refreshes > r + 1, timeout=10_000)
            if window.width() > width:
                problems.append(f"{language} {step}: window {window.width()} px wide")
            problems += [f"{language} {step}: {m}" for m in misfits(window)]
        assert not problems, "\n".join(problems)
    finally:
        window.shutdown()


def test_a_line_of_checks_breaks_between_checks_never_inside_one(qtbot, language) -> None:  # type: ignore[no-untyped-def]
    view = ChecksView()
    host = QWidget()
    host.setLayout(view.layout)
    qtbot.addWidget(host)
    rows = tuple(
        CheckRow(state, mark, label, detail)
        for state, mark, label, detail in (
            (CheckState.MISSED, "●", "+15 min", "missed 03:42"),
            (CheckState.MISSED, "●", "+30 min", "missed 03:57"),
            (CheckState.OVERDUE, "●", "check after a HIGH alert", "late 04:03"),
            (CheckState.DUE, "○", "+60 min", "next 04:27"),
            (CheckState.DUE, "○", "end of the infusion", "after the end"),
            (CheckState.DONE, "✓", "+2 h", "signed EF 05:31"),
            (CheckState.DUE, "○", "+4 h", "next 07:27"),
        )
    )
    host.show()
    for width in (520, 600, 700, 800):
        host.resize(width, 200)
        view.show_checks(Checks(1, rows, more_missed=2), THEMES["dark"])
        QApplication.processEvents()
        assert view.label.heightForWidth(view.label.width()) > QFontMetricsF(view.label.font()).height() * 2
        assert not broken_items(view.label), width


def test_the_alerts_list_shows_every_alerts_name_and_header_whole(qtbot, language) -> None:  # type: ignore[no-untyped-def]
    # The longest names in the rule set, open, acknowledged and resolved, indented under a problem.
    longest = sorted(RULES.rules, key=lambda r: len(r.title_es if language == "es" else r.title))[-4:]
    alerts = [
        shown_alert(i + 1, 1, rule.id, rule.title, "high", "raised", DOSE + 60.0 * i, rule.message)
        for i, rule in enumerate(longest)
    ]
    dialog = AlertListDialog({"high": 5.0}, SECONDARY_NOTICE, clock=lambda: DOSE + 3600.0, rules=RULES)
    qtbot.addWidget(dialog)
    dialog.show_alerts(alerts, [])
    dialog.resize(1366, 768 - WINDOW_MANAGER)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    metrics = QFontMetricsF(table.font())
    cut = []
    for row in range(table.rowCount()):
        for column in (2, 6):  # the alert's name, and who acknowledged it ("not acknowledged")
            item = table.item(row, column)
            room = table.visualItemRect(item).width() - 2 * table.style().pixelMetric(
                QStyle.PixelMetric.PM_FocusFrameHMargin
            )
            if metrics.horizontalAdvance(item.text()) > room:
                cut.append(item.text())
    assert not cut, cut
    assert not header_misfits(table.horizontalHeader())


def test_a_view_note_with_little_room_goes_on_two_lines_whole_rather_than_cut(qtbot, language) -> None:  # type: ignore[no-untyped-def]
    note = QCoreApplication.translate("TrendPanel", "view downsampled ×{factor} (min/max per pixel)")
    label = NoteLabel()
    qtbot.addWidget(label)
    label.set_note(note.format(factor=4))
    one_line = QFontMetricsF(label.font()).horizontalAdvance(label.note())
    label.resize(int(one_line * 0.6), 40)
    label.show()
    assert "…" not in label.text() and label.text().replace("\n", " ") == label.note()
    lines = label.text().split("\n")
    metrics = QFontMetricsF(label.font())
    assert len(lines) == 2 and all(metrics.horizontalAdvance(line) <= label.width() for line in lines)
    label.resize(int(one_line) + 4, 40)
    assert label.text() == label.note()
    label.resize(int(one_line * 0.25), 40)  # no room for two lines either: shortened, whole in its tooltip
    assert label.text().endswith("…") and label.toolTip() == label.note()
