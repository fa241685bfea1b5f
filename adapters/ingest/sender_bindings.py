"""Which senders a client certificate may speak for, and the refusal of a message it may not send.

A certificate proves who holds the connection, not what the messages on it claim: without a binding,
the holder of "monitor-gw-01"'s certificate could send as the laboratory (MSH-3 "LAB") and its
results would be stored as the laboratory's. The site binds each certificate (by its common name or
a DNS name in its subjectAltName) to the MSH-3 sending applications and MSH-4 sending facilities it
may use, in a small TOML file (`bedside-ingest --tls-senders FILE`):

    [certificate."monitor-gw-01"]
    sending_application = ["MONITOR-GW"]   # MSH-3.1 values it may send as ("*": any)
    sending_facility = ["ICU"]             # MSH-4.1 values ("*" or left out: any)

A message over TLS that its certificate may not send is refused (AR, or CR in enhanced mode) with
the reason in MSA-3 and ERR-8, and kept raw in quarantine under a sender name of its own (never the
one it claimed: its bytes must not make a later copy from the real sender a "duplicate", nor count
as that sender's traffic). Messages over plain TCP are not checked: no certificate names them.
"""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedside_adapters.hl7.ack import Outcome, build_ack
from bedside_adapters.inbound_message import InboundMessage
from bedside_adapters.ingest.pipeline import Prepared
from bedside_adapters.mllp.tls_identity import CertificateIdentity

log = logging.getLogger(__name__)

REFUSED_CODE = "tls_sender_not_allowed"
"""The quarantine category of a message its certificate may not send."""
ERR_CODE = 207
"""HL7 table 0357 has no code for "not authorised"; its application error code is the nearest,
and MSA-3 and ERR-8 say what happened."""
ANY = "*"


class SenderBindingsError(ValueError):
    """The bindings file cannot be used: bedside-ingest refuses to start rather than guess."""


@dataclass(frozen=True, slots=True)
class Binding:
    applications: frozenset[str]
    """MSH-3.1 values allowed (empty: any)."""
    facilities: frozenset[str]
    """MSH-4.1 values allowed (empty: any)."""

    def allows(self, application: str, facility: str) -> bool:
        return (not self.applications or application in self.applications) and (
            not self.facilities or facility in self.facilities
        )


def _values(entry: dict[str, Any], key: str, where: str) -> frozenset[str]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SenderBindingsError(f"{where}: {key} must be a list of non-empty strings")
    return frozenset() if ANY in value else frozenset(value)


class SenderBindings:
    """The site's bindings of certificate names to the senders they may speak for."""

    def __init__(self, bindings: dict[str, Binding]) -> None:
        self._bindings = {name.lower(): b for name, b in bindings.items()}

    @classmethod
    def for_site(cls, path: str | None, client_ca: str | None) -> SenderBindings | None:
        """bedside-ingest's --tls-senders (None: not given), which needs --tls-client-ca."""
        if not path:
            return None
        if not client_ca:
            raise SenderBindingsError(
                "--tls-senders needs --tls-client-ca: only a client certificate names a sender"
            )
        return cls.load(Path(path))

    @classmethod
    def load(cls, path: Path) -> SenderBindings:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SenderBindingsError(f"{path}: {exc}") from exc
        unknown = set(data) - {"certificate"}
        if unknown:
            first = sorted(unknown)[0]
            raise SenderBindingsError(f'{path}: unknown table {first!r} (expected [certificate."NAME"])')
        entries = data.get("certificate", {})
        if not isinstance(entries, dict) or not entries:
            raise SenderBindingsError(f'{path}: no [certificate."NAME"] table: no certificate may send')
        bindings = {}
        for name, entry in entries.items():
            where = f'{path}: [certificate."{name}"]'
            if not isinstance(entry, dict):
                raise SenderBindingsError(f"{where} must be a table")
            extra = set(entry) - {"sending_application", "sending_facility"}
            if extra:
                raise SenderBindingsError(f"{where}: unknown key {sorted(extra)[0]!r}")
            if not entry:
                # Speaking for any sender must be written out ("*"), never the result of a typo.
                raise SenderBindingsError(f"{where} names no sending_application or sending_facility")
            bindings[name] = Binding(
                _values(entry, "sending_application", where), _values(entry, "sending_facility", where)
            )
        return cls(bindings)

    def refusal(self, identity: CertificateIdentity | None, application: str, facility: str) -> str | None:
        """Why a message claiming MSH-3.1 `application` and MSH-4.1 `facility` may not come over a
        connection with this certificate; None when it may."""
        if identity is None:
            return "the connection presented no client certificate, and senders are bound to certificates"
        bound = [self._bindings[n] for n in identity.names if n in self._bindings]
        if not bound:
            return f"certificate {identity.subject} is bound to no sender"
        if any(b.allows(application, facility) for b in bound):
            return None
        return (
            f"certificate {identity.subject} may not send as "
            f"MSH-3 {application or '(empty)'!r} / MSH-4 {facility or '(empty)'!r}"
        )

    def check(self, prepared: Prepared, identity: CertificateIdentity | None) -> Prepared:
        """The prepared message as it may be stored: unchanged if its certificate may send it, else
        refused and quarantined, with nothing of its content kept but its bytes."""
        request = prepared.request
        message = prepared.message
        if not request.sending_application and not request.sending_facility and message.quarantine_code:
            return prepared  # no MSH could be read: already refused, under its address, not a name
        application = request.sending_application.split("^", 1)[0]
        facility = request.sending_facility.split("^", 1)[0]
        reason = self.refusal(identity, application, facility)
        if reason is None:
            return prepared
        # Dated when the message arrived, like the ACK it replaces.
        ack = build_ack(request, Outcome.REJECTED, message.received_at, text=reason, err_code=ERR_CODE)
        subject = identity.subject if identity is not None else "(no certificate)"
        log.warning(
            "refused event=tls_sender_not_allowed subject=%r claimed=%r control_id=%r peer=%s",
            subject,
            message.sender,
            message.control_id,
            message.peer,
        )
        refused = InboundMessage(
            raw=message.raw,
            received_at=message.received_at,
            peer=message.peer,
            sender=f"(refused for {subject}: {message.sender})",
            ack_code=ack.split("\r")[1].split("|")[1],
            ack=ack,
            control_id=message.control_id,
            message_time=message.message_time,
            message_type=message.message_type,
            version=message.version,
            codec=message.codec,
            lossy_decode=message.lossy_decode,
            quarantine_reason=reason,
            quarantine_code=REFUSED_CODE,
            obx_count=message.obx_count,
            tls_subject=message.tls_subject,
        )
        return Prepared(refused, request)


def secured(
    prepared: Prepared, identity: CertificateIdentity | None, bindings: SenderBindings | None
) -> Prepared:
    """A message received over TLS: its certificate's subject recorded with it, and with the site's
    bindings, refused if its certificate may not send it."""
    if identity is not None:
        message = dataclasses.replace(prepared.message, tls_subject=identity.subject[:250])
        prepared = Prepared(message, prepared.request)
    return bindings.check(prepared, identity) if bindings is not None else prepared
