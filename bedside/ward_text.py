"""What the ward overview says, decided without Qt: a bed's dose line, the ward in one line, and what
the overview cannot see (alerting stopped, ingest silent, a failed read, no patient in a bed)."""

from __future__ import annotations

from datetime import datetime

from bedside.feeds import describe_silence
from bedside.nurse_screen import HEARTBEAT_STALE_AFTER
from bedside.ward import BedView, DoseState, WardView

WARD_NOTICE = (
    "Secondary display: the bedside monitors and infusion pumps keep the primary alarms. "
    "Beds that need attention come first: HIGH not acknowledged, escalated, no data during a dose "
    "window, infusing, other open alerts, the 6 h and 24 h windows."
)


def _hms(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%H:%M")


def dose_text(view_bed: BedView, now: float) -> str:
    d, state = view_bed.dose, view_bed.dose_state
    if d is None:
        return "No dose recorded"
    of = f" of {d.course_doses}" if d.course_doses else ""
    if state is DoseState.INFUSING:
        s = max(0, int(now - d.start))
        unconfirmed = " · start not confirmed" if d.state == "candidate" else ""
        return (
            f"<b>INFUSING</b> dose {d.dose}{of} · {s // 3600:02d}:{(s % 3600) // 60:02d}"
            f" since {_hms(d.start)}{unconfirmed}"
        )
    assert d.end is not None
    ago = describe_silence(now - d.end)
    if state is DoseState.WINDOW_6H:
        return f"<b>Dose {d.dose}{of} ended {ago} ago</b> · 6 h window"
    if state is DoseState.WINDOW_24H:
        return f"Dose {d.dose}{of} ended {ago} ago · 24 h window"
    return f"No dose in the last 24 h (dose {d.dose} ended {ago} ago)"


def summary_text(view: WardView) -> str:
    """The ward in one line, most urgent first; counts only, never an all-clear."""
    beds = view.beds
    counts = [
        (sum(1 for b in beds if b.count("high", unacknowledged=True)), "HIGH not acknowledged"),
        (sum(1 for b in beds if b.escalated), "escalated"),
        (sum(1 for b in beds if b.blind), "without data"),
        (sum(1 for b in beds if b.dose_state is DoseState.INFUSING), "infusing"),
        (sum(1 for b in beds if b.problems), "with open alerts"),
        (sum(1 for b in beds if b.dose_state is DoseState.WINDOW_6H), "within 6 h of a dose"),
        (sum(1 for b in beds if b.dose_state is DoseState.WINDOW_24H), "within 24 h"),
    ]
    parts = [f"<b>{n}</b> {what}" for n, what in counts if n]
    return "Beds: " + (" · ".join(parts) if parts else "none infusing or in a dose window, no open alert")


def system_warnings(view: WardView | None, failure: str, last_read: float | None) -> list[str]:
    """What the whole overview cannot see, loudest first: a read that failed (and since when the
    tiles are not current), the rule engine stopped, ingest silent, nobody in a bed."""
    parts = []
    if failure:
        since = (
            f" The tiles show the read of {datetime.fromtimestamp(last_read).strftime('%H:%M:%S')}:"
            " not current."
            if last_read is not None
            else ""
        )
        parts.append(f"■ {failure}.{since}")
    if view is not None:
        if not view.alerting_live:
            why = (
                "is not running"
                if view.alerting_beat is None
                else f"silent for {describe_silence(view.now - view.alerting_beat)}"
            )
            parts.append(
                f"■ Infusion-reaction alerting {why}: no bed's reactions are being checked by Bedside."
            )
        if view.ingest_beat is not None and view.now - view.ingest_beat > HEARTBEAT_STALE_AFTER:
            parts.append(
                f"■ The ingest service is silent for {describe_silence(view.now - view.ingest_beat)}:"
                " no new data from any bed."
            )
        if not view.beds:
            parts.append("■ No patient in a bed yet: ADT has admitted no one this screen can see.")
    return parts
