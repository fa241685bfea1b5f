"""The per-patient report (issue 10): the review screen on paper. A4 PDF drawn with Qt (QPdfWriter):
header, outcomes, per dose the aligned plots, the before/after table and the data coverage, then the
alerts and adverse events from the safety log, with the rule-set version and the log's chain head at
export on every page. Also the tables as CSV."""

from __future__ import annotations

import csv
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyqtgraph as pg
from bedside_adapters.db.review_store import ReviewData
from bedside_adapters.review_tables import dose_coverage, dose_rows
from bedside_ui import review_plots
from bedside_ui.theme import LIGHT
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from bedside import __version__
from bedside.review import HOUR, TIMEPOINTS, BeforeAfterRow, Cell, marker_heading
from bedside.rules.technical import is_technical
from bedside.units import cells_text, decimals_for, display_unit, format_change, format_hours, format_value

Progress = Callable[[int, str], None]
DPI = 150
PAGE_W, PAGE_H = 1240, 1754  # A4 at 150 dpi
MARGIN = 80
FOOTER = 50


def local(at: float | None, fmt: str = "%d %b %Y %H:%M") -> str:
    return "—" if at is None else datetime.fromtimestamp(at).strftime(fmt)


def fmt_value(v: float | None, marker: str = "", unit: str = "") -> str:
    """A stored value as clinicians write it: P/F, FiO2 and PEEP whole (P/F 152, not 151.795), a
    lab result as reported (at most 3 decimals); never '-0'."""
    if v is None:
        return "—"
    return format_value(marker, v, unit)


def offset_text(seconds: float) -> str:
    """A value's time from the dose start: '+23 h', '-3 h', and within the hour '-20 min' (never
    '-0 h': a baseline drawn 20 min before the start is not 'zero hours' ago)."""
    minutes = round(seconds / 60.0)
    if abs(minutes) < 60:
        return "0 min" if minutes == 0 else f"{minutes:+d} min"
    return format_hours(seconds / HOUR)


def cell_text(cell: Cell, t0: float, marker: str = "", unit: str = "", sep: str = " ") -> str:
    if cell.point is None:
        return f"—{sep}({cell.missing})" if cell.missing else "—"
    return f"{fmt_value(cell.point.value, marker, unit)} ({offset_text(cell.point.at - t0)})"


def change_text(cell: Cell, base, marker: str = "", unit: str = "") -> str:  # type: ignore[no-untyped-def]
    """'+36 (+31 %)', '-0.8 (-40 %)', '±0 (±0 %)': the absolute change at the precision of the
    values themselves, and the relative one in whole percent."""
    absolute, relative = cell.change_from(base)
    if absolute is None:
        return "—"
    decimals = decimals_for(marker, unit)
    if decimals is None:  # a lab result: as many decimals as the two values carry (at most 2)
        shown = [fmt_value(v, marker, unit) for v in (cell.point.value, base.value)]
        decimals = min(2, max(len(x.partition(".")[2]) for x in shown))
    rel = "" if relative is None else f" ({format_change(relative)} %)"
    return f"{format_change(absolute, decimals)}{rel}"


def table_rows(rows: list[BeforeAfterRow], t0: float, sep: str = "  ") -> list[list[str]]:
    """Marker (unit), baseline, then each time point as "value (its time) change (relative)"; `sep`
    between a value and its change, or a missing value and its reason (a line break on screen)."""
    out = []
    for r in rows:
        key, unit = r.marker.key, r.marker.unit
        base = r.baseline.point
        line = [marker_heading(r.marker.label, unit), cell_text(r.baseline, t0, key, unit, sep)]
        for label, _ in TIMEPOINTS:
            cell = r.after[label]
            change = change_text(cell, base, key, unit)
            line.append(cell_text(cell, t0, key, unit, sep) + ("" if change == "—" else f"{sep}{change}"))
        out.append(line)
    return out


# ---- layout: blocks placed on pages, then painted (so "page i of N" is known) ----------------------


