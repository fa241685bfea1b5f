"""The banner's explanation takes at most two lines, so that a long one (a reaction acknowledged with
many parts) never pushes the trends' tick numbers off a 1366x768 screen; cut short, the whole text is
in the tooltip."""

from __future__ import annotations

from bedside_ui.alert_banner import AlertBanner
from bedside_ui.theme import THEMES

from bedside.nurse_screen import Banner

HEAD = "<b>HIGH&nbsp; Anaphylaxis-like pattern</b> (rule C1) since 04:56 · not acknowledged<br>"
LONG = "Significant hypotension with a rise in airway pressure, desaturation or urticaria. " * 6
SHORT = "Significant hypotension with a rise in airway pressure."


def _banner(qtbot, small: str) -> AlertBanner:  # type: ignore[no-untyped-def]
    banner = AlertBanner()
    qtbot.addWidget(banner)
    banner.resize(1350, 200)
    banner.show()
    qtbot.waitExposed(banner)
    text = f"{HEAD}<span style='font-size:11pt'>{small}</span>"
    banner.show_banner(Banner("high", text, True, "Alerts (1 open, 1 to acknowledge)…", ""), THEMES["dark"])
    return banner


def test_a_long_explanation_is_cut_to_two_lines_with_the_whole_text_on_hover(qtbot) -> None:
    banner = _banner(qtbot, LONG)
    shown = banner.label.text()
    assert shown.startswith(HEAD) and shown.endswith("…</span>") and len(shown) < len(HEAD) + len(LONG)
    assert LONG.strip() in banner.label.toolTip()
    short = _banner(qtbot, SHORT)
    one_line = short.label
    # The heading, and the explanation on at most two lines more.
    assert (
        banner.label.heightForWidth(banner.label.width())
        <= one_line.heightForWidth(one_line.width()) + 2 * 24
    )


def test_a_short_explanation_is_shown_whole_without_a_tooltip(qtbot) -> None:
    banner = _banner(qtbot, SHORT)
    assert banner.label.text().endswith(f"{SHORT}</span>") and banner.label.toolTip() == ""
