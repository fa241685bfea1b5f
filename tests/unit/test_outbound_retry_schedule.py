"""How long the alarm manager's link keeps trying a message, and that the integration page says so."""

from pathlib import Path

from bedside_adapters.alerting.outbound import AlarmManagerLink, longest_delivery, retry_delay

PAGE = Path(__file__).resolve().parents[2] / "docs" / "integration.md"


def _section() -> str:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("## Alarm manager (PCD-04)")
    return text[start : text.index("\n## ", start + 1)]


def test_the_pauses_double_up_to_a_minute() -> None:
    assert [retry_delay(k) for k in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_a_message_never_answered_is_given_up_after_its_tries_and_pauses() -> None:
    """Eight tries each waiting out the 10 s ACK timeout, and the seven pauses between them."""
    assert longest_delivery(AlarmManagerLink("h", 1).attempts) == 8 * 10 + 123 == 203
    assert longest_delivery(3) == 33
    assert longest_delivery(1) == 10


def test_the_integration_page_states_the_worst_case_of_the_default() -> None:
    section = _section()
    worst = longest_delivery(AlarmManagerLink("h", 1).attempts)
    assert f"{worst:.0f} s, about 3½ minutes" in section
    assert "default 8, about two minutes" not in section
    assert "`--alarm-manager-attempts` is the setting that bounds it" in section
