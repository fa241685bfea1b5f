"""What the nurse's screen shows, decided without Qt: the header's texts, the banner, the technical
warnings, the feeds, the alerting and services lines. The views (bedside_ui) lay these
out and colour them by their meaning; nothing here knows of a widget or a theme.

Texts may carry the few rich-text marks the screen uses for emphasis (<b>, a line break); colours
and sizes are the views' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bedside.alert_screen import banner_alert, escalation_text, problems, severity_name, unacknowledged
from bedside.checks import Signature
from bedside.feeds import (
    FeedPace,
    FeedState,
    FeedStatus,
    data_age,
    describe_clock,
    describe_lag,
    describe_silence,
)
from bedside.i18n import N_, _, localize_number, ngettext, strftime
from bedside.model import Patient
from bedside.rules.ruleset import RuleSet
from bedside.rules.watching import watching
from bedside.status import DoseInfo, PatientStatus
from bedside.units import dose_heading
from bedside.users import role_name
from bedside.ward import ALERTING_STALE_AFTER, POST_DOSE_WINDOW

SECONDARY_NOTICE = N_(
    "Bedside is a secondary display: the bedside monitor and the infusion pump keep the primary alarms."
)
"""Shown translated: `_(SECONDARY_NOTICE)`."""
HEARTBEAT_STALE_AFTER = 20.0
"""Seconds without an ingest heartbeat after which the screens say ingest is silent."""
SOURCE_NAMES = {
    "pcd10": N_("pump"),
    "pcd01-status": N_("pump status"),
    "ras": N_("eMAR"),
    "manual": N_("nurse's entry"),
}
LAST_VALUE_SAID_AFTER = 600.0
"""Seconds of silence from which a stopped feed's chip gives its last value's date and time too."""


def signer(signed: Signature) -> str:
    """Who signed a check as the signature shows them: printed name and role ("Ana Ruiz
    (nurse)"); the username only where the entry holds no signature."""
    if not signed.name:
        return signed.by
    return (
        _("{name} ({role})").format(name=signed.name, role=role_name(signed.role))
        if signed.role
        else signed.name
    )


def local(at: float, fmt: str = "%d %b %H:%M") -> str:
    """Local time on screen, the month's abbreviation in the screen's language."""
    return strftime(datetime.fromtimestamp(at), fmt)


def elapsed(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{(s % 3600) // 60:02d}:{s % 60:02d}"


# ---- header --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatientLine:
    name: str
    details: str


def patient_line(patient: Patient | None, doses: Sequence[DoseInfo]) -> PatientLine:
    if patient is None:
        return PatientLine(_("No patient yet"), _("no device data for a patient has been received"))
    bits = [_("MRN {mrn}").format(mrn=patient.ref.identifier)]
    if patient.bed:
        bits.append(patient.location)
    weight = next((d.weight_kg for d in reversed(doses) if d.weight_kg), None)
    bits.append(localize_number(f"{weight:g} kg") if weight else _("weight not entered"))
    return PatientLine(patient.display_name, "   ".join(bits))


def reported_death_line(status: PatientStatus) -> str:
    """A death an ADT message reported that no clinician has confirmed: said as the message says it
    (never as the patient's death, which only a confirmation records), with who confirms it and
    where. "" when none is pending."""
    if status.reported_death is None or status.deceased_at is not None:
        return ""
    return _(
        "ADT reports death at {time}, not confirmed. An intensivist or investigator confirms it "
        "(review: Confirm death reported by ADT…; command line: bedside-cli confirm-death)"
    ).format(time=local(status.reported_death))


@dataclass(frozen=True)
class DoseLine:
    heading: str
    state: str
    """INFUSING and for how long, or when it ended and how long it ran; without a dose, what to do."""
    unconfirmed: str
    """A start nobody confirmed yet: where it came from ("start not confirmed (from the pump)")."""
    running: bool = False
    candidate: bool = False
    recorded: bool = True
    """False: no dose yet, and `state` says what to do."""


def no_dose() -> DoseLine:
    """The dose line without a dose (built when shown: its texts are in the screen's language)."""
    return DoseLine(_("No dose recorded"), _("Start a dose to anchor the rules"), "", recorded=False)


def arriving(behind: float) -> str:
    """What the header and the checks say while the device feeds catch up a backlog."""
    return _("data still arriving ({lag} behind)").format(lag=describe_lag(behind))


def dose_line(dose: DoseInfo | None, now: float, behind: float | None = None) -> DoseLine:
    """`behind`: how far the device feeds are behind the clock while they catch up a backlog
    (`bedside.feeds.catching_up`); the line then speaks of the time the data have reached, never of
    an infusion that seems to have run for days only because its end has not arrived yet."""
    if dose is None:
        return no_dose()
    candidate = dose.state == "candidate"
    source = _(SOURCE_NAMES[dose.source]) if dose.source in SOURCE_NAMES else dose.source
    if behind is not None:
        reached = now - behind
        if dose.end is not None and dose.end <= reached:
            said = _("ended {when}, ran {duration}").format(
                when=local(dose.end), duration=describe_silence(dose.end - dose.start)
            )
        else:
            said = _("<b>INFUSING</b> since {time}").format(time=local(dose.start, "%H:%M"))
        state = _("As of {time}, {state} · {arriving}").format(
            time=local(reached), state=said, arriving=arriving(behind)
        )
    elif dose.running:
        state = _("<b>INFUSING</b> {elapsed} since {time}").format(
            elapsed=elapsed(now - dose.start), time=local(dose.start, "%H:%M")
        )
    else:
        assert dose.end is not None
        state = _("Ended {ago} ago ({when}), ran {duration}").format(
            ago=describe_silence(now - dose.end),
            when=local(dose.end),
            duration=describe_silence(dose.end - dose.start),
        )
    return DoseLine(
        dose_heading(dose.dose, dose.course_doses, dose.product, dose.cells_per_kg),
        state,
        _("start not confirmed (from the {source})").format(source=source) if candidate else "",
        dose.running,
        candidate,
    )


def bed_choices(patients: Sequence[Patient]) -> list[tuple[str, str]]:
    """The bed switcher's entries (text, patient reference): the patients in a bed, else everyone;
    none when there is nothing to switch between."""
    shown = [p for p in patients if p.bed] or list(patients)
    if len(shown) < 2:
        return []
    return [(f"{p.location or _('no bed')} — {p.display_name}", str(p.ref)) for p in shown]


# ---- banner --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Banner:
    """The banner shows the most severe problem nobody has acknowledged (one acknowledgement moves it
    on to the next); with nothing open, what is watched, never a bare "no alert"."""

    severity: str | None
    """None: no alert open; `text` then says what is watched."""
    text: str
    can_acknowledge: bool
    alerts_button: str
    alerts_tip: str


def banner(status: PatientStatus, dose: DoseInfo | None, rules: RuleSet) -> Banner:
    # One reaction is one problem: alerts folded under a composite are shown and acknowledged with
    # it, so the banner and the count speak of problems, not of every component.
    shown = problems(status.alerts)
    waiting = unacknowledged(status.alerts)
    top = banner_alert(status.alerts)
    n_open, n_recent = len(shown), len(status.recent)
    # Short: every character here is taken from the banner's width on a 1366 px screen. "Open" counts
    # every row the Alerts list shows open, folded ones too, as the ward overview's tile does.
    listed = len(status.alerts)
    button = _("Alerts ({open} open, {waiting} to acknowledge)…").format(open=listed, waiting=len(waiting))
    tip = _(
        "{open} open, {waiting} not acknowledged, {resolved} resolved in the last 24 h: "
        "acknowledge any of them, one or several"
    ).format(open=listed, waiting=len(waiting), resolved=n_recent)
    if top is None:
        return Banner(None, watching_text(rules, dose), False, button, tip)
    escalated = escalation_text(top, rules.escalation_minutes.get(top.severity))
    mark = (
        f"<span style='background:#ffffff; color:#b71c1c'>&nbsp;<b>{escalated}</b>&nbsp;</span> "
        if escalated
        else ""
    )
    signed = top.ack_signature
    # The signer's printed name and role where the acknowledgement was signed.
    who = top.acked_by if signed is None else f"{signed.name} ({role_name(signed.role)})"
    ack = (
        " · " + _("acknowledged by {who} {time}").format(who=who, time=local(top.acked_at, "%H:%M"))
        if top.acked_by and top.acked_at
        else " · " + _("not acknowledged")
    )
    others = [a for a in waiting if a.id != top.id]
    more = " · " + _("{n} more open").format(n=n_open - 1) if n_open > 1 else ""
    if others:
        more += ", " + _("{n} not acknowledged").format(n=len(others))
        late = sum(1 for a in others if a.escalated)
        more += " (" + _("{n} ESCALATED").format(n=late) + ")" if late else ""
    folded = sorted(
        (a for a in status.alerts if a.folded_into == top.id),
        key=lambda a: (not a.components, a.fired_at),
    )
    parts = [f"{a.title_text(rules)} ({a.rule_id})" if a.components else a.rule_id for a in folded]
    # In the small print: the large line must stay short enough to read across the room.
    with_parts = " " + _("Acknowledged with it: {parts}.").format(parts=", ".join(parts)) if parts else ""
    head = _("{severity}&nbsp; {title}").format(
        severity=severity_name(top.severity).upper(), title=top.title_text(rules)
    )
    since = _("(rule {rule}) since {time}").format(rule=top.rule_id, time=local(top.fired_at, "%H:%M"))
    text = (
        f"{mark}<b>{head}</b> {since}"
        f"{ack}{more}<br><span style='font-size:11pt'>{top.message_text(rules)}{with_parts}</span>"
    )
    return Banner(top.severity, text, top.state == "raised", button, tip)


def watching_text(rules: RuleSet, dose: DoseInfo | None) -> str:
    """What is watched, never a bare "no alert" that reads as reassurance."""
    if dose is None:
        return _("No dose recorded: the infusion-reaction rules start with a dose")
    w = watching(rules, dose.baselines)
    if not dose.baselines:
        return ngettext(
            "No infusion-reaction alert open · Watching {n} rule (pre-dose baselines not read yet)",
            "No infusion-reaction alert open · Watching {n} rules (pre-dose baselines not read yet)",
            w.rules,
        ).format(n=w.rules)
    text = _("No infusion-reaction alert open · {summary}").format(summary=w.summary())
    return text.replace("; ", " · ")


def technical_warnings(
    feeds: Sequence[FeedStatus], status: PatientStatus, dose: DoseInfo | None, now: float
) -> list[str]:
    """What Bedside cannot see: a continuous feed silent from a dose's start to 6 h after its end,
    and the rule engine stopped or silent; and what others did not hear from Bedside: alerts the
    alarm manager never acknowledged. Shown loud and cyan: never to be read as a calm patient."""
    parts = []
    if status.deceased_at is not None:
        # First: every other line is read differently once the patient is recorded as dead.
        parts.append(
            "■ "
            + _(
                "This patient is recorded as deceased at {time}: no dose can be started after it. A"
                " wrong time is corrected in the review (Record outcome…, death, with the reason)."
            ).format(time=local(status.deceased_at))
        )
    in_window = dose is not None and dose.start <= now <= (dose.end or now) + POST_DOSE_WINDOW
    if in_window:
        assert dose is not None
        for f in feeds:
            if f.continuous and f.state is FeedState.STALE:
                parts.append(
                    "■ "
                    + _(
                        "{device}: no data for {silence} during the dose {dose} observation window. Bedside"
                        " cannot see this patient: check the device and its link."
                    ).format(
                        device=f.sender.split("^")[0], silence=describe_silence(data_age(f)), dose=dose.dose
                    )
                )
    beat_age = None if status.beat is None else now - status.beat
    if beat_age is None or beat_age > ALERTING_STALE_AFTER:
        if beat_age is None:
            said = _("Infusion-reaction alerting is not running: reactions are not being checked by Bedside.")
        else:
            said = _(
                "Infusion-reaction alerting silent for {silence}: reactions are not being checked by Bedside."
            ).format(silence=describe_silence(beat_age))
        parts.append("■ " + said)
    if status.undelivered:
        parts.append(undelivered_notice(status.undelivered, status.undelivered_at))
    return parts


def undelivered_notice(count: int, newest: float | None) -> str:
    """Bedside's alerts are secondary: said plainly, without alarm, so that nobody relies on the
    alarm manager for them while the link fails."""
    what = ngettext("{n} Bedside alert", "{n} Bedside alerts", count).format(n=count)
    when = "" if newest is None else " " + _("(latest {time})").format(time=local(newest, "%H:%M"))
    return "■ " + _(
        "{what}{when} could not be delivered to the alarm manager: they show on Bedside's screens"
        " only. The monitors' and pumps' own alarms are not affected."
    ).format(what=what, when=when)


# ---- feeds and services --------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedChip:
    text: str
    technical: bool = False
    """Cyan: a feed that stopped, or none at all."""
    quiet: bool = False
    """An event feed (pump, eMAR): when it last spoke, in the quiet colour."""


def feed_chips(feeds: Sequence[FeedStatus], pace: FeedPace, now: float) -> list[FeedChip]:
    """`pace` tells a backlog's lag from a clock skew between looks: the caller keeps it."""
    chips = []
    if not any(f.continuous for f in feeds):
        chips.append(FeedChip(_("No device feed has sent any value yet"), technical=True))
    for f in sorted(feeds, key=lambda f: (not f.continuous, f.sender)):
        name = f.sender.split("^")[0]
        if f.state is FeedState.STALE:
            age = data_age(f)
            said = _("{device}: no data for {silence}").format(device=name, silence=describe_silence(age))
            if age >= LAST_VALUE_SAID_AFTER:
                # A long silence (a death, a discharge, a device taken away) is read by when it began.
                said += ", " + _("last value {time}").format(time=local(now - age))
            chips.append(FeedChip("■ " + said, technical=True))
        elif not f.continuous:
            said = _("{device}: last message {silence} ago").format(
                device=name, silence=describe_silence(f.silent_for)
            )
            chips.append(FeedChip(said, quiet=True))
        else:
            clock = describe_clock(pace.assess(f, now))
            chips.append(FeedChip(f"● {name} {describe_silence(f.silent_for)}{clock}"))
        if f.clock_fault is not None:  # its values were refused: the trend may look quiet for it
            chips.append(FeedChip(f"■ {name}: {f.clock_fault}", technical=True))
    return chips


def time_zone() -> str:
    """The local time zone as a person reads it: "CET (UTC+0100)", and "UTC" alone where the zone is
    UTC itself (not "UTC (UTC+0000)")."""
    now = datetime.now().astimezone()
    name, offset = now.strftime("%Z"), now.strftime("%z")
    if name.upper() in ("UTC", "GMT", "Z", "") and offset in ("+0000", ""):
        return "UTC"
    if not name or name.startswith(("+", "-", "UTC")):  # a zone without a name of its own
        return f"UTC{offset}"
    return f"{name} (UTC{offset})"


def alerting_live(status: PatientStatus, now: float) -> str | None:
    """'● Alerting live (rule set), checked 3 s ago · alerting: node X'; None when the rule engine is
    not live. The node is the ingest service whose engine holds the lease: with two services, the
    screen says which one alerts (it changes when that one fails and the other takes over)."""
    if status.beat is not None and now - status.beat <= ALERTING_STALE_AFTER:
        live = "● " + _("Alerting live ({ruleset}), checked {ago} ago").format(
            ruleset=status.ruleset, ago=describe_silence(now - status.beat)
        )
        return live + " · " + _("alerting: node {node}").format(node=status.holder) if status.holder else live
    return None


def services_text(supervisor: str | None, heartbeat: float | None, now: float) -> str:
    """The services line: the supervisor's account of its children, and an ingest gone silent."""
    parts = [] if supervisor is None else [supervisor]
    if heartbeat is not None and now - heartbeat > HEARTBEAT_STALE_AFTER:
        parts.append(_("ingest silent for {silence}").format(silence=describe_silence(now - heartbeat)))
    return " · ".join(parts)
