"""A death an ADT message reported and no clinician has confirmed is on the nurse's screen: its own
header line, in the message's words ("ADT reports death at …, not confirmed", never a diagnosis),
saying who confirms it and where, until it is confirmed (then the recorded death takes over)."""

from __future__ import annotations

from bedside_adapters.db.read_store import SqlSeriesStore
from bedside_ui.cli import main as cli_main
from bedside_ui.nurse_header import NurseHeader
from bedside_ui.theme import DARK
from PySide6.QtWidgets import QWidget

from bedside.model import PatientRef
from bedside.nurse_screen import local, reported_death_line
from bedside.users import Role
from tests.integration.test_adt_death import REF, T0, H, adt, send
from tests.signed_in import signed_in


def test_an_unconfirmed_death_is_on_the_nurses_header_until_confirmed(engine, capsys, qtbot) -> None:  # type: ignore[no-untyped-def]
    store = SqlSeriesStore(engine)
    ref = PatientRef.parse(REF)
    send(engine, adt("A01", "1", T0))
    alive = store.patient_status(ref, T0 + 10 * H)
    assert alive.reported_death is None and reported_death_line(alive) == ""

    send(engine, adt("A03", "2", T0 + 5 * H, pv1_36="20"))
    status = store.patient_status(ref, T0 + 10 * H)
    assert status.reported_death == T0 + 5 * H and status.deceased_at is None
    line = reported_death_line(status)
    assert line.startswith(f"ADT reports death at {local(T0 + 5 * H)}, not confirmed.")
    assert "An intensivist or investigator confirms it" in line and "bedside-cli confirm-death" in line

    header = NurseHeader(demo=False)
    widget = QWidget()  # the header is a layout: shown in a widget, as the main window does
    widget.setLayout(header.layout)
    qtbot.addWidget(widget)
    widget.show()
    header.show_reported_death(line, DARK)
    assert header.reported_death_label.isVisible() and header.reported_death_label.text() == line

    url = engine.url.render_as_string(hide_password=False)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", REF, *investigator]) == 0
    capsys.readouterr()
    confirmed = store.patient_status(ref, T0 + 10 * H)
    assert confirmed.deceased_at == T0 + 5 * H and confirmed.reported_death is None
    header.show_reported_death(reported_death_line(confirmed), DARK)
    assert not header.reported_death_label.isVisible()
