"""PDF → corpus Markdown: pages, headings, verbatim text (generated PDFs, no network)."""

from __future__ import annotations

import io
import re

import ingest_fixtures as fx
import pytest
from pypdf import PdfReader

from assistant.corpus.chunking import chunk_document
from assistant.ingest.convert import convert
from assistant.ingest.pdf import _join
from assistant.corpus.markup import parse_blocks
from assistant.types import Document


def _doc(markdown: str) -> Document:
    return Document(id="wp", title="Integration and innovation", publisher="DHSC", date="2021-02-11", kind="government",
                    url="https://example.org/wp.pdf", licence="OGL", origin="test", speaker="dhsc_white_paper",
                    status="fetched", text=markdown)


@pytest.fixture(scope="module")
def pdf5() -> bytes:
    return fx.white_paper_pdf(pages=5)


def test_pages_marked_and_sentence_on_its_page(pdf5):
    out = convert(pdf5, "Integration and innovation", name="wp.pdf")
    assert out.format == "pdf" and out.pages == 5 and out.empty_pages == ()
    assert out.markdown.startswith("# Integration and innovation\n\n<!-- page: 1 -->\n")
    assert re.findall(r"<!-- page: (\d+) -->", out.markdown) == ["1", "2", "3", "4", "5"]
    blocks = [b for b in parse_blocks(out.markdown, "dhsc_white_paper") if fx.PAGE3_SENTENCE in b.text]
    assert len(blocks) == 1 and blocks[0].page == 3
    chunks = [c for c in chunk_document(_doc(out.markdown)) if fx.PAGE3_SENTENCE in c.text]
    assert [c.page for c in chunks] == [3]
    assert chunks[0].section == "Reducing bureaucracy › Section 3.2: what this means for people"


def test_headings_from_outline_with_levels(pdf5):
    out = convert(pdf5, "T", name="wp.pdf")
    assert out.headings == "outline"
    headings = re.findall(r"^(#+) (.*)$", out.markdown, re.M)[1:]
    assert headings[:4] == [("##", "Foreword"), ("###", "Section 1.2: what this means for people"),
                            ("##", "Working together to integrate care"), ("###", "Section 2.2: what this means for people")]
    assert len(headings) == 10


def test_headings_from_font_sizes_without_outline():
    out = convert(fx.font_only_pdf(), "T", name="x.pdf")
    assert out.headings == "font-size"
    assert "\n## Foreword\n" in out.markdown and "\n### Section 1.2: what this means for people\n" in out.markdown
    assert "\n## Working together to integrate care\n" in out.markdown


def test_text_is_verbatim_apart_from_whitespace(pdf5):
    """Every paragraph is the PDF's own text: pypdf's words, only line breaks joined."""
    out = convert(pdf5, "T", name="wp.pdf")
    reader = PdfReader(io.BytesIO(pdf5))
    pages = {n: " ".join(p.extract_text().split()) for n, p in enumerate(reader.pages, 1)}
    checked = 0
    for b in parse_blocks(out.markdown, "x"):
        text = b.text.removeprefix("- ")
        assert text in pages[b.page].replace("• ", ""), text[:80]
        checked += 1
    assert checked >= 20
    assert "‘triple aim’" in out.markdown          # curly quotes kept
    assert "\n- a power to direct the NHS\n" in out.markdown  # bullets become list items


def test_bookmark_matching_and_unprinted_bookmarks():
    out = convert(fx.unprinted_bookmark_pdf(), "T", name="x.pdf")
    body = out.markdown.split("<!-- page: 1 -->\n\n", 1)[1]
    assert body.startswith("## 2.1 Scope\n\nFirst paragraph about scope.")         # printed text kept, number and all
    assert "\n\n### Annex A: data\n\nSecond paragraph about data." in body          # inserted where the bookmark points


def test_running_footer_and_page_numbers_are_dropped(pdf5):
    out = convert(pdf5, "T", name="wp.pdf")
    assert "Integration and innovation    " not in out.markdown
    assert not re.search(r"^Integration and innovation \d", out.markdown, re.M)


def test_owner_password_only_pdf_opens():
    out = convert(fx.encrypted_pdf(user_password=""), "T", name="x.pdf")
    assert "Integrated care systems bring together" in out.markdown


def test_line_joins_only_touch_whitespace_and_hyphen_breaks():
    assert _join(["the health and", "care system"]) == "the health and care system"
    assert _join(["well-", "being of people"]) == "well-being of people"
    assert _join(["inte\u00ad", "gration"]) == "integration"              # soft hyphen: a line-break artefact
    assert _join(["NHS -", "and care"]) == "NHS - and care"
    assert _join(["2021-", "22 reforms"]) == "2021- 22 reforms"          # not letter-hyphen-lowercase
