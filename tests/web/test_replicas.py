"""Past one machine: two app processes on different ports over one `chroma run` server and one feedback store.

Each replica opens the same index build (read-only: chunks, BM25, memory-mapped vectors) with its
passage vectors in the shared Chroma server, and writes feedback into the same SQLite file. Their
answers through the JSON API (`POST /api/ask`) must equal those of the app over the embedded store.
"""

from __future__ import annotations

import sqlite3
import uuid

import httpx
import pytest

from assistant.corpus.manifest import load_corpus
from assistant.index.build import build
from tests._support import chroma_server
from webhelpers import ask, open_page, start_app

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.browser]

QUESTIONS = [
    {"question": "What will Integrated Care Boards do?"},
    {"question": "How many signatures did the petition get?"},
    {"question": "What does the LGA think about the ICS NHS body?"},
    {"question": "Government versus petitioners, on pausing the White Paper."},
    {"question": "What do they say about integrated care systems?", "kinds": ["campaign"]},
    {"question": "Who should I vote for?"},
    {"question": "What is the capital of France?"},
]
FOLLOW_UP = "And what does the LGA say about that?"     # asked after the first question, with its answer as history


@pytest.fixture(scope="module")
def replicas(real_settings, real_embedder, tmp_path_factory):
    """Two apps over one Chroma server (an index built in server mode) sharing one data folder."""
    root = tmp_path_factory.mktemp("replicas")
    with chroma_server(root / "chroma") as url:
        index_dir = root / "index"
        build(load_corpus(real_settings.corpus_dir), index_dir, real_embedder, chroma_url=url)
        shared_data = root / "data"
        env = {"HCB_INDEX_DIR": str(index_dir), "HCB_CORPUS_DIR": str(real_settings.corpus_dir),
               "HCB_EMBEDDER": "minilm", "HCB_CHROMA_URL": url}
        apps = [start_app(env, shared_data), start_app(env, shared_data)]
        try:
            yield apps
        finally:
            for app in apps:
                app.stop()


def _comparable(r: dict) -> dict:
    return {k: v for k, v in r.items() if k != "timings_ms"}


def test_two_replicas_over_one_chroma_server_answer_as_the_embedded_store(replicas, web_app):
    assert replicas[0].port != replicas[1].port
    clients = [httpx.Client(base_url=app.url, timeout=120) for app in (web_app, *replicas)]

    def ask_all(body: dict) -> list[dict]:
        out = []
        for c in clients:
            r = c.post("/api/ask", json=body)
            assert r.status_code == 200, (body, r.text)
            out.append(r.json())
        return out

    try:
        for q in QUESTIONS:
            embedded, first, second = ask_all(q)
            assert embedded["answer"], q
            assert _comparable(first) == _comparable(embedded), q
            assert _comparable(second) == _comparable(embedded), q
        earlier = ask_all(QUESTIONS[0])[0]
        embedded, first, second = ask_all({"question": FOLLOW_UP, "history": [earlier]})
        assert embedded["citations"] and _comparable(first) == _comparable(second) == _comparable(embedded)
    finally:
        for c in clients:
            c.close()


def test_feedback_from_both_replicas_lands_in_one_store(replicas, chromium):
    comments = []
    for app in replicas:
        context, page, rec = open_page(chromium, app)
        try:
            n = ask(page, "What are Care England's five areas?")
            comment = f"replica {app.port} {uuid.uuid4().hex[:8]}"
            page.fill(f"#fb-comment-{n}", comment)
            page.locator(f"#ans-{n} button.rate[data-rate='up']").click()
            page.wait_for_selector(f"#ans-{n} .feedback-done")
            comments.append(comment)
            assert rec.foreign() == []
        finally:
            context.close()
    assert replicas[0].data_dir == replicas[1].data_dir
    con = sqlite3.connect(replicas[0].data_dir / "feedback.sqlite3")
    stored = [r[0] for r in con.execute("SELECT comment FROM feedback ORDER BY id")]
    con.close()
    assert stored == comments
