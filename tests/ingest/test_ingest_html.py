"""HTML → corpus Markdown: main content only, headings kept as sections."""

from __future__ import annotations

import ingest_fixtures as fx
import pytest

from assistant.errors import IngestError
from assistant.ingest.convert import convert
from assistant.corpus.markup import parse_blocks


@pytest.fixture(scope="module")
def govuk() -> str:
    return convert(fx.GOVUK_HTML.encode(), "Health and care guidance", content_type="text/html; charset=utf-8",
                   name="guidance.html").markdown


def test_furniture_is_dropped(govuk):
    for clutter in ("cookies", "Skip to main content", "Benefits", "Home", "Is this page useful",
                    "Open Government Licence", "Contents", "Print this page", "Support links", "window.GOVUK", "color:red"):
        assert clutter not in govuk, clutter


def test_headings_become_sections(govuk):
    assert govuk.startswith("# Health and care guidance\n\n")
    assert govuk.count("# Health and care guidance") == 1          # the page's own h1 is the title
    blocks = parse_blocks(govuk, "x")
    by_text = {b.text: b.section for b in blocks}
    assert by_text["Boards must publish a joint forward plan before the start of each financial year."] == "1. Introduction"
    assert by_text["- chief executives of integrated care boards"] == "1. Introduction › Who this guidance is for"
    assert by_text["Duty | Section"] == "2. Duties of integrated care boards"


def test_inline_markup_and_line_breaks_keep_the_words(govuk):
    assert ("This guidance explains how integrated care boards should work with their partners. "
            "It applies in England from 1 July 2022.") in govuk
    assert "involve the public in decisions about services. It must report on how it has done so." in govuk
    assert "\n- directors of public health, including those in upper-tier councils\n" in govuk
    assert "\n- and their deputies\n" in govuk          # nested list item kept, after its parent


def test_page_without_main_element_uses_body():
    html = b"<html><body><nav>Home | About</nav><h2>Plans</h2><p>The board will meet in public four times a year to agree plans.</p></body></html>"
    out = convert(html, "T", name="p.html")
    assert "## Plans\n\nThe board will meet in public four times a year to agree plans." in out.markdown
    assert "Home" not in out.markdown


def test_page_with_only_furniture_is_refused():
    with pytest.raises(IngestError, match="no main content"):
        convert(fx.NO_MAIN_HTML.encode(), "T", name="404.html")
