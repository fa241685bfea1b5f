"""The `report` command's help texts. The command lives in the UI layer (`bedside_ui.cli`: it
draws with Qt), but its help is shown while the parser is built, before Qt or its translators are
there: its texts are in the command line's gettext catalogue, marked here."""

from __future__ import annotations

from bedside.i18n import N_

REPORT = N_("a patient's post-dose review as PDF (and CSV of its tables)")
PATIENT = N_("MRN or MRN^AUTHORITY")
OUT = N_("the PDF to write")
CSV = N_("also write the tables as CSV here")
JSON = N_("print what was written as JSON (for scripts) instead of a sentence")
