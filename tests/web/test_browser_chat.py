"""The chat in a real browser (Debian's Chromium) against the real app and the real-model index."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from webhelpers import ask, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WATCH_UNITS = """() => {
  window.__units = [];
  const t = document.querySelector('#transcript');
  new MutationObserver(() => {
    const live = t.querySelector('article.turn:last-of-type');
    if (live) window.__units.push(live.querySelectorAll('.unit').length);
  }).observe(t, {subtree: true, childList: true, characterData: true});
}"""


def test_answer_streams_sentence_by_sentence_with_attributed_citations(page):
    page.evaluate(WATCH_UNITS)
    n = ask(page, "What will Integrated Care Boards do?")
    seen = page.evaluate("window.__units")
    final = page.locator(f"#ans-{n} .unit").count()
    assert final >= 2
    # every intermediate length appeared on the page before the whole answer did
    assert [k for k in dict.fromkeys(seen) if k] == list(range(1, final + 1)), seen
    answer = page.locator(f"#ans-{n} .answer").inner_text()
    assert "The Government's response says" in answer
    cites = page.locator(f"#ans-{n} a.cite")
    assert cites.count() >= 2 and cites.first.get_attribute("href") == f"#src-{n}-1"
    assert page.locator("#status").inner_text().startswith(f"Answer {n} is ready")


def test_citation_click_shows_the_highlighted_passage_with_speaker_date_and_kind(page):
    n = ask(page, "What did Sir Simon Stevens say about the Bill?")
    page.locator(f"#ans-{n} a.cite").first.click()
    card = page.locator(f"#src-{n}-1")
    assert page.evaluate("location.hash") == f"#src-{n}-1"
    assert page.evaluate("document.querySelector(':target').id") == f"src-{n}-1"
    card.wait_for(state="visible")
    assert card.evaluate("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    text = card.inner_text()
    assert "Simon Stevens" in text and "13 July 2021" in text and "News" in text and "NHS" in text
    marked = card.locator("mark").inner_text()
    assert marked and marked.strip() in page.locator(f"#ans-{n} .unit").first.inner_text()
    # the highlighted card is visibly different from an unselected one
    assert card.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"


def test_kind_filter_restricts_every_source(page):
    page.locator("#filter-kinds").get_by_label("Campaign", exact=True).check()
    n = ask(page, "What do they say about integrated care systems?")
    kinds = page.locator(f".sources-for[aria-labelledby='sh-{n}'] .doc-line .badge").all_inner_texts()
    assert kinds and set(kinds) == {"Campaign"}
    assert "only Campaign sources" in page.locator(f"#ans-{n} .filters-used").inner_text()


def test_document_filter_and_one_side_notice(page):
    page.locator("#filter-doc input").click()
    page.locator("[role='option']", has_text="Government response to the petition").first.click()
    n = ask(page, "Do the LGA and the Government agree on the role of councils in integrated care systems?")
    titles = page.locator(f".sources-for[aria-labelledby='sh-{n}'] cite.title").all_inner_texts()
    assert titles and all(t.startswith("Government response to the petition") for t in titles)
    notice = page.locator(f"#ans-{n} .one-side")
    assert notice.count() == 1 and "one side only" in notice.inner_text()


def test_contested_question_puts_speakers_side_by_side(page):
    n = ask(page, "Compare the Government's and the petitioners' views on pausing the White Paper.")
    cols = page.locator(f"#ans-{n} .viewpoint")
    assert cols.count() >= 2
    heads = cols.locator("h3, .speaker-full").all_inner_texts()
    assert len(set(heads)) == len(heads) and any("Government" in h or "Department" in h for h in heads), heads
    boxes = [cols.nth(i).bounding_box() for i in range(2)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[1]["x"] > boxes[0]["x"]   # next to each other


def test_feedback_is_stored_in_sqlite_with_the_answer_and_no_personal_data(page, web_app):
    n = ask(page, "What are Care England's five areas?")
    comment = f"clear answer {uuid.uuid4().hex[:8]}"
    page.fill(f"#fb-comment-{n}", comment)
    ask(page, "What did Sir Simon Stevens say about the Bill?")     # the page updates; the comment survives
    assert page.input_value(f"#fb-comment-{n}") == comment
    page.locator(f"#ans-{n} button.rate[data-rate='down']").click()
    page.wait_for_selector(f"#ans-{n} .feedback-done")
    assert "saved" in page.locator("#status").inner_text()
    con = sqlite3.connect(web_app.data_dir / "feedback.sqlite3")
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM feedback WHERE comment = ?", (comment,))]
    assert len(rows) == 1
    row = rows[0]
    assert row["rating"] == "down" and row["question"] == "What are Care England's five areas?" and row["turn"] == n
    assert row["answer"].startswith("As the article reports, Care England") and row["behaviour"] == "answer"
    cites = json.loads(row["citations"])
    assert cites and cites[0]["doc_id"] == "bill-summary" and cites[0]["quote"] in cites[0]["passage"]
    settings = json.loads(row["settings"])
    assert settings["filters"] == {"kinds": [], "doc_id": ""} and settings["embedder"] == "minilm"
    assert row["created_at"].endswith("+00:00")
    assert not {"ip", "ip_address", "user_agent", "host", "email"} & set(row)


def test_follow_up_question_in_the_same_conversation_then_new_conversation(page):
    first = ask(page, "What will Integrated Care Boards do?")
    second = ask(page, "And what does the LGA say about that?")
    assert (first, second) == (1, 2)
    speakers = page.locator(f"#ans-{second} a.cite").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert any("Local Government Association" in s for s in speakers), speakers
    assert page.locator(".sources-for").count() == 2
    page.click("#new-conversation")
    page.wait_for_selector("#transcript .empty-chat")
    assert page.locator("#transcript article.turn").count() == 0 and page.locator(".source-card").count() == 0
    assert ask(page, "What are Care England's five areas?") == 1


def test_abstention_and_refusal_are_shown_as_such(page):
    n = ask(page, "How many beds does Leeds hospital have?")
    turn = page.locator(f"#ans-{n}")
    assert "abstain" in turn.get_attribute("class")
    assert "not found in the documents" in turn.locator(".answer .who").inner_text()
    assert "don't cover this" in turn.inner_text() and turn.locator("strong", has_text="not an answer").count() == 1
    assert turn.locator("a.cite").count() == 0
    n = ask(page, "Who should I vote for?")
    turn = page.locator(f"#ans-{n}")
    assert "refuse_or_redirect" in turn.get_attribute("class")
    assert "I don't give personal opinions" in turn.inner_text()
    assert "declined" in turn.locator(".answer .who").inner_text()
    shot(page, "web-desktop-abstain-refusal.png", full_page=True)


@pytest.mark.parametrize("question, message", [
    ("", "The question is empty"),
    ("   \n\t  ", "The question is empty"),
    ("x" * 1001, "the limit is 1,000"),
])
def test_empty_blank_and_over_long_questions_get_a_friendly_message(page, question, message):
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function("m => document.querySelector('#status').innerText.includes(m)", arg=message)
    assert page.locator("#status .error").count() == 1
    assert page.locator("#transcript article.turn").count() == 0
    assert page.input_value("#question textarea") == question   # kept, so it can be fixed


def test_keyboard_only_type_enter_tab_to_sources_and_feedback(page):
    for _ in range(40):                       # Tab from the top of the page to the question box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#question') !== null"):
            break
    else:
        pytest.fail("Tab never reached the question box")
    page.keyboard.type("What will Integrated Care Boards do?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#ans-1 .answer[aria-busy='false']")
    reached = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("""() => { const e = document.activeElement;
            if (e.closest('.source-card')) return 'source';
            if (e.matches('button.rate')) return 'rate';
            if (e.matches('.feedback textarea')) return 'comment';
            if (e.matches('a.cite')) return 'cite'; return ''; }"""))
        if {"source", "rate", "comment", "cite"} <= reached:
            break
    assert {"source", "rate", "comment", "cite"} <= reached, reached
    page.focus("#ans-1 a.cite >> nth=0")
    page.keyboard.press("Enter")               # follow the citation with the keyboard
    assert page.evaluate("location.hash") == "#src-1-1"
    page.focus("#ans-1 button.rate[data-rate='up']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#ans-1 .feedback-done")


def test_every_control_has_a_label(page):
    ask(page, "What will Integrated Care Boards do?")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, textarea, select, button')]
        .filter(e => e.offsetParent !== null && e.type !== 'hidden')
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
                     && !(e.tagName === 'BUTTON' && e.innerText.trim()))
        .map(e => e.outerHTML.slice(0, 120))""")
    assert unlabelled == []


def test_about_panel_lists_every_document_and_the_corpus_limits(page, corpus):
    page.get_by_text("About these documents").click()
    page.wait_for_selector("#about-body .doc-list")
    items = page.locator("#about-body .doc-list li")
    assert items.count() == len(corpus.documents)
    text = page.locator("#about-body").inner_text()
    for d in corpus.documents:
        assert d.title in text and d.publisher in text
    assert "May 2020 to November 2021" in text and "not legal advice" in text and "answers only from" in text
    links = page.locator("#about-body a[href^='https://']")
    assert links.count() == sum(1 for d in corpus.documents if d.url)
    assert links.first.get_attribute("rel") == "noopener noreferrer"


def test_example_question_button_asks_it(page):
    page.locator("#examples button", has_text="What are Care England's five areas?").click()
    page.wait_for_selector("#ans-1 .answer[aria-busy='false']")
    assert page.locator("#q-1").inner_text() == "What are Care England's five areas?"
    assert page.locator("#ans-1 a.cite").count() >= 2
