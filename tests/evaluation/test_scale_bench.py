"""`hcb bench --synthetic N`: a deterministic corpus of exactly N passages, measured in fresh processes."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from assistant import HcbError, chunk_corpus, load_corpus
from assistant.evaluation.synthetic import write_synthetic_corpus

from .._support import CORPUS_DIR, HCB, ROOT


def _is_run_of(text: str, sentences: set[str]) -> bool:
    """Can `text` be cut into members of `sentences` joined by single spaces?"""
    reachable = {0}
    for p in range(len(text)):
        if p in reachable:
            reachable |= {p + len(s) + 1 for s in sentences if text.startswith(s, p)}
    return len(text) + 1 in reachable     # the last sentence ends the text (no space after it)


def test_the_synthetic_corpus_has_exactly_n_passages_of_real_sentences(tmp_path):
    source = load_corpus(CORPUS_DIR)
    real_sentences = {" ".join(s.split()) for c in chunk_corpus(source.available) for s in c.sentence_texts()}
    write_synthetic_corpus(source, tmp_path / "a", 700, source_dir=CORPUS_DIR)
    corpus = load_corpus(tmp_path / "a")
    chunks = chunk_corpus(corpus.available)
    assert len(chunks) == 700
    synthetic = [c for c in chunks if c.doc_id.startswith("synthetic-")]
    assert synthetic and all(len(c.text.split()) <= 250 for c in synthetic), "one section, one passage"
    # every synthetic passage is a run of the corpus's own sentences, with a real speaker
    for c in synthetic[:100]:
        assert c.speaker in source.speakers
        assert _is_run_of(c.text, real_sentences), c.text[:200]
    # the real documents are kept as they are
    assert {d.id for d in source.available} <= {d.id for d in corpus.available}


def test_the_synthetic_corpus_is_deterministic(tmp_path):
    source = load_corpus(CORPUS_DIR)
    for name in ("a", "b"):
        write_synthetic_corpus(source, tmp_path / name, 300, source_dir=CORPUS_DIR)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    with pytest.raises(HcbError, match="at least"):
        write_synthetic_corpus(source, tmp_path / "c", 10, source_dir=CORPUS_DIR)


@pytest.mark.slow
def test_bench_synthetic_prints_one_json_object_with_every_measure(tmp_path):
    # --code names a checkout to time (here this one): the path the "before" numbers take
    out = subprocess.run([str(HCB), "bench", "--synthetic", "300", "--rounds", "1", "--code", str(ROOT),
                          "--keep", str(tmp_path / "kept")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout)
    assert r["passages"] == 300 and r["sentences"] > 300 and r["code"] == str(ROOT)
    for key in ("open_s", "build_s", "build_embedding_s", "build_rest_s", "embedding_texts_per_s",
                "serving_peak_rss_mb", "total_p50_ms", "total_p95_ms", "lexical_p95_ms", "dense_p95_ms",
                "embed_p95_ms", "compose_p95_ms", "filtered_total_p95_ms"):
        assert isinstance(r[key], (int, float)) and r[key] >= 0, key
    assert r["asks_timed"] == r["questions"] > 0
    assert r["build_embedding_s"] <= r["build_s"] and r["serving_peak_rss_mb"] > 50
    assert (tmp_path / "kept" / "corpus" / "manifest.toml").is_file()


def test_bench_refuses_an_unknown_embedder():
    out = subprocess.run([str(HCB), "bench", "--synthetic", "300", "--embedder", "bert"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "unknown embedder 'bert'" in out.stderr


def test_a_failed_measurement_is_one_line_naming_what_to_do(tmp_path):
    (tmp_path / "assistant").mkdir()     # a "checkout" whose package cannot be imported
    (tmp_path / "assistant" / "__init__.py").write_text("raise ImportError('not a checkout of hcb')\n")
    out = subprocess.run([str(HCB), "bench", "--synthetic", "100", "--code", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode != 0
    assert out.stderr.strip().count("\n") == 0, out.stderr
    assert "the build measurement failed (ImportError: not a checkout of hcb)" in out.stderr and "--keep" in out.stderr


def test_query_cost_embedder_pays_the_model_and_answers_with_the_index_vectors():
    from assistant.evaluation.scale_worker import QueryCostEmbedder
    from assistant.index.embed import FakeEmbedder

    class CountingModel:
        name, dim, calls = "model", 384, []

        def embed(self, texts):
            self.calls.append(list(texts))
            return np.ones((len(texts), self.dim), np.float32)

    model, fake = CountingModel(), FakeEmbedder()
    e = QueryCostEmbedder(fake, model)
    assert (e.name, e.dim) == (fake.name, fake.dim)     # the index built with the fake opens with it
    got = e.embed(["what do integrated care boards do"])
    assert np.array_equal(got, fake.embed(["what do integrated care boards do"]))
    assert model.calls == [["what do integrated care boards do"]]
