"""Reading one index build's files, checked: every way a file can be missing, cut short or
mismatched becomes an `IndexCorruptError` that names the file and the fix.

Serving (`open_index`) and `hcb index status` read builds through here, so status reports
exactly what serving would hit. Status also reads what serving skips for speed (`scan=True`:
every vector's value, the text hashes, chunks.jsonl beside its fast copy).

Three formats (arrays.py): 3, memory-mapped .npy files with stored IDF and words; 2, the same without
words.json; 1, one vectors.npz loaded whole, IDF and words computed on open. An older build still
serves (it is stale: a rebuild reuses its vectors).
"""

from __future__ import annotations

import json
import marshal
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..errors import IndexCorruptError
from ..types import Chunk
from .arrays import FORMAT, KEY_BYTES, VECTOR_FILES, passage_idf, passage_words
from .lexical import LexicalIndex

FIX = "run: hcb index build"
VECTOR_ARRAYS = ("keys", "vectors", "chunk_rows", "sentence_rows", "sentence_counts")   # format 1's vectors.npz
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
SCAN_ROWS = 65_536   # vectors checked per step of a scan: bounded memory at any corpus size


@dataclass(frozen=True)
class BuildFiles:
    chunks: tuple[Chunk, ...]
    chunk_vectors: np.ndarray      # (n_chunks, dim); format 2: a read-only view of a memory mapping
    sentence_vectors: np.ndarray   # (n_sentences, dim); likewise
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


def format_of(m: dict) -> int:
    return m.get("format", 1)


def read_chunks(folder: Path, m: dict) -> tuple[Chunk, ...]:
    """The passages: the build's marshal copy when it is whole (fast), else chunks.jsonl, checked."""
    fast = fast_chunks(folder)
    if fast is not None and len(fast) == m["chunks"]:
        return fast
    return read_chunks_json(folder, m)


def fast_chunks(folder: Path) -> tuple[Chunk, ...] | None:
    """The passages from chunks.marshal (format 2), or None when it is missing or unreadable.

    marshal, not pickle: it builds only plain values (tuples, strings, numbers), and the file is one
    the build wrote; a file from another Python version that cannot be read falls back to the JSON.
    """
    try:
        rows = marshal.loads((folder / "chunks.marshal").read_bytes())
        return tuple(Chunk(*row) for row in rows)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def check_fast_chunks(folder: Path, m: dict, chunks: tuple[Chunk, ...]) -> None:
    """Format 2's chunks.marshal must hold exactly the passages of chunks.jsonl."""
    if format_of(m) < 2:
        return
    fast = fast_chunks(folder)
    if fast is None:
        what = "is missing" if not (folder / "chunks.marshal").is_file() else "cannot be read"
        raise _damaged(folder, f"chunks.marshal {what}")
    if fast != chunks:
        raise _damaged(folder, "chunks.marshal and chunks.jsonl disagree")


def read_chunks_json(folder: Path, m: dict) -> tuple[Chunk, ...]:
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


def read_vectors(folder: Path, m: dict, chunks: tuple[Chunk, ...], *, scan: bool = False) -> BuildFiles:
    """The build's passage and sentence vectors, checked against its manifest and passages.

    Format 2 maps the .npy files (a serving process reads only the rows it touches); `scan` also
    reads every vector (finite, unit length) and the text hashes: what `hcb index status` does.
    """
    if 2 <= format_of(m) <= FORMAT:
        return _read_arrays(folder, m, chunks, scan)
    if format_of(m) != 1:
        raise IndexCorruptError(f"index build {folder.name} is in format {format_of(m)!r}, "
                                f"which this version cannot read (it writes format {FORMAT}): {FIX}")
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


def _npy(folder: Path, name: str, mmap: bool) -> np.ndarray:
    try:
        return np.load(folder / name, mmap_mode="r" if mmap else None, allow_pickle=False)
    except FileNotFoundError:
        raise _damaged(folder, f"{name} is missing") from None
    except Exception as e:  # a cut-short file: ValueError (header, or mmap past the end), EOFError, OSError
        raise _damaged(folder, f"{name} cannot be read ({type(e).__name__})") from None


