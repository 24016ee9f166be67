"""One measurement of `hcb bench --synthetic`, in a fresh process: `python -P scale_worker.py build|serve QUESTIONS`.

Run as a script so that PYTHONPATH decides which checkout of `assistant` it measures (the
"before" numbers time an older checkout with this same code); it uses only the public API that
both have. Settings come from `HCB_*` variables; one JSON object is printed on the last line.

    build   build the index from scratch; seconds in total and inside the embedder
    serve   open the assistant, warm it, ask every question `HCB_BENCH_ROUNDS` times; stages, peak RSS

`HCB_BENCH_QUERY_EMBEDDER=minilm` (serve) also embeds each question with that model and counts its time
in the `embed` stage, while the index's own embedder supplies the vector: a 50k-passage index built with
the fake embedder is then served at the real model's query cost (which does not depend on the index),
without the hours a real-model build of that size would take.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

from assistant import Filters, Settings, build_index, load_corpus, make_embedder, open_assistant

STAGES = ("screen", "embed", "dense", "lexical", "fuse", "weigh", "compose", "total")


class TimedEmbedder:
    """The configured embedder, counting the texts it embeds and the seconds it spends."""

    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.seconds, self.texts, self.words = 0.0, 0, 0

    def embed(self, texts, *args, **kwargs):
        t0 = time.perf_counter()
        out = self.inner.embed(texts, *args, **kwargs)
        self.seconds += time.perf_counter() - t0
        self.texts += len(texts)
        self.words += sum(len(t.split()) for t in texts)
        return out


class QueryCostEmbedder:
    """Answers with `index_embedder`'s vectors after also embedding the texts with `model`: the
    index's rankings, the model's cost. The model's first call (loading it) is in `first_ask_s`."""

    def __init__(self, index_embedder, model):
        self.index_embedder, self.model = index_embedder, model
        self.name, self.dim = index_embedder.name, index_embedder.dim

    def embed(self, texts, *args, **kwargs):
        self.model.embed(texts)
        return self.index_embedder.embed(texts, *args, **kwargs)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now; `RssAnon` is the process's own, `RssFile` pages of mapped files (shared, reclaimable)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def build(settings: Settings) -> dict:
    t0 = time.perf_counter()
    corpus = load_corpus(settings.corpus_dir)
    emb = TimedEmbedder(make_embedder(settings.embedder))
    report = build_index(corpus, settings.index_dir, emb, chroma_url=settings.chroma_url, force=True)
    total = time.perf_counter() - t0
    return {"passages": report.chunks, "sentences": report.sentences, "build_s": round(total, 2),
            "build_embedding_s": round(emb.seconds, 2), "build_rest_s": round(total - emb.seconds, 2),
            "embedded_texts": emb.texts, "embedded_words": emb.words,
            "embedding_texts_per_s": round(emb.texts / emb.seconds, 1) if emb.seconds else None,
            "embedding_words_per_s": round(emb.words / emb.seconds) if emb.seconds else None,
            "build_peak_rss_mb": round(peak_rss_mb())}


def timed_asks(a, questions: list[str], rounds: int, also: Filters | None = None) -> dict[str, list[float]]:
    """Milliseconds per stage of `rounds` passes over `questions` (warm the assistant first), and the
    process's CPU milliseconds per ask (`total_cpu`: what a busy shared machine inflates least).
    With `also`, each question is asked again right away with those filters (`filtered_total`), so
    both see the same moment's load."""
    per_stage: dict[str, list[float]] = {s: [] for s in STAGES + ("total_cpu", "filtered_total")}
    for _ in range(rounds):
        for q in questions:
            c0 = time.process_time()
            t = a.ask(q).timings_ms
            per_stage["total_cpu"].append((time.process_time() - c0) * 1000)
            for s in STAGES:
                if s in t:
                    per_stage[s].append(t[s])
            if also is not None:
                per_stage["filtered_total"].append(a.ask(q, filters=also).timings_ms["total"])
    return per_stage


def _stats(prefix: str, values: list[float]) -> dict:
    return {f"{prefix}_p50_ms": round(float(np.percentile(values, 50)), 2),
            f"{prefix}_p95_ms": round(float(np.percentile(values, 95)), 2)}


def serve(settings: Settings, questions: list[str], rounds: int) -> dict:
    t0 = time.perf_counter()
    load_corpus(settings.corpus_dir)    # timed alone: part of opening, but not the index's part
    corpus_s = time.perf_counter() - t0
    query_model = os.environ.get("HCB_BENCH_QUERY_EMBEDDER", "")
    embedder = (QueryCostEmbedder(make_embedder(settings.embedder), make_embedder(query_model))
                if query_model else None)
    t0, c0 = time.perf_counter(), time.process_time()
    a = open_assistant(settings, embedder)
    open_s, open_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    open_rss = rss_mb()
    t0 = time.perf_counter()
    a.ask(questions[0])            # loads the model (real embedder) and touches the index once
    first_s = time.perf_counter() - t0
    for q in questions:            # one untimed pass: warm caches
        a.ask(q)
    per_stage = timed_asks(a, questions, rounds, also=Filters(kinds=("government",)))
    out = {"query_embedder": query_model or settings.embedder, "open_s": round(open_s, 2), "open_cpu_s": round(open_cpu_s, 2), "corpus_load_s": round(corpus_s, 2),
           "first_ask_s": round(first_s, 2), "rss_after_open_mb": round(open_rss),
           "questions": len(questions), "asks_timed": len(per_stage["total"])}
    for s, v in per_stage.items():
        if v:
            out.update(_stats(s, v))
    out["serving_peak_rss_mb"] = round(peak_rss_mb())
    out["serving_rss_mb"] = round(rss_mb())
    out["serving_rss_anon_mb"] = round(rss_mb("RssAnon"))
    out["serving_rss_file_mb"] = round(rss_mb("RssFile"))
    return out


def main(argv: list[str]) -> None:
    mode = argv[1]
    settings = Settings.from_env()
    if mode == "build":
        result = build(settings)
    else:
        lines = Path(argv[2]).read_text(encoding="utf-8").splitlines()
        questions = [json.loads(x)["question"] for x in lines if x.strip()]
        result = serve(settings, questions, int(os.environ.get("HCB_BENCH_ROUNDS", "3")))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv)
