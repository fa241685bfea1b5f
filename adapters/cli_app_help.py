"""The `bedside` command's help texts (`bedside --help`). The program is the screens' (`bedside_ui.app`),
but its help is shown before Qt or its translators are there, in the language `--lang` asks for: its
texts are in the command line's gettext catalogue, marked here."""

from __future__ import annotations

from bedside.i18n import N_, _

DESCRIPTION = N_("Bedside ICU monitoring and infusion-safety display.")
DB = N_("database URL or SQLite file (default: BEDSIDE_DB_URL, then the data dir)")
LISTEN = N_(
    "where the ingest child takes MLLP from a gateway, e.g. 0.0.0.0:2575 (default: a free loopback port, "
    "new on every start: only this PC can send)"
)
DEMO = N_("fresh synthetic database and a simulated monitor")
SCENARIO = N_("with --demo: the synthetic course ({names})")
HISTORY = N_(
    "with --demo: hours of the course already past at start (default: the scenario's demo_history_hours, "
    "which puts a dose or its aftermath in view)"
)
INGEST = N_("start and supervise the ingest service (default for SQLite)")
NO_INGEST = N_("only read the database (ward mode: a bedside-ingest service writes it)")
WARD = N_("open the ward overview: every bed, those needing attention first (default with the ward demo)")
PATIENT = N_("patient identifier to show (default: the one with the newest data)")
STALE_AFTER = N_("seconds of silence before a feed is stale")
SCREENSHOT = N_("save a PNG of the window after --screenshot-after seconds, then quit")
SCREENSHOT_AFTER = N_("seconds after start at which --screenshot is taken (default 20)")
THEME = N_("colour theme (default: the last one used)")
SIZE = N_("window size WIDTHxHEIGHT (default: as last closed, else 1366x768)")
SOUND = N_(
    "sound for every new alert too (default: only High and escalated alerts sound, until acknowledged)"
)
REVIEW = N_("also open the post-dose review of the patient shown")
SPAN = N_("hours of trend shown at start (default 1)")
LANG = N_("language of the screens, alerts and reports (default: the system's, else English)")
AUTH_CONFIG = N_(
    "the site's bedside.toml: local accounts or a directory, idle lock (default: the data dir's)"
)

SCENARIOS = {
    "calm-with-artefacts": N_("no reaction, but artefacts around the dose a naive rule would alarm on"),
    "died": N_("a ventilated ARDS patient who does not improve and dies 16 h after the second dose"),
    "improving": N_("a ventilated ARDS patient who improves after two doses, extubated on day 8"),
    "reaction": N_("an acute infusion reaction during dose 1"),
    "reintubated": N_("extubated on day 5, reintubated, tracheostomy, alive at day 30"),
    "ward": N_("three beds at once, each with its own course"),
}
"""What each synthetic course shows, for `--scenario`'s help: its name is what is typed."""

THEMES = ("dark", "light")


def scenarios_text(names: list[str]) -> str:
    """Each scenario's name (what is typed) and, where known, what it shows, in the reader's
    language: "reaction (an acute infusion reaction during dose 1); ..."."""
    return "; ".join(f"{n} ({_(SCENARIOS[n])})" if n in SCENARIOS else n for n in names)
