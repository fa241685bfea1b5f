"""`bedside-cli` for serious adverse events: the required choices (grade, relatedness, onset) are
required options; a serious event is recorded with its criteria and awareness, followed up as a new
version, reported to the sponsor, and listed with its 24-hour clock; a nurse's assessment is
refused; a refusal is one line."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime

import pytest
from bedside_adapters.db import schema as t
from bedside_ui.cli import main as cli_main
from sqlalchemy import select

from bedside.users import Role
from tests.signed_in import ensure_user, signed_in


@pytest.fixture
def url(sqlite_engine) -> str:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    assert cli(
        url,
        "episode",
        "start",
        "--json",
        "--patient",
        "P1^H",
        "--dose",
        "1",
        "--at",
        iso(-7200),
        *signed_in(url, "RN"),
    )
    return url


def cli(url: str, *args: str) -> int:
    return cli_main(["--db", url, *args]) == 0


def iso(offset: float) -> str:
    return datetime.fromtimestamp(time.time() + offset, UTC).isoformat(timespec="seconds")


def sae(url: str, *more: str) -> list[str]:
    return [
        "adverse-event",
        "--json",
        "--patient",
        "P1^H",
        "--dose",
        "1",
        "--term",
        "Hypotension",
        "--grade",
        "3",
        "--relatedness",
        "probable",
        "--onset",
        iso(-5400),
        "--serious",
        "life_threatening",
        "hospitalisation",
        "--awareness",
        iso(-5000),
        "--action-taken",
        "stopped",
        "--treatment",
        "noradrenaline",
        *more,
        *signed_in(url, "marta", Role.INVESTIGATOR, meaning=True),
    ]


@pytest.mark.parametrize("missing", ["--grade", "--relatedness", "--onset"])
def test_each_required_choice_is_a_required_option(url, missing: str, capsys) -> None:  # type: ignore[no-untyped-def]
    argv = sae(url)
    i = argv.index(missing)
    del argv[i : i + 2]
    with pytest.raises(SystemExit) as exited:
        cli_main(["--db", url, *argv])
    assert exited.value.code == 2
    assert f"error: missing: {missing}" in capsys.readouterr().err


def test_record_follow_up_report_and_list_an_sae(url, sqlite_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli(url, *sae(url))
    first = json.loads(capsys.readouterr().out)
    assert (first["event"], first["version"], first["susar"], first["expectedness"]) == (
        1,
        1,
        True,
        "unexpected",
    )
    assert first["assessor_role"] == "investigator" and first["signature"]["role"] == "investigator"

    assert cli(url, "adverse-events", "--patient", "P1^H")
    listed = capsys.readouterr().out
    assert "#1 v1 Hypotension G3" in listed and "SUSAR" in listed and "SAE report due" in listed

    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    follow = [
        "adverse-event-follow-up",
        "--json",
        "1",
        "--patient",
        "P1^H",
        "--outcome",
        "recovered",
        "--end",
        iso(-600),
    ]
    assert cli(url, *follow, *investigator)
    second = json.loads(capsys.readouterr().out)
    assert (second["event"], second["version"], second["outcome"], second["grade"]) == (1, 2, "recovered", 3)

    sent = iso(-3600)
    assert cli(
        url, "adverse-event-reported", "--json", "1", "--patient", "P1^H", "--sent", sent, *investigator
    )
    reported = json.loads(capsys.readouterr().out)
    assert reported["event"] == 1 and reported["version"] == 2 and reported["signature"]["meaning"]

    assert cli(url, "adverse-events", "--patient", "P1^H", "--json")
    (shown,) = json.loads(capsys.readouterr().out)
    assert (shown["version"], shown["versions"], shown["clock"]) == (2, 2, "reported on time")
    assert shown["late"] is False
    assert shown["reported_at"] == pytest.approx(datetime.fromisoformat(sent).timestamp())
    # Version 2's own row id is not an event number: refused, naming the events there are.
    assert not cli(url, "adverse-events", "--patient", "P1^H", "--history", "2")
    assert "no adverse event #2 for P1^H; the events are #1" in capsys.readouterr().err
    assert cli(url, "adverse-events", "--patient", "P1^H", "--history", "1")
    history = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in history] == ["v1", "v2", "changed:"]
    # Who recorded each version: the person with their role, not the bare account.
    assert all(re.search(r" by .+ \((nurse|intensivist|investigator)\): ", line) for line in history[:2]), (
        history
    )
    assert "outcome: not recorded → recovered/resolved" in history[2] and "end: not recorded →" in history[2]
    with sqlite_engine.connect() as conn:
        rows = conn.execute(select(t.adverse_event.c.version, t.adverse_event.c.outcome)).all()
    assert sorted(rows) == [(1, None), (2, "recovered")]


def test_a_nurse_assessing_seriousness_or_an_unknown_event_is_one_line(url, capsys) -> None:  # type: ignore[no-untyped-def]
    nurse = signed_in(url, "ana", Role.NURSE, meaning=True)
    argv = sae(url)[: sae(url).index("--credentials")]
    argv[argv.index("probable")] = "not yet assessed"
    assert not cli(url, *argv, *nurse)
    err = capsys.readouterr().err
    assert "a nurse may not assess relatedness and seriousness" in err and len(err.strip().splitlines()) == 1
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert not cli(
        url, "adverse-event-reported", "--json", "9", "--patient", "P1^H", "--sent", "now", *investigator
    )
    err = capsys.readouterr().err
    assert "no adverse event #9" in err and len(err.strip().splitlines()) == 1


def test_a_follow_up_says_what_it_changed_old_to_new(url, capsys) -> None:  # type: ignore[no-untyped-def]
    """The confirmation names each field the follow-up changed with its old and new value, as the
    review's history of the event does; a follow-up that changes nothing is refused, saying so."""
    assert cli(url, *sae(url))
    capsys.readouterr()
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    follow = ["adverse-event-follow-up", "1", "--patient", "P1^H", "--grade", "2", "--outcome", "recovering"]
    assert cli(url, *follow, *investigator)
    said = capsys.readouterr().out
    assert "(version 2)" in said and "Changed from version 1: " in said, said
    assert "grade: G3 → G2" in said and "outcome: " in said and " → recovering" in said, said
    assert cli_main(["--lang", "es", "--db", url, *follow[:-4], "--grade", "1", *investigator]) == 0
    said = capsys.readouterr().out
    assert "Cambios respecto a la versión 2: " in said and "grado: G2 → G1" in said, said
    assert not cli(url, *follow[:4], *investigator)
    assert "nothing changed: this follow-up says what version 3" in capsys.readouterr().err


