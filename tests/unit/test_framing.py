from bedside_adapters.mllp.framing import Frame, Garbage, MllpDecoder, Oversize, Unterminated, frame
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


def test_a_start_block_inside_a_frame_begins_a_new_one() -> None:
    for tail in (b"", b"\x1c", b"\x1cX"):
        stream = b"\x0b" + A[:20] + tail + frame(B) + frame(A)
        for cut in range(len(stream) + 1):
            d = MllpDecoder()
            events = d.feed(stream[:cut]) + d.feed(stream[cut:])
            cut_short = [e for e in events if isinstance(e, Unterminated)]
            assert [(e.head, e.size) for e in cut_short] == [(A[:20] + tail, 20 + len(tail))], (tail, cut)
            assert frames(events) == [B, A], (tail, cut)
            assert events.index(cut_short[0]) == 0  # in the order received
            assert d.pending == 0 and d.held == 0


def test_an_oversize_frame_cut_short_keeps_its_head_only() -> None:
    d = MllpDecoder(max_frame=1000)
    events = d.feed(b"\x0b" + A + b"x" * 5000)
    assert d.held <= 64 * 1024 and d.pending == len(A) + 5000
    events += d.feed(frame(B))
    assert isinstance(events[0], Unterminated) and events[0].size == len(A) + 5000
    assert events[0].head.startswith(A)
    assert frames(events) == [B]


def test_held_counts_what_an_unfinished_frame_keeps_in_memory() -> None:
    d = MllpDecoder()
    d.feed(b"\x0b" + A)
    assert d.held == len(A)
    d.discard()
    assert d.held == 0 and d.pending == 0
    assert frames(d.feed(frame(B))) == [B]
