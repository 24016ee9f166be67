"""The scale paths of hybrid retrieval give the exhaustive method's results: partial sorts, filter row
sets, exact filtered cosine, and sentence scoring restricted to a candidate pool."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval.hybrid import HybridRetriever, rrf, top_rows
from assistant.types import Filters

QUESTIONS = ["What will Integrated Care Boards do?", "How many signatures did the petition get?",
             "What does the LGA think about ICS NHS bodies?", "Who responded to the petition and when?",
             "What did Care England say?", "Why do campaigners oppose integrated care systems?"]
FILTERS = [Filters(), Filters(kinds=("government",)), Filters(speakers=("lga", "white_paper")),
           Filters(doc_ids=("bill-summary",)), Filters(speaker_kinds=("campaign",))]


def test_top_rows_is_a_stable_descending_sort_above_the_floor():
    rng = np.random.default_rng(0)
    for _ in range(200):
        s = rng.integers(-2, 4, size=rng.integers(0, 40)).astype(np.float32)   # many ties
        k = int(rng.integers(0, 12))
        assert top_rows(s, k).tolist() == [i for i in np.argsort(-s, kind="stable")[:k] if s[i] > 0]
        assert top_rows(s, k, floor=-np.inf).tolist() == np.argsort(-s, kind="stable")[:k].tolist()


def _exhaustive(a, query: str, qvec, k: int, filters: Filters):
    """The method before the scale work: every passage scored by BM25, Chroma `where` filters,
    every sentence of the corpus scored, full stable sorts."""
    ix, r = a.index, a.retriever
    allowed = np.array([
        (not filters.kinds or a.docs[c.doc_id].kind in filters.kinds)
        and (not filters.speakers or c.speaker in filters.speakers)
        and (not filters.doc_ids or c.doc_id in filters.doc_ids)
        and (not filters.speaker_kinds or a.speaker_kinds[c.speaker] in filters.speaker_kinds)
        for c in ix.chunks])
    dense = ix.store.query(qvec, r.candidates, where=filters.where())
    lex_scores = np.where(allowed, ix.lexical.scores(query), 0.0)
    lex = [(ix.chunks[i].id, lex_scores[i]) for i in np.argsort(-lex_scores, kind="stable")[:r.candidates] if lex_scores[i] > 0]
    best = np.full(len(ix.chunks), -1.0, dtype=np.float32)
    np.maximum.at(best, ix.sentence_owner, np.asarray(ix.sentence_vectors) @ qvec)
    best = np.where(allowed, best, -1.0)
    sent = [(ix.chunks[i].id, best[i]) for i in np.argsort(-best, kind="stable")[:r.candidates] if best[i] > -1.0]
    fused = rrf([([i for i, _ in dense], r.dense_weight), ([i for i, _ in lex], r.lexical_weight),
                 ([i for i, _ in sent], r.sentence_weight)], r.rrf_k)
    return [cid for cid, _ in fused[:k]]


@pytest.mark.parametrize("filters", FILTERS, ids=["none", "kind", "speakers", "doc", "speaker_kind"])
def test_search_equals_the_exhaustive_method_when_the_pool_covers_the_corpus(fake_assistant, filters):
    a = fake_assistant
    assert len(a.index.chunks) <= a.retriever.sentence_pool
    for q in QUESTIONS:
        qvec = a.embedder.embed([q])[0]
        got = [h.chunk.id for h in a.retriever.search(q, qvec, 8, filters)]
        assert got == _exhaustive(a, q, qvec, 8, filters), (q, filters)


def test_filtered_dense_is_the_exact_cosine_chroma_finds(fake_assistant):
    r = fake_assistant.retriever
    for q in QUESTIONS:
        qvec = fake_assistant.embedder.embed([q])[0]
        for f in FILTERS[1:]:
            ours = r.dense(qvec, 10, f)
            chroma = fake_assistant.index.store.query(qvec, 10, where=f.where())
            assert [i for i, _ in ours] == [i for i, _ in chroma], (q, f)
            assert [s for _, s in ours] == pytest.approx([s for _, s in chroma], abs=1e-5)


def test_a_small_pool_scores_only_the_sentences_of_its_passages(fake_assistant):
    a = fake_assistant
    small = HybridRetriever(a.index, a.retriever.doc_kinds, a.retriever.speaker_kinds, candidates=5, sentence_pool=5)
    q = QUESTIONS[0]
    qvec = a.embedder.embed([q])[0]
    pool = [i for i, _ in small.dense(qvec, 5)] + [i for i, _ in small.lexical(q, 5)]
    ranked = small.sentence_dense(qvec, 50, pool=pool)
    assert {cid for cid, _ in ranked} == set(pool)
    everything = dict(small.sentence_dense(qvec, len(a.index.chunks)))
    assert all(everything[cid] == pytest.approx(s) for cid, s in ranked), "a pooled passage keeps its best-sentence cosine"
    assert len(everything) == sum(1 for c in a.index.chunks if c.sentences)
