"""The chain's verification with signatures, in the core: what a signed log must look like."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bedside.log_signing import Signer, fingerprint, new_signer, signature_valid
from bedside.safety_log import GENESIS, SafetyLogEntry, canonical, entry_hash, hash_of, parse_head, verify


def chain(n: int, signer: Signer | None, unsigned_first: int = 0) -> list[SafetyLogEntry]:
    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        payload = canonical({"n": seq})
        digest = entry_hash(prev, seq, 1000 * seq, "check.done", "RN Ada", "P1^H", None, None, payload)
        signed = signer is not None and seq > unsigned_first
        out.append(
            SafetyLogEntry(
                seq,
                1000 * seq,
                "check.done",
                "RN Ada",
                "P1^H",
                None,
                None,
                payload,
                prev,
                digest,
                signer.key_id if signed and signer else None,
                signer.sign(digest) if signed and signer else None,
            )
        )
        prev = digest
    return out


@pytest.fixture(scope="module")
def signer() -> Signer:
    return new_signer()


def keys(*signers: Signer) -> dict[str, str]:
    return {s.key_id: s.public_hex for s in signers}


def test_a_signed_chain_verifies_and_names_its_key(signer: Signer) -> None:
    entries = chain(5, signer)
    result = verify(entries, (5, entries[-1].hash), keys(signer))
    assert result.ok and result.checked == 5 and result.key_ids == (signer.key_id,) and result.unsigned == 0


def test_entries_from_before_signing_are_accepted_only_at_the_start(signer: Signer) -> None:
    entries = chain(5, signer, unsigned_first=2)
    result = verify(entries, (5, entries[-1].hash), keys(signer), unsigned_through=2)
    assert result.ok and result.unsigned == 2
    stripped = [*entries[:3], replace(entries[3], key_id=None, signature=None), entries[4]]
    result = verify(stripped, (5, entries[-1].hash), keys(signer), unsigned_through=2)
    assert not result.ok and result.first_broken == 4 and "not signed" in result.reason


def test_unsigned_entries_are_a_fault_unless_the_auditor_accepts_them(signer: Signer) -> None:
    """A log whose signatures were all stripped looks like a log from before signing: unsigned
    entries count only through the entry the auditor names, never by default."""
    entries = chain(5, signer, unsigned_first=2)
    result = verify(entries, (5, entries[-1].hash), keys(signer))
    assert not result.ok and result.first_broken == 1 and "--accept-unsigned-through" in result.reason
    result = verify(entries, (5, entries[-1].hash), keys(signer), unsigned_through=1)
    assert not result.ok and result.first_broken == 2 and "not signed" in result.reason
    stripped = chain(5, None)
    result = verify(stripped, (5, stripped[-1].hash), keys(signer))
    assert not result.ok and result.first_broken == 1
    assert verify(stripped, (5, stripped[-1].hash), keys(signer), unsigned_through=5).ok
    assert verify(stripped, (5, stripped[-1].hash)).ok  # the chain alone (no keys) says nothing of them


def test_a_rehashed_entry_fails_its_signature(signer: Signer) -> None:
    entries = chain(3, signer)
    forged = replace(entries[1], actor="Mallory")
    forged = replace(forged, hash=hash_of(forged))
    tail = replace(entries[2], prev_hash=forged.hash)
    tail = replace(tail, hash=hash_of(tail))
    result = verify([entries[0], forged, tail], (3, tail.hash), keys(signer))
    assert not result.ok and result.first_broken == 2 and "signature" in result.reason
    assert verify([entries[0], forged, tail], (3, tail.hash)).ok  # the chain alone cannot tell


def test_a_key_that_is_not_trusted_is_named(signer: Signer) -> None:
    other = new_signer()
    entries = chain(2, other)
    result = verify(entries, (2, entries[-1].hash), keys(signer))
    assert not result.ok and result.first_broken == 1 and other.key_id in result.reason


def test_a_signature_is_bound_to_its_key_and_hash(signer: Signer) -> None:
    digest = "ab" * 32
    sig = signer.sign(digest)
    assert signature_valid(signer.public_hex, signer.key_id, digest, sig)
    assert not signature_valid(signer.public_hex, signer.key_id, "cd" * 32, sig)
    assert not signature_valid(signer.public_hex, "ed25519:" + "0" * 32, digest, sig)
    assert not signature_valid(signer.public_hex, signer.key_id, digest, "zz")
    assert fingerprint(signer.public_hex) == signer.key_id and len(signer.key_id) == len("ed25519:") + 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12:ABCDEF012345", (12, "abcdef012345")),
        (" 3:" + "a" * 64 + " ", (3, "a" * 64)),
        ("7:0123456789ab…", (7, "0123456789ab")),
    ],
)
def test_a_head_is_read_as_a_report_prints_it(text: str, expected: tuple[int, str]) -> None:
    assert parse_head(text) == expected


@pytest.mark.parametrize("text", ["12", "x:abcdef012345", "12:abc", "12:ghijklmnopqr", "12:" + "a" * 65])
def test_a_head_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a chain head"):
        parse_head(text)
