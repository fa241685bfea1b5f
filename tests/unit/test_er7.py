import pytest
from bedside_adapters.hl7.decode import count_obx_lines, normalise_segments
from bedside_adapters.hl7.er7 import Delimiters, Er7Error, escape, read_er7, unescape

from tests.helpers import SYNTHETIC

RAW = (SYNTHETIC / "pcd01_gateway_20obx.hl7").read_bytes().decode()


@pytest.mark.parametrize("separator", ["\r", "\n", "\r\n"])
def test_reader_finds_every_segment_whatever_the_line_ends(separator: str) -> None:
    text = RAW.replace("\r", separator)
    msg = read_er7(normalise_segments(text))
    obx = list(msg.all("OBX"))
    assert len(obx) == 20 == count_obx_lines(text)
    assert msg.message_type == "ORU^R01"
    assert msg.control_id == "GW000123"
    assert msg.version == "2.6"
    assert obx[1].get(3, 1) == "147842"
    assert obx[1].get(5) == "112"


def test_msh_fields_are_numbered_as_hl7_numbers_them() -> None:
    msg = read_er7(normalise_segments(RAW))
    assert msg.msh.raw(1) == "|"
    assert msg.msh.get(2) == "^~\\&"
    assert msg.msh.components(3) == ["GW", "0012345678ABCDEF", "EUI-64"]
    assert msg.msh.get(15) == "NE" and msg.msh.get(16) == "AL"
    assert msg.msh.get(18) == "UNICODE UTF-8"


def test_other_delimiters_are_honoured() -> None:
    text = "MSH#!*%@#A!B#F#R#F#20250101##ORU!R01#X1#P#2.6\rPID###ID1!!!AUTH\r"
    msg = read_er7(text)
    assert msg.delimiters == Delimiters("#", "!", "*", "%", "@")
    assert msg.message_type == "ORU^R01"
    assert msg.first("PID").get(3, 4) == "AUTH"


def test_obx_line_count_uses_the_messages_field_separator() -> None:
    text = "MSH#!*%@#A#B\nOBX#1#NM\r\nOBX#2\rNTE#OBX|not a segment\nobx#lower case is not OBX\r"
    assert count_obx_lines(text, "#") == 2
    assert count_obx_lines(text) == 0


def test_repetitions_and_subcomponents() -> None:
    msg = read_er7("MSH|^~\\&|A|B|||20250101||ORU^R01|1|P|2.6\rOBX|1|NM|x^y||1|||H~POS|||R|||||||a&b&c\r")
    obx = msg.first("OBX")
    assert obx.get(8, repetition=2) == "POS"
    assert obx.get(18, 1, 1, 3) == "c"
    assert obx.get(8, repetition=3) == ""


def test_unescape_decodes_hl7_escapes_after_splitting() -> None:
    assert unescape(r"VC\T\AC\S\B\F\x\X41\\R\\E\z") == "VC&AC^B|xA~\\z"
    assert unescape(r"line\.br\two\H\bold\N\ ") == "linetwobold "
    assert unescape("no escapes") == "no escapes"
    assert unescape("lone \\ backslash") == "lone \\ backslash"


def test_escape_round_trips() -> None:
    text = "a|b^c&d~e\\f"
    assert unescape(escape(text)) == text
    assert "|" not in escape(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("PID|1||x\r", 100),
        ("MSH|^~\r", 100),
        ("MSH|^^^^|A\r", 102),
        ("MSH|^~\\&|A|B|||2025||||\r", 101),
        ("MSH|^~\\&|A|B|||2025||ORU^R01|1|P|2.6\rcontinued line of a wrapped field\r", 100),
    ],
)
def test_unreadable_messages_raise_with_an_hl7_error_code(text: str, code: int) -> None:
    with pytest.raises(Er7Error) as err:
        read_er7(text)
    assert err.value.err_code == code
    assert err.value.reason
