"""Bad input never crashes the listener or loses bytes: a catalogue of malformed messages (CASES) and
2,000 seeded random mutants, each answered within 1 s."""

from __future__ import annotations

import hashlib
import random

from bedside_adapters.db import schema as t
from bedside_adapters.db.raw_frames import read_frame
from bedside_adapters.mllp.client import MllpClient, ack_fields
from sqlalchemy import create_engine, select

from tests.conftest import running_ingest
from tests.helpers import PCD01_20OBX

M = PCD01_20OBX.read_bytes().decode()  # read_text() would turn the CRs into LFs
CASES = {
    "empty": "",
    "whitespace only": " \r\n ",
    "no MSH": M.split("\r", 1)[1],
    "MSH only": "MSH|^~\\&|A|B|C|D|20250101||ORU^R01|1|P|2.6\r",
    "MSH truncated before MSH-9": "MSH|^~\\&|A|B|C|D|20250101\rPID|1\r",
    "MSH-2 with 3 characters": M.replace("^~\\&", "^~\\", 1),
    "MSH-2 duplicate characters": M.replace("^~\\&", "^^\\&", 1),
    "field separator #": M.replace("|", "#"),
    "version 2.9": M.replace("|P|2.6|", "|P|2.9|", 1),
    "MSH-12 empty": M.replace("|P|2.6|", "|P||", 1),
    "MSH-9 empty": M.replace("ORU^R01^ORU_R01", "", 1),
    "MSH-9 unknown": M.replace("ORU^R01^ORU_R01", "ZZZ^Z99^ZZZ_Z99", 1),
    "ORU with another event": M.replace("ORU^R01^ORU_R01", "ORU^R30", 1),
    "lower-case obx": M.replace("\rOBX|5|", "\robx|5|"),
    "Z-segment in the middle": M.replace("\rOBX|5|", "\rZXX|1|vendor stuff\rOBX|5|"),
    "2-character segment id": M.replace("\rOBX|5|", "\rOB|5|"),
    "NM value abc": M.replace("|112|", "|abc|"),
    "ISO-8601 OBX-14": M.replace("20250101115958+0000", "2025-01-01T11:59:58Z"),
    "unescaped & in text": M.replace("|VC-AC|", "|VC & AC|"),
    "escapes": M.replace("|VC-AC|", "|VC\\T\\AC\\S\\x\\X0D\\|"),
    "NUL byte": M.replace("|VC-AC|", "|VC\x00AC|"),
    "CRLF": M.replace("\r", "\r\n"),
    "LF": M.replace("\r", "\n"),
    "BOM": "\ufeff" + M,
    "10000 OBX": M.split("\rOBX|2|")[0]
    + "".join(
        f"\rOBX|{i}|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.{i}|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R"
        for i in range(2, 10002)
    )
    + "\r",
    "1 MB field": M.replace("|VC-AC|", "|" + "A" * 1_000_000 + "|"),
    "5000 repetitions": M.replace("|VC-AC|", "|" + "~".join(["x"] * 5000) + "|"),
    "MSH-10 empty": M.replace("|GW000123|P|", "||P|", 1),
    **{f"version {v}": M.replace("|P|2.6|", f"|P|{v}|", 1) for v in ("2.3", "2.4", "2.5.1", "2.7", "2.8")},
}


def mutate(rng: random.Random, s: str) -> str:
    """1-5 edits (replace, insert or delete a character, mostly delimiters); MLLP's own bytes are never
    produced."""
    b = list(s)
    for _ in range(rng.randint(1, 5)):
        op = rng.random()
        i = rng.randrange(len(b))
        ch = rng.choice("|^~\\&\r\n#x0 é")
        if op < 0.4:
            b[i] = ch
        elif op < 0.7:
            b.insert(i, ch)
        else:
            del b[i]
    return "".join(b)


def test_malformed_cases_and_2000_mutants(sqlite_engine, sqlite_url) -> None:
    rng = random.Random(1234)
    payloads = [(name, text.encode("utf-8")) for name, text in CASES.items()]
    payloads += [(f"mutant {k}", mutate(rng, M).encode("utf-8")) for k in range(2000)]
    codes: dict[str, int] = {}
    with running_ingest(sqlite_engine, sqlite_url) as ing:
        for start in range(0, len(payloads), 250):
            # A new connection per batch: the listener must be there for the next one too.
            # An answer for every frame, or fail; the timeout only catches a listener that hangs (how
            # fast it answers is the bench's business, not a test's: a loaded CI machine may pause).
            with MllpClient(ing.host, ing.port, timeout=15.0) as client:
                for name, payload in payloads[start : start + 250]:
                    code, _ = ack_fields(client.send(payload))
                    assert code in ("AA", "AE", "AR", "CA", "CE", "CR"), name  # a mutant may ask for CA
                    codes[code] = codes.get(code, 0) + 1
    print("answers:", codes)
    assert sum(codes.values()) == len(payloads)
    assert codes.get("AR", 0) > 0 and codes.get("AA", 0) > 0
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        ids = [row[0] for row in conn.execute(select(t.inbound_message.c.id))]
        names = dict(
            conn.execute(select(t.inbound_message.c.control_id, t.inbound_message.c.quarantine_code)).all()
        )
    stored = {hashlib.sha256(read_frame(engine, i).raw).hexdigest() for i in ids}  # type: ignore[union-attr]
    engine.dispose()
    # Every frame's bytes are there (identical mutants are one message and its counted copies).
    assert {hashlib.sha256(p).hexdigest() for _, p in payloads} <= stored
    assert names  # and the reasons are recorded


def test_expected_answers_for_the_named_cases(sqlite_engine, sqlite_url) -> None:
    expect = {
        "LF": "AA",
        "CRLF": "AA",
        "BOM": "AA",
        "field separator #": "AA",
        "escapes": "AA",
        "NUL byte": "AA",
        "no MSH": "AR",
        "MSH-9 unknown": "AR",
        "ORU with another event": "AR",
        "version 2.9": "AR",
        "MSH-10 empty": "AR",
        "2-character segment id": "AR",
        "lower-case obx": "AR",
        "10000 OBX": "AA",
        "1 MB field": "AA",
        "NM value abc": "AA",
        "ISO-8601 OBX-14": "AA",
        "version 2.3": "AA",
    }
    with (
        running_ingest(sqlite_engine, sqlite_url) as ing,
        MllpClient(ing.host, ing.port, timeout=5) as client,
    ):
        got = {name: ack_fields(client.send(CASES[name].encode()))[0] for name in expect}
    assert got == expect