def test_a_late_report_stays_late_when_a_follow_up_moves_the_awareness(url, capsys) -> None:  # type: ignore[no-untyped-def]
    """ICH E2A: day 0 is the first knowledge of the event. A follow-up may correct the awareness time
    only with a reason, and the 24 h are still judged from the earliest awareness recorded."""
    assert cli(
        url,
        "episode",
        "start",
        "--json",
        "--patient",
        "P2^H",
        "--dose",
        "1",
        "--at",
        iso(-200000),
        *signed_in(url, "RN"),
    )
    first = sae(url)[: sae(url).index("--credentials")]
    first[first.index("P1^H")] = "P2^H"
    first[first.index("--onset") + 1] = iso(-190000)
    first[first.index("--awareness") + 1] = iso(-180000)
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli(url, *first, *investigator)
    capsys.readouterr()
    sent = ["adverse-event-reported", "--json", "1", "--patient", "P2^H", "--sent", iso(-50000)]
    assert cli(url, *sent, *investigator)
    moved = ["adverse-event-follow-up", "--json", "1", "--patient", "P2^H", "--awareness", iso(-185000)]
    assert not cli(url, *moved, *investigator)
    assert "state why (the awareness reason)" in capsys.readouterr().err
    assert not cli(url, *moved, "--awareness-reason", "x", *investigator)
    capsys.readouterr()
    reason = "the ward's note was misdated"
    assert cli(url, *moved, "--awareness-reason", reason, *investigator)
    capsys.readouterr()
    assert cli(url, "adverse-events", "--patient", "P2^H", "--json")
    (shown,) = json.loads(capsys.readouterr().out)
    assert (shown["version"], shown["clock"], shown["late"]) == (2, "reported late", True)
    assert cli(url, "adverse-events", "--patient", "P2^H", "--history", "1")
    history = capsys.readouterr().out.splitlines()
    assert history[2].split()[:2] == ["changed:", "awareness:"] and f"(reason: {reason})" in history[2]


