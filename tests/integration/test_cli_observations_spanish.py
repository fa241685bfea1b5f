"""`bedside-cli observations --json` reads the same in every language (the patient's location
included: "ICU · room 07 · bed 1", never "UCI · habitación 07 · cama 1"); the location a person reads
on the screens and in the report is in the language (tests/unit/test_spanish_clinical_words.py)."""

from __future__ import annotations

from tests.integration.test_cli_spanish import english_after, run, url  # noqa: F401  (the fixtures)


def test_the_observations_json_is_the_same_in_spanish(url, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    outputs = [run(capsys, url, lang, "observations", "--patient", "MRN1", "--json") for lang in ("en", "es")]
    assert [code for code, _out, _err in outputs] == [0, 0]
    assert outputs[0][1] == outputs[1][1]
    assert '"location": "ICU \\u00b7 room 07 \\u00b7 bed 1"' in outputs[1][1], outputs[1][1]


def test_the_observations_text_is_in_spanish(url, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    code, out, _err = run(capsys, url, "es", "observations", "--patient", "MRN1")
    assert code == 0 and out.splitlines()[0].endswith("MRN1  UCI · habitación 07 · cama 1"), out
    code, out, _err = run(capsys, url, "en", "observations", "--patient", "MRN1")
    assert code == 0 and out.splitlines()[0].endswith("MRN1  ICU · room 07 · bed 1"), out
