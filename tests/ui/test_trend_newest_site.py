"""A temperature trend's title gives the newest reading whatever its site, named by that site (a
central reading entered after an axillary one is the one shown), and every point entered by hand is
written with its value, not as a bare diamond."""

from __future__ import annotations

from functools import partial

from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_ui.actions import record_vitals

from bedside.model import PatientRef
from bedside.users import Role
from bedside.vitals import RecordVitals
from tests.ui.test_vitals_dialog import NOW, REF, admitted, window_for  # noqa: F401  (the fixture)


def test_the_title_gives_the_newest_temperature_with_its_site(qtbot, admitted) -> None:  # noqa: F811
    engine = admitted
    for minutes, temp, site in ((50, 36.9, "axillary"), (10, 38.4, "core")):
        record_vitals(
            partial(SqlUnitOfWork, engine),
            RecordVitals(
                PatientRef.parse(REF), NOW - minutes * 60, "CD", temp=temp, temp_site=site, role=Role.NURSE
            ),
            NOW,
        )
    window = window_for(qtbot, engine)
    try:
        plot = window.trends.plot("Temperature")
        qtbot.waitUntil(lambda: plot.points() == 2, timeout=15_000)
        qtbot.waitUntil(lambda: "38.4" in plot.title_item.toPlainText(), timeout=15_000)
        title = plot.title_item.toPlainText()
        assert "Temp core 38.4" in title and "36.9" not in title, title
        assert sorted(plot.value_labels()) == ["36.9", "38.4"]
    finally:
        window.shutdown()
