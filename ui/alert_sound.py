"""The sound Bedside plays for its alerts, on the computer's audio output.

When to sound is decided in bedside.alert_screen (AlertSound there: High and escalated alerts until
acknowledged, other new alerts only if the nurse asked). This module only plays: a burst of tones
for a High alert, a shorter one for any other alert, generated in memory and played with Qt
Multimedia. The X bell (QApplication.beep) is silent on many Linux desktops, so it is used only when
no audio output exists, and then the screen says that sound is unavailable: silence must never look
like safety. The nurse's screen and the ward overview both play through `AlertSound`."""

from __future__ import annotations

import math
import os
import struct
import sys
import wave
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLoggingCategory, QObject, QTemporaryDir, QUrl
from PySide6.QtWidgets import QApplication

RATE = 22050
"""Samples per second of the generated tones: plenty for tones of a few hundred hertz."""

HIGH = "high"
CUE = "cue"

# The rhythm of the two sounds, after IEC 60601-1-8's alarm signals (a high-priority burst of
# 3 + 2 pulses, a medium-priority one of 3 slower pulses), at a pitch a busy ward hears.
_PULSES: dict[str, tuple[tuple[float, float], ...]] = {
    # (seconds from the start, pitch in hertz)
    HIGH: ((0.0, 880.0), (0.2, 880.0), (0.4, 880.0), (0.8, 880.0), (1.0, 880.0)),
    CUE: ((0.0, 660.0), (0.3, 550.0), (0.6, 440.0)),
}
_PULSE_SECONDS = 0.15
_RAMP_SECONDS = 0.02  # soft edges: no clicks


def tone_wav(kind: str, path: Path, rate: int = RATE) -> Path:
    """Write the sound of `kind` (HIGH or CUE) as a 16-bit mono WAV file at `path`."""
    pulses = _PULSES[kind]
    length = int((pulses[-1][0] + _PULSE_SECONDS + 0.05) * rate)
    samples = [0.0] * length
    ramp = _RAMP_SECONDS * rate
    for start, pitch in pulses:
        first = int(start * rate)
        count = int(_PULSE_SECONDS * rate)
        for i in range(count):
            envelope = min(1.0, i / ramp, (count - i) / ramp)
            t = i / rate
            # A fundamental with two harmonics: a pure sine is hard to place in a room.
            wave_value = (
                math.sin(2 * math.pi * pitch * t)
                + 0.5 * math.sin(4 * math.pi * pitch * t)
                + 0.25 * math.sin(6 * math.pi * pitch * t)
            ) / 1.75
            samples[first + i] = 0.8 * envelope * wave_value
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))
    return path


def _sound_server() -> bool:
    """Whether a PulseAudio (or PipeWire's PulseAudio) server is there to ask: Qt Multimedia plays
    through it on Linux, and asked without one it complains on the error stream, to nobody."""
    if not sys.platform.startswith("linux") or os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return any(Path(p).exists() for p in (f"{runtime}/pulse/native", "/var/run/pulse/native"))


def audio_output_available() -> bool:
    """Whether this computer has an audio output Qt Multimedia can play on."""
    if not _sound_server():
        return False
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except (ImportError, OSError):  # PySide6's add-ons or the system's audio library are missing
        return False
    return bool(QMediaDevices.audioOutputs())


def unavailable_text() -> str:
    """What the screen says, on one line, while it cannot sound (unavailable_tip says more)."""
    return QCoreApplication.translate(
        "AlertSound",
        "Sound unavailable: this computer has no audio output, so Bedside's alerts are silent. "
        "Watch the screen.",
    )


def unavailable_tip() -> str:
    return QCoreApplication.translate(
        "AlertSound",
        "Sound unavailable: this computer has no audio output, so Bedside's alerts are silent. "
        "Watch the screen; the monitor and the pump keep their own alarms. Ask IT to connect speakers.",
    )


class AlertSound(QObject):
    """Plays the alert sounds; `requests` lists every sound asked for (HIGH or CUE), played or not.

    `output_available` is asked once, at construction: whether an audio output exists (tests give
    their own answer)."""

    def __init__(
        self,
        parent: QObject | None = None,
        output_available: Callable[[], bool] = audio_output_available,
    ) -> None:
        super().__init__(parent)
        # Qt Multimedia tells, on the error stream, every optional library it looked for and did not
        # find (video decoders, PipeWire): nothing Bedside uses, and nothing a nurse can act on.
        QLoggingCategory.setFilterRules("qt.multimedia.*=false\nqt.multimedia=false")
        self.requests: list[str] = []
        self.available = output_available()
        self._effects: dict[str, QObject] = {}
        self._folder: QTemporaryDir | None = None
        if self.available:
            self._prepare()

    def _prepare(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        self._folder = QTemporaryDir()
        if not self._folder.isValid():
            self.available = False
            return
        for kind in (HIGH, CUE):
            effect = QSoundEffect(self)
            wav = tone_wav(kind, Path(self._folder.path()) / f"{kind}.wav")
            effect.setSource(QUrl.fromLocalFile(str(wav)))
            effect.setVolume(1.0 if kind == HIGH else 0.7)
            self._effects[kind] = effect

    def play_high(self) -> None:
        """The High (and escalated) alert's sound."""
        self._play(HIGH)

    def play_cue(self) -> None:
        """The shorter sound of any other new alert, when the nurse turned that on."""
        self._play(CUE)

    def _play(self, kind: str) -> None:
        self.requests.append(kind)
        effect = self._effects.get(kind)
        if effect is None:
            QApplication.beep()  # heard on some desktops only: the screen says sound is unavailable
            return
        effect.play()  # type: ignore[attr-defined]
