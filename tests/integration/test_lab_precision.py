"""A lab value converted to its canonical unit carries the significant digits the lab reported, in
the stored row, the command line and the trial's LB dataset: 1.5 mg/dL of creatinine times 88.4 is
stored and shown as 133 umol/L (the lab's digits and one guard digit), never as the float product
132.60000000000002 nor rounded to 130."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from bedside_adapters.cli import main as cli_main
from bedside_adapters.db import schema as t
from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import select

from bedside.labs import LabCatalog, significant_digits, with_source_precision
from bedside.parameters import ParameterCatalog
from tests.helpers import SYNTHETIC

CRP = (
    "OBX|1|NM|1988-5^C reactive protein [Mass/volume] in Serum or Plasma^LN||14.8|mg/dL^mg/dL^UCUM|<0.8|H|||P"
)
CREATININE = "OBX|1|NM|2160-0^Creatinine [Mass/volume] in Serum or Plasma^LN||1.5|mg/dL^mg/dL^UCUM||H|||P"


@pytest.mark.parametrize(
    ("text", "digits"), [("1.5", 2), ("0.80", 2), ("150", 3), ("<0.5", 1), ("^>^11.0", 3), ("n/a", None)]
)
def test_significant_digits_of_the_number_as_sent(text: str, digits: int | None) -> None:
    assert significant_digits(text) == digits


def test_a_conversion_keeps_the_source_precision_and_an_unconverted_value_is_untouched() -> None:
    creatinine = LabCatalog.load().get("creatinine")
    assert 1.5 * 88.4 != 132.6  # the float product this guards against
    assert creatinine.to_canonical(1.5, "mg/dL", "1.5") == 133.0
    assert creatinine.to_canonical(1.53, "mg/dL", "1.53") == 135.3
    assert creatinine.to_canonical(132.6, "umol/L", "132.6") == 132.6
    assert with_source_precision(1.5 * 88.4, "") == 1.5 * 88.4  # no number sent: nothing to go by


def test_stored_listed_and_printed_with_the_labs_precision(sqlite_engine, capsys) -> None:  # type: ignore[no-untyped-def]
    pipeline = IngestPipeline(
        IngestStore(sqlite_engine), ParameterCatalog.load(), lambda: 1_764_000_000.0, UTC
    )
    frame = (SYNTHETIC / "lab_icu_panel_preliminary.hl7").read_bytes().decode()
    assert CRP in frame
    assert pipeline.handle(frame.replace(CRP, CREATININE).encode(), "10.0.0.5:4000").ack_code == "CA"
    with sqlite_engine.connect() as conn:
        stored = conn.execute(
            select(t.lab_result.c.value).where(t.lab_result.c.analyte == "creatinine")
        ).scalar_one()
    assert stored == 133.0
    url = sqlite_engine.url.render_as_string(hide_password=False)
    assert cli_main(["--db", url, "observations", "--patient", "SIM4417", "--json"]) == 0
    out = capsys.readouterr().out
    assert "132.6" not in out
    (lab,) = [lab for lab in json.loads(out)["labs"] if lab["analyte"] == "creatinine"]
    assert (lab["value"], lab["value_as_sent"]) == (133.0, "1.5")
    assert cli_main(["--db", url, "observations", "--patient", "SIM4417"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "Creatinine" in x)
    assert " 133 " in line, line