def test_the_listing_says_when_susar_changed_after_the_first_report(url, capsys) -> None:  # type: ignore[no-untyped-def]
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli(url, *sae(url))
    assert cli(
        url, "adverse-event-reported", "--json", "1", "--patient", "P1^H", "--sent", iso(-3600), *investigator
    )
    nurse = signed_in(url, "ana", Role.NURSE, meaning=True)
    lower = ["adverse-event-follow-up", "--json", "1", "--patient", "P1^H", "--grade", "1"]
    assert not cli(url, *lower, *nurse)
    assert "would change the expectedness and SUSAR of adverse event #1" in capsys.readouterr().err
    assert cli(url, *lower, *investigator)
    capsys.readouterr()
    assert cli(url, "adverse-events", "--patient", "P1^H")
    assert "not a SUSAR; SUSAR status changed after the first report (then: SUSAR)" in capsys.readouterr().out
    assert cli(url, "adverse-events", "--patient", "P1^H", "--json")
    (shown,) = json.loads(capsys.readouterr().out)
    assert (shown["susar"], shown["susar_at_first_report"]) == (False, True)


def test_an_overdue_susar_reassessed_not_serious_stays_in_the_listing(url, capsys) -> None:  # type: ignore[no-untyped-def]
    """An event once assessed serious (a SUSAR, its 24 h report overdue) that a follow-up reassesses
    as not serious still shows what it was, when and by whom it was reassessed, and that its report
    was overdue then: the text listing and the JSON."""
    assert cli(
        url,
        "episode",
        "start",
        "--patient",
        "P2^H",
        "--dose",
        "1",
        "--at",
        iso(-200000),
        *signed_in(url, "RN"),
    )
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    first = sae(url)[: sae(url).index("--credentials")]
    first[first.index("P1^H")] = "P2^H"
    first[first.index("--onset") + 1] = iso(-190000)
    first[first.index("--awareness") + 1] = iso(-180000)  # the 24 h ran out two days ago
    assert cli(url, *first, *investigator)
    capsys.readouterr()
    down = ["adverse-event-follow-up", "--json", "1", "--patient", "P2^H", "--not-serious"]
    ensure_user(url, "luis", Role.INTENSIVIST, full_name="Luis Ortega")
    assert cli(url, *down, *signed_in(url, "luis", Role.INTENSIVIST, meaning=True))
    capsys.readouterr()
    assert cli(url, "adverse-events", "--patient", "P2^H", "--json")
    (shown,) = json.loads(capsys.readouterr().out)
    was = shown["reassessed_not_serious"]
    assert shown["seriousness"] == [] and was is not None
    assert (was["serious_version"], was["susar_version"], was["version"], was["by"], was["role"]) == (
        1,
        1,
        2,
        "luis",
        "intensivist",
    )
    assert was["criteria"] == ["life_threatening", "hospitalisation"] and was["state"] == "overdue"
    assert cli(url, "adverse-events", "--patient", "P2^H")
    line = capsys.readouterr().out
    assert "assessed serious (life threatening, hospitalisation) and a SUSAR in version 1" in line
    # A person reads who reassessed it by printed name; --json keeps the account (above).
    assert "reassessed not serious in version 2 at" in line and "by Luis Ortega (" in line
    assert "its 24 h report was overdue then (due " in line and "not sent by then" in line


