from bedside_adapters.mllp.framing import Frame, Garbage, MllpDecoder, Oversize, frame
from hypothesis import given, settings
from hypothesis import strategies as st

A = b"MSH|^~\\&|A|B|||20250101||ORU^R01|1|P|2.6\rPID|||1\r"
B = b"MSH|^~\\&|A|B|||20250101||ORU^R01|2|P|2.6\rOBX|1|NM|x||\x1c inside||\r"


def frames(events):
    return [e.payload for e in events if isinstance(e, Frame)]


def test_two_frames_in_one_read() -> None:
    assert frames(MllpDecoder().feed(frame(A) + frame(B))) == [A, B]


def test_split_at_every_byte() -> None:
    stream = frame(A) + frame(B)
    for cut in range(len(stream) + 1):
        d = MllpDecoder()
        got = frames(d.feed(stream[:cut])) + frames(d.feed(stream[cut:]))
        assert got == [A, B], cut
        assert d.pending == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30))
def test_any_chunking_gives_the_same_frames(sizes: list[int]) -> None:
    stream = frame(A) + b"\r\n" + frame(B) + frame(A)
    d = MllpDecoder()
    got, i = [], 0
    for size in sizes * 20:
        if i >= len(stream):
            break
        got += frames(d.feed(stream[i : i + size]))
        i += size
    got += frames(d.feed(stream[i:]))
    assert got == [A, B, A]


def test_bytes_before_vt_are_reported_and_skipped() -> None:
    events = MllpDecoder().feed(b"GET / HTTP/1.0\r\n" + frame(A))
    assert isinstance(events[0], Garbage) and events[0].data.startswith(b"GET")
    assert frames(events) == [A]


def test_line_ends_between_frames_are_not_garbage() -> None:
    events = MllpDecoder().feed(frame(A) + b"\n" + frame(B) + b"\r\n")
    assert all(isinstance(e, Frame) for e in events)


def test_fs_inside_a_message_is_data() -> None:
    assert frames(MllpDecoder().feed(frame(B))) == [B]
    d = MllpDecoder()
    out = frames(d.feed(frame(B)[: B.index(b"\x1c") + 2])) + frames(d.feed(frame(B)[B.index(b"\x1c") + 2 :]))
    assert out == [B]


def test_fs_at_the_end_of_a_read_then_cr() -> None:
    d = MllpDecoder()
    assert frames(d.feed(b"\x0b" + A + b"\x1c")) == []
    assert d.pending > 0
    assert frames(d.feed(b"\r")) == [A]


def test_oversize_frame_is_not_buffered_whole() -> None:
    d = MllpDecoder(max_frame=1000)
    big = b"MSH|^~\\&|A|B|||2025||ORU^R01|9|P|2.6\rOBX|" + b"x" * 100_000
    events: list = []
    for i in range(0, len(big), 4096):
        events += d.feed((b"\x0b" if i == 0 else b"") + big[i : i + 4096])
        assert d.pending <= 1000 + len(big)  # counted, not held
    events += d.feed(b"\x1c\r" + frame(A))
    over = [e for e in events if isinstance(e, Oversize)]
    assert len(over) == 1 and over[0].size == len(big) and over[0].head.startswith(b"MSH|")
    assert len(over[0].head) <= 64 * 1024
    assert frames(events) == [A]  # the connection goes on