@dataclass
class Block:
    kind: str  # heading, text, table, image, space
    text: str = ""
    rows: list[list[str]] | None = None
    widths: list[float] | None = None
    image: QImage | None = None
    height: float = 0.0
    size: float = 9.0


class Report:
    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def heading(self, text: str, size: float = 13.0) -> None:
        self.blocks.append(Block("heading", text, size=size))

    def text(self, text: str, size: float = 9.0) -> None:
        self.blocks.append(Block("text", text, size=size))

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], size: float = 8.0) -> None:
        self.blocks.append(Block("table", rows=[header, *rows], widths=widths, size=size))

    def image(self, image: QImage, height: float) -> None:
        self.blocks.append(Block("image", image=image, height=height))

    def page_break(self) -> None:
        self.blocks.append(Block("break"))


def _font(size: float, bold: bool = False) -> QFont:
    f = QFont("DejaVu Sans")
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def _text_height(painter: QPainter, text: str, size: float, bold: bool, width: float) -> float:
    painter.setFont(_font(size, bold))
    r = painter.boundingRect(QRectF(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text)
    return r.height() + 6


def render(report: Report, path: Path, footer: str, progress: Progress | None = None) -> int:
    """Paint the blocks into an A4 PDF; returns the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)
        )
    )
    writer.setTitle("Bedside post-dose review")
    writer.setCreator(f"Bedside {__version__}")
    painter = QPainter(writer)
    width = PAGE_W - 2 * MARGIN
    bottom = PAGE_H - MARGIN - FOOTER
    # Pass 1: place every block (a table may run over pages, row by row).
    pages: list[list[tuple[float, Block, int, int]]] = [[]]
    y = MARGIN
    for block in report.blocks:
        if block.kind == "break":
            if pages[-1]:
                pages.append([])
                y = MARGIN
            continue
        if block.kind == "table":
            assert block.rows is not None
            heights = _row_heights(block, writer)
            i = 1
            while i < len(block.rows):
                room = bottom - y - heights[0]
                j, used = i, 0.0
                while j < len(block.rows) and used + heights[j] <= room:
                    used += heights[j]
                    j += 1
                if j == i:
                    pages.append([])
                    y = MARGIN
                    continue
                pages[-1].append((y, block, i, j))  # the header row repeats on each page
                y += heights[0] + used + 8
                i = j
            continue
        if block.kind == "image":
            h = block.height
        else:
            h = _text_height(painter, block.text, block.size, block.kind == "heading", width)
        if y + h > bottom and pages[-1]:
            pages.append([])
            y = MARGIN
        pages[-1].append((y, block, 0, 0))
        y += h + (12 if block.kind == "heading" else 4)
    # Pass 2: paint.
    total = len(pages)
    for n, page in enumerate(pages, start=1):
        if n > 1:
            writer.newPage()
        for y0, block, i, j in page:
            _paint(painter, writer, block, y0, width, i, j)
        painter.setFont(_font(7.5))
        painter.setPen(QColor("#455a64"))
        painter.drawLine(
            MARGIN, PAGE_H - MARGIN - FOOTER + 10, PAGE_W - MARGIN, PAGE_H - MARGIN - FOOTER + 10
        )
        painter.drawText(
            QRectF(MARGIN, PAGE_H - MARGIN - FOOTER + 16, width, FOOTER),
            int(Qt.TextFlag.TextWordWrap),
            f"page {n} of {total} · {footer}",
        )
        if progress:
            progress(80 + int(20 * n / total), f"page {n} of {total}")
    painter.end()
    return total


def _paint(
    painter: QPainter, writer: QPdfWriter, block: Block, y: float, width: float, i: int, j: int
) -> None:
    painter.setPen(QColor("#102027"))
    if block.kind in ("heading", "text"):
        painter.setFont(_font(block.size, block.kind == "heading"))
        painter.drawText(QRectF(MARGIN, y, width, 10_000), int(Qt.TextFlag.TextWordWrap), block.text)
    elif block.kind == "image" and block.image is not None:
        img = block.image
        scale = min(width / img.width(), block.height / img.height())
        painter.drawImage(QRectF(MARGIN, y, img.width() * scale, img.height() * scale), img)
    elif block.kind == "table" and block.rows is not None and block.widths is not None:
        heights = _row_heights(block, writer)
        total_w = sum(block.widths)
        xs = [MARGIN]
        for w in block.widths:
            xs.append(xs[-1] + width * w / total_w)
        top = y
        for k, row in zip([0, *range(i, j)], [block.rows[0], *block.rows[i:j]], strict=True):
            row_h = heights[k]
            if k == 0:
                painter.fillRect(QRectF(MARGIN, top, width, row_h), QColor("#eceff1"))
            painter.setFont(_font(block.size, k == 0))
            for c, value in enumerate(row):
                rect = QRectF(xs[c] + 4, top, xs[c + 1] - xs[c] - 8, row_h)
                fitted = "\n".join(
                    painter.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, int(rect.width()))
                    for line in value.split("\n")
                )
                painter.drawText(
                    rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), fitted
                )
            painter.setPen(QColor("#cfd8dc"))
            painter.drawLine(MARGIN, top + row_h, MARGIN + width, top + row_h)
            painter.setPen(QColor("#102027"))
            top += row_h


def _row_heights(block: Block, writer: QPdfWriter) -> list[float]:
    """Each row as tall as its most lines (a value with its change below it, a dash with the reason)."""
    assert block.rows is not None
    line = QFontMetricsF(_font(block.size), writer).height()
    return [line * (1 + max(v.count("\n") for v in row)) + line * 0.45 for row in block.rows]


# ---- content ---------------------------------------------------------------------------------------


PLOT_W, PLOT_H = PAGE_W - 2 * MARGIN, 620
"""The plots are drawn at the size they are printed (one pixel per printed dot: no scaling)."""
TICK_PT = 7.5
"""Axis numbers on paper: at least 7 pt, readable in a printout."""


def plot_font_px() -> int:
    return math.ceil(TICK_PT / 72.0 * DPI)


def plot_image(data: ReviewData, align: int | None, lo: float = -24.0, hi: float = 168.0) -> QImage:
    """The dose-aligned plots drawn offscreen (light theme, for paper)."""
    widget = pg.GraphicsLayoutWidget()
    widget.setBackground("#ffffff")
    widget.resize(PLOT_W, PLOT_H)
    review_plots.draw(widget.ci, data, align, lo, hi, LIGHT, font_px=plot_font_px())
    QApplication.processEvents()
    image = widget.grab().toImage()
    widget.close()
    widget.deleteLater()
    return image


def build(data: ReviewData, progress: Progress | None = None) -> tuple[Report, str]:
    made = time.time()
    zone = datetime.now().astimezone().strftime("%Z (UTC%z)")
    head = "none" if data.chain_head is None else f"entry {data.chain_head[0]}, sha256 {data.chain_head[1]}"
    short = "none" if data.chain_head is None else f"{data.chain_head[0]}:{data.chain_head[1][:16]}"
    footer = (
        f"{data.patient.display_name} ({data.patient.ref}) · made {local(made)} by Bedside {__version__} · "
        f"rule set {data.ruleset or 'none recorded'} · log head {short}"
    )
    r = Report()
    o = data.outcomes
    r.heading("Bedside: post-dose review", 16.0)
    r.text(
        f"Patient {data.patient.display_name} · MRN {data.patient.ref.identifier} · "
        f"{data.patient.location or 'no bed'}\n"
        f"Made {local(made)} ({zone}) by Bedside {__version__}. Times are local. "
        f"Rule set {data.ruleset or 'none recorded'}. "
        f"Safety log chain head at export: {head}.\n"
        "Bedside supports decisions and does not diagnose. Values are stored values with their own "
        "times; nothing is interpolated, and a missing value is shown as missing with the reason."
    )
    r.heading("Course")
    doses = "; ".join(
        f"dose {d.dose} {local(d.start)}"
        + (f"–{local(d.end, '%H:%M')}" if d.end else " (running)")
        + (f", {cells_text(d.cells_per_kg)} cells/kg" if d.cells_per_kg else "")
        + ("" if d.state == "confirmed" else f" [{d.state}]")
        for d in data.doses
    )
    ext = (
        f"{local(o.extubated)} ({o.extubation_source})"
        if o.extubated
        else (
            f"not confirmed; ventilator data stopped {local(o.extubation_candidate)}"
            if o.extubation_candidate
            else "not recorded"
        )
    )
    vent_days = (
        "—" if o.ventilated_days_before_first_dose is None else f"{o.ventilated_days_before_first_dose:.1f}"
    )
    died = local(o.died) if o.died else "none recorded"
    alive = {True: "yes", False: "no", None: "not known yet"}[o.alive_at_day(28, data.now)]
    r.text(
        f"Intubated: {local(o.intubated)} ({o.intubated_source or 'unknown'}). Doses: {doses or 'none'}.\n"
        f"Days on mechanical ventilation before the first dose: {vent_days}. Extubation: {ext}. "
        f"ICU discharge: {local(o.discharged)}. Death: {died}. Alive at day 28: {alive}."
    )
    if data.radiology:
        r.text("Radiology notes: " + " · ".join(f"{local(e.at)} {e.text} ({e.by})" for e in data.radiology))
    # Clinical alerts and technical ones (a feed or a sensor) apart: a calm patient whose SpO2 probe
    # fell off once is not "2 alerts".
    clinical = [a.severity for a in data.alerts if not is_technical(a.rule_id)]
    technical = len(data.alerts) - len(clinical)
    grades = sorted(int(ae["grade"]) for ae in data.adverse_events)
    r.heading("Safety summary")
    r.text(
        f"Clinical alerts: {len(clinical)}"
        + (
            " ("
            + ", ".join(f"{clinical.count(x)} {x}" for x in ("high", "medium", "low") if x in clinical)
            + ")"
            if clinical
            else ""
        )
        + f". Technical alerts (a feed or a sensor): {technical}"
        + f". Adverse events: {len(grades)}"
        + (" (grades " + ", ".join(str(g) for g in grades) + ")" if grades else "")
        + ". Both are listed in full, from the safety log, on the last page."
    )
    steps = max(1, len(data.doses))
    for k, d in enumerate(data.doses):
        if progress:
            progress(5 + int(70 * k / steps), f"dose {d.dose}: plots and tables")
        if k:
            r.page_break()
        r.heading(f"Dose {d.dose}: {local(d.start)}, t = 0 at its start; other doses dashed, alerts dotted")
        r.image(plot_image(data, d.dose), float(PLOT_H))
        rows = dose_rows(data, d)
        r.heading("Before and after (value, and its time from the start)", 11.0)
        r.table(
            ["Marker", "Baseline", "+24 h (change)", "+72 h (change)", "+7 d (change)"],
            table_rows(rows, d.start, sep="\n"),
            [1.4, 1.3, 1.3, 1.3, 1.3],
            size=7.5,
        )
        cov = dose_coverage(data, d)
        windows = list(next(iter(cov.values())).keys()) if cov else []
        r.heading("Data coverage: share of expected samples present", 11.0)
        r.table(
            ["Stream", *windows],
            [
                [name, *(("—" if v is None else f"{100 * v:.0f} %") for v in row.values())]
                for name, row in cov.items()
            ],
            [1.6] + [1.0] * len(windows),
        )
    if len(data.doses) > 1:
        r.page_break()
        r.heading("All doses overlaid, each on its own start")
        r.image(plot_image(data, None), float(PLOT_H))
    r.page_break()
    r.heading("Alerts (from the safety log)")
    if data.alerts:
        r.table(
            ["Raised", "Rule", "Severity", "Alert", "State", "Acknowledged"],
            [
                [
                    local(a.fired_at),
                    a.rule_id,
                    a.severity,
                    a.title,
                    a.state,
                    f"{a.acked_by} {local(a.acked_at, '%d %b %H:%M')}" if a.acked_by else "—",
                ]
                for a in data.alerts
            ],
            [1.3, 0.6, 0.8, 2.0, 1.0, 1.4],
        )
    else:
        r.text("No alert was raised for this patient.")
    r.heading("Adverse events")
    if data.adverse_events:
        r.table(
            ["Onset", "Term", "Grade", "Relatedness", "Dose", "Alerts", "Recorded by"],
            [
                [
                    local(ae["onset"]),
                    ae["term"],
                    str(ae["grade"]),
                    ae["relatedness"],
                    str(ae["dose"] or "—"),
                    ", ".join(str(x) for x in ae["alert_ids"]) or "—",
                    ae["reported_by"],
                ]
                for ae in data.adverse_events
            ],
            [1.2, 2.0, 0.6, 1.0, 0.6, 0.7, 1.1],
        )
    else:
        r.text("No adverse event was recorded.")
    r.heading("Safety log extract: doses, alerts, adverse events, course events", 11.0)
    r.text(
        "Every entry of this patient's kinds above, as logged (sequence number, time, kind, who, and what). "
        "bedside-cli verify-log checks the chain these entries belong to."
    )
    r.table(
        ["#", "Time", "Kind", "Who", "What"],
        [
            [str(e["seq"]), local(e["at"], "%d %b %H:%M:%S"), e["kind"], e["actor"], _what(e["payload"])]
            for e in data.log
        ],
        [0.4, 1.1, 1.2, 0.9, 3.4],
        size=7.0,
    )
    return r, footer


def _what(payload: dict) -> str:
    keys = (
        "rule",
        "severity",
        "dose",
        "term",
        "grade",
        "relatedness",
        "comment",
        "reason",
        "text",
        "kind",
        "source",
    )
    return ", ".join(f"{k} {payload[k]}" for k in keys if payload.get(k) not in (None, "", []))


def export_pdf(data: ReviewData, path: Path, progress: Progress | None = None) -> dict:
    report, footer = build(data, progress)
    pages = render(report, path, footer, progress)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"file": str(path), "pages": pages, "sha256": digest, "log_head": data.chain_head}


def export_csv(data: ReviewData, path: Path) -> int:
    """Every dose's before/after rows and coverage, one table: section, dose, marker/stream, columns."""
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "patient",
                "section",
                "dose",
                "marker",
                "unit",
                "unit_display",
                "timepoint",
                "value",
                "time_utc",
                "hours_from_start",
                "change",
                "change_percent",
                "missing",
            ]
        )
        for d in data.doses:
            for row in dose_rows(data, d):
                base = row.baseline.point
                cells = [("baseline", row.baseline)] + [(label, row.after[label]) for label, _ in TIMEPOINTS]
                for label, cell in cells:
                    absolute, relative = (None, None) if label == "baseline" else cell.change_from(base)
                    p = cell.point
                    w.writerow(
                        [
                            str(data.patient.ref),
                            "before_after",
                            d.dose,
                            row.marker.key,
                            row.marker.unit,
                            display_unit(row.marker.unit),
                            label,
                            "" if p is None else p.value,
                            "" if p is None else datetime.fromtimestamp(p.at, UTC).isoformat(),
                            "" if p is None else round((p.at - d.start) / HOUR, 2),
                            "" if absolute is None else absolute,
                            "" if relative is None else round(relative, 1),
                            cell.missing,
                        ]
                    )
                    n += 1
            for stream, row in dose_coverage(data, d).items():
                for window, share in row.items():
                    w.writerow(
                        [
                            str(data.patient.ref),
                            "coverage",
                            d.dose,
                            stream,
                            "",
                            "",
                            window,
                            "" if share is None else round(share, 3),
                            "",
                            "",
                            "",
                            "",
                            "",
                        ]
                    )
                    n += 1
    return n
