"""Evaluation: run systems on a question set, score every question, summarise with 95% intervals.

    rows, problems = load_questions(path, assistant.corpus)
    systems = make_systems(assistant, compare=True)     # hcb pipeline + bm25, dense, langchain
    results = run_systems(systems, rows)                # {system: [result row per question]}
    summary = analyse(results)                          # metrics, intervals, per type, paired differences

Metric definitions are in evals/README.md; the pure functions are in metrics.py.
"""

from __future__ import annotations

import copy
import hashlib
import json
import platform
import statistics
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from ..errors import HcbError
from .baselines import BM25Baseline, DenseBaseline, LangChainBaseline, Output, SharedEmbedder
from .metrics import (KS, NDCG_K, bootstrap, citation_scores, contains_quote, count_relevant, coverage, has_fact,  # noqa: F401
                      normalise, paired_bootstrap, percentile, resample_indices, retrieval_metrics, speaker_correct)
from .questions import FIELDS, TYPES, Problem, load_questions, skipped_rows  # noqa: F401 - re-exported

RETRIEVAL = tuple(f"hit@{k}" for k in KS) + tuple(f"recall@{k}" for k in KS) + ("mrr", f"ndcg@{NDCG_K}")
ANSWER = ("fact_coverage", "citation_precision", "citation_recall", "speaker_correctness")
BEHAVIOUR = ("abstention_accuracy", "abstention_precision", "abstention_recall", "refusal_rate",
             "wrong_abstention_rate", "wrong_refusal_rate", "wrong_decline_rate", "behaviour_accuracy")
RATES = RETRIEVAL + ANSWER + BEHAVIOUR
LOWER_IS_BETTER = {"wrong_abstention_rate", "wrong_refusal_rate", "wrong_decline_rate"}
GATED = ("hit@5", "fact_coverage", "abstention_accuracy", "refusal_rate")   # the regression gate (evals/floors.json)
PRIMARY = "hcb"


class PipelineSystem:
    """The project's pipeline (`Assistant.ask`): route, hybrid retrieval, cited extractive answer."""

    name = PRIMARY
    description = "hcb pipeline: routing, hybrid BM25 + dense retrieval (RRF), cited extractive answer"
    cites = True

    def __init__(self, assistant, k: int = 10):
        self.a, self.k = assistant, k

    def passages(self) -> list[str]:
        return [c.text for c in self.a.index.chunks]

    def warm_up(self) -> None:
        self.a.ask("warm-up question on ICBs")

    def run(self, question: str, history: tuple = ()) -> Output:
        """One question; `history` holds the earlier turns' outputs, passed on exactly as the web chat does."""
        try:
            ans = self.a.ask(question, history=[o.state if o.state is not None else o.question for o in history])
        except HcbError as e:  # a rejected question is a refusal, not a crash
            return Output("refuse_or_redirect", str(e), notes=[type(e).__name__], question=question)
        hits = list(ans.hits)
        if hits and len(hits) < self.k:
            # the answer reads the top few; ranking metrics look ten deep (same fused ranking, cached query vector)
            seen = {h.chunk.id for h in hits}
            hits += [h for h in self.a.search(ans.retrieval_query or question, k=self.k) if h.chunk.id not in seen]
        retrieved = [{"rank": r, "chunk_id": h.chunk.id, "doc_id": h.chunk.doc_id, "text": h.chunk.text,
                      "score": round(h.score, 6)} for r, h in enumerate(hits[: self.k], 1)]
        speakers = self.a.corpus.speakers
        citations = []
        for c in ans.citations:
            d = c.to_dict()
            d["speaker_label"] = speakers[d["speaker_id"]].label if d.get("speaker_id") in speakers else ""
            citations.append(d)
        return Output(ans.behaviour, ans.text, citations, retrieved, dict(ans.timings_ms), list(ans.notes), ans, question)


def make_systems(assistant, compare: bool = False, cache_dir: Path | None = None) -> list:
    """The pipeline first, then (with `compare`) the baselines; all share one query embedding per question."""
    shared = SharedEmbedder(assistant.embedder)
    a = copy.copy(assistant)   # same loaded index, but embedding through the shared cache
    a.embedder = shared
    systems = [PipelineSystem(a)]
    if compare:
        systems += [BM25Baseline(a, shared), DenseBaseline(a, shared), LangChainBaseline(a.corpus, shared, cache_dir)]
    return systems


# ---------------------------------------------------------------- scoring one question

