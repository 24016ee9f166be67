"""Baselines evaluated beside the project's pipeline, on the same questions in the same process.

- `bm25`: the project's own BM25 index alone; the answer is the top passage.
- `dense`: the project's own Chroma vectors alone (same model); the answer is the top passage.
- `langchain`: a conventional LangChain pipeline — 1,000-character recursive
  splitting with 200 overlap, an in-memory Chroma store, similarity search with
  k=4, the same embedding model; the answer is the top passage.

Every system embeds a question through one `SharedEmbedder`: the question is
embedded once per run and each system that needs the vector is charged the
time that embedding took, so latencies stay comparable without paying for it
four times.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

LC_CHUNK_SIZE, LC_OVERLAP, LC_K = 1000, 200, 4
_collections = itertools.count(1)


@dataclass
class Output:
    """What one system produced for one question (before scoring)."""

    behaviour: str
    answer: str
    citations: list[dict] = field(default_factory=list)
    retrieved: list[dict] = field(default_factory=list)    # rank, chunk_id, doc_id, text, score
    timings_ms: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    state: object = None          # what the next turn of a conversation needs (the pipeline's Answer)
    question: str = ""            # the question asked (history for a turn whose answer failed)


class SharedEmbedder:
    """Wraps an embedder: each text is embedded once; `cost_ms` is what that took."""

    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._vec: dict[str, np.ndarray] = {}
        self._ms: dict[str, float] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vec]
        if missing:
            t0 = time.perf_counter()
            vecs = self.inner.embed(missing)
            each = (time.perf_counter() - t0) * 1000 / len(missing)
            for t, v in zip(missing, vecs):
                self._vec[t], self._ms[t] = v, each
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vec[t] for t in texts])

    def cost_ms(self, text: str) -> float:
        return self._ms.get(text, 0.0)


def _passage_output(ranked: list[dict], cite: dict | None, timings: dict) -> Output:
    if not ranked:
        return Output("abstain", "", [], [], timings, ["no passage retrieved"])
    return Output("answer", ranked[0]["text"], [cite] if cite else [], ranked, timings)


class _IndexBaseline:
    """Shared parts of the baselines that read the project's own index."""

    name = ""
    description = ""
    k = 10

    def __init__(self, assistant, shared: SharedEmbedder):
        self.a, self.shared = assistant, shared
        self.by_id = {c.id: c for c in assistant.index.chunks}

    def passages(self) -> list[str]:
        return [c.text for c in self.a.index.chunks]

    def warm_up(self) -> None:
        self.run("warm-up question on ICBs")

    def _output(self, ids_scores: list[tuple[str, float]], timings: dict) -> Output:
        ranked = []
        for rank, (cid, score) in enumerate(ids_scores[: self.k], 1):
            c = self.by_id[cid]
            ranked.append({"rank": rank, "chunk_id": cid, "doc_id": c.doc_id, "text": c.text, "score": round(float(score), 6)})
        cite = None
        if ranked:
            c = self.by_id[ranked[0]["chunk_id"]]
            d, sp = self.a.docs[c.doc_id], self.a.corpus.speakers[c.speaker]
            cite = {"n": 1, "doc_id": d.id, "chunk_id": c.id, "title": d.title, "publisher": d.publisher, "date": d.date,
                    "speaker": sp.name, "speaker_label": sp.label, "url": d.url, "page": c.page, "quote": c.text,
                    "passage": c.text}
        return _passage_output(ranked, cite, timings)


class BM25Baseline(_IndexBaseline):
    name = "bm25"
    description = "BM25 only (project index), answer = top passage"

    def run(self, question: str, history: tuple = ()) -> Output:   # baselines answer each turn alone
        t0 = time.perf_counter()
        hits = self.a.retriever.lexical(question, self.k)
        ms = (time.perf_counter() - t0) * 1000
        return self._output(hits, {"lexical": ms, "total": ms})


class DenseBaseline(_IndexBaseline):
    name = "dense"
    description = "dense only (project index, same model), answer = top passage"

    def run(self, question: str, history: tuple = ()) -> Output:   # baselines answer each turn alone
        qvec = self.shared.embed([question])[0]
        embed = self.shared.cost_ms(question)
        t0 = time.perf_counter()
        hits = self.a.retriever.dense(qvec, self.k)
        ms = (time.perf_counter() - t0) * 1000
        return self._output(hits, {"embed": embed, "dense": ms, "total": embed + ms})


