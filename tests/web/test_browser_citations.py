"""Answer first, citations in place, sources beside the answer — at 1366 px and at 375 px, in real Chromium."""

from __future__ import annotations

import re

import pytest

from webhelpers import ask, in_viewport, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATE = re.compile(r"\b(\d{1,2} )?(January|February|March|April|May|June|July|August|September|October|November|December)"
                  r"( \d{4})?\b|\b(19|20)\d\d\b")
DATE_QUESTION = "Pausing petition, Government response: which day?"
CONTESTED = "Government versus petitioners, on pausing the White Paper."


def test_the_first_statement_answers_a_date_question_with_the_date_in_bold(sized_page):
    page = sized_page
    n = ask(page, DATE_QUESTION)
    first = page.locator(f"#ans-{n} .stmt").first
    assert "answer-stmt" in first.get_attribute("class")
    phrase = first.locator("strong.answer-phrase")
    assert phrase.count() == 1 and DATE.search(phrase.inner_text()), phrase.all_inner_texts()
    assert int(phrase.evaluate("e => getComputedStyle(e).fontWeight")) >= 700
    # the first block is headed once by its speaker, with a kind badge and a date
    head = page.locator(f"#ans-{n} .voice.lead .block-head")
    assert head.locator(".badge").count() == 1 and DATE.search(head.locator(".when").inner_text())
    shot(page, f"web-{page.width_name}-date-answer.png")


def test_opening_a_citation_keeps_the_answer_in_the_viewport(sized_page):
    page = sized_page
    n = ask(page, CONTESTED)
    marker = page.locator(f"#ans-{n} button.cite").first
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44                      # the [n] tap target
    before = page.evaluate("[scrollX, scrollY]")
    marker.click()
    panel = page.locator(f"#cp-{n}-1")
    panel.wait_for(state="visible")
    assert page.evaluate("[scrollX, scrollY]") == before                   # the page did not move
    assert in_viewport(page, f"#ans-{n} .stmt") and marker.get_attribute("aria-expanded") == "true"
    marked = panel.locator("mark").inner_text().strip()
    assert marked and marked in page.locator(f"#ans-{n} .stmt").first.inner_text()
    assert panel.locator("time").count() == 1 and panel.locator(".badge").count() == 1
    shot(page, f"web-{page.width_name}-citation-open.png")
    page.keyboard.press("Escape")
    assert panel.is_hidden() and page.evaluate("document.activeElement.getAttribute('aria-controls')") == f"cp-{n}-1"
    assert page.evaluate("[scrollX, scrollY]") == before


def test_the_sources_hold_only_the_current_answer_one_card_per_passage(sized_page):
    page = sized_page
    first = ask(page, "What are Care England's five areas?")
    n = ask(page, CONTESTED)
    if page.width_name == "desktop":
        panel = page.locator("#sources")
        assert panel.is_visible() and page.locator(".sources-here").first.is_hidden()
        cards = panel.locator(".source-card")
        assert all(c.startswith(f"src-{n}-") for c in cards.evaluate_all("els => els.map(e => e.id)"))
    else:
        assert page.locator("#sources-col").is_hidden()
        assert page.locator(f"#ans-{first} .sources-here").is_hidden()     # an earlier answer's sources are gone
        here = page.locator(f"#ans-{n} .sources-here")
        assert here.is_visible()
        answer, sources = page.locator(f"#ans-{n} .voice").last.bounding_box(), here.bounding_box()
        assert sources["y"] >= answer["y"] + answer["height"] - 1          # directly under its answer
        cards = here.locator(".source-card")
    # one card per passage: as many cards as distinct passages cited, each listing its cited sentences
    chunk_of = page.evaluate(f"""() => [...document.querySelectorAll('#ans-{n} .cite-panel blockquote')]
        .map(b => b.textContent)""")
    assert cards.count() == len(set(chunk_of)) >= 1
    listed = sum(cards.nth(i).locator("ul.cited li").count() for i in range(cards.count()))
    assert listed == page.locator(f"#ans-{n} button.cite").count()
    shot(page, f"web-{page.width_name}-sources.png", full_page=True)


def test_keyboard_only_reaches_opens_and_returns_from_a_citation(page):
    n = ask(page, CONTESTED)
    page.focus("#question textarea")
    reached = None
    for _ in range(60):                       # Tab from the question box back round the page to a citation
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.matches('button.cite')"):
            reached = page.evaluate("document.activeElement.getAttribute('aria-controls')")
            break
    assert reached, "Shift+Tab never reached a citation marker"
    y = page.evaluate("scrollY")
    page.keyboard.press("Enter")
    assert page.locator(f"#{reached}").is_visible()
    assert page.evaluate("document.activeElement.id") == reached               # focus moved into the passage
    assert page.evaluate("scrollY") == y
    page.keyboard.press("Tab")                                                   # the passage's own controls
    assert page.evaluate("document.activeElement.closest('.cite-panel') !== null")
    page.keyboard.press("Escape")
    assert page.locator(f"#{reached}").is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == reached     # back on the marker
    page.keyboard.press("Space")                                                  # Space opens it too
    assert page.locator(f"#{reached}").is_visible()
    page.keyboard.press("Escape")
    assert page.locator(f"#{reached}").is_hidden()
    # the keyboard focus ring is a clear 3 px line
    page.focus(f"#ans-{n} button.cite >> nth=0")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"


def test_the_sources_column_stays_in_view_on_desktop(page):
    ask(page, "What are Care England's five areas?")
    ask(page, CONTESTED)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    page.wait_for_timeout(200)
    assert page.evaluate("scrollY") > 300
    top = page.evaluate("document.querySelector('#sources-col').getBoundingClientRect().top")
    assert abs(top) < 2, top                                                    # stuck to the top of the window
    assert in_viewport(page, "#sources .source-card")


def test_tap_targets_are_at_least_44_px_on_a_phone(chromium, web_app):
    from webhelpers import open_page

    context, page, rec = open_page(chromium, web_app, 375, 812)
    try:
        n = ask(page, CONTESTED)
        page.locator("#filters > button").first.click()
        small = page.evaluate("""() => [...document.querySelectorAll(
              '#transcript button, #transcript summary, #transcript a.official, #site-header summary, #ask-row button,'
            + ' #examples button, #filters > button, #filter-kinds label')]
            .filter(e => e.offsetParent !== null)
            .map(e => { const r = e.getBoundingClientRect(); return [e.className || e.tagName, Math.round(r.width),
                                                                     Math.round(r.height)]; })
            .filter(([, w, h]) => w < 44 || h < 44)""")
        assert small == [], small
        assert page.locator(f"#ans-{n} button.cite").count() >= 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 375          # no sideways scrolling
        page.locator("#filter-kinds input[type=checkbox]").first.focus()
        ring = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); "
                             "return [s.outlineStyle, s.outlineWidth]; })()")
        assert ring == ["solid", "3px"], ring
        assert rec.foreign() == []
    finally:
        context.close()
