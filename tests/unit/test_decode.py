from bedside_adapters.hl7.decode import declared_charset, decode, normalise_segments

MSG = "MSH|^~\\&|A|B|||20250101||ORU^R01|1|P|2.6||||||{cs}\rPID|||1||DOÉ^JOSÉ\r"


def test_msh18_picks_the_codec() -> None:
    latin = MSG.format(cs="8859/1").encode("latin-1")
    assert declared_charset(latin) == "8859/1"
    d = decode(latin)
    assert d.codec == "latin-1" and not d.lossy
    assert "DOÉ^JOSÉ" in d.text


def test_utf8_declared_and_sent() -> None:
    d = decode(MSG.format(cs="UNICODE UTF-8").encode("utf-8"))
    assert d.codec == "utf-8" and "JOSÉ" in d.text and not d.lossy


def test_undecodable_bytes_are_replaced_and_flagged_never_raised() -> None:
    d = decode(MSG.format(cs="UNICODE UTF-8").encode("latin-1"))
    assert d.lossy
    assert "\ufffd" in d.text


def test_no_msh18_uses_the_fallback() -> None:
    raw = MSG.format(cs="").encode("latin-1")
    assert decode(raw, fallback="latin-1").text.count("É") == 2
    assert decode(raw).lossy  # default fallback UTF-8 cannot read latin-1: flagged


def test_normalise_strips_mllp_bytes_bom_and_unifies_line_ends() -> None:
    assert normalise_segments("\ufeff\x0bMSH|x\r\nPID|y\nOBX|z\r\x1c\r") == "MSH|x\rPID|y\rOBX|z"


def test_garbage_without_msh() -> None:
    assert declared_charset(b"\x00\xff garbage") == ""
    assert decode(b"\xff\xfe\x00").lossy
