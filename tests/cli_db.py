"""A database for the command-line tests: one patient admitted through the real ingest pipeline."""

from __future__ import annotations

import time
from datetime import UTC

from bedside_adapters.db.ingest_store import IngestStore
from bedside_adapters.ingest.pipeline import IngestPipeline
from sqlalchemy import Engine

from bedside.parameters import ParameterCatalog
from tests.helpers import adt_a01


def admitted_url(engine: Engine) -> str:
    """The database's URL once MRN1 (authority HOSP, DOE^JANE) is admitted by an ADT^A01."""
    pipeline = IngestPipeline(IngestStore(engine), ParameterCatalog.load(), time.time, UTC)
    assert pipeline.handle(adt_a01("ADT1", "DOE^JANE").encode(), "127.0.0.1:9").ack_code == "AA"
    return engine.url.render_as_string(hide_password=False)
