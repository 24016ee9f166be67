"""The page's HTML building, without a browser: escaping, citation links, highlighting, viewpoints."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest

from assistant.web.view import (about_html, answer_body, contested, highlighted_passage, inline, nice_date, safe_url,
                                 source_card, sources_html, transcript_html, turn_html, units, viewpoint_notice)

HOSTILE = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
]


class Tags(HTMLParser):
    """Every start tag and attribute the HTML really contains (what a browser would build)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    p = Tags()
    p.feed(html)
    return p.tags


def assert_inert(html: str) -> None:
    for tag, attrs in tags(html):
        assert tag not in ("script", "img", "svg", "iframe", "object") or (tag == "svg" and "onload" not in attrs), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)


def cite(n=1, **kw) -> dict:
    d = {"n": n, "doc_id": "lga-briefing", "title": "LGA briefing", "publisher": "Local Government Association",
         "date": "2021-02-11", "kind": "local_government", "section": "ICSs › LGA view", "speaker": "Local Government Association",
         "speaker_id": "lga", "speaker_kind": "local_government", "url": "", "page": None,
         "quote": "We welcome the recognition.", "passage": "Intro text. We welcome the recognition. More text."}
    d.update(kw)
    return d


def turn(**kw) -> dict:
    t = {"n": 1, "question": "What does the LGA say?", "behaviour": "answer",
         "text": "The LGA's view is: “We welcome the recognition.” [1]", "citations": [cite()], "notes": [],
         "filters": {"kinds": [], "doc_id": ""}, "feedback": None}
    t.update(kw)
    return t


@pytest.mark.parametrize("payload", HOSTILE)
def test_question_and_document_text_are_escaped_everywhere(payload):
    t = turn(question=payload + " what is an ICS?", text=f"The LGA's view is: “{payload}” [1]",
             citations=[cite(title=payload, publisher=payload, speaker=payload, section=payload, quote=payload,
                             passage=f"before {payload} after", url=f"javascript:{payload}")])
    html = transcript_html([t], {}) + sources_html([t])
    assert_inert(html)
    assert escape(payload) in html             # shown as the text it is


def test_markdown_link_in_answer_stays_text():
    html = inline("See [click](javascript:alert(1)) and [2] and [1]", 3, {1: cite()})
    assert '<a class="cite" href="#src-3-1"' in html
    assert "[click](javascript:alert(1))" in html          # shown literally
    assert "[2]" in html and 'href="#src-3-2"' not in html   # not a citation of this answer: no link
    assert [t for t, _ in tags(html)] == ["a"]


def test_bold_and_italic_only_from_answer_markup():
    html = inline("**not an answer** and *Integration and innovation*", 1, {})
    assert "<strong>not an answer</strong>" in html and "<em>Integration and innovation</em>" in html


def test_units_split_paragraphs_and_list_items():
    text = "A says: “x” [1]\n- “y” [2]\n- “z” [3]\n\nB says: “w” [4]"
    assert units(text) == [("p", 0, "A says: “x” [1]"), ("li", 0, "“y” [2]"), ("li", 0, "“z” [3]"), ("p", 1, "B says: “w” [4]")]


def test_streaming_shows_a_prefix_and_marks_the_answer_busy():
    t = turn(text="A: “one” [1]\n\nA also: “two” [1]\n\nA again: “three” [1]")
    partial = turn_html(t, {}, upto=1)
    assert partial.count('class="unit"') == 1 and 'aria-busy="true"' in partial and "rate" not in partial
    full = turn_html(t, {})
    assert full.count('class="unit"') == 3 and 'aria-busy="false"' in full and 'data-rate="up"' in full


def test_highlight_marks_the_cited_sentence_and_escapes_the_rest():
    html = highlighted_passage("  <b>Intro</b>. The cited one. After.  ", "The cited one.")
    assert html == "&lt;b&gt;Intro&lt;/b&gt;. <mark>The cited one.</mark> After."
    assert "<mark>" not in highlighted_passage("no match here", "absent")


def test_source_card_shows_speaker_document_kind_date_and_safe_link():
    card = source_card(2, cite(url="https://petition.parliament.uk/petitions/581077", kind="government",
                               speaker_kind="government", speaker="Department of Health and Social Care"))
    assert 'id="src-2-1"' in card and "Department of Health and Social Care" in card
    assert "11 February 2021" in card and ">Government<" in card and "LGA briefing" in card
    assert 'href="https://petition.parliament.uk/petitions/581077"' in card and 'rel="noopener noreferrer"' in card
    assert "<mark>We welcome the recognition.</mark>" in card
    unsafe = source_card(1, cite(url="javascript:alert(1)"))
    assert 'class="official"' not in unsafe and "No official web address" in unsafe


def test_safe_url_and_dates():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", " http://x\" onclick=\"y", ""):
        assert safe_url(bad) == ""
    assert nice_date("2021-08-06") == "6 August 2021" and nice_date("unknown") == "unknown"


def test_contested_answers_are_grouped_by_speaker_side_by_side():
    gov = cite(2, speaker="Department of Health and Social Care", speaker_id="dhsc", speaker_kind="government",
               quote="ICBs will be public bodies.")
    t = turn(question="How do the Government and the LGA differ?",
             text="The LGA's view is: “We welcome the recognition.” [1]\n\nThe Government's response says: “ICBs will be public bodies.” [2]",
             citations=[cite(), gov])
    assert contested(t)
    html = answer_body(t)
    cols = re.findall(r'<section class="viewpoint" aria-label="([^"]+)">', html)
    assert cols == ["Local Government Association", "Department of Health and Social Care"]
    assert viewpoint_notice(t) == ""


def test_one_sided_comparison_is_stated():
    t = turn(question="How do the Government and the LGA differ on ICSs?", notes=["comparison"])
    assert not contested(t)                   # one speaker: nothing to put side by side
    notice = viewpoint_notice(t)
    assert "one side only" in notice and "Local government" in notice
    assert "one side only" in viewpoint_notice(turn(notes=["one_side"]))
    assert viewpoint_notice(turn()) == ""     # not a comparison, one speaker: no notice


def test_sources_panel_lists_newest_answer_first():
    html = sources_html([turn(n=1, question="first"), turn(n=2, question="second")])
    assert html.index("Answer 2: “second”") < html.index("Answer 1: “first”")
    assert 'id="src-1-1"' in html and 'id="src-2-1"' in html


def test_about_lists_every_document_and_states_limits(corpus):
    html = about_html(corpus.documents, ("2020-05-14", "2021-11-08"), "one notice is most likely from October 2023")
    for d in corpus.documents:
        assert d.title.replace("'", "&#x27;") in html or d.title in html
    assert "May 2020 to November 2021" in html and "not legal advice" in html and "October 2023" in html
    assert "answers only from" in html
    assert_inert(html)
