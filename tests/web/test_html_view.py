"""The page's HTML, built from structured answers, without a browser: layout, escaping, sources, first screen."""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape
from html.parser import HTMLParser

import pytest

from assistant.types import Answer, Behaviour, Chunk, Citation, Hit, Note, Role, Statement
from assistant.web.conversation import Scope, Turn
from assistant.web.front import header_html, missing_sentence, scope_sentence
from assistant.web.sources import highlighted, passages, sources_here, sources_panel
from assistant.types import speaker_blocks as blocks
from assistant.web.view import pending_html, sides_marker, turn_html

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
        assert tag not in ("script", "img", "iframe", "object") and not (tag == "svg" and "onload" in attrs), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)


def ids(html: str) -> list[str]:
    return [a["id"] for _, a in tags(html) if "id" in a]


@pytest.fixture(scope="module")
def make(corpus):
    """make(("lga", "lga-briefing", "passage text", "quote", role, span, is_item), ...) -> Answer."""
    docs = {d.id: d for d in corpus.documents}

    def build(*parts, question="What does the LGA say?", notes=(), sides=(), behaviour=Behaviour.ANSWER, hits=()):
        statements, chunks = [], {}
        for n, (speaker, doc, passage, quote, role, span, item) in enumerate(parts, 1):
            chunk = chunks.setdefault((doc, passage), Chunk(f"c-{doc}-{len(chunks)}", doc, passage, 0, len(passage),
                                                             "Duty to collaborate › LGA view", speaker))
            cite = Citation(n, chunk, quote, docs[doc], corpus.speakers[speaker])
            statements.append(Statement(role, cite, span, item))
        return Answer(question, behaviour, "plain text, never parsed", tuple(s.citation for s in statements),
                      hits=tuple(hits), statements=tuple(statements), notes=tuple(notes), sides=tuple(sides),
                      retrieval_query=question)

    build.docs = docs
    build.labels = {k: s.label for k, s in corpus.speakers.items()}
    return build


P_GOV = "This response was given on 6 August 2021. The Government has no plans to pause the proposals."
P_PET = "I want the Government to press pause. This White Paper has been rushed through during the Pandemic."


def date_answer(make):
    return make(("parliament_petitions", "govt-response", P_GOV, "This response was given on 6 August 2021.", Role.ANSWER,
                 (27, 40), False),
                ("dhsc", "govt-response", P_GOV, "The Government has no plans to pause the proposals.", Role.SIDE, None, False),
                ("petitioners", "petition", P_PET, "I want the Government to press pause.", Role.SIDE, None, False),
                ("petitioners", "petition", P_PET, "This White Paper has been rushed through during the Pandemic.",
                 Role.SIDE, None, False),
                question="When was the response given?", notes=(Note.CONTESTED,), sides=("government", "campaign"))


def render(make, ans, n=1, **kw):
    return turn_html(Turn(n, ans, **kw), make.docs, make.labels)


def test_answering_statement_comes_first_with_its_phrase_in_bold(make):
    html = render(make, date_answer(make))
    first = re.search(r'<p class="unit stmt[^"]*">(.*?)</p>', html).group(0)
    assert "answer-stmt" in first and '<strong class="answer-phrase">6 August 2021</strong>' in first
    assert "plain text, never parsed" not in html            # rendered from statements, not from text


def test_each_voice_is_named_once_with_kind_badge_and_date(make):
    html = render(make, date_answer(make))
    heads = re.findall(r'<h3 class="block-head" id="b-1-\d">(.*?)</h3>', html)
    assert len(heads) == 3                                     # petitions page, DHSC, petitioners (two statements)
    assert "The Parliament petitions page" in heads[0] and ">Parliament<" in heads[0] and "6 August 2021" in heads[0]
    assert "The petition" in heads[2] and ">Campaign<" in heads[2]
    assert html.count("The petition<") == 1                     # not repeated per sentence
    assert [len(b) for b in blocks(date_answer(make).statements)] == [1, 1, 2]


def test_contested_and_one_side_markers_come_from_the_notes(make):
    assert "Contested: 2 sides found" in sides_marker(date_answer(make))
    one = make(("lga", "lga-briefing", "We welcome it. We support it.", "We welcome it.", Role.ANSWER, None, False),
               notes=(Note.ONE_SIDE,), sides=("local_government",))
    assert "Only one side found" in sides_marker(one) and "Local government" in sides_marker(one)
    assert sides_marker(replace(one, notes=())) == ""


def test_list_items_render_as_a_list_under_their_speaker(make):
    p = "Care England identified five areas. Social care needs a voice. There must be a workforce plan."
    ans = make(("care_england", "bill-summary", p, "Care England identified five areas.", Role.ANSWER, None, False),
               ("care_england", "bill-summary", p, "Social care needs a voice.", Role.LIST_ITEM, None, True),
               ("care_england", "bill-summary", p, "There must be a workforce plan.", Role.LIST_ITEM, None, True))
    html = render(make, ans)
    assert re.search(r'<ul class="items"><li><div class="unit stmt role-list_item">.*?</li><li>', html)
    assert html.count('class="block-head"') == 1


