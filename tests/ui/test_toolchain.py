"""Regression guard for the pinned toolchain: PySide6 6.11.3, not 6.12.0.

PySide6 6.12.0 on CPython 3.11 steals a reference to None on every void Qt call and crashes long
plotting sessions with `Fatal Python error: none_dealloc`. We pin 6.11.3; this test fails if an
upgrade brings the bug back. On 3.12+ None is immortal and the bug would be hidden, not fixed.
"""

import sys

import PySide6
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen


def test_pinned_pyside_version() -> None:
    assert PySide6.__version__ == "6.11.3"


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal on 3.12+: the count cannot move")
def test_void_qt_calls_do_not_steal_references_to_none(qapp) -> None:
    timer = QTimer()
    image = QImage(50, 50, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    pen = QPen(QColor("red"))
    before = sys.getrefcount(None)
    for _ in range(2000):
        timer.setInterval(5)
        painter.setPen(pen)
    painter.end()
    # 6.12.0 loses exactly one reference per call (-4000 here); allow only noise.
    assert sys.getrefcount(None) >= before - 20
