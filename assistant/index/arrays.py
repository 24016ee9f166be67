"""The build's arrays and statistics on disk, written once by the build and memory-mapped on open.

    chunk_vectors.npy      (n_chunks, dim) float32, rows align with chunks.jsonl
    sentence_vectors.npy   (n_sentences, dim) float32, every passage's sentences in order
    sentence_counts.npy    (n_chunks,) sentences per passage
    text_keys.npy          (n_chunks + n_sentences,) hash of each embedded text: the reuse cache
    idf.json               {stem: IDF over the passages} for the answer stage
    words.json             the passages' distinct words, sorted: the spell-checker's vocabulary
    chunks.marshal         the passages as plain tuples: read in ~60% of the time chunks.jsonl takes

Memory-mapping means opening costs almost nothing and a serving process reads only the
rows it touches (the sentences of the passages it scores); the OS shares the pages between
processes on one machine. Storing IDF means no process re-tokenises the corpus to open it.
This module writes them; `files.py` reads them, checked (and format 1's vectors.npz too).
"""

from __future__ import annotations

import json
import marshal
import math
from collections import Counter
from pathlib import Path

import numpy as np

from ..text import tokenize, words

FORMAT = 3   # 1: vectors.npz (deduplicated, loaded whole), IDF recomputed on open; 2: no words.json
VECTOR_FILES = ("chunk_vectors.npy", "sentence_vectors.npy")
KEY_BYTES = 24   # text_key's hex digits


def passage_idf(chunks) -> dict[str, float]:
    """IDF of every stem over the passages' own text: log(1 + (n - df + 0.5) / (df + 0.5)).

    >>> from ..types import Chunk
    >>> idf = passage_idf([Chunk("a", "d", "care boards", 0, 11, "", "s"), Chunk("b", "d", "care homes", 0, 10, "", "s")])
    >>> idf["board"] > idf["care"]
    True
    """
    df = Counter(t for c in chunks for t in set(tokenize(c.text)))
    n = max(1, len(chunks))
    return {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}


def passage_words(chunks) -> list[str]:
    """The distinct words of the passages, sorted: the spell-checker's vocabulary.

    >>> from ..types import Chunk
    >>> passage_words([Chunk("a", "d", "Care boards' care", 0, 17, "", "s")])
    ['boards', 'care']
    """
    return sorted({w for c in chunks for w in words(c.text)})


def save(folder: Path, chunks, vectors: np.ndarray, keys: list[str]) -> None:
    """`vectors` and `keys`: every passage's row, then every sentence's, in passage order."""
    n = len(chunks)
    np.save(folder / "chunk_vectors.npy", np.ascontiguousarray(vectors[:n], dtype=np.float32))
    np.save(folder / "sentence_vectors.npy", np.ascontiguousarray(vectors[n:], dtype=np.float32))
    np.save(folder / "sentence_counts.npy", np.array([len(c.sentences) for c in chunks], dtype=np.int64))
    np.save(folder / "text_keys.npy", np.array(keys, dtype=f"S{KEY_BYTES}"))
    (folder / "idf.json").write_text(json.dumps(passage_idf(chunks), ensure_ascii=False), encoding="utf-8")
    # stored, like IDF: listing the words of 50,000 passages took ~2 s of every start
    (folder / "words.json").write_text(json.dumps(passage_words(chunks), ensure_ascii=False), encoding="utf-8")


def save_chunks(folder: Path, chunks) -> None:
    rows = tuple((c.id, c.doc_id, c.text, c.start, c.end, c.section, c.speaker, c.page, c.sentences) for c in chunks)
    (folder / "chunks.marshal").write_bytes(marshal.dumps(rows))


def cached_vectors(folder: Path) -> dict[str, np.ndarray]:
    """Vectors of a finished build keyed by text hash (either format), for reuse by the next build."""
    if (folder / "text_keys.npy").is_file():
        keys = [k.decode() for k in np.load(folder / "text_keys.npy").tolist()]
        # mapped, not read and concatenated: only the rows the next build reuses are read
        chunk, sentence = (np.asarray(np.load(folder / name, mmap_mode="r")) for name in VECTOR_FILES)
        return dict(zip(keys, [*chunk, *sentence]))
    z = np.load(folder / "vectors.npz")     # format 1
    return dict(zip(z["keys"].tolist(), z["vectors"]))
