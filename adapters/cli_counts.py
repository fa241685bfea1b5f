"""`bedside-cli stats` and `devices` as a person reads them, in the command's language: what ingest
received, acknowledged, quarantined and stored, sender by sender, and which patient each device's
values reach now. Senders, devices and codes (an HL7 acknowledgement code, a quarantine reason) are
shown as sent; `--json` keeps every counter under its key, the same in every language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bedside.i18n import N_, _, format_datetime, localize_number, ngettext

TOTALS = (
    ("messages_received", N_("messages received")),
    ("messages_acknowledged", N_("messages acknowledged")),
    ("messages_quarantined", N_("messages quarantined")),
    ("clock_faults", N_("messages with a clock fault")),
    ("observations", N_("observations stored")),
    ("database_bytes", N_("database size (bytes)")),
    ("alarm_manager_undelivered", N_("alerts not delivered to the alarm manager")),
)
"""Each total `stats` prints, by its key in the JSON."""


CERTIFICATE_COUNTS = {
    "messages_received": N_("received {n}"),
    "messages_refused": N_("refused {n}"),
}
"""A client certificate's counters, by their key in the JSON."""


def _when(at: float | None) -> str:
    return "—" if at is None else format_datetime(datetime.fromtimestamp(at).astimezone())


def _codes(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{code} {n}" for code, n in counts.items())


def sender_text(sender: str, c: Mapping[str, Any]) -> str:
    """One sender's counters, each after its name as in a tally ("acknowledged 1"): the name agrees
    with "messages", never with the count, so it reads right for 1 and for 21 in every language."""
    text = _(
        "{sender}: messages received {received}, acknowledged {acknowledged}, quarantined {quarantined}, "
        "duplicates {duplicates}, observations {observations}; last message {last}"
    ).format(
        sender=sender,
        received=c.get("messages_received", 0),
        acknowledged=c.get("messages_acknowledged", 0),
        quarantined=c.get("messages_quarantined", 0),
        duplicates=c.get("duplicates", 0),
        observations=c.get("observations", 0),
        last=_when(c.get("last_message_at")),
    )
    if c.get("acks"):
        text += "; " + _("acknowledgement codes: {codes}").format(codes=_codes(c["acks"]))
    if c.get("quarantined_by_reason"):
        text += "; " + _("quarantined for: {reasons}").format(reasons=_codes(c["quarantined_by_reason"]))
    if c.get("clock_skew_s") is not None:
        skew = localize_number(f"{c['clock_skew_s']:.1f}")
        text += "; " + _("clock offset {seconds} s").format(seconds=skew)
    if c.get("catching_up_behind_s") is not None:
        behind = localize_number(f"{c['catching_up_behind_s']:.0f}")
        text += "; " + _("catching up, {seconds} s behind").format(seconds=behind)
    return text


def stats_lines(stats: Mapping[str, Any]) -> list[str]:
    width = max(len(_(label)) for _key, label in TOTALS)
    lines = [f"{_(label):{width}s} {stats[key]}" for key, label in TOTALS if key in stats]
    lines += ["  " + sender_text(sender, c) for sender, c in sorted(stats["senders"].items())]
    for sender, fault in stats["clock_faults_by_sender"].items():
        lines.append(
            "  "
            + _("clock faults of {sender}: {count}, the last: {reason}").format(
                sender=sender, count=fault["messages"], reason=fault["last_reason"]
            )
        )
    for subject, counts in stats["tls_subjects"].items():
        counted = ", ".join(
            _(CERTIFICATE_COUNTS[k]).format(n=v)
            if k in CERTIFICATE_COUNTS
            else (_("senders: {senders}").format(senders=", ".join(v)) if k == "senders" else f"{k}={v}")
            for k, v in counts.items()
        )
        lines.append("  " + _("certificate {subject}: {counts}").format(subject=subject, counts=counted))
    return lines


def bed_text(bed: str) -> str:
    """PV1-3 as 'unit^room^bed', for people: 'ICU · room 12 · bed 1' ('UCI · habitación 12 · cama 1')."""
    unit, _sep, rest = bed.partition("^")
    room, _sep, number = rest.partition("^")
    parts = [_("ICU") if unit == "ICU" else unit]
    parts += [_("room {room}").format(room=room)] if room else []
    parts += [_("bed {bed}").format(bed=number)] if number else []
    return " · ".join(p for p in parts if p)


def device_lines(devices: list[dict[str, Any]]) -> list[str]:
    current = [d for d in devices if d["current"]]
    lines = []
    for d in current:
        patient = (
            _("unassigned (values kept until a patient is admitted to the bed)")
            if d["patient_now"] in (None, "unassigned")
            else d["patient_now"]
        )
        lines.append(
            _("device {device} at {bed} since {since} → {patient}").format(
                device=d["device"], bed=bed_text(d["bed"]), since=_when(d["from"]), patient=patient
            )
        )
    if not current:
        lines.append(_("no device is bound to a bed"))
    else:
        lines.append(
            ngettext("{n} device bound to a bed", "{n} devices bound to a bed", len(current)).format(
                n=len(current)
            )
        )
    return lines