def score(q: dict, out: Output, n_relevant: int, cites: bool = True) -> dict:
    """Per-question metric values; None where a metric does not apply to this question."""
    m: dict = {name: None for name in RATES}
    m["first_relevant_rank"] = None
    exp, beh = q["expected_behaviour"], out.behaviour
    answered = beh == "answer"
    if exp == "answer" and q["gold_quotes"]:
        cov = coverage([r["text"] for r in out.retrieved[:max(KS)]], q["gold_quotes"])
        m.update(retrieval_metrics(cov, len(q["gold_quotes"]), n_relevant))
    if exp == "answer" and q["answer_facts"]:
        facts = q["answer_facts"]
        m["fact_coverage"] = sum(has_fact(out.answer, f) for f in facts) / len(facts) if answered else 0.0
    if exp == "answer" and answered and cites:
        m["citation_precision"], m["citation_recall"] = citation_scores(
            out.answer, {c["n"]: c.get("passage", "") for c in out.citations})
    if q["type"] == "attribution" and exp == "answer" and q["answer_facts"]:
        names = [c.get(k, "") for c in out.citations for k in ("speaker", "speaker_label")]
        m["speaker_correctness"] = float(answered and speaker_correct(out.answer, q["answer_facts"][0], names))
    abstained, refused = beh == "abstain", beh == "refuse_or_redirect"
    m["abstention_precision"] = float(exp == "abstain") if abstained else None
    m["abstention_recall"] = m["abstention_accuracy"] = float(abstained) if exp == "abstain" else None
    m["refusal_rate"] = float(refused) if exp == "refuse_or_redirect" else None
    m["wrong_abstention_rate"] = float(abstained) if exp == "answer" else None
    m["wrong_refusal_rate"] = float(refused) if exp == "answer" else None
    m["wrong_decline_rate"] = float(abstained or refused) if exp == "answer" else None
    m["behaviour_accuracy"] = float(beh == exp)
    m["answer_words"] = len(out.answer.split()) if answered else 0
    return m


def result_row(q: dict, system: str, out: Output, metrics: dict) -> dict:
    """One line of results.jsonl (a conversation turn also carries `turn`, 0-based, the resolved query and how it was resolved)."""
    row = {"id": q["id"], "system": system, "type": q["type"], "question": q["question"],
           "expected_behaviour": q["expected_behaviour"], "behaviour": out.behaviour, "answer": out.answer,
           "citations": out.citations, "retrieved": out.retrieved,
           "timings_ms": {k: round(v, 2) for k, v in out.timings_ms.items()},
           "first_relevant_rank": metrics["first_relevant_rank"], "metrics": metrics, "notes": out.notes,
           "split": q.get("split", "all")}
    if q.get("group"):
        row["group"] = q["group"]
    if "turn" in q:
        row["turn"] = q["turn"]
        row["retrieval_query"] = getattr(out.state, "retrieval_query", "")
        row["resolved_as"] = getattr(out.state, "resolved_as", "")
    return row


def evaluate_one(assistant, q: dict, k: int = 10) -> dict:
    """Run one question through the pipeline; its result row with per-question metrics."""
    s = PipelineSystem(assistant, k)
    n_rel = count_relevant(s.passages(), q["gold_quotes"]) if q["gold_quotes"] else 0
    out = s.run(q["question"])
    return result_row(q, s.name, out, score(q, out, n_rel))


# ---------------------------------------------------------------- running

def run_systems(systems: list, questions: list[dict], progress=None) -> dict[str, list[dict]]:
    """Every question through every system, question by question (so load noise hits all systems alike)."""
    for s in systems:
        s.warm_up()
    pools = {s.name: [normalise(p) for p in s.passages()] for s in systems}
    results: dict[str, list[dict]] = {s.name: [] for s in systems}
    for q in questions:
        for s in systems:
            out = s.run(q["question"].strip())
            n_rel = count_relevant(pools[s.name], q["gold_quotes"]) if q["gold_quotes"] else 0
            results[s.name].append(result_row(q, s.name, out, score(q, out, n_rel, getattr(s, "cites", False))))
        if progress:
            progress()
    return results


def run_conversations(systems: list, conversations: list[dict], progress=None) -> dict[str, list[dict]]:
    """Every turn of every conversation through every system, each system with its own history of earlier
    turns; one result row per turn, with the conversation's `id` and the `turn` number."""
    for s in systems:
        s.warm_up()
    pools = {s.name: [normalise(p) for p in s.passages()] for s in systems}
    results: dict[str, list[dict]] = {s.name: [] for s in systems}
    for conv in conversations:
        history: dict[str, list[Output]] = {s.name: [] for s in systems}
        for k, turn in enumerate(conv["turns"]):
            q = {**turn, "id": conv["id"], "turn": k, "split": conv.get("split", "all")}
            for s in systems:
                out = s.run(q["question"], tuple(history[s.name]))
                history[s.name].append(out)
                n_rel = count_relevant(pools[s.name], q["gold_quotes"]) if q["gold_quotes"] else 0
                results[s.name].append(result_row(q, s.name, out, score(q, out, n_rel, getattr(s, "cites", False))))
            if progress:
                progress()
    return results


