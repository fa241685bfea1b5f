"""Painting a report on A4 pages with Qt (QPdfWriter): blocks (headings, text, tables, images) are
placed on pages first, then painted, so every page's footer knows "page i of N"."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from bedside import __version__

Progress = Callable[[int, str], None]
DPI = 150
PAGE_W, PAGE_H = 1240, 1754  # A4 at 150 dpi
MARGIN = 80
FOOTER = 50


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
        if any(len(row) != len(widths) for row in (header, *rows)):
            raise ValueError(f"a table of {len(widths)} columns was given a row of another length")
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


def render(
    report: Report, path: Path, footer: str, progress: Progress | None = None, author: str = ""
) -> int:
    """Paint the blocks into an A4 PDF; returns the number of pages. `author`: who produced it, for
    the document's properties (the Author field a PDF reader shows, beside Creator: the software
    and its version), so a copy that leaves the unit still says who made it and with what."""
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)
        )
    )
    writer.setTitle(QCoreApplication.translate("Report", "Bedside post-dose review"))
    writer.setCreator(f"Bedside {__version__}")
    writer.setAuthor(author or QCoreApplication.translate("Report", "not recorded (nobody signed in)"))
    painter = QPainter(writer)
    width = PAGE_W - 2 * MARGIN
    bottom = PAGE_H - MARGIN - FOOTER
    for block in report.blocks:
        if block.kind == "table":
            _wrap_cells(block, writer, width)
    # Pass 1: place every block (a table may run over pages, row by row).
    pages: list[list[tuple[float, Block, int, int]]] = [[]]
    y = MARGIN
    for k, block in enumerate(report.blocks):
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
        # A heading keeps company with what it heads: with no room below it for the start of what
        # it heads (a text or an image whole, a table's header and first row), it starts the next
        # page instead of standing alone at the foot of this one.
        keep = _first_part(report.blocks, k + 1, painter, writer, width) if block.kind == "heading" else 0.0
        if y + h + min(keep, bottom - MARGIN - h) > bottom and pages[-1]:
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
            QCoreApplication.translate("Report", "page {n} of {total}").format(n=n, total=total)
            + f" · {footer}",
        )
        if progress:
            progress(
                80 + int(20 * n / total),
                QCoreApplication.translate("Report", "page {n} of {total}").format(n=n, total=total),
            )
    painter.end()
    return total


def _first_part(blocks: list[Block], k: int, painter: QPainter, writer: QPdfWriter, width: float) -> float:
    """The height the start of `blocks[k]` needs on the page it starts: a text or an image whole
    (they are never split), a table's header and first row, a heading with the start of its own."""
    if k >= len(blocks) or blocks[k].kind == "break":
        return 0.0
    block = blocks[k]
    if block.kind == "table":
        heights = _row_heights(block, writer)
        return sum(heights[:2]) + 8
    if block.kind == "image":
        return block.height
    h = _text_height(painter, block.text, block.size, block.kind == "heading", width)
    if block.kind == "heading":
        return h + 12 + _first_part(blocks, k + 1, painter, writer, width)
    return h + 4


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


def _fit(line: str, room: float, metrics: QFontMetricsF) -> list[str]:
    """One line of a cell on as many lines as it needs to fit `room` dots: broken between words, and a
    word wider than the column (a long code) between its characters, so that nothing is cut."""
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        tried = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(tried) <= room:
            current = tried
            continue
        if current:
            out.append(current)
        current = ""
        # A code wider than the column (adverse_event.recorded) breaks after a dot, underscore, slash
        # or hyphen where it can, a time span after its dash; only a part still too wide is
        # hyphenated between syllables (a hyphen ends the line: never "com / ponentes").
        for part in re.split(r"(?<=[._/\-–])", word):
            if current and metrics.horizontalAdvance(current + part) > room:
                out.append(current)
                current = ""
            current += part
            while metrics.horizontalAdvance(current) > room and len(current) > 1:
                head, current = _hyphenated(current, room, metrics)
                out.append(head)
    out.append(current)
    return out


_VOWELS = set("aeiouáéíóúüAEIOUÁÉÍÓÚÜ")
_ONSETS = frozenset(
    ["pr", "pl", "br", "bl", "fr", "fl", "tr", "dr", "cr", "cl", "gr", "gl", "ch", "ll", "rr", "th", "ph"]
)
"""Two consonants that begin a syllable together (Spanish and English): a word breaks before them."""


