"""Closing the nurse's screen: stopping its timers, reader and windows, and asking first while a High
alert is not acknowledged, as once closed Bedside no longer shows or sounds any alert."""

from __future__ import annotations

from bedside.alert_screen import alarming


class WindowClosing:
    """Mixed into the main window, which asks (`_close_confirmed`) in its own translation context."""

    def shutdown(self) -> None:
        self.screen_lock.stop()
        if self.alert_list is not None:
            self.alert_list.close()
        self._timer.stop()
        self._worker.stop()
        if self.review is not None:
            self.review.close()

    confirm_close = False
    """Whether closing the window with an unacknowledged High alert asks first: set by the app for
    the person's own close; a signal (Ctrl+C, SIGTERM) or a screenshot run clears it again, as they
    must stop everything at once."""

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Counted as the banner and the list count them: a problem with its folded alerts is one.
        loud = [a for a in alarming(self.status.alerts) if a.folded_into is None]
        if self.confirm_close and loud and not self._close_confirmed(len(loud)):
            event.ignore()
            return
        self.save_layout()
        self.shutdown()
        super().closeEvent(event)