def test_every_marker_opens_a_panel_with_the_cited_sentence_marked(make):
    html = render(make, date_answer(make), n=3)
    buttons = [a for t, a in tags(html) if t == "button" and "cite" in a.get("class", "").split()]
    assert [b["aria-controls"] for b in buttons] == ["cp-3-1", "cp-3-2", "cp-3-3", "cp-3-4"]
    assert all(b["aria-expanded"] == "false" for b in buttons)
    panel = re.search(r'<div class="cite-panel" id="cp-3-1".*?</div>', html, re.S).group(0)
    assert "hidden" in panel and "<mark>This response was given on 6 August 2021.</mark>" in panel
    assert "Department of Health and Social Care" in panel and "6 August 2021" in panel


def test_ids_on_the_page_are_unique(make):
    ans = date_answer(make)
    html = render(make, ans) + sources_panel(1, ans)
    assert len(ids(html)) == len(set(ids(html)))


def test_sources_are_one_card_per_passage_listing_its_cited_sentences(make):
    ans = date_answer(make)
    assert len(passages(ans)) == 2 and len(ans.citations) == 4
    panel = sources_panel(7, ans)
    cards = re.findall(r'<article class="source-card" id="(src-7-\d)" data-cites="([\d ]+)"', panel)
    assert cards == [("src-7-1", "1 2"), ("src-7-2", "3 4")]
    assert panel.count("<mark>") == 4                              # both sentences marked in each passage
    here = sources_here(7, ans)
    assert re.findall(r'id="(srcm-7-\d)"', here) == ["srcm-7-1", "srcm-7-2"]


def test_highlight_marks_each_cited_sentence_and_escapes_the_rest():
    assert highlighted("  <b>Intro</b>. One. Two.  ", ["One.", "Two."]) == \
        "&lt;b&gt;Intro&lt;/b&gt;. <mark>One.</mark> <mark>Two.</mark>"
    assert "<mark>" not in highlighted("no match here", ["absent"])


@pytest.mark.parametrize("payload", HOSTILE)
def test_question_and_document_text_are_escaped_everywhere(make, payload):
    passage = f"before {payload} after"
    ans = make(("lga", "lga-briefing", passage, payload, Role.ANSWER, (0, 5), False),
               question=payload + " what is an ICS?")
    ans = replace(ans, citations=tuple(replace(c, document=replace(c.document, title=payload, publisher=payload,
                                                                     url=f"javascript:{payload}"))
                                       for c in ans.citations))
    ans = replace(ans, statements=tuple(replace(s, citation=c) for s, c in zip(ans.statements, ans.citations)))
    html = render(make, ans) + sources_panel(1, ans)
    assert_inert(html)
    assert escape(payload[5:]) in html or escape(payload) in html


def test_abstention_and_refusal_are_labelled_and_never_quote_as_answers(make, corpus):
    chunk = Chunk("c1", "pulse-petition", "A petition was submitted. It got 50,000 signatures.", 0, 50, "", "pulse")
    abstain = Answer("How many beds?", Behaviour.ABSTAIN, "ignored", hits=(Hit(chunk, 1.0, 1),))
    html = render(make, abstain)
    assert "not found in the documents" in html and "don&#x27;t cover this" in html and "<strong>not an answer</strong>" in html
    assert 'class="cite"' not in html and "Petition to scrap ICSs" in html
    refuse = Answer("Who should I vote for?", Behaviour.REFUSE, "I don't give **opinions**.\n\n- <b>x</b>")
    html = render(make, refuse)
    assert "declined" in html and "<strong>opinions</strong>" in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_streaming_shows_a_prefix_and_marks_the_answer_busy(make):
    ans = date_answer(make)
    partial = turn_html(Turn(1, ans), make.docs, make.labels, upto=2)
    assert partial.count('class="unit stmt') == 2 and 'aria-busy="true"' in partial and 'class="rate"' not in partial
    full = render(make, ans)
    assert full.count('class="unit stmt') == 4 and 'aria-busy="false"' in full and 'data-rate="up"' in full
    assert 'aria-busy="true"' in pending_html(2, "<q>") and "&lt;q&gt;" in pending_html(2, "<q>")


def test_scope_line_says_what_the_answers_come_from_and_what_is_searched(make):
    html = render(make, date_answer(make), scope=Scope(kinds=("campaign",), speakers=("lga",)))
    assert "Searched only Campaign sources; only the LGA&#x27;s view." in html


def test_first_screen_states_scope_from_the_corpus(corpus):
    held = [d for d in corpus.documents if d.text]
    dates = sorted(d.date for d in held)
    line = scope_sentence(corpus.documents)
    assert f"{len(held)} documents" in line and "May 2020 to November 2021" in line and dates[0].startswith("2020-05")
    missing = missing_sentence(corpus.documents)
    assert "Integration and innovation" in missing and "not been fetched" in missing
    html = header_html(corpus.documents)
    assert html.count("<li>") == len(corpus.documents) and '<details class="doc-details"' in html
    assert_inert(html)
