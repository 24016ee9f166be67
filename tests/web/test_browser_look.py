"""Accessibility (axe-core injected into the page) and the page's look at desktop and phone widths.

Screenshots and axe reports are kept in test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json

import pytest

from webhelpers import ARTIFACTS, AXE, ask, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
QUESTION = "Government versus petitioners, on pausing the White Paper."


def run_axe(page, name: str) -> list[dict]:
    """Inject axe-core, run it over the whole page, keep the report; return every violation (any impact)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(result["violations"], indent=2))
    summary = {v["id"]: (v["impact"], len(v["nodes"])) for v in result["violations"]}
    print(f"axe {name}: {len(result['violations'])} violation rule(s) {summary}")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def fill_page(page) -> int:
    """Two answers, a citation open and the documents list open: the busiest state."""
    ask(page, "Pausing petition, Government response: which day?")
    n = ask(page, QUESTION)
    page.locator(f"#ans-{n} button.cite").first.click()
    page.locator("#documents > summary").click()
    page.locator("#documents .doc-list").wait_for(state="visible")
    return n


def test_axe_finds_no_violations_on_the_first_screen(sized_page, axe_available):
    shot(sized_page, f"web-{sized_page.width_name}-first-screen.png")
    assert run_axe(sized_page, f"{sized_page.width_name}-empty") == []


def test_axe_finds_no_violations_after_answers_with_a_citation_open(sized_page, axe_available):
    page = sized_page
    n = fill_page(page)
    assert run_axe(page, f"{page.width_name}-answered") == []
    page.locator(f"#cp-{n}-1").scroll_into_view_if_needed()
    shot(page, f"web-{page.width_name}-answered.png")
    shot(page, f"web-{page.width_name}-full.png", full_page=True)


def test_layout_sources_beside_on_desktop_and_under_the_answer_on_a_phone(sized_page):
    page = sized_page
    n = ask(page, QUESTION)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]   # no sideways scroll
    chat = page.locator("#chat-col").bounding_box()
    if page.width_name == "desktop":
        sources = page.locator("#sources-col").bounding_box()
        assert sources["x"] > chat["x"] + chat["width"] - 1                      # beside the chat
    else:
        here = page.locator(f"#ans-{n} .sources-here").bounding_box()
        feedback = page.locator(f"#ans-{n} .feedback").bounding_box()
        assert here["y"] > feedback["y"] and here["y"] < page.locator("#question").bounding_box()["y"]
        assert page.locator("#ask").bounding_box()["width"] <= 375
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, f"web-{page.width_name}-top.png")
