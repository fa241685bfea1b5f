import pytest
from bedside_adapters.hl7.ack import AckRequest, Outcome, ack_code, build_ack
from bedside_adapters.hl7.er7 import read_er7


def request(msh15: str = "", msh16: str = "") -> AckRequest:
    return AckRequest.from_message(
        read_er7(
            f"MSH|^~\\&|GW^ABC^EUI-64|FAC|B|C|20250101||ORU^R01^ORU_R01|CTRL-9|P|2.6|||{msh15}|{msh16}\r"
        )
    )


@pytest.mark.parametrize(
    ("msh15", "msh16", "outcome", "code"),
    [
        ("", "", Outcome.ACCEPTED, "AA"),
        ("", "", Outcome.ERROR, "AE"),
        ("", "", Outcome.REJECTED, "AR"),
        ("AL", "NE", Outcome.ACCEPTED, "CA"),  # B. Braun, Mindray
        ("AL", "NE", Outcome.ERROR, "CE"),
        ("AL", "", Outcome.REJECTED, "CR"),
        ("NE", "AL", Outcome.ACCEPTED, "AA"),  # GE: application ACK only
        ("NE", "AL", Outcome.ERROR, "AE"),
        ("ER", "NE", Outcome.ERROR, "CE"),
    ],
)
def test_ack_mode_follows_msh15_and_msh16(msh15: str, msh16: str, outcome: Outcome, code: str) -> None:
    assert ack_code(request(msh15, msh16), outcome) == code


def test_ack_echoes_the_control_id_and_swaps_sender_and_receiver() -> None:
    ack = build_ack(request(), Outcome.ACCEPTED, 1735732800.0)
    msg = read_er7(ack)
    assert msg.msh.get(3) == "BEDSIDE"
    assert msg.msh.components(5) == ["GW", "ABC", "EUI-64"]
    assert msg.msh.get(6) == "FAC"
    assert msg.msh.get(7) == "20250101120000+0000"
    assert msg.message_type == "ACK^R01"
    assert msg.msh.get(12) == "2.6"
    msa = msg.first("MSA")
    assert msa.get(1) == "AA" and msa.get(2) == "CTRL-9"
    assert msg.first("ERR") is None


def test_error_ack_carries_err_with_table_0357_code_and_escaped_text() -> None:
    ack = build_ack(request(), Outcome.REJECTED, 0.0, text="type ADT^A01 | unsupported", err_code=200)
    msg = read_er7(ack)
    err = msg.first("ERR")
    assert err.components(3) == ["200", "Unsupported message type", "HL70357"]
    assert err.get(4) == "E"
    assert err.get(8) == "type ADT^A01 | unsupported"
    assert msg.first("MSA").get(3) == "type ADT^A01 | unsupported"


def test_ack_to_an_unreadable_message_is_still_a_valid_message() -> None:
    msg = read_er7(build_ack(AckRequest(), Outcome.REJECTED, 0.0, text="no MSH", err_code=100))
    assert msg.first("MSA").get(1) == "AR"
    assert msg.first("MSA").get(2) == ""