def _scan(folder: Path, name: str, vectors: np.ndarray) -> None:
    """Every row finite and of unit length (embedders return unit vectors; a zero row is an empty text)."""
    for i in range(0, len(vectors), SCAN_ROWS):
        block = np.asarray(vectors[i:i + SCAN_ROWS], dtype=np.float64)
        norms = np.einsum("ij,ij->i", block, block)
        bad = ~np.isfinite(norms) | ((np.abs(norms - 1.0) > 2e-3) & (norms != 0.0))
        if bad.any():
            raise _damaged(folder, f"{name} row {i + int(np.flatnonzero(bad)[0])} is not a unit vector "
                                   f"({int(bad.sum())} such rows from row {i}): the file is corrupt")


def _read_arrays(folder: Path, m: dict, chunks: tuple[Chunk, ...], scan: bool) -> BuildFiles:
    dim, n_sent = m["dim"], m["sentences"]
    counts = _npy(folder, "sentence_counts.npy", mmap=False)
    if counts.shape != (len(chunks),) or counts.dtype.kind not in "iu" or (len(counts) and counts.min() < 0):
        raise _damaged(folder, f"sentence_counts.npy holds {counts.dtype} of shape {counts.shape}, "
                               f"not one count for each of {len(chunks)} passages")
    if int(counts.sum()) != n_sent:
        raise _damaged(folder, f"sentence_counts.npy counts {int(counts.sum())} sentences, the manifest says {n_sent}")
    if any(len(c.sentences) != k for c, k in zip(chunks, counts.tolist())):
        raise _damaged(folder, "sentence_counts.npy and the passages disagree on sentences per passage")
    vectors = []
    for name, rows in zip(VECTOR_FILES, (len(chunks), n_sent)):
        # np.memmap cannot map zero bytes; plain read-only views, since np.memmap's own indexing costs ~5 µs a slice
        v = np.asarray(_npy(folder, name, mmap=rows > 0))
        if v.shape != (rows, dim) or v.dtype != np.float32:
            raise _damaged(folder, f"{name} holds {v.dtype} of shape {v.shape}, not float32 of shape ({rows}, {dim})")
        if scan:
            _scan(folder, name, v)
        vectors.append(v if rows else np.zeros((0, dim), np.float32))
    if scan:
        keys = _npy(folder, "text_keys.npy", mmap=False)
        if keys.shape != (len(chunks) + n_sent,) or keys.dtype != np.dtype(f"S{KEY_BYTES}"):
            raise _damaged(folder, f"text_keys.npy holds {keys.dtype} of shape {keys.shape}, "
                                   f"not one text hash for each of {len(chunks) + n_sent} vectors")
        if not np.isin(keys.view(np.uint8), HEX).all():
            raise _damaged(folder, "text_keys.npy holds bytes that are not hexadecimal text hashes: the file is corrupt")
    return BuildFiles(chunks, vectors[0], vectors[1], counts)


def read_idf(folder: Path, m: dict, chunks: tuple[Chunk, ...]) -> dict[str, float]:
    """IDF of each stem over the passages (the answer stage's term weights): format 2 stores it in idf.json."""
    if format_of(m) < 2:
        return passage_idf(chunks)
    try:
        idf = json.loads((folder / "idf.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _damaged(folder, "idf.json is missing") from None
    except (OSError, ValueError) as e:   # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise _damaged(folder, f"idf.json cannot be read ({type(e).__name__})") from None
    if not isinstance(idf, dict) or not all(isinstance(v, (int, float)) and math.isfinite(v) and v > 0
                                            for v in idf.values()):
        raise _damaged(folder, "idf.json is not a table of stems and positive weights")
    if chunks and not idf:
        raise _damaged(folder, "idf.json is empty")
    return idf


def read_words(folder: Path, m: dict, chunks: tuple[Chunk, ...]) -> tuple[str, ...]:
    """The passages' distinct words (the spell-checker's vocabulary): format 3 stores them in words.json."""
    if format_of(m) < 3:
        return tuple(passage_words(chunks))
    try:
        got = json.loads((folder / "words.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _damaged(folder, "words.json is missing") from None
    except (OSError, ValueError) as e:
        raise _damaged(folder, f"words.json cannot be read ({type(e).__name__})") from None
    if not isinstance(got, list) or not all(isinstance(w, str) and w for w in got):
        raise _damaged(folder, "words.json must hold only non-empty strings")
    if chunks and not got:
        raise _damaged(folder, "words.json is empty")
    return tuple(got)
