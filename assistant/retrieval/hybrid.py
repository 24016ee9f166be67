"""Hybrid retrieval: dense (Chroma) + BM25 + best-sentence cosine, fused by weighted reciprocal rank, with filters.

Cost stays nearly flat as the corpus grows: BM25 keeps only its top rows (a partial sort),
filters are precomputed row sets, a filtered dense search is an exact cosine over the allowed
rows (Chroma's metadata filter grows with the corpus), and sentences are scored only inside
a candidate pool — the passages within the top `sentence_pool` of the dense or BM25 list —
rather than every sentence of the corpus. When the corpus (or the filtered part of it) has no
more than `sentence_pool` passages, the dense list holds all of them and the result is exact.
"""

from __future__ import annotations

import time

import numpy as np

from ..types import Filters, Hit

FILTER_CACHE = 64     # distinct filters whose allowed rows are kept
SENTENCE_POOL = 200   # passages from the top of the dense and BM25 lists whose sentences are scored


def _codes(values: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Each value as a small integer, and the integer of each distinct value."""
    table: dict[str, int] = {}
    return np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int32), table


class FilterIndex:
    """Which rows a `Filters` allows, computed with array operations and cached per filter."""

    def __init__(self, chunks, doc_kinds: dict[str, str], speaker_kinds: dict[str, str]):
        self.n = len(chunks)
        self._columns = {
            "kinds": _codes([doc_kinds[c.doc_id] for c in chunks]),
            "speakers": _codes([c.speaker for c in chunks]),
            "doc_ids": _codes([c.doc_id for c in chunks]),
            "speaker_kinds": _codes([speaker_kinds[c.speaker] for c in chunks]),
        }
        self._cache: dict[Filters, tuple[np.ndarray, np.ndarray]] = {}

    def _compute(self, f: Filters) -> np.ndarray:
        ok = np.ones(self.n, dtype=bool)
        for name, (codes, table) in self._columns.items():
            wanted = getattr(f, name)
            if wanted:
                ok &= np.isin(codes, [table[v] for v in wanted if v in table])
        return ok

    def _get(self, f: Filters) -> tuple[np.ndarray, np.ndarray]:
        if f not in self._cache:
            if len(self._cache) >= FILTER_CACHE:
                self._cache.pop(next(iter(self._cache)))
            mask = self._compute(f)
            self._cache[f] = (mask, np.flatnonzero(mask))
        return self._cache[f]

    def mask(self, f: Filters) -> np.ndarray:
        """Boolean mask over rows (all True for empty filters).

        >>> from types import SimpleNamespace as C
        >>> fi = FilterIndex([C(doc_id="a", speaker="x"), C(doc_id="b", speaker="y")], {"a": "news", "b": "nhs"}, {"x": "nhs", "y": "nhs"})
        >>> fi.mask(Filters(kinds=("nhs",))).tolist(), fi.rows(Filters(speakers=("x", "z"))).tolist()
        ([False, True], [0])
        """
        return self._get(f)[0]

    def rows(self, f: Filters) -> np.ndarray:
        """Allowed row numbers, ascending."""
        return self._get(f)[1]


def top_rows(scores: np.ndarray, k: int, floor: float = 0.0) -> np.ndarray:
    """Positions of the k highest scores above `floor`, best first, ties by position (as a stable sort would).

    A partial sort: linear in len(scores) instead of n log n.

    >>> top_rows(np.array([0.5, 2.0, 0.0, 2.0, 1.0]), 3).tolist()
    [1, 3, 4]
    """
    above = np.flatnonzero(scores > floor)
    if k <= 0 or not len(above):
        return above[:0]
    if len(above) > k:
        kth = np.partition(scores[above], len(above) - k)[len(above) - k]
        above = above[scores[above] >= kth]          # every tie of the k-th score, resolved by position below
    return above[np.lexsort((above, -scores[above]))][:k]


def following(chunks) -> dict[str, str]:
    """Each passage's id -> the id of the next passage of its document (a document's last has none).

    >>> from types import SimpleNamespace as C
    >>> following([C(id="b", doc_id="d", start=9), C(id="x", doc_id="e", start=0), C(id="a", doc_id="d", start=0)])
    {'a': 'b'}
    """
    by_doc: dict[str, list] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    out: dict[str, str] = {}
    for cs in by_doc.values():
        cs = sorted(cs, key=lambda c: c.start)
        out.update((a.id, b.id) for a, b in zip(cs, cs[1:]))
    return out


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
                 sentence_weight: float = 1.0, sentence_pool: int = SENTENCE_POOL):
        self.index = index
        self.doc_kinds, self.speaker_kinds = doc_kinds, speaker_kinds
        self.by_id = {c.id: c for c in index.chunks}
        self.row = {c.id: i for i, c in enumerate(index.chunks)}
        self.following = following(index.chunks)
        self.filters = FilterIndex(index.chunks, doc_kinds, speaker_kinds)
        self.candidates, self.rrf_k, self.sentence_pool = candidates, rrf_k, sentence_pool
        self.dense_weight, self.lexical_weight, self.sentence_weight = dense_weight, lexical_weight, sentence_weight

    def dense(self, qvec: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        if not filters:
            return self.index.store.query(qvec, k)
        rows = self.filters.rows(filters)
        vectors = self.index.chunk_vectors
        # a broad filter: one sequential pass over every row beats gathering most of them
        sims = np.asarray((vectors @ qvec)[rows] if 4 * len(rows) > len(vectors) else vectors[rows] @ qvec,
                          dtype=np.float32)
        chunks = self.index.chunks
        return [(chunks[rows[i]].id, float(sims[i])) for i in top_rows(sims, k, floor=-np.inf)]

    def lexical(self, query: str, k: int, filters: Filters = Filters()) -> list[tuple[str, float]]:
        scores = self.index.lexical.scores(query)
        if filters:
            scores = np.where(self.filters.mask(filters), scores, 0.0)
        ids = self.index.lexical.ids
        return [(ids[i], float(scores[i])) for i in top_rows(scores, k)]

    def sentence_dense(self, qvec: np.ndarray, k: int, filters: Filters = Filters(),
                       pool: list[str] | None = None) -> list[tuple[str, float]]:
        """Passages ranked by their best sentence's cosine: a short fact inside a long passage
        is found even when the passage as a whole is about something broader. Only the
        sentences of `pool` (chunk ids; default: every allowed passage) are scored."""
        ix = self.index
        if not len(ix.sentence_vectors):
            return []
        if pool is None:
            rows = self.filters.rows(filters) if filters else np.arange(len(ix.chunks))
        else:
            rows = np.array(sorted(self.row[c] for c in set(pool)), dtype=np.int64)
        counts = np.diff(ix.sentence_offsets)[rows]
        rows, counts = rows[counts > 0], counts[counts > 0]
        if not len(rows):
            return []
        starts = ix.sentence_offsets[rows]
        seg = np.concatenate([[0], np.cumsum(counts)[:-1]])
        sentence_rows = np.repeat(starts - seg, counts) + np.arange(int(counts.sum()))
        sims = np.asarray(ix.sentence_vectors[sentence_rows] @ qvec, dtype=np.float32)
        best = np.maximum.reduceat(sims, seg)
        return [(ix.chunks[rows[i]].id, float(best[i])) for i in top_rows(best, k, floor=-np.inf)]

    def search(self, query: str, qvec: np.ndarray, k: int = 5, filters: Filters = Filters(),
               timings: dict | None = None) -> list[Hit]:
        """Top-k fused hits. `timings` (if given) receives dense/lexical/fuse milliseconds
        (lexical includes the sentence scoring)."""
        depth = max(self.candidates, self.sentence_pool)
        t0 = time.perf_counter()
        dense = self.dense(qvec, depth, filters)
        t1 = time.perf_counter()
        lex = self.lexical(query, depth, filters)
        sent = self.sentence_dense(qvec, self.candidates, filters, pool=[i for i, _ in dense] + [i for i, _ in lex])
        dense, lex = dense[:self.candidates], lex[:self.candidates]
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
