"""The chat in a real browser (Debian's Chromium) against the real app and the real-model index."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from assistant.web.export import md
from webhelpers import ask, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WATCH_UNITS = """n => {
  window.__units = [];
  const t = document.querySelector('#transcript');
  new MutationObserver(() => {
    const live = document.getElementById('ans-' + n);
    if (live) window.__units.push(live.querySelectorAll('.unit').length);
  }).observe(t, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def open_filters(page) -> None:
    if not page.locator("#filter-kinds").is_visible():
        page.locator("#filters > button").first.click()
    page.locator("#filter-kinds").wait_for(state="visible")


def test_answer_streams_statement_by_statement_in_speaker_blocks(page):
    page.evaluate(WATCH_UNITS, 1)
    n = ask(page, "What will Integrated Care Boards do?")
    seen = page.evaluate("window.__units")
    final = page.locator(f"#ans-{n} .unit").count()
    assert final >= 2
    assert [k for k in dict.fromkeys(seen) if k] == list(range(1, final + 1)), seen   # each length appeared in turn
    heads = page.locator(f"#ans-{n} .block-head .speaker").all_inner_texts()
    assert heads and all(a != b for a, b in zip(heads, heads[1:]))                    # a speaker named once per block
    assert page.locator(f"#ans-{n} button.cite").count() == final
    assert page.locator("#status").inner_text().startswith(f"Answer {n} is ready")


def test_kind_filter_restricts_every_source(page):
    open_filters(page)
    page.locator("#filter-kinds").get_by_label("Campaign", exact=True).check()
    n = ask(page, "What do they say about integrated care systems?")
    kinds = page.locator("#sources .source-card .meta .badge").all_inner_texts()
    assert kinds and set(kinds) == {"Campaign"}
    assert "only Campaign sources" in page.locator(f"#ans-{n} .filters-used").inner_text()


def test_document_filter_and_the_only_one_side_marker(page):
    open_filters(page)
    page.locator("#filter-doc input").click()
    page.locator("[role='option']", has_text="Government response to the petition").first.click()
    n = ask(page, "Do the LGA and the Government agree on the role of councils in integrated care systems?")
    titles = page.locator("#sources .source-card h4.title").all_inner_texts()
    assert titles and all(t.startswith("Government response to the petition") for t in titles)
    marker = page.locator(f"#ans-{n} .sides-note.one-side")
    assert marker.count() == 1 and marker.inner_text().startswith("Only one side found")


def test_contested_question_gets_the_marker_and_a_block_per_voice(page):
    n = ask(page, "Government versus petitioners, on pausing the White Paper.")
    marker = page.locator(f"#ans-{n} .sides-note.contested")
    assert marker.count() == 1 and marker.inner_text().startswith("Contested: 2 sides found")
    badges = page.locator(f"#ans-{n} .block-head .badge").all_inner_texts()
    assert {"Government", "Campaign"} <= set(badges)


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
    assert "Care England" in row["answer"] and row["behaviour"] == "answer"
    cites = json.loads(row["citations"])
    assert cites and cites[0]["doc_id"] == "bill-summary" and cites[0]["quote"] in cites[0]["passage"]
    settings = json.loads(row["settings"])
    assert settings["filters"] == {"kinds": [], "doc_id": ""} and settings["embedder"] == "minilm"
    assert row["created_at"].endswith("+00:00")
    assert not {"ip", "ip_address", "user_agent", "host", "email"} & set(row)


def test_follow_up_in_the_same_conversation_then_a_new_conversation(page):
    first = ask(page, "What will Integrated Care Boards do?")
    second = ask(page, "And what does the LGA say about that?")
    assert (first, second) == (1, 2)
    heads = page.locator(f"#ans-{second} .block-head").all_inner_texts()
    assert any("LGA" in h for h in heads), heads
    page.click("#new-conversation")
    # the transcript and the sources panel are two outputs, which Gradio may redraw in separate frames
    page.wait_for_function("!document.querySelector('#transcript article.turn')"
                           " && ![...document.querySelectorAll('.source-card')].some(e => e.offsetParent)")
    assert page.locator("#examples").is_visible() and page.locator(".source-card:visible").count() == 0
    assert ask(page, "What are Care England's five areas?") == 1


def test_abstention_and_refusal_are_shown_as_such(page):
    n = ask(page, "How many beds does Leeds hospital have?")
    turn = page.locator(f"#ans-{n}")
    assert "abstain" in turn.get_attribute("class")
    assert "not found in the documents" in turn.locator(".answer .who").inner_text()
    assert "don't cover this" in turn.inner_text() and turn.locator("strong", has_text="not an answer").count() == 1
    assert turn.locator("button.cite").count() == 0
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


def test_a_lone_surrogate_gets_a_clear_message_not_a_null_error(page):
    """Issue 12: a lone surrogate in the question showed {"error": null}."""
    page.evaluate("""() => { const t = document.querySelector('#question textarea');
        t.value = 'What is an ICS? \\ud800'; t.dispatchEvent(new Event('input', {bubbles: true})); }""")
    page.click("#ask")
    page.wait_for_function("() => document.querySelector('#status .error')")
    assert "invalid character" in page.locator("#status").inner_text()
    assert page.locator("#transcript article.turn").count() == 0
    assert page.locator(".toast-body").count() == 0


def test_every_control_has_a_label(page):
    ask(page, "What will Integrated Care Boards do?")
    page.locator("#ans-1 button.cite").first.click()
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, textarea, select, button')]
        .filter(e => e.offsetParent !== null && e.type !== 'hidden')
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
                     && !(e.tagName === 'BUTTON' && e.innerText.trim()))
        .map(e => e.outerHTML.slice(0, 120))""")
    assert unlabelled == []


def test_the_first_screen_states_the_scope_and_lists_the_documents_one_tap_away(page, corpus):
    held = [d for d in corpus.documents if d.text]
    scope = page.locator("#scope-line").inner_text()
    assert f"{len(held)} documents" in scope and "May 2020 to November 2021" in scope
    assert "Not held yet" in page.locator("#site-header").inner_text()
    assert page.locator("#examples button").count() >= 3
    page.locator("#documents > summary").click()
    items = page.locator("#documents .doc-list li")
    assert items.count() == len(corpus.documents)
    text = page.locator("#documents").inner_text()
    for d in corpus.documents:
        assert d.title in text and d.publisher in text
    links = page.locator("#documents a[href^='https://']")
    assert links.count() == sum(1 for d in corpus.documents if d.url)
    assert links.first.get_attribute("rel") == "noopener noreferrer"


def test_example_buttons_ask_a_date_and_a_follow_up(page):
    page.locator("#examples button", has_text="Pausing petition, Government response: which day?").click()
    page.wait_for_selector("#ans-1 .answer[aria-busy='false']")
    assert page.locator("#q-1").inner_text() == "Pausing petition, Government response: which day?"
    page.click("#new-conversation")
    page.wait_for_function("!document.querySelector('#transcript article.turn')")
    page.locator("#examples button", has_text="then: And what is the view of councils?").click()
    page.wait_for_selector("#ans-2 .answer[aria-busy='false']", timeout=60_000)
    assert page.locator("#q-1").inner_text() == "Integrated Care Boards: what will they do?"
    assert page.locator("#q-2").inner_text() == "And what is the view of councils?"
    assert any("LGA" in h for h in page.locator("#ans-2 .block-head").all_inner_texts())   # councils: the LGA


def test_a_suggested_follow_up_asks_another_side_from_the_corpus(page):
    n = ask(page, "What are integrated care systems?")
    buttons = page.locator(f"#ans-{n} button.suggest")
    assert buttons.count() >= 1
    label = buttons.first.inner_text()
    assert label.startswith(("Another side:", "Next section of this document:"))
    buttons.first.click()
    page.wait_for_selector(f"#ans-{n + 1} .answer[aria-busy='false']", timeout=30_000)
    assert page.locator(f"#ans-{n + 1} .filters-used").inner_text().startswith("Searched only")
    if label.startswith("Another side:"):
        assert page.locator(f"#q-{n + 1}").inner_text() == "What are integrated care systems?"


def test_the_conversation_downloads_as_markdown_with_every_citation(page):
    n = ask(page, "What did Sir Simon Stevens say about the Bill?")
    ask(page, "Who should I vote for?")
    quotes = page.locator(f"#ans-{n} .stmt q").all_inner_texts()
    with page.expect_download() as dl:
        page.click("#export")
    assert dl.value.suggested_filename.endswith(".md")
    text = open(dl.value.path(), encoding="utf-8").read()
    assert "## 1. What did Sir Simon Stevens say about the Bill?" in text and "## 2. Who should I vote for?" in text
    sources = [ln for ln in text.splitlines() if ln.startswith("- [")]
    assert len(sources) == page.locator(f"#ans-{n} button.cite").count()
    assert all("13 July 2021" in ln and "Health and Care Bill introduced to Parliament" in ln for ln in sources)
    for q in quotes:
        assert f"“{md(' '.join(q.split()))}”" in text, q


def test_traffic_per_question_does_not_grow_with_the_conversation(page):
    """Issue 12: each streamed sentence re-sent the whole transcript (0.29 s per turn at turn 10, 1.14 s at 120)."""
    cdp = page.context.new_cdp_session(page)
    urls, received = {}, []
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.dataReceived", lambda e: received.append(e["dataLength"])
           if "/queue/data" in urls.get(e["requestId"], "") else None)
    cdp.send("Network.enable")
    questions = ["What are Care England's five areas?", "What did Sir Simon Stevens say about the Bill?"]
    sizes = []
    for i in range(12):
        received.clear()
        ask(page, questions[i % 2])
        page.wait_for_timeout(300)                     # the stream's last bytes
        sizes.append(sum(received))
    print("server-sent bytes per question:", sizes)
    assert all(sizes), sizes
    early, late = sizes[2], sizes[10]                  # the same question, at turn 3 and turn 11
    assert late <= early * 1.1, sizes
    assert page.locator("#transcript article.turn").count() == 12