def run_eval(assistant, questions: list[dict], progress=None) -> tuple[list[dict], dict]:
    """The pipeline alone: (result rows, flat headline metrics)."""
    results = run_systems(make_systems(assistant), questions, progress)[PRIMARY]
    return results, summarise(results)


# ---------------------------------------------------------------- summarising

def latency(rows: list[dict]) -> dict:
    """p50/p95 milliseconds of the whole question and of each stage."""
    stages: dict[str, list[float]] = {}
    for r in rows:
        for k, v in r["timings_ms"].items():
            stages.setdefault(k, []).append(v)
    # stages in pipeline order (as the system recorded them), the whole question last
    return {k: {"p50": round(percentile(v, 50), 2), "p95": round(percentile(v, 95), 2), "n": len(v)}
            for k, v in sorted(stages.items(), key=lambda kv: kv[0] == "total")}


def summarise(results: list[dict]) -> dict:
    """Flat metrics of one system's rows: {name: value} (rates, median answer words, latency)."""
    out: dict = {"questions": len(results)}
    for name in RATES:
        xs = [r["metrics"][name] for r in results if r["metrics"].get(name) is not None]
        out[name] = round(sum(xs) / len(xs), 4) if xs else None
    words = [r["metrics"]["answer_words"] for r in results if r["behaviour"] == "answer"]
    out["median_answer_words"] = statistics.median(words) if words else None
    total = latency(results).get("total", {})
    out["latency_p50_ms"], out["latency_p95_ms"] = total.get("p50"), total.get("p95")
    return out


def _estimates(rows: list[dict], resamples: int, seed: int, stratum: str = "") -> dict[str, dict]:
    idx = resample_indices(len(rows), resamples, seed, stratum)
    return {m: bootstrap([r["metrics"].get(m) for r in rows], idx).to_dict() for m in RATES}


def analyse(results: dict[str, list[dict]], resamples: int = 2000, seed: int = 0) -> dict:
    """Per system: metrics, 95% bootstrap intervals, per-type breakdown, latency; paired differences vs the first."""
    names = list(results)
    base = results[names[0]]
    systems = {}
    for name, rows in results.items():
        if [r["id"] for r in rows] != [r["id"] for r in base]:
            raise ValueError(f"system {name} was run on different questions")
        est = _estimates(rows, resamples, seed)
        by_type = {}
        for t in dict.fromkeys(r["type"] for r in rows):
            sub = [r for r in rows if r["type"] == t]
            by_type[t] = {"questions": len(sub), **{m: e for m, e in _estimates(sub, resamples, seed, t).items() if e["n"]}}
        systems[name] = {"metrics": summarise(rows), "intervals": {m: [e["lo"], e["hi"]] for m, e in est.items()},
                         "n": {m: e["n"] for m, e in est.items()}, "by_type": by_type, "latency": latency(rows)}
    idx = resample_indices(len(base), resamples, seed, "paired")
    comparison = {}
    for name in names[1:]:
        comparison[name] = {m: paired_bootstrap([r["metrics"].get(m) for r in results[name]],
                                                [r["metrics"].get(m) for r in base], idx).to_dict() for m in RATES}
    first = systems[names[0]]
    return {"primary": names[0], "metrics": first["metrics"], "intervals": first["intervals"], "n": first["n"],
            "by_type": first["by_type"], "latency": first["latency"], "systems": systems,
            "comparison": comparison, "bootstrap": {"resamples": resamples, "seed": seed, "interval": "95% percentile",
                                                    "difference": f"{names[0]} minus baseline, paired by question"}}


def provenance(assistant, question_file: Path, systems: list) -> dict:
    """What a reader needs to reproduce the run: corpus, index, model, code version, settings."""
    try:
        root = Path(__file__).resolve().parents[2]
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                    capture_output=True, text=True, timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", None
    s = assistant.settings
    return {
        "question_file": str(question_file),
        "question_file_sha256": hashlib.sha256(Path(question_file).read_bytes()).hexdigest(),
        "corpus_hash": assistant.corpus.fingerprint(),
        "index_build": assistant.index.manifest.get("build_id"),
        "model": assistant.embedder.name,
        "git_commit": commit or None, "git_dirty": dirty,
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(), "platform": platform.platform(),
        "config": {"top_k": s.retrieval.top_k, "candidates": s.retrieval.candidates, "rrf_k": s.retrieval.rrf_k, "chroma_url": s.chroma_url or "embedded",
                   "retrieval_depth": max(KS), "systems": {x.name: x.description for x in systems}},
    }


def write_run(out: Path, results: list[dict], summary: dict, extra: dict | None = None) -> None:
    """results.jsonl (one object per question) and summary.json; see report.write_outputs for the full set."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    body = summary if "metrics" in summary else {"metrics": summary}
    (out / "summary.json").write_text(json.dumps({**body, **(extra or {})}, indent=2, ensure_ascii=False), encoding="utf-8")
