"""What each subcommand of `episode` and `rules` does: its line in the command's `--help` list."""

from __future__ import annotations

from bedside.i18n import N_

EPISODE_ACTIONS = {
    "start": N_("enter a dose's start by hand"),
    "stop": N_("enter a dose's end"),
    "confirm": N_("confirm a dose's start as right (or correct it with --at)"),
    "edit": N_("correct a dose's start or end (signed, with a reason)"),
    "cancel": N_("cancel a dose entered in error (signed, with a reason)"),
    "targets": N_("set the patient's lower SpO2 and MAP targets for a dose"),
}

RULES_CHECK = N_("check a rule set and print its name, digest and rules (JSON)")
RULES_REPLAY = N_("run a rule set over a patient's stored doses and print the alerts it would raise (JSON)")
