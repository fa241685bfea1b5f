"""A time on the command line in the command's language: in Spanish the order the command prints
(06/12/2026 18:20) and 'ahora' as well as ISO 8601 and 'now'; in English ISO 8601 and 'now' only (a
day/month order would be ambiguous); a refusal names the accepted formats in the language."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from bedside_adapters.cli_alerts import TimeFormatError, parse_when
from bedside_adapters.cli_vitals import parse_time

from bedside import i18n
from bedside.commands import VitalsError

EVENING = datetime(2026, 12, 6, 18, 20).timestamp()
"""6 December 2026 18:20 local time (day 6 and month 12 tell the orders apart)."""


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    "text", ["06/12/2026 18:20", "6/12/2026 18:20", "06/12/2026 18:20:00", "2026-12-06 18:20"]
)
def test_spanish_order_and_iso_are_read_in_spanish(spanish, text: str) -> None:
    assert parse_when(text) == EVENING
    assert parse_time(text, 0.0) == EVENING


@pytest.mark.parametrize("word", ["ahora", "Ahora", "now"])
def test_the_word_for_now_in_spanish_and_now_in_every_language(spanish, word: str) -> None:
    before = time.time()
    assert before <= parse_when(word) <= time.time()
    assert parse_time(word, 123.0) == 123.0


def test_the_refusal_names_the_formats_in_spanish(spanish) -> None:
    with pytest.raises(TimeFormatError) as refused:
        parse_when("mañana", "--onset")
    assert "--onset 'mañana' no es una fecha y hora" in str(refused.value)
    assert "'02/03/2026 10:42'" in str(refused.value) and "'ahora'" in str(refused.value)
    with pytest.raises(VitalsError):
        parse_time("12/31/2026 18:20", 0.0)  # month 31: not the Spanish order


def test_english_reads_iso_and_now_and_refuses_a_day_month_order() -> None:
    assert parse_when("2026-12-06T18:20") == EVENING
    assert parse_time("now", 5.0) == 5.0
    with pytest.raises(TimeFormatError) as refused:
        parse_when("06/12/2026 18:20")
    assert "use ISO 8601 such as 2026-03-02T10:42" in str(refused.value)
    with pytest.raises(TimeFormatError):
        parse_when("ahora")


def test_a_time_as_a_command_prints_it_is_read_back_with_its_zone(spanish) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC

    at = datetime(2026, 12, 6, 22, 24, tzinfo=UTC).timestamp()
    assert parse_when("06/12/2026 22:24 UTC") == at
    assert parse_time("06/12/2026 22:24 UTC", time.time()) == at
    local_zone = datetime.fromtimestamp(EVENING).astimezone().tzname()
    assert parse_when(f"06/12/2026 18:20 {local_zone}") == EVENING
    with pytest.raises(TimeFormatError):
        parse_when("06/12/2026 22:24 XYZ")


def test_an_iso_time_as_english_prints_it_is_read_back() -> None:
    from datetime import UTC

    assert parse_when("2026-12-06 22:24 UTC") == datetime(2026, 12, 6, 22, 24, tzinfo=UTC).timestamp()
