"""A `chroma run` server that stops while the app serves: a clear message in the page and the API, the question
kept in the box, and answers again once the server is back (issue 12, item 4)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.corpus.manifest import load_corpus
from assistant.index.build import build
from assistant.index.embed import FakeEmbedder
from assistant.web.limits import STORE_DOWN
from webhelpers import ROOT, ask, free_port, open_page, require, shot, start_app, stop_process

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.server]


class ChromaServer:
    """`chroma run` on a fixed port and folder, so it can be stopped and started again."""

    def __init__(self, folder: Path):
        self.exe = Path(sys.executable).parent / "chroma"
        self.folder, self.port = folder, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, request) -> None:
        require(request.config, self.exe.exists(), f"{self.exe} not installed (pip install chromadb)")
        log = (self.folder / "chroma.log").open("ab")
        self.proc = subprocess.Popen([str(self.exe), "run", "--path", str(self.folder / "data"), "--port", str(self.port)],
                                     stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        require(request.config, False, f"`chroma run` did not start: {(self.folder / 'chroma.log').read_text()[-500:]}")

    def stop(self) -> None:
        stop_process(self.proc)


@pytest.fixture(scope="module")
def server_app(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("outage")
    chroma = ChromaServer(base)
    chroma.start(request)
    build(load_corpus(ROOT / "corpus"), base / "index", FakeEmbedder(), chroma_url=chroma.url)
    app = start_app({"HCB_INDEX_DIR": str(base / "index"), "HCB_CORPUS_DIR": str(ROOT / "corpus"), "HCB_EMBEDDER": "fake",
                     "HCB_CHROMA_URL": chroma.url}, base / "data")
    yield app, chroma
    app.stop()
    chroma.stop()


def test_a_stopped_store_gives_the_message_keeps_the_question_and_recovers(request, chromium, server_app):
    app, chroma = server_app
    context, page, rec = open_page(chromium, app)
    try:
        assert ask(page, "What will Integrated Care Boards do?") == 1
        chroma.stop()
        question = "What does the LGA say about integrated care systems?"
        page.fill("#question textarea", question)
        page.press("#question textarea", "Enter")
        page.wait_for_function("m => document.querySelector('#status').innerText.includes(m)", arg=STORE_DOWN,
                               timeout=30_000)
        assert page.locator("#status .error").count() == 1
        assert page.input_value("#question textarea") == question                  # kept, to ask again
        assert page.locator("#transcript article.turn").count() == 1               # no answer stuck "searching"
        assert page.locator("#current article.turn").count() == 0 and page.locator(".toast-body").count() == 0
        shot(page, "web-store-down.png")
        r = httpx.post(f"{app.url}api/ask", json={"question": question}, timeout=30)
        assert r.status_code == 503 and r.json() == {"error": STORE_DOWN}
        chroma.start(request)                                                      # the server comes back
        page.press("#question textarea", "Enter")
        page.wait_for_selector("#ans-2 .answer[aria-busy='false']", timeout=30_000)
        assert page.locator("#q-2").inner_text() == question
        assert httpx.post(f"{app.url}api/ask", json={"question": question}, timeout=30).status_code == 200
        assert rec.foreign() == [] and rec.errors == []
    finally:
        context.close()
