"""Safety of the page in a real browser: nothing from a question or a document runs as HTML,
and the page talks to no host but the one serving it."""

from __future__ import annotations

import re
import shutil

import pytest

from assistant.index.embed import FakeEmbedder
from assistant.index.build import build
from assistant.corpus.manifest import load_corpus
from webhelpers import ROOT, ask, open_page, start_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Each sets window.__xss or opens a dialog if it ever runs.
XSS_QUESTIONS = [
    "<script>window.__xss = 1; alert(1)</script> What will Integrated Care Boards do?",
    "<img src=x onerror=\"window.__xss = 2; alert(2)\"> what is an ICS?",
    "[click me](javascript:window.__xss=3) What do campaigners say about privatisation?",
    "<a href=\"javascript:window.__xss=4\" id=\"evil-link\">link</a> What will Integrated Care Boards do?",
    "\"><svg onload=\"window.__xss=5\"></svg> Integrated Care Boards?",
]
HOSTILE_PARAGRAPH = (
    "Zebra crossings and integrated care systems: <img src=x onerror=\"window.__xss = 10; alert(10)\"> "
    "<script>window.__xss = 11</script> [zebra link](javascript:window.__xss=12) "
    "<a href=\"javascript:window.__xss=13\">zebra anchor</a> the zebra crossings plan was agreed."
)
HOSTILE_TITLE = "<i onmouseover=\"window.__xss=14\">Zebra</i> title"


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    live = page.evaluate("""() => ({
        scripts: [...document.querySelectorAll('#transcript script, #sources script, #documents script')].length,
        imgs: [...document.querySelectorAll('#transcript img, #sources img, #documents img')].length,
        svgOnload: [...document.querySelectorAll('svg[onload]')].length,
        jsLinks: [...document.querySelectorAll('a[href]')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
        handlers: [...document.querySelectorAll('#transcript *, #sources *, #documents *')]
                   .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    })""")
    assert live == {"scripts": 0, "imgs": 0, "svgOnload": 0, "jsLinks": 0, "handlers": 0}, live


@pytest.mark.parametrize("question", XSS_QUESTIONS)
def test_hostile_question_is_shown_as_text(page, question):
    n = ask(page, question)
    shown = page.locator(f"#q-{n}").inner_text()
    assert shown == question                              # the very characters typed, as text
    assert_nothing_ran(page)
    page.locator(f"#q-{n}").hover()
    page.locator(f"#ans-{n}").click(position={"x": 5, "y": 5})
    assert_nothing_ran(page)
    assert page.recorder.dialogs == []


def test_page_makes_no_request_to_any_other_host(page, web_app):
    """Load, ask, open every panel, open a citation, export: every request goes to the app itself."""
    n = ask(page, "What do the LGA and the campaigners say about integrated care systems?")
    page.locator(f"#ans-{n} button.cite").first.click()
    page.locator("#documents > summary").click()
    page.wait_for_selector("#documents .doc-list")
    page.locator("#filters > button").first.click()
    page.locator("#filters").get_by_text("Only this document").scroll_into_view_if_needed()
    with page.expect_download():
        page.click("#export")
    page.wait_for_timeout(1000)
    rec = page.recorder
    assert len(rec.requests) > 5                       # the recorder sees the page's own traffic
    assert all(re.match(rf"^http://127\.0\.0\.1:{web_app.port}/", u) for u in rec.requests if not u.startswith("data:")), \
        [u for u in rec.requests if f"127.0.0.1:{web_app.port}" not in u]
    assert rec.errors == []


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """The app over a copy of the corpus with HTML and script in a passage and a title (fake embedder: fast)."""
    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    blog = corpus / "campaign-blog.md"
    blog.write_text(blog.read_text() + "\n\n## Zebra crossings\n\n" + HOSTILE_PARAGRAPH + "\n")
    manifest = corpus / "manifest.toml"
    text = manifest.read_text()
    old = 'title = "Petition to scrap ICSs nets 50,000 signatures"'
    assert old in text
    manifest.write_text(text.replace(old, f"title = '{HOSTILE_TITLE}'", 1))   # a TOML literal string
    build(load_corpus(corpus), base / "index", FakeEmbedder())
    app = start_app({"HCB_INDEX_DIR": str(base / "index"), "HCB_CORPUS_DIR": str(corpus), "HCB_EMBEDDER": "fake"},
                    base / "data")
    yield app
    app.stop()


def test_hostile_document_text_and_title_are_shown_as_text(chromium, hostile_app):
    context, page, rec = open_page(chromium, hostile_app)
    try:
        n = ask(page, "What about the zebra crossings plan?")
        for i in range(page.locator(f"#ans-{n} button.cite").count()):
            page.locator(f"#ans-{n} button.cite").nth(i).click()          # open every passage in place
        page.locator("#documents > summary").click()
        page.wait_for_selector("#documents .doc-list")
        body = page.locator("body").inner_text()
        # the passage and the title reached the page, as the characters they are
        assert "<img src=x onerror=" in body or "[zebra link](javascript:" in body, page.locator(f"#ans-{n}").inner_text()
        assert HOSTILE_TITLE in page.locator("#documents").inner_text()
        with page.expect_download() as dl:
            page.click("#export")
        exported = open(dl.value.path(), encoding="utf-8").read()
        assert "<script>" not in exported and "](javascript:" not in exported
        for sel in ("#transcript", "#sources", "#documents"):
            page.locator(sel).hover()
        assert_nothing_ran(page)
        assert rec.dialogs == [] and rec.foreign() == []
    finally:
        context.close()
