"""End to end with the real model: the White Paper entry fetched from a local server (a generated
PDF stands in for it), indexed incrementally, and an answer that cites the right page."""

from __future__ import annotations

import shutil
from pathlib import Path

import ingest_fixtures as fx
import pytest

from assistant.ingest.operations import fetch_documents
from assistant import open_assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_fetched_white_paper_answer_cites_page(tmp_path, server, real_settings, real_embedder):
    base, www = server
    (www / "integration-and-innovation.pdf").write_bytes(fx.white_paper_pdf(pages=6))
    corpus_dir, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(ROOT / "corpus", corpus_dir)
    shutil.copytree(real_settings.index_dir, index_dir, ignore=shutil.ignore_patterns("data"))   # its vectors are the cache
    url = f"{base}/integration-and-innovation.pdf"
    fx.set_url(corpus_dir, "white-paper", url)
    settings = Settings.from_env(env={}, corpus_dir=corpus_dir, index_dir=index_dir, data_dir=tmp_path / "data",
                                 embedder="minilm")

    report = fetch_documents(settings, embedder=real_embedder)
    assert report.changed == ("white-paper: fetched (pdf, 6 pages, headings: outline)",) and not report.failed
    new = [c for c in fx.live_chunks(settings) if c["doc_id"] == "white-paper"]
    assert report.build.embedded <= len(new) + sum(len(c["sentences"]) for c in new)   # only the new document

    answer = open_assistant(settings, real_embedder).ask(
        "By when must integrated care boards publish a lighthouse plan for coastal communities?")
    assert answer.behaviour == "answer", answer.text
    cites = [c.to_dict() for c in answer.citations if c.document.id == "white-paper"]
    assert cites, answer.text
    assert cites[0]["page"] == 3 and cites[0]["url"] == url + "#page=3"
    assert cites[0]["speaker_id"] == "dhsc_white_paper"
    assert cites[0]["quote"] == "3.2 " + fx.PAGE3_SENTENCE      # verbatim, with the paragraph number
    assert cites[0]["section"] == "Reducing bureaucracy › Section 3.2: what this means for people"
