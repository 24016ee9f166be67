"""BM25 over passages with bm25s, persisted beside the vectors; tokenised with `assistant.text`."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

from ..text import tokenize


class LexicalIndex:
    """BM25 over passages (ids in the same order as given to `build`).

    >>> ix = LexicalIndex.build(["a", "b"], ["integrated care boards", "local councils"])
    >>> [round(float(s), 3) > 0 for s in ix.scores("care boards")]
    [True, False]
    """

    def __init__(self, bm25, ids: list[str]):
        self._bm25 = bm25
        self.ids = ids
        self._vocab = bm25.vocab_dict
        # one question searches several times with the same query (each side of a comparison, each named
        # voice): the scores over every passage are computed once
        self._scores = lru_cache(maxsize=16)(self._compute_scores)

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "LexicalIndex":
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        bm25.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(bm25, list(ids))

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        (Path(folder) / "ids.json").write_text(json.dumps(self.ids))

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        bm25 = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        return cls(bm25, json.loads((Path(folder) / "ids.json").read_text()))

    def problems(self, expected_ids: list[str]) -> list[str]:
        """What is wrong with this index for these passages ([] when it is sound).

        An empty vocabulary loads without error but makes every query score zero, so answers
        would silently lose lexical search; a truncated file can load as a shorter array.
        """
        s = self._bm25.scores
        data, indices, indptr = (np.asarray(s.get(k, ())) for k in ("data", "indices", "indptr"))
        if self.ids != list(expected_ids):
            return [f"its passage ids ({len(self.ids)}) differ from chunks.jsonl ({len(expected_ids)})"]
        if not expected_ids:
            return []
        if int(s.get("num_docs", -1)) != len(expected_ids):
            return [f"it counts {s.get('num_docs')} passages, not {len(expected_ids)}"]
        if not self.vocabulary():
            return ["its vocabulary is empty (every query would score zero)"]
        if not len(indptr) or len(data) != len(indices) or len(data) != int(indptr[-1]) \
                or max(self._vocab.values()) >= len(indptr) or (len(indices) and int(indices.max()) >= len(expected_ids)):
            return ["its arrays do not fit together (truncated or mixed files)"]
        return []

    def vocabulary(self) -> frozenset[str]:
        return frozenset(t for t in self._vocab if t)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for `query` (zeros when no query term is indexed); read-only."""
        return self._scores(query)

    def _compute_scores(self, query: str) -> np.ndarray:
        toks = [t for t in tokenize(query) if t in self._vocab]
        out = (np.zeros(len(self.ids), dtype=np.float32) if not toks
               else np.asarray(self._bm25.get_scores(toks), dtype=np.float32))
        out.flags.writeable = False   # shared by every caller of the cache
        return out
