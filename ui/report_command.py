"""What `bedside-cli report` tells the person who ran it, in the command's language: its progress
and, once done, what it wrote (--json prints the same for scripts). A QObject so that its counts take
the language's plural forms (Qt's %n, in the translation context of its class name)."""

from __future__ import annotations

from PySide6.QtCore import QObject


class ReportCommand(QObject):
    def progress(self, percent: int, what: str) -> str:
        """One progress line (on stderr): the command's name, how far, what it is drawing."""
        return self.tr("report: {percent} % {what}").format(percent=f"{percent:3d}", what=what)

    def written(self, info: dict, csv: str | None, rows: int | None) -> str:
        """The files written: the PDF with its pages and digest, and the tables' CSV with its rows."""
        pages = int(info["pages"])
        said = self.tr("Report written to {file}: %n page(s); SHA-256 {sha256}.", "", pages).format(
            file=info["file"], sha256=info["sha256"]
        )
        if csv is not None and rows is not None:
            said += " " + self.tr("Its tables in {csv}: %n row(s).", "", rows).format(csv=csv)
        return said
