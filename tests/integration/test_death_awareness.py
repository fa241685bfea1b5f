"""The SAE report a death calls for runs from the site's first knowledge of it (ICH E2A day 0): the
receipt of the ADT message reporting it, even while no investigator has confirmed it."""

from __future__ import annotations

from bedside_adapters.db.death_sae_store import death_awareness
from bedside_adapters.db.review_store import load_review
from bedside_ui.cli import main as cli_main

from bedside.model import PatientRef
from bedside.users import Role
from tests.integration.test_adt_death import REF, T0, H, adt, send
from tests.signed_in import signed_in


def test_the_death_clock_runs_from_the_adt_messages_receipt(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """ICH E2A day 0 is the site's first knowledge: the ADT message reporting the death, when it was
    received, not the investigator's confirmation days later."""
    send(engine, adt("A01", "1", T0), adt("A03", "2", T0 + 5 * H, pv1_36="20"))
    with engine.connect() as conn:
        assert death_awareness(conn, PatientRef.parse(REF)) == T0 + 10 * H  # the pipeline's clock
    url = engine.url.render_as_string(hide_password=False)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", REF, *investigator]) == 0
    capsys.readouterr()
    with engine.connect() as conn:
        assert death_awareness(conn, PatientRef.parse(REF)) == T0 + 10 * H
    shown = {o.key: o for o in load_review(engine, PatientRef.parse(REF), T0 + 40 * H).outcome_set}
    assert "SAE report OVERDUE since" in shown["death"].flag


def test_the_listing_shows_an_unconfirmed_deaths_report_obligation(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """`adverse-events` names the death ADT reported, unconfirmed, with its report's clock from the
    message's receipt; once confirmed, the confirmed death's line takes its place."""
    send(engine, adt("A01", "1", T0), adt("A03", "2", T0 + 5 * H, pv1_36="20"))
    url = engine.url.render_as_string(hide_password=False)
    assert cli_main(["--db", url, "adverse-events", "--patient", REF]) == 0
    out = capsys.readouterr().out
    assert "death reported by ADT on " in out and "not yet confirmed" in out
    assert "SAE report OVERDUE since" in out  # 24 h from the receipt passed long ago
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", REF, *investigator]) == 0
    capsys.readouterr()
    assert cli_main(["--db", url, "adverse-events", "--patient", REF]) == 0
    out = capsys.readouterr().out
    assert "not yet confirmed" not in out and "SAE report OVERDUE since" in out


def test_the_reviews_and_the_reports_death_line_run_from_the_same_day_0(engine, capsys, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The review's adverse-event list and the report's SAE page read the death's awareness where the
    SAE clock does (the ADT message's receipt), not from the confirmation's log entry, made days
    later: one day 0 wherever the death's report is shown."""
    from bedside_ui.adverse_history import death_lines
    from bedside_ui.report_sae import add_death

    from tests.ui.test_death_sae_review import Page

    send(engine, adt("A01", "1", T0), adt("A03", "2", T0 + 5 * H, pv1_36="20"))
    url = engine.url.render_as_string(hide_password=False)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli_main(["--db", url, "confirm-death", "--patient", REF, *investigator]) == 0
    capsys.readouterr()
    data = load_review(engine, PatientRef.parse(REF), T0 + 40 * H)
    assert data.death_awareness == T0 + 10 * H  # the message's receipt, not the confirmation
    (line,) = death_lines(data)
    assert "an SAE report is due within 24 h of awareness (SAE report OVERDUE since" in line

    page = Page()
    add_death(page, data)  # type: ignore[arg-type]
    assert "SAE report OVERDUE since" in page.lines[0]
    shown = {o.key: o for o in load_review(engine, PatientRef.parse(REF), T0 + 40 * H).outcome_set}
    assert "SAE report OVERDUE since" in shown["death"].flag  # the outcomes table agrees
