"""Signatures on the safety log: each entry's hash signed with the installation's Ed25519 key.

The hash chain alone shows that rows were changed, but anyone who can write the table can recompute
it after a change. A signature needs the private key, which lives outside the database, so a
rewritten entry no longer carries a valid one. Pure functions over keys and bytes: where the key is
kept is the adapters' business (bedside_adapters.keys).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "ed25519:"


def fingerprint(public_hex: str) -> str:
    """What reports print and an auditor compares: 128 bits of the public key's SHA-256, enough that
    nobody can make another key with the same fingerprint."""
    return PREFIX + hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:32]


def _message(key_id: str, entry_hash: str) -> bytes:
    # The key's fingerprint is signed with the hash, so a signature cannot be moved to another key's name.
    return f"bedside-safety-log|{key_id}|{entry_hash}".encode()


@dataclass(frozen=True)
class Signer:
    """The installation's private key, with its public half and fingerprint."""

    private: Ed25519PrivateKey

    @property
    def public_hex(self) -> str:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()

    @property
    def key_id(self) -> str:
        return fingerprint(self.public_hex)

    def sign(self, entry_hash: str) -> str:
        return self.private.sign(_message(self.key_id, entry_hash)).hex()


def new_signer() -> Signer:
    return Signer(Ed25519PrivateKey.generate())


def signature_valid(public_hex: str, key_id: str, entry_hash: str, signature: str) -> bool:
    """Whether `signature` is the key's signature of this entry hash (False for anything malformed)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature), _message(key_id, entry_hash))
    except (InvalidSignature, ValueError):
        return False
    return fingerprint(public_hex) == key_id
