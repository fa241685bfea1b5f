"""Light and dark themes. Colour carries meaning only, the alarm colours of IEC 60601-1-8: red high,
yellow medium, cyan (its low-priority colour) technical; everything else is neutral, so both themes keep
those three and only change the ground."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    panel: str
    text: str
    quiet: str
    grid: str
    dose_brush: tuple[int, int, int, int]
    traces: dict[str, str]
    disabled: str = "#5f6b73"
    """Text and border of a control that cannot be used now (a locked screen's action buttons)."""


HIGH = "background:#b71c1c; color:#ffffff; font-weight:600;"
MEDIUM = "background:#f9a825; color:#000000; font-weight:600;"
LOW = "background:#546e7a; color:#ffffff;"
TECHNICAL = "background:#006064; color:#e0f7fa;"  # cyan family: technical problems (IEC 60601-1-8)
SEVERITY_STYLE = {"high": HIGH, "medium": MEDIUM, "low": LOW}
SEVERITY_TEXT = {"high": "#ffffff", "medium": "#000000", "low": "#ffffff"}
SEVERITY_COLOUR = {"high": "#d32f2f", "medium": "#f9a825", "low": "#78909c"}
SEVERITY_NAME = {
    "high": QT_TRANSLATE_NOOP("Severity", "HIGH"),
    "medium": QT_TRANSLATE_NOOP("Severity", "MEDIUM"),
    "low": QT_TRANSLATE_NOOP("Severity", "LOW"),
}


def severity_text(severity: str) -> str:
    """An alert's severity as the screen writes it (HIGH, ALTA), in the language chosen."""
    name = SEVERITY_NAME.get(severity)
    return severity.upper() if name is None else QCoreApplication.translate("Severity", name)


DARK = Theme(
    "dark",
    background="#101418",
    panel="#182028",
    text="#eceff1",
    quiet="#b0bec5",
    grid="#cfd8dc",
    dose_brush=(255, 255, 255, 28),
    traces={
        "hr": "#66bb6a",
        "pr_spo2": "#a5d6a7",
        "spo2": "#64b5f6",
        "abp_sys": "#ce93d8",
        "abp_dia": "#ce93d8",
        "abp_mean": "#f3e5f5",
        "nibp_sys": "#b0bec5",
        "nibp_dia": "#b0bec5",
        "nibp_mean": "#eceff1",
        "temp": "#bcaaa4",
        "fio2_set": "#90caf9",
        "fio2": "#90caf9",
        "ppeak": "#ffcc80",
        "pplat": "#ffe0b2",
        "peep_set": "#b39ddb",
        "peep": "#b39ddb",
        "pf": "#e1f5fe",
        "lab": "#f5f5f5",
        "default": "#e0e0e0",
    },
)

LIGHT = Theme(
    "light",
    background="#f4f6f7",
    panel="#ffffff",
    text="#102027",
    quiet="#455a64",
    grid="#37474f",
    dose_brush=(38, 50, 56, 16),
    traces={
        "hr": "#2e7d32",
        "pr_spo2": "#66bb6a",
        "spo2": "#1565c0",
        "abp_sys": "#6a1b9a",
        "abp_dia": "#6a1b9a",
        "abp_mean": "#4a148c",
        "nibp_sys": "#546e7a",
        "nibp_dia": "#546e7a",
        "nibp_mean": "#263238",
        "temp": "#5d4037",
        "fio2_set": "#0d47a1",
        "fio2": "#0d47a1",
        "ppeak": "#e65100",
        "pplat": "#bf360c",
        "peep_set": "#4527a0",
        "peep": "#4527a0",
        "pf": "#01579b",
        "lab": "#212121",
        "default": "#424242",
    },
    disabled="#a3adb2",
)

THEMES = {"dark": DARK, "light": LIGHT}


def stylesheet(theme: Theme) -> str:
    return (
        f"QMainWindow, QWidget {{ background:{theme.background}; color:{theme.text}; }}"
        f" QFrame#panel {{ background:{theme.panel}; border-radius:4px; }}"
        f" QPushButton {{ padding:3px 10px; border:1px solid {theme.quiet}; border-radius:3px; }}"
        f" QPushButton:checked {{ background:{theme.quiet}; color:{theme.background}; }}"
        f" QPushButton:disabled {{ color:{theme.disabled}; border:1px dashed {theme.disabled}; }}"
        f" QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QDoubleSpinBox, QDateTimeEdit "
        f"{{ border:1px solid {theme.quiet}; padding:2px; }}"
    )
