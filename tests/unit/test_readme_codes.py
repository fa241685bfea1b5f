"""The integration page's list of supported messages and codes is the one the resource tables generate."""

from pathlib import Path

from bedside_adapters.codes_doc import BEGIN, END, codes_markdown

PAGE = Path(__file__).resolve().parents[2] / "docs" / "integration.md"


def test_readme_lists_exactly_the_supported_codes() -> None:
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert section == codes_markdown(), (
        "run `bedside-cli codes --markdown` and paste it into docs/integration.md"
    )
