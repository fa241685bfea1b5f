"""The alerting line names the node holding the lease as text: a host name or rule-set label from the
database is never read as markup."""

from __future__ import annotations

from bedside_ui.checks_view import FeedsView
from bedside_ui.theme import DARK


def test_the_alerting_line_shows_the_node_as_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = FeedsView()
    qtbot.addWidget(view.alerting_label)
    view.show_alerting("● Alerting live (r 1), checked 1 s ago · alerting: node <b>ward-b</b>", DARK)
    shown = view.alerting_label.text()
    assert "alerting: node &lt;b&gt;ward-b&lt;/b&gt;" in shown and "<b>" not in shown
