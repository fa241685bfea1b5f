"""The nurse's screen's audible cues: which new alert sounds, and what the Sound button says. Mixed
into the main window, whose sound state, player, banner and Sound button these use."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from bedside.alert_screen import alarming
from bedside.status import PatientStatus


class AlertCues:
    """The main window's sound handling; its texts keep the main window's translation context."""

    def _sound_toggled(self, on: bool) -> None:
        self.sound_button.setText(
            QCoreApplication.translate("MainWindow", "Sound: all alerts")
            if on
            else QCoreApplication.translate("MainWindow", "Sound: High")
        )

    def _cue_new_alerts(self, status: PatientStatus, now: float) -> None:
        """The audible cue: High and escalated alerts sound by default until acknowledged (again every
        30 s) unless muted; any other new alert (not those already open when the screen opened) gives
        one cue only when the nurse turned "Sound: all alerts" on."""
        if self.sound.cue(status.alerts, now, every_new=self.sound_button.isChecked()):
            self.cues += 1
            if alarming(status.alerts):
                self.player.play_high()
            else:
                self.player.play_cue()
        mute = self.sound.mute if self.sound.muted(now) else None
        self.banner_frame.show_mute(mute, bool(alarming(status.alerts)))

    cues = 0