class LCEmbeddings(Embeddings):
    """A LangChain `Embeddings` over the project's embedder, so Chroma never runs its own model."""

    def __init__(self, embedder, cache_dir: Path | None = None):
        self.embedder, self.cache_dir = embedder, cache_dir

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return _cached_embed(self.embedder, list(texts), self.cache_dir).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0].tolist()


def _cached_embed(embedder, texts: list[str], cache_dir: Path | None) -> np.ndarray:
    """Embed passages, reusing vectors stored by (model, text hash) from earlier runs."""
    if not cache_dir or not texts:
        return embedder.embed(texts)
    name = hashlib.sha256(embedder.name.encode()).hexdigest()[:12]
    path = Path(cache_dir) / f"lc-passages-{name}.npz"
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    stored = dict(np.load(path)) if path.is_file() else {}
    missing = [i for i, k in enumerate(keys) if k not in stored]
    if missing:
        for i, v in zip(missing, embedder.embed([texts[i] for i in missing])):
            stored[keys[i]] = np.asarray(v, dtype=np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **stored)
        os.replace(tmp, path)
    return np.stack([stored[k] for k in keys])


class LangChainBaseline:
    """The conventional pipeline, built in memory from the corpus documents' text."""

    name = "langchain"
    description = (f"LangChain: RecursiveCharacterTextSplitter({LC_CHUNK_SIZE}, overlap {LC_OVERLAP}), "
                   f"in-memory Chroma similarity_search k={LC_K}, same model, answer = top passage")
    k = LC_K

    def __init__(self, corpus, shared: SharedEmbedder, cache_dir: Path | None = None):
        # lazy: langchain_chroma imports chromadb (~2.5 s); only `--compare` runs pay for it
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")   # before Chroma starts
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.shared, self.corpus = shared, corpus
        splitter = RecursiveCharacterTextSplitter(chunk_size=LC_CHUNK_SIZE, chunk_overlap=LC_OVERLAP)
        self.texts, metas = [], []
        for d in corpus.available:
            for j, t in enumerate(splitter.split_text(d.text)):
                self.texts.append(t)
                metas.append({"doc_id": d.id, "chunk_id": f"lc:{d.id}:{j}"})
        self.embeddings = LCEmbeddings(shared, cache_dir)
        self.store = Chroma(collection_name=f"hcb-eval-langchain-{os.getpid()}-{next(_collections)}",
                            embedding_function=self.embeddings)
        self.store.add_texts(self.texts, metadatas=metas, ids=[m["chunk_id"] for m in metas])

    def passages(self) -> list[str]:
        return list(self.texts)

    def warm_up(self) -> None:
        self.run("warm-up question on ICBs")

    def close(self) -> None:
        self.store.delete_collection()

    def run(self, question: str, history: tuple = ()) -> Output:   # baselines answer each turn alone
        self.shared.embed([question])   # once per run (usually already done by the pipeline); charged as `embed`
        t0 = time.perf_counter()
        docs = self.store.similarity_search_with_score(question, k=self.k)   # embeds through the shared cache
        ms = (time.perf_counter() - t0) * 1000
        embed = self.shared.cost_ms(question)
        ranked = [{"rank": r, "chunk_id": doc.metadata["chunk_id"], "doc_id": doc.metadata["doc_id"],
                   "text": doc.page_content, "score": round(1.0 - float(dist) / 2, 6)}   # unit vectors: cos = 1 − L2²/2
                  for r, (doc, dist) in enumerate(docs, 1)]
        cite = None
        if ranked:
            d = self.corpus.doc(ranked[0]["doc_id"])
            cite = {"n": 1, "doc_id": d.id, "chunk_id": ranked[0]["chunk_id"], "title": d.title, "publisher": d.publisher,
                    "date": d.date, "speaker": "", "speaker_label": "", "url": d.url, "page": None,
                    "quote": ranked[0]["text"], "passage": ranked[0]["text"]}
        return _passage_output(ranked, cite, {"embed": embed, "search": ms, "total": embed + ms})
