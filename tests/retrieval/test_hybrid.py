"""Hybrid retrieval: reciprocal-rank fusion, filters (Chroma `where` and BM25 mask agree), LangChain adapter."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from assistant.retrieval.hybrid import HybridRetriever, rrf
from assistant.types import Filters
from assistant.types import Chunk

QUERY = "What will Integrated Care Boards do for local authorities?"


# ---------------------------------------------------------------- rrf

def test_rrf_orders_by_summed_reciprocal_ranks():
    fused = rrf([(["a", "b", "c"], 1.0), (["b", "c", "d"], 1.0)], k=60)
    assert [i for i, _ in fused] == ["b", "c", "a", "d"]
    scores = dict(fused)
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 62)
    assert scores["a"] == pytest.approx(1 / 61)
    assert scores["d"] == pytest.approx(1 / 63)


def test_rrf_weights_ties_and_empty_lists():
    # a heavier second list lifts its top item above the first list's
    assert [i for i, _ in rrf([(["a", "b"], 1.0), (["b", "a"], 3.0)], k=60)] == ["b", "a"]
    # equal scores are broken by id, so results are deterministic
    assert rrf([(["y"], 1.0), (["x"], 1.0)], k=10) == [("x", 1 / 11), ("y", 1 / 11)]
    assert rrf([([], 1.0), ([], 1.0)]) == []
    assert rrf([(["a"], 1.0)], k=0) == [("a", 1.0)]


# ---------------------------------------------------------------- Filters

def test_filters_where_shapes():
    assert Filters().where() is None and not Filters()
    assert Filters(kinds=("campaign",)).where() == {"kind": {"$in": ["campaign"]}}
    assert Filters(speakers=("lga", "dhsc")).where() == {"speaker": {"$in": ["lga", "dhsc"]}}
    both = Filters(kinds=("news",), doc_ids=("pulse-petition",)).where()
    assert both == {"$and": [{"kind": {"$in": ["news"]}}, {"doc_id": {"$in": ["pulse-petition"]}}]}
    assert Filters(speaker_kinds=("nhs",)).where() == {"speaker_kind": {"$in": ["nhs"]}}
    assert bool(Filters(doc_ids=("petition",)))


@pytest.mark.parametrize("filters, check", [
    (Filters(kinds=("campaign",)), lambda a, c: a.docs[c.doc_id].kind == "campaign"),
    (Filters(speakers=("lga",)), lambda a, c: c.speaker == "lga"),
    (Filters(doc_ids=("govt-response",)), lambda a, c: c.doc_id == "govt-response"),
    (Filters(speaker_kinds=("nhs", "sector_body")), lambda a, c: a.corpus.speakers[c.speaker].kind in ("nhs", "sector_body")),
    (Filters(kinds=("local_government",), speakers=("white_paper",)),
     lambda a, c: a.docs[c.doc_id].kind == "local_government" and c.speaker == "white_paper"),
], ids=["kind", "speaker", "doc", "speaker_kind", "kind+speaker"])
def test_filters_restrict_every_retriever(fake_assistant, filters, check):
    a = fake_assistant
    allowed = [c for c in a.index.chunks if check(a, c)]
    assert allowed and len(allowed) < len(a.index.chunks)
    hits = a.search(QUERY, k=10, filters=filters)
    assert hits, "a filter with matching passages still returns hits"
    assert all(check(a, h.chunk) for h in hits), [(h.chunk.doc_id, h.chunk.speaker) for h in hits]
    assert len(hits) == min(10, len(allowed)), "dense search fills k from the allowed passages"
    # the Chroma `where` clause and the BM25 mask restrict the same way
    r = a.retriever
    qvec = a.embedder.embed([QUERY])[0]
    for cid, _ in r.dense(qvec, 50, filters) + r.lexical(QUERY, 50, filters):
        assert check(a, r.by_id[cid]), cid


def test_unfiltered_search_ranks_and_scores(fake_assistant):
    hits = fake_assistant.search(QUERY, k=8)
    assert [h.rank for h in hits] == list(range(1, 9))
    assert all(x.score >= y.score for x, y in zip(hits, hits[1:]))
    assert len({h.chunk.id for h in hits}) == 8
    assert all(h.dense_score is not None for h in hits)


def test_a_query_with_no_indexed_words_still_gets_dense_hits(fake_assistant):
    r = fake_assistant.retriever
    q = "zyxwvut qwertyuiop"
    assert r.lexical(q, 10) == []
    hits = fake_assistant.search(q, k=3)
    assert len(hits) == 3 and all(h.lexical_rank is None for h in hits)


# ---------------------------------------------------------------- fusion of stub retrievers

def _chunk(cid: str) -> Chunk:
    return Chunk(id=cid, doc_id="d", text=f"text {cid}", start=0, end=6, section="", speaker="s", sentences=((0, 6),))


class _Store:
    def __init__(self, ranked):
        self.ranked = ranked

    def query(self, vector, k, where=None):
        return self.ranked[:k]


class _Lexical:
    def __init__(self, ids, scores):
        self.ids, self._scores = ids, np.asarray(scores, dtype=np.float32)

    def scores(self, query):
        return self._scores


def test_dense_only_and_lexical_only_hits_both_contribute():
    ids = ["A", "B", "C", "D"]
    dim = 4
    vecs = np.eye(dim, dtype=np.float32)
    index = SimpleNamespace(
        chunks=tuple(_chunk(i) for i in ids), chunk_vectors=vecs,
        sentence_vectors=np.zeros((0, dim), np.float32), sentence_owner=np.zeros(0, np.int64),
        sentence_offsets=np.zeros(len(ids) + 1, np.int64),
        store=_Store([("A", 0.9), ("B", 0.8)]),            # dense: A, B
        lexical=_Lexical(ids, [2.0, 0.0, 5.0, 0.0]),       # BM25: C, A
    )
    r = HybridRetriever(index, {"d": "news"}, {"s": "news"}, candidates=10, rrf_k=60)
    qvec = np.array([0.0, 0.0, 0.6, 0.8], np.float32)
    hits = r.search("query", qvec, k=4)
    by = {h.chunk.id: h for h in hits}
    assert [h.chunk.id for h in hits] == ["A", "C", "B"], "D is in neither list"
    assert (by["A"].dense_rank, by["A"].lexical_rank) == (1, 2)
    assert (by["C"].dense_rank, by["C"].lexical_rank) == (None, 1)      # lexical-only
    assert (by["B"].dense_rank, by["B"].lexical_rank) == (2, None)      # dense-only
    assert by["A"].score == pytest.approx(1 / 61 + 1 / 62)
    assert by["C"].dense_score == pytest.approx(0.6), "a lexical-only hit still reports its cosine"
    assert by["B"].lexical_score is None and by["C"].lexical_score == pytest.approx(5.0)


# ---------------------------------------------------------------- LangChain

def test_langchain_retriever_returns_documents_with_metadata(fake_assistant):
    from langchain_core.documents import Document as LCDocument

    from assistant.retrieval.langchain import HcbRetriever

    retriever = HcbRetriever(assistant=fake_assistant, k=3)
    docs = retriever.invoke(QUERY)
    assert len(docs) == 3
    by_id = {c.id: c for c in fake_assistant.index.chunks}
    expected = [h.chunk.id for h in fake_assistant.search(QUERY, k=3)]
    assert [d.metadata["chunk_id"] for d in docs] == expected
    for d in docs:
        assert isinstance(d, LCDocument)
        m = d.metadata
        for key in ("doc_id", "speaker", "section", "title", "url", "chunk_id"):
            assert key in m, key
        chunk = by_id[m["chunk_id"]]
        assert d.page_content == chunk.text
        assert (m["doc_id"], m["speaker"], m["section"]) == (chunk.doc_id, chunk.speaker, chunk.section)
        assert m["title"] == fake_assistant.docs[chunk.doc_id].title
        assert m["url"] == fake_assistant.docs[chunk.doc_id].url


def test_langchain_retriever_applies_filters(fake_assistant):
    from assistant.retrieval.langchain import HcbRetriever

    docs = HcbRetriever(assistant=fake_assistant, k=4, filters=Filters(speakers=("lga",))).invoke(QUERY)
    assert docs and {d.metadata["speaker"] for d in docs} == {"lga"}
