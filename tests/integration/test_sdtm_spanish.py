"""`bedside-cli --lang es export sdtm`: the datasets for data management are the same, byte for byte,
in every language. A number keeps its decimal point (a CSV read back by SAS or R takes "38,5" for
text, or splits the row at its comma), and no value is translated."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from bedside_adapters.cli import main as cli

from bedside import i18n
from bedside.course_spec import load_beds
from bedside.users import Role
from tests.helpers import COURSE_START
from tests.integration.test_sdtm_export import DATASETS, died, died_file  # noqa: F401  (the fixtures)
from tests.signed_in import signed_in


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_the_sdtm_datasets_are_the_same_in_spanish(died, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    (bed,) = load_beds("died", COURSE_START)
    investigator = signed_in(died, "marta", Role.INVESTIGATOR)
    written = {}
    said = {}
    for lang in ("en", "es"):
        out = tmp_path / f"sdtm-{lang}"
        args = ["--lang", lang, "--db", died, "export", "sdtm", "--out", str(out), "--patient", bed.mrn]
        assert cli([*args, "--study", "MSC-ARDS", "--subject", f"{bed.mrn}=0103", *investigator]) == 0, (
            capsys.readouterr().err
        )
        said[lang] = capsys.readouterr().out
        written[lang] = {name: (out / f"{name.lower()}.csv").read_bytes() for name in DATASETS}
    vs = written["es"]["VS"].decode()
    assert re.search(r"\d\.\d", vs), "the vital signs carry decimals (a temperature)"
    for name in DATASETS:
        assert written["es"][name] == written["en"][name], name
    # What it wrote, in a sentence in the command's language (--json for scripts), counts in their forms.
    assert said["en"].startswith(f"The datasets of 1 patient written to {tmp_path / 'sdtm-en'} (")
    assert "DM: 1 row;" in said["en"] and "{" not in said["en"]
    assert said["es"].startswith(
        f"Los conjuntos de datos de 1 paciente, escritos en {tmp_path / 'sdtm-es'} ("
    )
    assert "DM: 1 fila;" in said["es"] and " rows" not in said["es"] and "{" not in said["es"]