def test_the_sae_listing_as_csv_keeps_a_reassessed_event(url, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The CSV the command line writes is the report's SAE listing: a serious event reassessed as not
    serious is a row, with its trace."""
    import csv

    ensure_user(url, "marta", Role.INVESTIGATOR, full_name="Marta Gil")
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli(url, *sae(url))
    down = ["adverse-event-follow-up", "--json", "1", "--patient", "P1^H", "--not-serious"]
    assert cli(url, *down, *investigator)
    capsys.readouterr()
    out = tmp_path / "sae.csv"
    assert cli(url, "adverse-events", "--patient", "P1^H", "--sae-csv", str(out))
    assert "1 serious event;" in capsys.readouterr().out  # the count in its singular form
    with out.open(encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    cells = dict(zip(header, rows[0], strict=True))
    assert cells["Seriousness (ICH E2A)"] == "not serious since version 2"
    assert "reassessed not serious in version 2" in cells["Reported to sponsor"]
    assert "(investigator)" in cells["Reported to sponsor"]
    # Who reassessed it by printed name, as the report's listing names them; never the account.
    assert "by Marta Gil (investigator)" in cells["Reported to sponsor"]
    assert not cli(url, "adverse-events", "--patient", "P1^H", "--sae-csv", str(out))  # never overwritten


def test_the_awareness_reason_is_a_column_of_its_own(engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """A follow-up's reason for moving the awareness time is stored in its own column (the notes stay
    the clinician's), read back into the history, the SAE listing's awareness and SUPPAE, and
    covered by verify-log: an SQL edit of it is found."""
    from sqlalchemy import update

    url = engine.url.render_as_string(hide_password=False)
    assert cli(
        url, "episode", "start", "--patient", "P1^H", "--dose", "1", "--at", iso(-7200), *signed_in(url, "RN")
    )
    investigator = signed_in(url, "marta", Role.INVESTIGATOR, meaning=True)
    assert cli(
        url, *sae(url)[: sae(url).index("--credentials")], "--notes", "seen at the 06:00 round", *investigator
    )
    moved = ["adverse-event-follow-up", "--json", "1", "--patient", "P1^H", "--awareness", iso(-5200)]
    reason = "the ward's note was misdated"
    assert cli(url, *moved, "--awareness-reason", reason, *investigator)
    capsys.readouterr()
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                t.adverse_event.c.version, t.adverse_event.c.awareness_reason, t.adverse_event.c.notes
            ).order_by(t.adverse_event.c.version)
        ).all()
    assert [tuple(r) for r in rows] == [
        (1, None, "seen at the 06:00 round"),
        (2, reason, "seen at the 06:00 round"),
    ]
    assert cli(url, "adverse-events", "--patient", "P1^H", "--history", "1")
    assert f"(reason: {reason})" in capsys.readouterr().out
    assert cli(url, "verify-log")
    capsys.readouterr()
    with engine.begin() as conn:
        conn.execute(
            update(t.adverse_event).where(t.adverse_event.c.version == 2).values(awareness_reason="x")
        )
    assert not cli(url, "verify-log")
    assert f'log says "{reason}"' in capsys.readouterr().err


def test_grade_4_without_awareness_clocks_from_its_record(url, sqlite_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    """ICH E2A day 0 is the site's first knowledge: a grade 4 event recorded with no awareness time
    and seriousness not yet assessed runs its provisional clock from its record, and the JSON's
    `due` is 24 h after the `clock_from` it names."""
    first = sae(url)[: sae(url).index("--credentials")]
    for option in ("--serious", "--awareness"):
        at = first.index(option)
        del first[at : at + (3 if option == "--serious" else 2)]
    first[first.index("--grade") + 1] = "4"
    recorded = cli(url, *first, *signed_in(url, "RN", meaning=True))
    assert recorded, capsys.readouterr().err
    capsys.readouterr()
    with sqlite_engine.connect() as conn:
        recorded_ms = conn.execute(select(t.adverse_event.c.reported_ms)).scalar_one()
    assert cli(url, "adverse-events", "--patient", "P1^H", "--json")
    (shown,) = json.loads(capsys.readouterr().out)
    assert shown["clock"] == "due" and shown["provisional"] is True
    assert (shown["awareness"], shown["awareness_earliest"]) == (None, None)
    assert (shown["clock_from"], shown["clock_from_basis"]) == (recorded_ms / 1000, "first record")
    assert shown["due"] == shown["clock_from"] + 86400
    assert cli(url, "adverse-events", "--patient", "P1^H")
    assert "(24 h from the first record)" in capsys.readouterr().out


def test_a_thrombosis_outcome_without_its_adverse_event_is_listed(url, capsys) -> None:  # type: ignore[no-untyped-def]
    """CE and AE never silently disagree: `adverse-events` names a thrombosis recorded as an outcome
    while no adverse event of special interest of its kind is recorded."""
    event = ["course-event", "--patient", "P1^H", "--kind", "thrombosis", "--at", iso(-3600)]
    assert cli(url, *event, *signed_in(url, "luis", Role.INTENSIVIST, meaning=True))
    capsys.readouterr()
    assert cli(url, "adverse-events", "--patient", "P1^H")
    out = capsys.readouterr().out
    assert "thrombosis recorded " in out
    assert "as an outcome: no adverse event of special interest recorded for it" in out
