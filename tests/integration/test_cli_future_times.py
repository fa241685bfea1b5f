"""A dose started from the command line at a time still to come is refused (not confirmed and then
unstoppable), in the reader's language with the times as the reader writes them."""

from __future__ import annotations

import re
import time
from datetime import datetime

from bedside_ui.cli import main as cli_main
from sqlalchemy import Engine

from bedside.i18n import set_language
from tests.signed_in import dose_start, signed_in


def test_a_dose_start_in_the_future_is_refused_in_spanish_naming_both_times(
    sqlite_engine: Engine, capsys
) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_engine.url.render_as_string(hide_password=False)
    later = datetime.fromtimestamp(time.time() + 2 * 3600).strftime("%Y-%m-%dT%H:%M")
    try:
        code = cli_main(["--db", url, "--lang", "es", *dose_start(later), *signed_in(url, "ana")])
    finally:
        set_language("en")
    err = capsys.readouterr().err
    assert code != 0, err
    assert "futuro" in err, err
    assert not re.search(r"\d{4}-\d\d-\d\d", err), err  # never an ISO date to a person
    assert re.search(r"\d\d (ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic) \d{4} \d\d:\d\d", err), err
