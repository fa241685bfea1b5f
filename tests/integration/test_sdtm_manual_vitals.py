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
        before = [
            r
            for r in hourly_vitals(engine, PatientRef.parse(ref), later)
            if r.start == hour and r.parameter == "temp"
        ]
        charted = RecordVitals(
            PatientRef.parse(ref), at, temp=39.9, temp_site="bladder", sys=92.0, dia=48.0, **acts("RN Ada")
        )
        record_vitals(SqlUnitOfWork(engine), RecordVitals(**{**charted.__dict__, "recorded_at": at + 60}))
        after = list(hourly_vitals(engine, PatientRef.parse(ref), later))
    finally:
        engine.dispose()
    # The monitor's median for the hour is the same with the charted value as without it.
    assert [r for r in after if r.start == hour and r.parameter == "temp" and not r.manual] == before
    assert [(r.parameter, r.median, r.site) for r in after if r.manual and r.parameter == "temp"] == [
        ("temp", 39.9, "bladder")
    ]

    out = tmp_path / "sdtm"
    args = ["--db", died, "export", "sdtm", "--json", "--out", str(out), "--patient", bed.mrn]
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


def _export_charted(url: str, tmp_path, capsys, **values: object) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """Chart `values` by hand two hours into the first dose, export, and give back the VS rows
    SUPPVS marks as charted by hand: (VSTESTCD, VSORRES, VSLOC, VSMETHOD)."""
    (bed,) = load_beds("died", COURSE_START)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ref, start_ms = conn.exec_driver_sql(
                "SELECT patient_ref, start_ms FROM infusion_episode ORDER BY start_ms LIMIT 1"
            ).one()
        at = math.floor(start_ms / 1000 / HOUR) * HOUR + 2 * HOUR + 30 * 60
        charted = RecordVitals(PatientRef.parse(ref), at, **values, **acts("RN Ada"))  # type: ignore[arg-type]
        record_vitals(SqlUnitOfWork(engine), RecordVitals(**{**charted.__dict__, "recorded_at": at + 60}))
    finally:
        engine.dispose()
    out = tmp_path / "sdtm"
    args = ["--db", url, "export", "sdtm", "--out", str(out), "--patient", bed.mrn]
    assert cli([*args, *signed_in(url, "marta", Role.INVESTIGATOR)]) == 0
    capsys.readouterr()
    vs, _meta = pyreadstat.read_xport(str(out / "vs.xpt"))
    supp, _meta = pyreadstat.read_xport(str(out / "suppvs.xpt"))
    manual = {float(q.IDVARVAL) for q in supp.itertuples() if q.QNAM == "VSSRC" and q.QVAL == "MANUAL"}
    rows = vs[vs.VSSEQ.isin(manual)]
    return sorted((r.VSTESTCD, r.VSORRES, r.VSLOC, r.VSMETHOD) for r in rows.itertuples())


def test_peripheral_temperatures_are_exported_with_their_site(died, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    # A tympanic reading is stored apart from core temperatures; it is still a TEMP in VS.
    got = _export_charted(died, tmp_path, capsys, temp=38.4, temp_site="tympanic")
    assert got == [("TEMP", "38.4", "TYMPANIC MEMBRANE", "")]


def test_hand_counted_heart_rate_has_no_device_method(died, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    # A rate counted by hand was not taken from an ECG; a cuff pressure stays NON-INVASIVE.
    got = _export_charted(died, tmp_path, capsys, hr=112.0, sys=100.0, dia=60.0)
    assert ("HR", "112", "", "") in got
    assert ("SYSBP", "100", "", "NON-INVASIVE") in got
