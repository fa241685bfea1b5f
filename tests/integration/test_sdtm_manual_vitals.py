"""Vital signs charted by hand in the trial's VS dataset: each its own row at its own time (VSDTC to
the minute), never in the monitor's hourly median; the temperature's site in VSLOC; SUPPVS VSSRC
'MANUAL' tells it from a device value. Read back from the SAS transport file with pyreadstat."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import pyreadstat
from bedside_adapters.cli import main as cli
from bedside_adapters.db.engine import make_engine
from bedside_adapters.db.unit_of_work import SqlUnitOfWork
from bedside_adapters.sdtm.source import hourly_vitals

from bedside.commands import RecordVitals
from bedside.course_spec import load_beds
from bedside.handlers.vitals import record_vitals
from bedside.model import PatientRef
from bedside.review import HOUR
from bedside.users import Role
from tests.acting import acts
from tests.helpers import COURSE_START
from tests.integration.test_sdtm_export import died, died_file  # noqa: F401  (the course's fixtures)
from tests.signed_in import signed_in


def minute(at: float) -> str:
    return datetime.fromtimestamp(round(at), UTC).strftime("%Y-%m-%dT%H:%M")


def test_hand_charted_values_are_rows_of_their_own(died, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    (bed,) = load_beds("died", COURSE_START)
    engine = make_engine(died)
    try:
        with engine.connect() as conn:
            ref, start_ms = conn.exec_driver_sql(
                "SELECT patient_ref, start_ms FROM infusion_episode ORDER BY start_ms LIMIT 1"
            ).one()
        hour = math.floor(start_ms / 1000 / HOUR) * HOUR + 2 * HOUR
        at = hour + 30 * 60  # 15:30 in the hour the monitor's 15:00 median covers
        later = at + 6 * HOUR
        before = [r for r in hourly_vitals(engine, ref, later) if r.start == hour and r.parameter == "temp"]
        charted = RecordVitals(
            PatientRef.parse(ref), at, temp=39.9, temp_site="bladder", sys=92.0, dia=48.0, **acts("RN Ada")
        )
        record_vitals(SqlUnitOfWork(engine), RecordVitals(**{**charted.__dict__, "recorded_at": at + 60}))
        after = list(hourly_vitals(engine, ref, later))
    finally:
        engine.dispose()
    # The monitor's median for the hour is the same with the charted value as without it.
    assert [r for r in after if r.start == hour and r.parameter == "temp" and not r.manual] == before
    assert [(r.parameter, r.median, r.site) for r in after if r.manual and r.parameter == "temp"] == [
        ("temp", 39.9, "bladder")
    ]

    out = tmp_path / "sdtm"
    args = ["--db", died, "export", "sdtm", "--out", str(out), "--patient", bed.mrn]
    assert cli([*args, *signed_in(died, "marta", Role.INVESTIGATOR)]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    vs, _meta = pyreadstat.read_xport(str(out / "vs.xpt"))
    supp, _meta = pyreadstat.read_xport(str(out / "suppvs.xpt"))
    assert len(vs) == rows["VS"] and len(supp) == rows["SUPPVS"]
    manual = {(float(q.IDVARVAL)) for q in supp.itertuples() if q.QNAM == "VSSRC" and q.QVAL == "MANUAL"}
    charted_rows = vs[vs.VSSEQ.isin(manual)]
    got = sorted(
        (r.VSTESTCD, r.VSORRES, r.VSDTC, r.VSENDTC, r.VSLOC, r.VSMETHOD) for r in charted_rows.itertuples()
    )
    assert got == [
        ("DIABP", "48", minute(at), "", "", "NON-INVASIVE"),
        ("MAP", "62.7", minute(at), "", "", "NON-INVASIVE"),  # computed on entry, stored with them
        ("SYSBP", "92", minute(at), "", "", "NON-INVASIVE"),
        ("TEMP", "39.9", minute(at), "", "URINARY BLADDER", ""),
    ]
    # Device rows stay hourly medians, with no VSSRC and no VSLOC.
    device = vs[~vs.VSSEQ.isin(manual)]
    assert len(device) > 0 and (device.VSENDTC != "").all() and (device.VSLOC == "").all()
    assert not ((device.VSTESTCD == "TEMP") & (device.VSORRES == "39.9")).any()
