"""Alerts on the trends: a marker per cluster of alerts on the top plot, coloured by the most severe
alert it stands for, and a faint line per alert through the stack.

Colour means priority everywhere on the screen (IEC 60601-1-8): a marker is red, yellow or grey as its
alert's severity is, whether the alert is clinical or technical, as the banner shows it. What tells a
technical alert (Bedside cannot see the patient) from a clinical finding is the shape: a triangle for
a clinical alert, a diamond for a technical one; on the lines, dots for clinical and dashes for
technical.

Alerts of one reaction fire minutes apart; at 6 h a triangle is about ten minutes wide, so their
triangles pile up, and whichever was drawn last showed (the alerts come sorted most severe first: a
low one hid three high ones). Alerts whose triangles would overlap are one triangle instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from bedside_ui.alert_words import alert_title, rule_before_title
from bedside_ui.plot_rules import Rule
from bedside_ui.theme import SEVERITY_COLOUR, severity_text
from PySide6.QtCore import Qt

from bedside.alerts import Alert
from bedside.rules.ruleset import RuleSet

MARKER_PX = 12
CLINICAL_SYMBOL = "t"
TECHNICAL_SYMBOL = "d"
"""pyqtgraph's symbols: a triangle for a clinical alert, a diamond for a technical one."""
_RANK = {"high": 3, "medium": 2, "low": 1}


def is_technical(alert: Alert) -> bool:
    """A technical alert (Bedside cannot see the patient), not a clinical finding."""
    return alert.rule_id == "STALE" or alert.rule_id.startswith("TECH_")


def severity_key(alert: Alert) -> tuple[int, int]:
    """Orders alerts least to most severe; at the same severity a clinical alert outranks a technical
    one (the patient before the sensor)."""
    return (_RANK.get(alert.severity, 0), 0 if is_technical(alert) else 1)


def alert_colour(alert: Alert) -> str:
    """The colour of the alert's severity, technical or not: colour means priority."""
    return SEVERITY_COLOUR.get(alert.severity, SEVERITY_COLOUR["low"])


def alert_symbol(alert: Alert) -> str:
    return TECHNICAL_SYMBOL if is_technical(alert) else CLINICAL_SYMBOL


def clusters(alerts: Sequence[Alert], width: float) -> list[list[Alert]]:
    """Alerts in time order, grouped while each fired within `width` s of the one before."""
    out: list[list[Alert]] = []
    for a in sorted(alerts, key=lambda x: x.fired_at):
        if out and a.fired_at - out[-1][-1].fired_at <= width:
            out[-1].append(a)
        else:
            out.append([a])
    return out


def describe(cluster: Sequence[Alert], rules: RuleSet | None = None) -> str:
    """The marker's text: each alert's severity, rule and title in the screen's language."""
    ordered = sorted(cluster, key=severity_key, reverse=True)
    return "\n".join(
        " ".join(filter(None, (severity_text(a.severity), rule_before_title(a), alert_title(a, rules))))
        for a in ordered
    )


class AlertMarks:
    """The triangles of one plot (one ScatterPlotItem, regrouped when the zoom changes) and the lines
    of every plot."""

    def __init__(self, top: pg.PlotItem) -> None:
        self.top = top
        self.scatter = pg.ScatterPlotItem(symbol="t", size=MARKER_PX, pen=None, hoverable=True, tip=_tip)
        self.scatter.setZValue(40)
        top.addItem(self.scatter, ignoreBounds=True)
        self.alerts: tuple[Alert, ...] = ()
        self.rules: RuleSet | None = None
        """The rule set in use (its titles in the screen's language); None: the shipped one."""
        self.y = 0.0
        self.shown: list[tuple[float, str, str]] = []
        """Per marker drawn: time, colour, the alerts it stands for (what tests check)."""
        self._width: float | None = None
        top.getViewBox().sigXRangeChanged.connect(lambda *_: self.regroup())
        top.getViewBox().sigResized.connect(lambda *_: self.regroup())

    def set_alerts(self, alerts: Sequence[Alert], y: float) -> None:
        self.alerts = tuple(alerts)
        self.y = y
        self.regroup(force=True)

    def regroup(self, force: bool = False) -> None:
        vb = self.top.getViewBox()
        x0, x1 = vb.viewRange()[0]
        width = MARKER_PX * (x1 - x0) / max(1.0, vb.width())
        # A pan keeps the scale: only a zoom (or new alerts) regroups.
        if not force and self._width is not None and abs(width - self._width) <= 0.05 * self._width:
            return
        self._width = width
        self.shown = []
        spots = []
        for group in clusters(self.alerts, width):
            worst = max(group, key=severity_key)
            at = sum(a.fired_at for a in group) / len(group) if len(group) > 1 else group[0].fired_at
            colour = alert_colour(worst)
            text = describe(group, self.rules)
            self.shown.append((at, colour, text))
            spots.append(
                {
                    "pos": (at, self.y),
                    "brush": pg.mkBrush(colour),
                    "symbol": alert_symbol(worst),
                    "data": text,
                }
            )
        self.scatter.setData(spots)


def alert_rule(alert: Alert) -> Rule:
    """The faint line of one alert; the more severe on top where lines meet."""
    rank, clinical = severity_key(alert)
    style = Qt.PenStyle.DashLine if is_technical(alert) else Qt.PenStyle.DotLine
    pen = pg.mkPen(alert_colour(alert), width=1, style=style)
    return Rule(alert.fired_at, pen, vertical=True, rank=2 * rank + clinical)


def _tip(x: float, y: float, data: object) -> str:
    del x, y
    return str(data)
