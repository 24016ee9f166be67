"""Hybrid retrieval: dense (Chroma) + BM25 + best-sentence cosine, fused by weighted reciprocal rank, with filters."""

from __future__ import annotations

import time

import numpy as np

from ..types import Filters, Hit


def allowed_mask(chunks, doc_kinds: dict[str, str], speaker_kinds: dict[str, str], f: Filters) -> np.ndarray:
    return np.array([
        (not f.kinds or doc_kinds[c.doc_id] in f.kinds)
        and (not f.speakers or c.speaker in f.speakers)
        and (not f.doc_ids or c.doc_id in f.doc_ids)
        and (not f.speaker_kinds or speaker_kinds[c.speaker] in f.speaker_kinds)
        for c in chunks
    ], dtype=bool)


def rrf(rankings: list[tuple[list[str], float]], k: int = 60) -> list[tuple[str, float]]:
    """Weighted reciprocal-rank fusion of several ranked id lists; best first."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, cid in enumerate(ids, start=1):
            scores[cid] = scores.get(cid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class HybridRetriever:
    """Ranks passages of a loaded index for a query vector and text."""

    def __init__(self, index, doc_kinds: dict[str, str], speaker_kinds: dict[str, str], *,
                 candidates: int = 20, rrf_k: int = 60, dense_weight: float = 1.0, lexical_weight: float = 1.0,
                 sentence_weight: float = 1.0):
        self.index = index
        self.doc_kinds, self.speaker_kinds = doc_kinds, speaker_kinds
        self.by_id = {c.id: c for c in index.chunks}
        self.row = {c.id: i for i, c in enumerate(index.chunks)}
        self.candidates, self.rrf_k = candidates, rrf_k
        self.dense_weight, self.lexical_weight, self.sentence_weight = dense_weight, lexical_weight, sentence_weight

    def dense(self, qvec: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        return self.index.store.query(qvec, k, where=filters.where())

    def lexical(self, query: str, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        scores = self.index.lexical.scores(query)
        if filters:
            scores = np.where(allowed_mask(self.index.chunks, self.doc_kinds, self.speaker_kinds, filters), scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:k]
        ids = self.index.lexical.ids
        return [(ids[i], float(scores[i])) for i in order if scores[i] > 0]

    def sentence_dense(self, qvec: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        """Passages ranked by their best sentence's cosine: a short fact inside a long passage
        is found even when the passage as a whole is about something broader."""
        ix = self.index
        if not len(ix.sentence_vectors):
            return []
        sims = ix.sentence_vectors @ qvec
        best = np.full(len(ix.chunks), -1.0, dtype=np.float32)
        np.maximum.at(best, ix.sentence_owner, sims)
        if filters:
            best = np.where(allowed_mask(ix.chunks, self.doc_kinds, self.speaker_kinds, filters), best, -1.0)
        order = np.argsort(-best, kind="stable")[:k]
        return [(ix.chunks[i].id, float(best[i])) for i in order if best[i] > -1.0]

    def search(self, query: str, qvec: np.ndarray, k: int = 5, filters: Filters = Filters(),
               timings: dict | None = None) -> list[Hit]:
        """Top-k fused hits. `timings` (if given) receives dense/lexical/fuse milliseconds."""
        t0 = time.perf_counter()
        dense = self.dense(qvec, self.candidates, filters)
        t1 = time.perf_counter()
        lex = self.lexical(query, self.candidates, filters)
        sent = self.sentence_dense(qvec, self.candidates, filters)
        t2 = time.perf_counter()
        fused = rrf([([i for i, _ in dense], self.dense_weight), ([i for i, _ in lex], self.lexical_weight),
                     ([i for i, _ in sent], self.sentence_weight)], self.rrf_k)
        d_rank = {cid: (r, s) for r, (cid, s) in enumerate(dense, 1)}
        l_rank = {cid: (r, s) for r, (cid, s) in enumerate(lex, 1)}
        hits = []
        for rank, (cid, score) in enumerate(fused[:k], 1):
            dr, ds = d_rank.get(cid, (None, None))
            lr, ls = l_rank.get(cid, (None, None))
            if ds is None:  # lexical-only hit: its cosine is one dot product away
                ds = float(self.index.chunk_vectors[self.row[cid]] @ qvec)
            hits.append(Hit(self.by_id[cid], score, rank, dr, lr, ds, ls))
        if timings is not None:
            timings["dense"] = (t1 - t0) * 1000
            timings["lexical"] = (t2 - t1) * 1000
            timings["fuse"] = (time.perf_counter() - t2) * 1000
        return hits