def _syllable_breaks(word: str) -> list[int]:
    """Where `word` may be hyphenated: before a consonant (or a pair in `_ONSETS`) that a vowel
    follows ("com-po-nen-tes"), two letters or more on each side."""
    breaks = []
    for i in range(2, len(word) - 2):
        before, here, after = word[i - 1], word[i], word[i + 1]
        if not (before.isalpha() and here.isalpha() and after.isalpha()):
            continue
        if here in _VOWELS or after not in _VOWELS:
            continue
        if (before + here).lower() in _ONSETS:
            if i - 1 >= 2:
                breaks.append(i - 1)
        else:
            breaks.append(i)
    return sorted(set(breaks))


def _hyphenated(word: str, room: float, metrics: QFontMetricsF) -> tuple[str, str]:
    """The longest head of `word` that fits `room` with its hyphen, and the rest: at a syllable's
    start where one fits, else between characters (a word no column can hold, hyphenated still)."""
    fitting = [i for i in _syllable_breaks(word) if metrics.horizontalAdvance(word[:i] + "-") <= room]
    if fitting:
        i = fitting[-1]
    else:
        i = 1
        while i < len(word) - 1 and metrics.horizontalAdvance(word[: i + 1] + "-") <= room:
            i += 1
    return word[:i] + "-", word[i:]


def _wrap_cells(block: Block, writer: QPdfWriter, width: float) -> None:
    """Every cell wrapped to its column at the page's resolution (a translation is often longer than
    the English the widths were chosen for); the painter's elision is then never reached."""
    assert block.rows is not None and block.widths is not None
    total_w = sum(block.widths)
    # The cell's 4-dot padding on each side, and a little room for the PDF's rounding of glyph widths.
    rooms = [width * w / total_w - 8 - 4 for w in block.widths]
    rooms = _widened(block, writer, rooms)
    # The columns as wide as the words they hold now need (the painter draws these widths).
    block.widths = [r + 8 + 4 for r in rooms]
    wrapped = []
    for k, row in enumerate(block.rows):
        metrics = QFontMetricsF(_font(block.size, k == 0), writer)
        wrapped.append(
            [
                "\n".join(part for line in value.split("\n") for part in _fit(line, room, metrics))
                for value, room in zip(row, rooms, strict=True)
            ]
        )
    block.rows = wrapped


def _widened(block: Block, writer: QPdfWriter, rooms: list[float]) -> list[float]:
    """Column rooms in which every word fits whole where the table's width allows it: a column whose
    longest word ("Dosis", "intravenosa", "componentes") is wider than it takes the room from columns
    with room to spare, so that a word is broken across lines only when no width would hold it."""
    assert block.rows is not None
    need = [0.0] * len(rooms)
    for k, row in enumerate(block.rows):
        metrics = QFontMetricsF(_font(block.size, k == 0), writer)
        for i, value in enumerate(row):
            # Words as `_fit` breaks them: at spaces, never at a no-break space (a date kept whole).
            for word in re.split(r"[ \n\t]", value):
                # A code (adverse_event.recorded) breaks at its dots: it asks for no width. A time
                # span asks for its whole width (kept on one line where the table allows it; else
                # it breaks after its dash).
                if not re.search(r"[._/]", word):
                    need[i] = max(need[i], metrics.horizontalAdvance(word) + 1.0)
    short = sum(max(0.0, n - r) for n, r in zip(need, rooms, strict=True))
    spare = sum(max(0.0, r - n) for n, r in zip(need, rooms, strict=True))
    if short <= 0.0 or spare <= 0.0:
        return rooms
    given = min(short, spare)
    out = []
    for n, r in zip(need, rooms, strict=True):
        if n > r:
            out.append(r + (n - r) * given / short)
        else:
            out.append(r - (r - n) * given / spare)
    return out


def _row_heights(block: Block, writer: QPdfWriter) -> list[float]:
    """Each row as tall as its most lines (a value with its change below it, a dash with the reason),
    with room above and below them: a cell of many lines is centred in its row, so without that room
    its text would touch the header band above and the rule below. The line is the painter's (whole
    dots, as it lays text out), never less than the metrics' own."""
    assert block.rows is not None
    line = math.ceil(QFontMetricsF(_font(block.size), writer).lineSpacing())
    out = []
    for row in block.rows:
        lines = 1 + max(v.count("\n") for v in row)
        out.append(line * lines + line * (ROW_PAD if lines == 1 else TALL_ROW_PAD))
    return out


ROW_PAD = 0.45
"""A one-line row's room around its text, in lines."""
TALL_ROW_PAD = 0.9
"""A row of several lines: its text fills it from top to bottom, so more room is left around it."""
