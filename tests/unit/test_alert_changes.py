"""The alert lifecycle decided in the core: what each reconciled action changes, with its log entry, and
escalation decided once for an evaluation and for the runner's tick."""

from __future__ import annotations

from dataclasses import replace

from bedside.alert_changes import (
    UNCONFIRMED,
    Annotated,
    Escalated,
    RaiseAlert,
    Refreshed,
    Resolved,
    alert_title,
    changes,
    escalations_due,
    folds,
    refolds,
)
from bedside.alerts import Alert, AlertState, Annotate, Escalate, Raise, Resolve, Update, reconcile
from bedside.episodes import EpisodeState, InfusionEpisode
from bedside.log_entries import ENGINE_ACTOR, AlertRaised, AlertResolved, AlertSeverityRose
from bedside.rules.findings import Finding
from bedside.rules.ruleset import RuleSet

RULES = RuleSet.load()
T0 = 1_780_000_000.0
MIN = 60.0
EP = InfusionEpisode(7, "MRN1^HOSP", 2, T0, None, "manual", EpisodeState.CONFIRMED)
CANDIDATE = replace(EP, state=EpisodeState.CANDIDATE)
ESCALATE = {"high": 5.0, "medium": 15.0}


def finding(rule: str = "H1", severity: str = "medium", cleared: bool = False, **kw) -> Finding:  # type: ignore[no-untyped-def]
    return Finding(
        rule,
        severity,
        T0 + 10 * MIN,
        T0 + 15 * MIN,
        T0 + 20 * MIN,
        cleared,
        "HR high",
        observations=("obs:1:2",),
        **kw,
    )


def alert(i: int, severity: str = "high", raised: float = T0, **kw) -> Alert:  # type: ignore[no-untyped-def]
    return Alert(
        i,
        EP.id,
        f"R{i}",
        severity,
        AlertState.RAISED,
        raised,
        raised,
        raised,
        raised,
        patient=EP.patient,
        **kw,
    )


def test_a_raise_becomes_a_new_alert_with_its_entry_and_the_unconfirmed_start_said() -> None:
    now = T0 + 21 * MIN
    (new,) = changes([Raise(finding())], CANDIDATE, RULES, now)
    assert isinstance(new, RaiseAlert)
    assert (new.alert.raised_at, new.alert.title, new.resolved) == (now, alert_title(RULES, "H1"), None)
    assert new.alert.message == "HR high" + UNCONFIRMED and new.alert.start_unconfirmed
    ((entry, at),) = [(x.entry, x.at) for x in new.log]
    assert isinstance(entry, AlertRaised) and at == now and entry.alert_id is None
    assert (entry.actor, entry.message, entry.dose, entry.start_unconfirmed) == (
        ENGINE_ACTOR,
        "HR high",
        2,
        True,
    )


def test_a_finding_seen_only_after_it_cleared_is_raised_and_resolved_on_its_data_time_on_import() -> None:
    (new,) = changes([Raise(finding(cleared=True))], EP, RULES, T0 + 5 * 3600, on_import=True)
    assert isinstance(new, RaiseAlert)
    resolve_at = T0 + 20 * MIN + RULES.rearm_minutes * MIN
    assert new.alert.raised_at == T0 + 15 * MIN and new.resolved == (
        resolve_at,
        "condition cleared for the re-arm period",
    )
    raised, resolved = new.log
    assert raised.entry.actor == ENGINE_ACTOR + " (import)" and raised.at == T0 + 15 * MIN
    assert isinstance(resolved.entry, AlertResolved) and resolved.at == resolve_at
    assert new.alert.message == "HR high"  # a confirmed start says nothing more


def test_update_resolve_annotate_and_escalate_carry_their_entries() -> None:
    now = T0 + 30 * MIN
    acts = [
        Update(3, finding(severity="high", severity_rose_at=T0 + 25 * MIN), severity_rose=True),
        Update(4, finding()),
        Resolve(5, "condition cleared (re-armed)"),
        Annotate(6, "re-evaluated"),
        Escalate(8, 5.0),
    ]
    rose, plain, resolved, annotated, escalated = changes(acts, EP, RULES, now)
    assert isinstance(rose, Refreshed) and rose.severity == "high"
    (entry,) = [x.entry for x in rose.log]
    assert isinstance(entry, AlertSeverityRose) and entry.payload()["at"] == T0 + 25 * MIN
    assert isinstance(plain, Refreshed) and plain.severity is None and plain.log == ()
    assert isinstance(resolved, Resolved) and resolved.at == now
    assert resolved.log[0].entry.payload() == {"reason": "condition cleared (re-armed)"}
    assert isinstance(annotated, Annotated) and annotated.log[0].entry.alert_id == 6
    assert isinstance(escalated, Escalated) and escalated.log[0].entry.payload() == {
        "after_minutes": 5.0,
        "why": "not acknowledged in time",
    }


def test_escalation_is_one_rule_for_an_evaluation_and_for_the_tick() -> None:
    now = T0 + 6 * MIN
    waiting = [
        alert(1),  # high, raised 6 min ago: due
        alert(2, severity="medium"),  # medium: 15 min
        alert(3, escalated_at=T0 + 5 * MIN),  # escalated already
        alert(4, folded_into=1),  # escalates with its problem
        alert(5, on_import=True),  # an import's alerts are history
        alert(6, raised=T0 + 2 * MIN),  # not yet
        replace(alert(7), state=AlertState.ACKNOWLEDGED),
    ]
    # Each alert's finding still holds (so reconcile resolves none of them): only escalation is left.
    holding = [
        Finding(
            a.rule_id, a.severity, a.onset, a.fired_at, a.last_true, False, "", observations=a.observations
        )
        for a in waiting
    ]
    actions = reconcile(waiting, holding, now, 0.0, ESCALATE)
    by_reconcile = [a.alert_id for a in actions if isinstance(a, Escalate)]
    by_tick = [ch.alert_id for ch in escalations_due(waiting, now, ESCALATE)]
    assert by_reconcile == by_tick == [1]
    (tick,) = escalations_due(waiting, now, ESCALATE)
    assert tick.log[0].entry.patient_ref == EP.patient and tick.log[0].entry.episode_id == EP.id


def test_folding_is_decided_once_and_an_alert_stays_where_it_was_folded() -> None:
    composite = replace(alert(1), rule_id="C1", components=("H1",))
    part = replace(alert(2), rule_id="H1")
    (fold,) = folds([composite, part], EP, RULES, T0)
    assert (fold.alert_id, fold.into) == (2, 1)
    assert fold.log[0].entry.payload()["into"] == 1
    assert folds([composite, replace(part, folded_into=1)], EP, RULES, T0) == []
    assert refolds([Update(1, finding())]) and not refolds([Resolve(1, "x"), Escalate(1, 5.0)])


def test_the_json_listing_is_a_view_of_the_alert() -> None:
    a = alert(1, acked_by="AB", acked_at=T0 + 60, detail={"components": ["H1"]}, components=("H1",))
    row = a.as_json()
    assert (row["state"], row["acknowledged_by"], row["annotation"], row["components"]) == (
        "raised",
        "AB",
        None,
        ["H1"],
    )
    assert a.escalated is False and replace(a, escalated_at=T0).escalated
