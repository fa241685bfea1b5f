"""`bedside-cli validate`: hl7apy's view of a message's structure, for integration work."""

from adapters.cli import main as cli_main
from tests.helpers import CORPUS


def test_validate_reports_structure_problems_and_unreadable_files(tmp_path, capsys) -> None:
    junk = tmp_path / "junk.hl7"
    junk.write_bytes(b"garbage without MSH")
    code = cli_main(["validate", str(CORPUS / "adt_a01_hapi_docs.hl7"), str(junk)])
    out = capsys.readouterr().out
    assert "ADT^A01^ADT_A01 v2.4" in out
    assert "junk.hl7#1: not readable" in out
    assert code == 2
