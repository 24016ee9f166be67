"""Building, checking and opening the index (chunks + vectors + BM25 + Chroma).

Layout under `index_dir`:

    CURRENT                 name of the live build (replaced atomically)
    builds/<id>/manifest.json   written last: a build without it is unfinished
    builds/<id>/chunks.jsonl    passages with offsets, section, speaker, page
    builds/<id>/*.npy, idf.json passage and sentence vectors (memory-mapped on open), text hashes, IDF (arrays.py)
    builds/<id>/bm25/           the bm25s index
    builds/<id>/chroma/         embedded Chroma (server mode: a collection per build)

A build writes a new folder and only then swaps CURRENT, so an interrupted
build leaves the previous index serving. Vectors are reused by content hash,
so unchanged text is never embedded again. Texts are embedded sorted by length,
so a batch pads its short sentences to the length of other short sentences.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..corpus.chunking import CHUNKER_VERSION, chunk_corpus, index_text
from ..corpus.manifest import Corpus
from ..errors import IndexCorruptError, IndexMissingError
from ..types import Chunk
from . import arrays
from .arrays import FORMAT
from .lexical import LexicalIndex
from .vectors import VectorStore

KEEP_BUILDS = 2  # the live build and the one before it (a running app may still hold it)
EMBED_BLOCK = 256  # texts per embedder call: long enough for length-sorted batches, short enough for progress


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


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
    fresh: bool
    reasons: tuple[str, ...]
    manifest: dict | None


@dataclass(frozen=True)
class LoadedIndex:
    """Everything a query needs, read once."""

    manifest: dict
    chunks: tuple[Chunk, ...]
    chunk_vectors: np.ndarray      # (n_chunks, dim), rows align with `chunks`; memory-mapped, read-only
    sentence_vectors: np.ndarray   # (n_sentences, dim), passage by passage; memory-mapped, read-only
    sentence_owner: np.ndarray     # (n_sentences,) chunk row of each sentence
    sentence_offsets: np.ndarray   # (n_chunks + 1,) first sentence row of each chunk
    lexical: LexicalIndex
    store: VectorStore
    folder: Path
    idf: dict[str, float]          # BM25-style IDF of each stem over the passages (answer scoring), stored by the build


# ---------------------------------------------------------------- helpers

def _current_id(index_dir: Path) -> str | None:
    p = Path(index_dir) / "CURRENT"
    return p.read_text().strip() or None if p.is_file() else None


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / "manifest.json").read_text())
    except FileNotFoundError:
        raise IndexCorruptError(f"index build {folder.name} is incomplete: run: hcb index build --force") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IndexCorruptError(f"index manifest in {folder} is corrupt: run: hcb index build --force") from None


def _expected(corpus: Corpus, embedder_name: str) -> dict:
    return {
        "format": FORMAT,
        "embedder": embedder_name,
        "chunker_version": CHUNKER_VERSION,
        "corpus_fingerprint": corpus.fingerprint(),
        "documents": {d.id: text_key(d.text + d.speaker) for d in corpus.available},
    }


def _chunk_to_json(c: Chunk) -> str:
    d = asdict(c)
    d["sentences"] = [list(s) for s in c.sentences]
    return json.dumps(d, ensure_ascii=False)


def _chunk_from_json(line: str) -> Chunk:
    d = json.loads(line)
    d["sentences"] = tuple(tuple(s) for s in d["sentences"])
    return Chunk(**d)


def _load_cache(index_dir: Path, embedder_name: str) -> dict[str, np.ndarray]:
    """Vectors of the live build, keyed by text hash, if made by the same model."""
    cid = _current_id(index_dir)
    if not cid:
        return {}
    folder = Path(index_dir) / "builds" / cid
    try:
        if _read_manifest(folder).get("embedder") != embedder_name:
            return {}
        return arrays.cached_vectors(folder)
    except Exception:
        return {}  # a damaged old build only costs re-embedding


def _cleanup(index_dir: Path, keep: set[str], chroma_url: str) -> None:
    builds = Path(index_dir) / "builds"
    if not builds.is_dir():
        return
    for folder in builds.iterdir():
        if folder.name in keep:
            continue
        if chroma_url and (folder / "manifest.json").is_file():
            coll = json.loads((folder / "manifest.json").read_text()).get("chroma", {}).get("collection")
            if coll:
                VectorStore.drop(coll, chroma_url)
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- public API

def status(corpus: Corpus, index_dir: Path, embedder_name: str) -> Status:
    """Is the live index fresh for this corpus and model? If not, say why."""
    cid = _current_id(index_dir)
    if not cid:
        return Status(False, ("no index has been built",), None)
    folder = Path(index_dir) / "builds" / cid
    try:
        m = _read_manifest(folder)
    except IndexCorruptError as e:
        return Status(False, (str(e),), None)
    exp, reasons = _expected(corpus, embedder_name), []
    if m.get("embedder") != exp["embedder"]:
        reasons.append(f"embedding model changed ({m.get('embedder')} → {exp['embedder']})")
    if m.get("format", 1) != exp["format"]:
        reasons.append(f"index format changed ({m.get('format', 1)} → {exp['format']})")
    if m.get("chunker_version") != exp["chunker_version"]:
        reasons.append(f"chunker version changed ({m.get('chunker_version')} → {exp['chunker_version']})")
    old, new = m.get("documents", {}), exp["documents"]
    for label, ids in (("added", new.keys() - old.keys()), ("removed", old.keys() - new.keys()),
                       ("changed", {k for k in new.keys() & old.keys() if new[k] != old[k]})):
        if ids:
            reasons.append(f"documents {label}: {', '.join(sorted(ids))}")
    if not reasons and m.get("corpus_fingerprint") != exp["corpus_fingerprint"]:
        reasons.append("corpus manifest changed (speakers)")
    return Status(not reasons, tuple(reasons), m)


def build(corpus: Corpus, index_dir: Path, embedder, *, chroma_url: str = "", force: bool = False,
          progress=None) -> BuildReport:
    """Build the index for `corpus`; a no-op when it is already fresh (unless `force`).

    `progress(total)` may return a callable `advance(n)` used while embedding.
    """
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    st = status(corpus, index_dir, embedder.name)
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
    cache = _load_cache(index_dir, embedder.name)
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
    (folder / "chunks.jsonl").write_text("".join(_chunk_to_json(c) + "\n" for c in chunks), encoding="utf-8")
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
    previous = _current_id(index_dir)
    tmp = index_dir / f"CURRENT.tmp-{os.getpid()}"
    tmp.write_text(build_id)
    os.replace(tmp, index_dir / "CURRENT")
    _cleanup(index_dir, {build_id, previous} if previous else {build_id}, chroma_url)
    reason = "forced rebuild" if st.fresh else "; ".join(st.reasons)
    return BuildReport(build_id, True, len(chunks), len(sent_texts), len(todo), len(all_texts) - len(todo),
                       time.perf_counter() - t0, reason)


def open_index(index_dir: Path, chroma_url: str = "") -> LoadedIndex:
    """Open the live build; raise IndexMissingError / IndexCorruptError naming the fix."""
    index_dir = Path(index_dir)
    cid = _current_id(index_dir)
    if not cid:
        raise IndexMissingError(f"no index in {index_dir}: run: hcb index build")
    folder = index_dir / "builds" / cid
    m = _read_manifest(folder)
    if m.get("format", 1) != FORMAT:
        raise IndexCorruptError(f"index build {cid} was written in an older format: run: hcb index build")
    try:
        chunks = arrays.load_chunks(folder)
        if chunks is None:
            chunks = tuple(_chunk_from_json(line) for line in (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines())
        a = arrays.load(folder, m["dim"])
    except Exception as e:
        raise IndexCorruptError(f"index build {cid} cannot be read ({type(e).__name__}): run: hcb index build --force") from None
    if len(chunks) != m.get("chunks") or len(a.sentence_counts) != len(chunks):
        raise IndexCorruptError(f"index build {cid} is inconsistent: run: hcb index build --force")
    try:
        lexical = LexicalIndex.load(folder / "bm25")
    except Exception as e:
        raise IndexCorruptError(f"the BM25 index of build {cid} cannot be read ({type(e).__name__}): run: hcb index build --force") from None
    url = chroma_url or m["chroma"].get("url", "")
    store = VectorStore.open(m["chroma"]["collection"], path=folder / "chroma", url=url, count=len(chunks))
    offsets = np.concatenate([[0], np.cumsum(a.sentence_counts)]).astype(np.int64)
    owner = np.repeat(np.arange(len(chunks)), a.sentence_counts)
    return LoadedIndex(m, chunks, a.chunk_vectors, a.sentence_vectors, owner, offsets, lexical, store, folder, a.idf)
