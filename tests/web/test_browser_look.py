"""Accessibility (axe-core injected into the page) and the page's look at desktop and phone widths.

Screenshots and axe reports are kept in test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json

import pytest

from webhelpers import ARTIFACTS, AXE, ask, open_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
QUESTION = "Compare the Government's and the petitioners' views on pausing the White Paper."


def run_axe(page, name: str) -> list[dict]:
    """Inject axe-core, run it over the whole page, keep the report; return serious/critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(result["violations"], indent=2))
    summary = {v["id"]: (v["impact"], len(v["nodes"])) for v in result["violations"]}
    print(f"axe {name}: {len(result['violations'])} violation rule(s) {summary}")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def fill_page(page) -> int:
    """An answered comparison with a followed citation and the About panel open: the busiest state."""
    n = ask(page, QUESTION)
    page.locator(f"#ans-{n} a.cite").first.click()
    page.get_by_text("About these documents").click()
    page.wait_for_selector("#about-body .doc-list")
    return n


def test_axe_finds_no_serious_or_critical_violation_on_the_empty_page(page, axe_available):
    assert run_axe(page, "desktop-empty") == []


def test_axe_finds_no_serious_or_critical_violation_after_an_answer(page, axe_available):
    fill_page(page)
    assert run_axe(page, "desktop-answered") == []


def test_narrow_screen_is_usable_and_accessible(chromium, web_app, axe_available):
    context, page, rec = open_page(chromium, web_app, width=375, height=812)
    try:
        n = fill_page(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375     # no sideways scrolling
        chat, sources = page.locator("#chat-col").bounding_box(), page.locator("#sources-col").bounding_box()
        assert sources["y"] >= chat["y"] + chat["height"] - 1                  # sources below the chat
        assert page.locator("#ask").bounding_box()["width"] <= 375
        page.locator(f"#ans-{n} a.cite").first.click()
        assert page.evaluate("document.querySelector(':target').id") == f"src-{n}-1"
        shot(page, "web-narrow-citation.png")
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "web-narrow-top.png")
        shot(page, "web-narrow-full.png", full_page=True)
        assert run_axe(page, "narrow-answered") == []
        assert rec.foreign() == [] and rec.dialogs == []
    finally:
        context.close()


def test_desktop_screenshots(page):
    n = fill_page(page)
    page.locator(f"#ans-{n} a.cite").nth(1).click()
    chat, sources = page.locator("#chat-col").bounding_box(), page.locator("#sources-col").bounding_box()
    assert sources["x"] > chat["x"] + chat["width"] - 1                          # sources beside the chat
    page.evaluate("window.scrollTo(0, 0)")
    assert shot(page, "web-desktop.png").stat().st_size > 10_000
    shot(page, "web-desktop-full.png", full_page=True)
