"""A person a record names is named as a person: who recorded each version of an adverse event, in
the review's history, by printed name and role as signed; the account where they never signed."""

from __future__ import annotations

from types import SimpleNamespace

from bedside import i18n
from bedside.review_text import adverse_event_history
from tests.unit.test_sae_listing import T, event


def test_the_adverse_event_history_names_who_recorded_each_version() -> None:
    i18n.set_language("en")
    signed = {"signature": {"name": "Marta Gil", "role": "investigator", "at": T}}
    data = SimpleNamespace(
        adverse_events=[event()], now=T + 1200, log=[{"actor": "marta", "payload": signed}]
    )
    lines = adverse_event_history(data)  # type: ignore[arg-type]
    (second,) = [line for line in lines if line.strip().startswith("version 2")]
    assert " by Marta Gil (investigator):" in second and "marta" not in second
    (first,) = [line for line in lines if line.strip().startswith("version 1")]
    assert " by luis:" in first  # never signed in this log: the account as stored
