"""Reading one index build's files, checked: every way a file can be missing, cut short or
mismatched becomes an `IndexCorruptError` that names the file and the fix.

Serving (`open_index`) and `hcb index status` read builds through here, so status reports
exactly what serving would hit.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..errors import IndexCorruptError
from ..types import Chunk
from .lexical import LexicalIndex

FIX = "run: hcb index build"
VECTOR_ARRAYS = ("keys", "vectors", "chunk_rows", "sentence_rows", "sentence_counts")


@dataclass(frozen=True)
class BuildFiles:
    chunks: tuple[Chunk, ...]
    chunk_vectors: np.ndarray      # (n_chunks, dim)
    sentence_vectors: np.ndarray   # (n_sentences, dim)
    sentence_counts: np.ndarray    # (n_chunks,)


def current_id(index_dir: Path) -> str | None:
    p = Path(index_dir) / "CURRENT"
    return p.read_text().strip() or None if p.is_file() else None


def read_manifest(folder: Path) -> dict:
    try:
        m = json.loads((folder / "manifest.json").read_text())
    except FileNotFoundError:
        raise IndexCorruptError(f"index build {folder.name} is incomplete (no manifest.json): {FIX}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IndexCorruptError(f"index manifest in {folder} is corrupt: {FIX}") from None
    if not isinstance(m, dict) or not all(k in m for k in ("build_id", "chunks", "sentences", "dim", "chroma")):
        raise IndexCorruptError(f"index manifest in {folder} lacks required fields: {FIX}")
    return m


def chunk_to_json(c: Chunk) -> str:
    d = asdict(c)
    d["sentences"] = [list(s) for s in c.sentences]
    return json.dumps(d, ensure_ascii=False)


def chunk_from_json(line: str) -> Chunk:
    d = json.loads(line)
    d["sentences"] = tuple(tuple(s) for s in d["sentences"])
    return Chunk(**d)


def _damaged(folder: Path, what: str) -> IndexCorruptError:
    return IndexCorruptError(f"index build {folder.name} is damaged: {what}: {FIX}")


def read_chunks(folder: Path, m: dict) -> tuple[Chunk, ...]:
    path = folder / "chunks.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise _damaged(folder, "chunks.jsonl is missing") from None
    except (OSError, UnicodeDecodeError) as e:
        raise _damaged(folder, f"chunks.jsonl cannot be read ({type(e).__name__})") from None
    chunks = []
    for n, line in enumerate(lines, 1):
        try:
            chunks.append(chunk_from_json(line))
        except (ValueError, TypeError, KeyError):
            raise _damaged(folder, f"chunks.jsonl line {n} is not a passage record") from None
    if len(chunks) != m["chunks"]:
        raise _damaged(folder, f"chunks.jsonl holds {len(chunks)} passages, its manifest says {m['chunks']}")
    return tuple(chunks)


def read_vectors(folder: Path, m: dict, chunks: tuple[Chunk, ...]) -> BuildFiles:
    try:
        with np.load(folder / "vectors.npz") as z:
            missing = [k for k in VECTOR_ARRAYS if k not in z.files]
            if missing:
                raise _damaged(folder, f"vectors.npz lacks {', '.join(missing)}")
            vecs, chunk_rows, sent_rows, counts = (z[k] for k in VECTOR_ARRAYS[1:])
    except FileNotFoundError:
        raise _damaged(folder, "vectors.npz is missing") from None
    except IndexCorruptError:
        raise
    except Exception as e:  # a cut-short zip or array raises zipfile, ValueError, EOFError, OSError, ...
        raise _damaged(folder, f"vectors.npz cannot be read ({type(e).__name__})") from None
    dim, n_sent = m["dim"], m["sentences"]
    if vecs.ndim != 2 or vecs.shape[1] != dim or not np.isfinite(vecs).all():
        raise _damaged(folder, f"vectors.npz holds vectors of shape {vecs.shape}, not (N, {dim}) finite numbers")
    if len(chunk_rows) != len(chunks) or len(counts) != len(chunks) or len(sent_rows) != n_sent or int(counts.sum()) != n_sent:
        raise _damaged(folder, f"vectors.npz has {len(chunk_rows)} passage and {len(sent_rows)} sentence rows, "
                               f"the manifest says {len(chunks)} and {n_sent}")
    rows = np.concatenate([chunk_rows, sent_rows]).astype(np.int64)
    if len(rows) and (rows.min() < 0 or rows.max() >= len(vecs)):
        raise _damaged(folder, "vectors.npz points at vectors it does not hold")
    if any(len(c.sentences) != k for c, k in zip(chunks, counts.tolist())):
        raise _damaged(folder, "vectors.npz and chunks.jsonl disagree on sentences per passage")
    empty = np.zeros((0, dim), np.float32)
    return BuildFiles(chunks, vecs[chunk_rows] if len(chunks) else empty, vecs[sent_rows] if n_sent else empty, counts)


def read_lexical(folder: Path, chunks: tuple[Chunk, ...]) -> LexicalIndex:
    if not (folder / "bm25").is_dir():
        raise _damaged(folder, "the BM25 index (bm25/) is missing")
    try:
        lexical = LexicalIndex.load(folder / "bm25")
    except Exception as e:  # bm25s raises whatever numpy/json raise on a cut-short file
        raise _damaged(folder, f"the BM25 index cannot be read ({type(e).__name__})") from None
    problems = lexical.problems([c.id for c in chunks])
    if problems:
        raise _damaged(folder, f"the BM25 index is unusable: {problems[0]}")
    return lexical
