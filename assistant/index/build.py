"""Building, checking and opening the index (chunks + vectors + BM25 + Chroma).

Layout under `index_dir`:

    CURRENT                 name of the live build (replaced atomically)
    builds/<id>/manifest.json   written last: a build without it is unfinished
    builds/<id>/chunks.jsonl    passages with offsets, section, speaker, page (chunks.marshal: a fast copy)
    builds/<id>/*.npy, idf.json, words.json passage and sentence vectors (memory-mapped on open), text hashes, IDF (arrays.py)
    builds/<id>/bm25/           the bm25s index
    builds/<id>/chroma/         embedded Chroma (server mode: a collection per build)

A build writes a new folder and only then swaps CURRENT, so an interrupted
build leaves the previous index serving. Vectors are reused by content hash,
so unchanged text is never embedded again. Texts are embedded sorted by length,
so a batch pads its short sentences to the length of other short sentences.
Builds hold the index's write lock (`lock.py`): one at a time, so no build ever
deletes another's folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..corpus.chunking import CHUNKER_VERSION, chunk_corpus, index_text
from ..corpus.manifest import Corpus
from ..errors import IndexCorruptError, IndexMissingError
from ..types import Chunk
from . import arrays
from .arrays import FORMAT
from .check import check_build
from .files import chunk_to_json, current_id, format_of, read_chunks, read_idf, read_lexical, read_manifest, read_vectors, read_words
from .lexical import LexicalIndex
from .lock import writer_lock
from .vectors import VectorStore

KEEP_BUILDS = 2  # the live build and the one before it (a running app may still hold it)
EMBED_BLOCK = 256  # texts per embedder call: long enough for length-sorted batches, short enough for progress


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:arrays.KEY_BYTES]   # text_keys.npy holds this many bytes


@dataclass(frozen=True)
class BuildReport:
    build_id: str
    changed: bool
    chunks: int
    sentences: int
    embedded: int          # texts embedded in this build (0 when nothing changed)
    reused: int
    seconds: float
    reason: str


@dataclass(frozen=True)
class Status:
    """`state`: fresh; stale (the corpus, the model or the index format changed; a stale build still
    serves); broken (a file of the live build is missing, damaged or mismatched: each reason names
    it and the fix); unreachable (the Chroma server is down). `hcb index status` exits with `exit_code`."""

    fresh: bool
    reasons: tuple[str, ...]
    manifest: dict | None
    state: str = "fresh"

    @property
    def exit_code(self) -> int:
        return {"fresh": 0, "stale": 1, "broken": 3, "unreachable": 4}[self.state]


@dataclass(frozen=True)
class LoadedIndex:
    """Everything a query needs, read once."""

    manifest: dict
    chunks: tuple[Chunk, ...]
    chunk_vectors: np.ndarray      # (n_chunks, dim), rows align with `chunks`; memory-mapped, read-only (format 2)
    sentence_vectors: np.ndarray   # (n_sentences, dim), passage by passage; memory-mapped, read-only (format 2)
    sentence_owner: np.ndarray     # (n_sentences,) chunk row of each sentence
    sentence_offsets: np.ndarray   # (n_chunks + 1,) first sentence row of each chunk
    lexical: LexicalIndex
    store: VectorStore
    folder: Path
    idf: dict[str, float]          # BM25-style IDF of each stem over the passages (answer scoring), stored by the build
    words: tuple[str, ...] = ()    # the passages' distinct words (the spell-checker's vocabulary), stored by the build


# ---------------------------------------------------------------- helpers

def _expected(corpus: Corpus, embedder_name: str) -> dict:
    return {
        "format": FORMAT,
        "embedder": embedder_name,
        "chunker_version": CHUNKER_VERSION,
        "corpus_fingerprint": corpus.fingerprint(),
        "documents": {d.id: text_key(d.text + d.speaker) for d in corpus.available},
    }


def _load_cache(index_dir: Path, embedder_name: str, checked: bool = False) -> dict[str, np.ndarray]:
    """Vectors of the live build, keyed by text hash, if made by the same model. `checked`: a deep status
    has just read every vector of this build and found it whole (no need to read it all again)."""
    cid = current_id(index_dir)
    if not cid:
        return {}
    folder = Path(index_dir) / "builds" / cid
    try:
        m = read_manifest(folder)
        if m.get("embedder") != embedder_name:
            return {}
        if not checked:
            read_vectors(folder, m, read_chunks(folder, m), scan=True)   # damaged vectors are never reused
        return arrays.cached_vectors(folder)
    except Exception:
        return {}  # a damaged old build only costs re-embedding


def _in_progress(folder: Path) -> bool:
    """An unfinished build (no manifest yet) whose process is still running: never delete it."""
    if (folder / "manifest.json").is_file():
        return False
    try:
        pid = int(folder.name.split("-")[2])      # build ids are DATE-TIME-PID-...
        os.kill(pid, 0)
    except (IndexError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True       # alive, another user's
    return True


def _cleanup(index_dir: Path, keep: set[str], chroma_url: str) -> None:
    builds = Path(index_dir) / "builds"
    if not builds.is_dir():
        return
    for folder in builds.iterdir():
        if folder.name in keep or _in_progress(folder):
            continue
        if chroma_url and (folder / "manifest.json").is_file():
            try:
                coll = read_manifest(folder)["chroma"].get("collection")
            except IndexCorruptError:
                coll = None
            if coll:
                VectorStore.drop(coll, chroma_url)
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- public API

def status(corpus: Corpus, index_dir: Path, embedder_name: str, chroma_url: str = "", *, deep: bool = True) -> Status:
    """Is the live index fresh for this corpus and model, and whole? If not, say why.

    `deep` (the default) opens every file of the live build and its vector store, as serving
    would; `deep=False` compares the manifest only (for listings that must be quick).
    """
    cid = current_id(index_dir)
    if not cid:
        return Status(False, ("no index has been built",), None, "stale")
    folder = Path(index_dir) / "builds" / cid
    try:
        m = read_manifest(folder)
    except IndexCorruptError as e:
        return Status(False, (str(e),), None, "broken")
    exp, reasons = _expected(corpus, embedder_name), []
    if m.get("embedder") != exp["embedder"]:
        reasons.append(f"embedding model changed ({m.get('embedder')} → {exp['embedder']})")
    if format_of(m) != exp["format"]:
        # still served (files.py reads format 1); a rebuild reuses its vectors
        reasons.append(f"index format changed ({format_of(m)} → {exp['format']})")
    if m.get("chunker_version") != exp["chunker_version"]:
        reasons.append(f"chunker version changed ({m.get('chunker_version')} → {exp['chunker_version']})")
    old, new = m.get("documents", {}), exp["documents"]
    for label, ids in (("added", new.keys() - old.keys()), ("removed", old.keys() - new.keys()),
                       ("changed", {k for k in new.keys() & old.keys() if new[k] != old[k]})):
        if ids:
            reasons.append(f"documents {label}: {', '.join(sorted(ids))}")
    if not reasons and m.get("corpus_fingerprint") != exp["corpus_fingerprint"]:
        reasons.append("corpus manifest changed (speakers)")
    problems, unreachable = check_build(folder, m, chroma_url) if deep else ([], False)
    state = "unreachable" if unreachable else "broken" if problems else "stale" if reasons else "fresh"
    return Status(state == "fresh", tuple(problems + reasons), m, state)


def build(corpus: Corpus, index_dir: Path, embedder, *, chroma_url: str = "", force: bool = False,
          progress=None, lock_timeout: float = 300.0, on_wait: Callable[[str], None] | None = None,
          what: str = "") -> BuildReport:
    """Build the index for `corpus`; a no-op when it is already fresh and whole (unless `force`).

    Holds the index's write lock: a second build waits up to `lock_timeout` seconds (telling
    `on_wait`), then raises BusyError naming the running command (`what`, default `hcb index build`).
    `progress(total)` may return a callable `advance(n)` used while embedding.
    """
    index_dir = Path(index_dir)
    with writer_lock(index_dir, what or ("hcb index build --force" if force else "hcb index build"), lock_timeout, on_wait):
        return _build(corpus, index_dir, embedder, chroma_url, force, progress)


def _build(corpus: Corpus, index_dir: Path, embedder, chroma_url: str, force: bool, progress) -> BuildReport:
    t0 = time.perf_counter()
    st = status(corpus, index_dir, embedder.name, chroma_url)
    if st.fresh and not force:
        m = st.manifest
        return BuildReport(m["build_id"], False, m["chunks"], m["sentences"], 0, 0,
                           time.perf_counter() - t0, "index is fresh")
    chunks = chunk_corpus(corpus.available)
    docs = {d.id: d for d in corpus.available}
    chunk_texts = [index_text(c, docs[c.doc_id], corpus.speakers[c.speaker]) for c in chunks]
    sent_texts = [s for c in chunks for s in c.sentence_texts()]
    all_texts = chunk_texts + sent_texts
    keys = [text_key(t) for t in all_texts]
    cache = _load_cache(index_dir, embedder.name, checked=st.state in ("fresh", "stale"))
    # longest first (as sentence-transformers orders a call): padding stays small and an
    # estimate of the time left is pessimistic rather than optimistic
    todo = sorted({k: t for k, t in zip(keys, all_texts) if k not in cache}.items(), key=lambda kt: (-len(kt[1]), kt[0]))
    if todo:
        advance = progress(len(todo)) if progress else None
        for i in range(0, len(todo), EMBED_BLOCK):
            block = todo[i:i + EMBED_BLOCK]
            for (k, _), v in zip(block, embedder.embed([t for _, t in block])):
                cache[k] = v
            if advance:
                advance(len(block))
    vectors = np.stack([cache[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, embedder.dim), np.float32)

    build_id = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{corpus.fingerprint()[:6]}-{os.urandom(3).hex()}"  # unique even within one second
    folder = index_dir / "builds" / build_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chunks.jsonl").write_text("".join(chunk_to_json(c) + "\n" for c in chunks), encoding="utf-8")
    arrays.save_chunks(folder, chunks)
    arrays.save(folder, chunks, vectors, keys)

    LexicalIndex.build([c.id for c in chunks], chunk_texts).save(folder / "bm25")
    collection = f"hcb-{build_id}"
    store = VectorStore.create(collection, path=folder / "chroma", url=chroma_url)
    store.add([c.id for c in chunks], vectors[:len(chunks)],
              [{"doc_id": c.doc_id, "speaker": c.speaker, "kind": docs[c.doc_id].kind,
                "speaker_kind": corpus.speakers[c.speaker].kind, "section": c.section, "page": c.page or 0}
               for c in chunks], [c.text for c in chunks])

    manifest = {**_expected(corpus, embedder.name), "build_id": build_id, "created": time.time(),
                "dim": int(embedder.dim), "chunks": len(chunks), "sentences": len(sent_texts),
                "chroma": {"mode": "server" if chroma_url else "embedded", "collection": collection,
                           "url": chroma_url}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    # the swap: CURRENT names the new build only once the build is complete
    previous = current_id(index_dir)
    tmp = index_dir / f"CURRENT.tmp-{os.getpid()}"
    tmp.write_text(build_id)
    os.replace(tmp, index_dir / "CURRENT")
    _cleanup(index_dir, {build_id, previous} if previous else {build_id}, chroma_url)
    reason = "forced rebuild" if st.fresh else "; ".join(r.removesuffix(": run: hcb index build") for r in st.reasons)
    return BuildReport(build_id, True, len(chunks), len(sent_texts), len(todo), len(all_texts) - len(todo),
                       time.perf_counter() - t0, reason)


def open_index(index_dir: Path, chroma_url: str = "") -> LoadedIndex:
    """Open the live build; raise IndexMissingError / IndexCorruptError naming the fix."""
    index_dir = Path(index_dir)
    cid = current_id(index_dir)
    if not cid:
        raise IndexMissingError(f"no index in {index_dir}: run: hcb index build")
    folder = index_dir / "builds" / cid
    m = read_manifest(folder)
    chunks = read_chunks(folder, m)
    files = read_vectors(folder, m, chunks)
    idf = read_idf(folder, m, chunks)
    words = read_words(folder, m, chunks)
    lexical = read_lexical(folder, chunks)
    url = chroma_url or m["chroma"].get("url", "")
    store = VectorStore.open(m["chroma"]["collection"], path=folder / "chroma", url=url, count=len(chunks))
    counts = files.sentence_counts
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    owner = np.repeat(np.arange(len(chunks)), counts)
    return LoadedIndex(m, chunks, files.chunk_vectors, files.sentence_vectors, owner, offsets, lexical, store, folder, idf, words)
