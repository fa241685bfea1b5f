"""What the ward overview says, decided without Qt: a bed's dose line, the ward in one line, and what
the overview cannot see (alerting stopped, ingest silent, a failed read, no patient in a bed)."""

from __future__ import annotations

from datetime import datetime

from bedside.feeds import describe_silence
from bedside.i18n import N_, _, ngettext
from bedside.nurse_screen import HEARTBEAT_STALE_AFTER
from bedside.severity_counts import severity_counts
from bedside.ward import BedView, DoseState, WardView

WARD_NOTICE = N_(
    "Secondary display: the bedside monitors and infusion pumps keep the primary alarms. "
    "Beds that need attention come first: HIGH not acknowledged, escalated, no data during a dose "
    "window, infusing, other open alerts, the 6 h and 24 h windows."
)


def _hms(at: float) -> str:
    return datetime.fromtimestamp(at).strftime("%H:%M")


def dose_text(view_bed: BedView, now: float) -> str:
    d, state = view_bed.dose, view_bed.dose_state
    if d is None:
        return _("No dose recorded")
    dose = _("{n} of {total}").format(n=d.dose, total=d.course_doses) if d.course_doses else str(d.dose)
    if state is DoseState.INFUSING:
        s = max(0, int(now - d.start))
        unconfirmed = " · " + _("start not confirmed") if d.state == "candidate" else ""
        return (
            _("<b>INFUSING</b> dose {dose} · {elapsed} since {time}").format(
                dose=dose, elapsed=f"{s // 3600:02d}:{(s % 3600) // 60:02d}", time=_hms(d.start)
            )
            + unconfirmed
        )
    assert d.end is not None
    ago = describe_silence(now - d.end)
    if state is DoseState.WINDOW_6H:
        return _("<b>Dose {dose} ended {ago} ago</b> · 6 h window").format(dose=dose, ago=ago)
    if state is DoseState.WINDOW_24H:
        return _("Dose {dose} ended {ago} ago · 24 h window").format(dose=dose, ago=ago)
    return _("No dose in the last 24 h (dose {dose} ended {ago} ago)").format(dose=d.dose, ago=ago)


def alerts_text(bed: BedView) -> str:
    """A tile's count of the bed's open alerts: every one its Alerts list shows, by severity, and how
    many wait to be acknowledged, as the nurse's Alerts button counts them ('' with none open)."""
    if not bed.alerts:
        return ""
    return _("{n} open ({severities}), {waiting} to acknowledge").format(
        n=len(bed.alerts),
        severities=severity_counts([a.severity for a in bed.alerts]),
        waiting=bed.waiting,
    )


def summary_text(view: WardView) -> str:
    """The ward in one line, most urgent first; counts only, never an all-clear."""
    beds = view.beds
    # Each count is of beds, its words in the plural forms of the language ("10 con ALTA sin
    # reconocer", never "10 ALTA").
    counts = [
        (
            sum(1 for b in beds if b.count("high", unacknowledged=True)),
            lambda n: ngettext("{n} HIGH not acknowledged", "{n} HIGH not acknowledged", n).format(
                n=f"<b>{n}</b>"
            ),
        ),
        (
            sum(1 for b in beds if b.escalated),
            lambda n: ngettext("{n} escalated", "{n} escalated", n).format(n=f"<b>{n}</b>"),
        ),
        (
            sum(1 for b in beds if b.blind),
            lambda n: ngettext("{n} without data", "{n} without data", n).format(n=f"<b>{n}</b>"),
        ),
        (
            sum(1 for b in beds if b.dose_state is DoseState.INFUSING),
            lambda n: ngettext("{n} infusing", "{n} infusing", n).format(n=f"<b>{n}</b>"),
        ),
        (
            sum(1 for b in beds if b.problems),
            lambda n: ngettext("{n} with open alerts", "{n} with open alerts", n).format(n=f"<b>{n}</b>"),
        ),
        (
            sum(1 for b in beds if b.dose_state is DoseState.WINDOW_6H),
            lambda n: ngettext("{n} within 6 h of a dose", "{n} within 6 h of a dose", n).format(
                n=f"<b>{n}</b>"
            ),
        ),
        (
            sum(1 for b in beds if b.dose_state is DoseState.WINDOW_24H),
            lambda n: ngettext("{n} within 24 h", "{n} within 24 h", n).format(n=f"<b>{n}</b>"),
        ),
    ]
    parts = [said(n) for n, said in counts if n]
    return _("Beds: {counts}").format(
        counts=" · ".join(parts) if parts else _("none infusing or in a dose window, no open alert")
    )


def system_warnings(view: WardView | None, failure: str, last_read: float | None) -> list[str]:
    """What the whole overview cannot see, loudest first: a read that failed (and since when the
    tiles are not current), the rule engine stopped, ingest silent, nobody in a bed."""
    parts = []
    if failure:
        since = (
            " "
            + _("The tiles show the read of {time}: not current.").format(
                time=datetime.fromtimestamp(last_read).strftime("%H:%M:%S")
            )
            if last_read is not None
            else ""
        )
        parts.append(f"■ {failure}.{since}")
    if view is not None:
        if not view.alerting_live:
            if view.alerting_beat is None:
                said = _(
                    "Infusion-reaction alerting is not running: no bed's reactions are being checked"
                    " by Bedside."
                )
            else:
                said = _(
                    "Infusion-reaction alerting silent for {silence}: no bed's reactions are being"
                    " checked by Bedside."
                ).format(silence=describe_silence(view.now - view.alerting_beat))
            parts.append("■ " + said)
        if view.ingest_beat is not None and view.now - view.ingest_beat > HEARTBEAT_STALE_AFTER:
            parts.append(
                "■ "
                + _("The ingest service is silent for {silence}: no new data from any bed.").format(
                    silence=describe_silence(view.now - view.ingest_beat)
                )
            )
        if not view.beds:
            parts.append("■ " + _("No patient in a bed yet: ADT has admitted no one this screen can see."))
    return parts
