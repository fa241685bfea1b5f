"""The safety log's hash chain: each entry carries the hash of the one before, so an edited, deleted or
inserted row breaks the chain at that row, and a separately stored head (last sequence number and hash)
catches rows cut off the end. Each entry's hash is also signed with the installation's key
(bedside.log_signing), so an entry rewritten and rehashed by someone without the key is caught too.
Pure functions: the database adapter stores rows, this module decides what their hashes must be.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bedside.i18n import _
from bedside.log_signing import signature_valid

GENESIS = "0" * 64

KINDS = (
    "ruleset.loaded",
    "episode.candidate",
    "episode.start",
    "episode.stop",
    "episode.confirm",
    "episode.edit",
    "episode.targets",
    "episode.cancel",
    "episode.accepted",
    "alert.raised",
    "alert.severity",
    "alert.escalated",
    "alert.folded",
    "alert.acknowledged",
    "alert.annotated",
    "alert.resolved",
    "alerts.muted",
    "adverse_event.recorded",
    "adverse_event.reported",
    "death.no_sae",
    "outcome.no_aesi",
    "check.done",
    "course.event",
    "report.exported",
    "tables.exported",
    "datasets.exported",
    "vitals.recorded",
    "medication.recorded",
    "action.refused",
    "user.added",
    "user.disabled",
    "user.password_changed",
    "session.signed_in",
    "session.locked",
    "session.refused",
    "ingest.started",
)
"""What the log holds; `append` refuses anything else, so a reviewer can rely on this list."""


@dataclass(frozen=True)
class SafetyLogEntry:
    seq: int
    at_ms: int
    kind: str
    actor: str
    patient_ref: str
    episode_id: int | None
    alert_id: int | None
    payload: str
    """Canonical JSON text, hashed as stored."""
    prev_hash: str
    hash: str
    key_id: str | None = None
    """Fingerprint of the key that signed the entry (None: written before entries were signed)."""
    signature: str | None = None


def canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    prev_hash: str,
    seq: int,
    at_ms: int,
    kind: str,
    actor: str,
    patient_ref: str,
    episode_id: int | None,
    alert_id: int | None,
    payload: str,
) -> str:
    body = json.dumps(
        [seq, at_ms, kind, actor, patient_ref, episode_id, alert_id, payload],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def hash_of(e: SafetyLogEntry) -> str:
    return entry_hash(
        e.prev_hash, e.seq, e.at_ms, e.kind, e.actor, e.patient_ref, e.episode_id, e.alert_id, e.payload
    )


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_broken: int | None = None
    """Sequence number of the first entry that does not belong in the chain."""
    reason: str = ""
    unsigned: int = 0
    """Entries at the start of the log written before entries were signed (accepted only up to the
    entry the auditor names)."""
    key_ids: tuple[str, ...] = ()
    """The keys that signed the entries, in the order they first appear."""
    last_hash: str = GENESIS


def _signature_fault(
    e: SafetyLogEntry, keys: Mapping[str, str], signed_before: bool, unsigned_through: int
) -> str | None:
    if e.key_id is None and e.signature is None:
        # Only the entries before the first signed one may be unsigned: the first signature covers
        # them through the chain.
        if signed_before:
            return _("it is not signed (entries after the first signed one must be)")
        # A log whose signatures were all stripped (and its chain recomputed) looks like a log from
        # before signing: unsigned entries count only as far as an auditor says they are that old.
        if e.seq > unsigned_through:
            return _(
                "it is not signed (signatures stripped, or a log from before signing: "
                "accept entries 1..N as unsigned with --accept-unsigned-through N)"
            )
        return None
    public = keys.get(e.key_id or "")
    if public is None:
        return _("it is signed by an unknown key {key}").format(key=e.key_id)
    if not signature_valid(public, e.key_id or "", e.hash, e.signature or ""):
        return _("its signature by {key} does not match (written or rehashed without the key)").format(
            key=e.key_id
        )
    return None


def verify(
    entries: Iterable[SafetyLogEntry],
    head: tuple[int, str] | None,
    keys: Mapping[str, str] | None = None,
    unsigned_through: int = 0,
) -> Verification:
    """Walk the chain in sequence order. `head` is the stored (last seq, its hash). `keys`: the
    trusted public keys (fingerprint -> public key, hex); None checks the chain only.
    `unsigned_through`: the last entry an auditor accepts unsigned (written before signing existed,
    as a report or the anchor file says); every later entry must be signed."""
    prev_hash, expected_seq, n = GENESIS, 1, 0
    unsigned = 0
    signers: dict[str, None] = {}  # insertion-ordered set
    for e in entries:
        n += 1
        if e.seq != expected_seq:
            said = (_("entry {n} missing") if e.seq > expected_seq else _("entry {n} out of order")).format(
                n=expected_seq
            )
            return Verification(False, n, expected_seq if e.seq > expected_seq else e.seq, said)
        if e.prev_hash != prev_hash:
            return Verification(False, n, e.seq, _("its previous-hash does not match the entry before it"))
        if hash_of(e) != e.hash:
            return Verification(False, n, e.seq, _("its content does not match its hash (edited)"))
        if keys is not None:
            fault = _signature_fault(e, keys, bool(signers), unsigned_through)
            if fault is not None:
                return Verification(False, n, e.seq, fault)
            if e.key_id is None:
                unsigned += 1
            else:
                signers.setdefault(e.key_id)
        prev_hash, expected_seq = e.hash, e.seq + 1
    last = expected_seq - 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq > last:
            return Verification(
                False,
                n,
                last + 1,
                _("entries {first}..{last} are missing from the end").format(first=last + 1, last=head_seq),
            )
        if head_seq < last:
            return Verification(
                False, n, head_seq + 1, _("entries after {n} were added outside Bedside").format(n=head_seq)
            )
        if head_hash != prev_hash:
            return Verification(False, n, last, _("the last entry does not match the stored head"))
    elif n:
        return Verification(False, n, 1, _("the chain head is missing"))
    return Verification(True, n, unsigned=unsigned, key_ids=tuple(signers), last_hash=prev_hash)


def parse_head(text: str) -> tuple[int, str]:
    """`N:HASH` as a report prints it (the hash may be cut short, to at least 12 characters)."""
    seq, sep, digest = text.strip().partition(":")
    digest = digest.strip().rstrip("…").lower()
    if not sep or not seq.strip().isdigit() or len(digest) < 12 or len(digest) > 64:
        raise ValueError(
            _("{text} is not a chain head: give N:HASH (the hash at least 12 characters)").format(
                text=repr(text)
            )
        )
    try:
        bytes.fromhex(digest if len(digest) % 2 == 0 else digest + "0")
    except ValueError:
        raise ValueError(
            _("{text} is not a chain head: the hash is not hexadecimal").format(text=repr(text))
        ) from None
    return int(seq), digest
