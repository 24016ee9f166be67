"""Lexical side of the store: tokenising and a bm25s index persisted beside the vectors.

`tokenize` is shared with the answer step so "does the evidence mention what
the question asks about" uses the same stems as BM25.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

_WORD = re.compile(r"[A-Za-z0-9]+(?:[’'][A-Za-z]+)?")
# small, explicit stop list: question words and glue; domain words stay searchable
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom whose why will with would you your yours yourself
yourselves tell say says said please give list explain describe according mean means
""".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'").split("'")[0] for w in _WORD.findall(text)]


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free stems."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


class LexicalIndex:
    """BM25 over passages (ids in the same order as given to `build`)."""

    def __init__(self, bm25, ids: list[str]):
        self._bm25 = bm25
        self.ids = ids
        self._vocab = bm25.vocab_dict

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "LexicalIndex":
        import bm25s

        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        bm25.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(bm25, list(ids))

    def save(self, folder: Path) -> None:
        import json

        self._bm25.save(str(folder), show_progress=False)
        (Path(folder) / "ids.json").write_text(json.dumps(self.ids))

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import json

        import bm25s

        bm25 = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        return cls(bm25, json.loads((Path(folder) / "ids.json").read_text()))

    def vocabulary(self) -> frozenset[str]:
        return frozenset(t for t in self._vocab if t)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for `query` (zeros when no query term is indexed)."""
        toks = [t for t in tokenize(query) if t in self._vocab]
        if not toks:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(toks), dtype=np.float32)
