"""`hcb bench --embedding`: embedding throughput of each backend, side by side in one run.

The texts are what an index build embeds: every passage and every sentence of the corpus.
"old build path" is how builds embedded before length sorting: batches of 32 in text-hash
order, each its own call, so a batch of short sentences pads to its longest passage. Every
other row embeds the texts the way builds do now (calls of 256 texts, longest first);
`minilm-onnx` is what `minilm` (the default) runs. Rounds are interleaved (A, B, C, A, B, C, …)
so a shared machine's load falls on all alike; the median round counts, in wall-clock seconds
and in the process's CPU seconds (which other processes' load inflates far less). `passages only`
rows embed the passages alone (the longest texts, where sorting saves least). `cosine_vs_torch`
compares each backend's vectors with sentence-transformers' on torch (float32).
"""

from __future__ import annotations

import hashlib
import statistics
import time

import numpy as np

from .. import Settings, chunk_corpus, load_corpus, make_embedder

BLOCK = 256
BACKENDS = ("minilm-torch", "minilm-onnx", "minilm-onnx-int8", "minilm-torch-int8")


def corpus_texts(settings: Settings) -> tuple[list[str], list[str]]:
    chunks = chunk_corpus(load_corpus(settings.corpus_dir).available)
    return [c.text for c in chunks], [s for c in chunks for s in c.sentence_texts()]


def _old_path(embedder, texts: list[str]) -> np.ndarray:
    order = sorted(range(len(texts)), key=lambda i: hashlib.sha256(texts[i].encode()).hexdigest())
    out = np.zeros((len(texts), embedder.dim), np.float32)
    for i in range(0, len(order), 32):
        rows = order[i:i + 32]
        out[rows] = embedder.embed([texts[j] for j in rows])
    return out


def _new_path(embedder, texts: list[str]) -> np.ndarray:
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out = np.zeros((len(texts), embedder.dim), np.float32)
    for i in range(0, len(order), BLOCK):
        rows = order[i:i + BLOCK]
        out[rows] = embedder.embed([texts[j] for j in rows])
    return out


def bench_embedding(settings: Settings, rounds: int = 3, backends: tuple[str, ...] = BACKENDS) -> dict:
    passages, sentences = corpus_texts(settings)
    texts = passages + sentences
    words = sum(len(t.split()) for t in texts)
    runs = [("old build path (torch, hash-ordered batches of 32)", "minilm-torch", _old_path)]
    runs += [(f"{kind} (length-sorted)", kind, _new_path) for kind in backends]
    only = [("passages only: old build path", "minilm-torch", _old_path),
            ("passages only: minilm-onnx (length-sorted)", "minilm-onnx", _new_path)]
    embedders = {kind: make_embedder(kind) for _, kind, _ in runs}
    for e in embedders.values():
        e.embed(["warm up"])                      # load (and, for ONNX, export) outside the timing
    seconds: dict[str, list[float]] = {label: [] for label, _, _ in runs + only}
    cpu: dict[str, list[float]] = {label: [] for label, _, _ in runs + only}
    vectors: dict[str, np.ndarray] = {}
    query_ms: dict[str, list[float]] = {kind: [] for kind in embedders}
    for _ in range(rounds):
        for label, kind, path in runs + only:
            t0, c0 = time.perf_counter(), time.process_time()
            vectors[label] = path(embedders[kind], passages if label.startswith("passages only") else texts)
            seconds[label].append(time.perf_counter() - t0)
            cpu[label].append(time.process_time() - c0)
        for kind, e in embedders.items():
            for q in sentences[:20]:
                t0 = time.perf_counter()
                e.embed([q])
                query_ms[kind].append((time.perf_counter() - t0) * 1000)
    reference = vectors[runs[1][0]]
    out = {"texts": len(texts), "passages": len(passages), "sentences": len(sentences), "words": words,
           "rounds": rounds, "threads": 1, "backends": {}}
    for label, kind, _ in runs + only:
        n = len(passages) if label.startswith("passages only") else len(texts)
        base_label = only[0][0] if label.startswith("passages only") else runs[0][0]
        s, c = statistics.median(seconds[label]), statistics.median(cpu[label])
        cos = (vectors[label] * (reference[:n] if n == len(passages) else reference)).sum(axis=1)
        out["backends"][label] = {
            "embedder": embedders[kind].name, "texts": n, "seconds": round(s, 2), "cpu_seconds": round(c, 2),
            "texts_per_s": round(n / s, 1), "texts_per_cpu_s": round(n / c, 1),
            "speedup_vs_old_path": round(statistics.median(seconds[base_label]) / s, 2),
            "cpu_speedup_vs_old_path": round(statistics.median(cpu[base_label]) / c, 2),
            "query_ms_p50": round(float(np.percentile(query_ms[kind], 50)), 1),
            "cosine_vs_torch_min": round(float(cos.min()), 4), "cosine_vs_torch_mean": round(float(cos.mean()), 4)}
    return out
