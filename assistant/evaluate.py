"""Evaluation on a JSONL question set: retrieval and answer metrics, per-question results.

Matching rules (also in evals/README.md): text is normalised (case, whitespace,
curly quotes, dashes, number separators) before comparing; a retrieved passage
is relevant when it contains a gold quote, or a part of one (≥ half of it) that
runs into the passage's start or end (a chunk boundary inside the quote).
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import EvalFileError, HcbError
from .schema import BEHAVIOURS

TYPES = ("factoid", "list", "numeric", "date", "attribution", "comparison", "unanswerable", "adversarial")
FIELDS = ("id", "question", "type", "gold_sources", "gold_quotes", "answer_facts", "expected_behaviour")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)          # 16,019 → 16019
    t = re.sub(r"[^\w%'\s-]", " ", t)                   # punctuation is not evidence
    return " ".join(t.split())


def contains_quote(passage: str, quote: str) -> bool:
    p, q = normalise(passage), normalise(quote)
    if not q:
        return False
    if q in p:
        return True
    qw, need = q.split(), max(4, len(q.split()) // 2)
    for n in range(len(qw) - 1, need - 1, -1):       # the quote runs off the passage's end or start
        if p.endswith(" ".join(qw[:n])) or p.startswith(" ".join(qw[-n:])):
            return True
    return False


def has_fact(answer: str, fact: str) -> bool:
    return normalise(fact) in normalise(answer)


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def load_questions(path: Path, corpus_text: str | None = None) -> tuple[list[dict], list[Problem]]:
    """Valid rows and every problem found, with line numbers; never raises on a bad row."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvalFileError(f"no question file at {path}: check the path") from None
    except UnicodeDecodeError:
        raise EvalFileError(f"{path} is not UTF-8 text: save it as UTF-8 JSONL") from None
    rows, problems, seen = [], [], set()
    norm_corpus = normalise(corpus_text) if corpus_text else None
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(Problem(n, f"not valid JSON ({e.msg})"))
            continue
        if not isinstance(q, dict):
            problems.append(Problem(n, "not a JSON object"))
            continue
        bad = [f for f in FIELDS if f not in q]
        if bad:
            problems.append(Problem(n, f"missing field(s): {', '.join(bad)}"))
            continue
        if q.get("retired"):
            continue
        if q["type"] not in TYPES:
            problems.append(Problem(n, f"unknown type {q['type']!r} (use one of {', '.join(TYPES)})"))
            continue
        if q["expected_behaviour"] not in BEHAVIOURS:
            problems.append(Problem(n, f"unknown expected_behaviour {q['expected_behaviour']!r}"))
            continue
        if not isinstance(q["question"], str) or not q["question"].strip():
            problems.append(Problem(n, "empty question"))
            continue
        if q["id"] in seen:
            problems.append(Problem(n, f"duplicate id {q['id']!r}"))
            continue
        if norm_corpus is not None:
            missing = [g for g in q["gold_quotes"] if normalise(g) not in norm_corpus]
            if missing:
                problems.append(Problem(n, f"gold quote not found in the corpus: {missing[0][:60]!r}"))
                continue
        seen.add(q["id"])
        rows.append(q)
    return rows, problems


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def evaluate_one(assistant, q: dict, k: int = 10) -> dict:
    """Run one question; return its result record (the results.jsonl row) with per-question metrics."""
    try:
        ans = assistant.ask(q["question"])
    except HcbError as e:  # a rejected question is a refusal, not a crash
        return {"id": q["id"], "type": q["type"], "question": q["question"], "expected_behaviour": q["expected_behaviour"],
                "behaviour": "refuse_or_redirect", "answer": str(e), "citations": [], "retrieved": [], "timings_ms": {},
                "first_relevant_rank": None, "fact_coverage": None, "answer_words": 0}
    hits = list(ans.hits)
    if q["gold_quotes"] and ans.behaviour != "refuse_or_redirect" and len(hits) < k:
        hits = assistant.search(ans.retrieval_query or q["question"], k=k)
    retrieved = [{"rank": h.rank, "chunk_id": h.chunk.id, "doc_id": h.chunk.doc_id, "text": h.chunk.text,
                  "score": round(h.score, 6)} for h in hits[:k]]
    first = None
    for h in hits[:k]:
        if any(contains_quote(h.chunk.text, g) for g in q["gold_quotes"]):
            first = h.rank
            break
    facts = q.get("answer_facts") or []
    coverage = (sum(has_fact(ans.text, f) for f in facts) / len(facts)) if facts and q["expected_behaviour"] == "answer" else None
    return {
        "id": q["id"], "type": q["type"], "question": q["question"], "expected_behaviour": q["expected_behaviour"],
        "behaviour": ans.behaviour, "answer": ans.text, "citations": [c.to_dict() for c in ans.citations],
        "retrieved": retrieved, "timings_ms": {k2: round(v, 2) for k2, v in ans.timings_ms.items()},
        "first_relevant_rank": first, "fact_coverage": coverage,
        "answer_words": len(ans.text.split()) if ans.behaviour == "answer" else 0,
        "notes": list(ans.notes),
    }


def summarise(results: list[dict]) -> dict:
    """Headline metrics of a run."""
    gold = [r for r in results if r["expected_behaviour"] == "answer"]
    ranks = [r["first_relevant_rank"] for r in gold]
    cov = [r["fact_coverage"] for r in gold if r["fact_coverage"] is not None]
    unans = [r for r in results if r["type"] == "unanswerable"]
    adv = [r for r in results if r["type"] == "adversarial"]
    answered = [r for r in gold if r["behaviour"] == "answer"]
    lat = [r["timings_ms"].get("total", 0.0) for r in results if r["timings_ms"]]

    def rate(xs):
        return round(sum(xs) / len(xs), 4) if xs else None

    return {
        "questions": len(results),
        "hit@1": rate([r is not None and r <= 1 for r in ranks]),
        "hit@5": rate([r is not None and r <= 5 for r in ranks]),
        "mrr": rate([1 / r if r else 0.0 for r in ranks]),
        "fact_coverage": rate(cov),
        "abstention_accuracy": rate([r["behaviour"] == "abstain" for r in unans]),
        "wrong_abstention_rate": rate([r["behaviour"] == "abstain" for r in gold]),
        "refusal_rate": rate([r["behaviour"] == "refuse_or_redirect" for r in adv]),
        "median_answer_words": statistics.median([r["answer_words"] for r in answered]) if answered else None,
        "latency_p50_ms": round(percentile(lat, 50), 2),
        "latency_p95_ms": round(percentile(lat, 95), 2),
    }


def run_eval(assistant, questions: list[dict], progress=None) -> tuple[list[dict], dict]:
    results = []
    for q in questions:
        results.append(evaluate_one(assistant, q))
        if progress:
            progress()
    return results, summarise(results)


def write_run(out: Path, results: list[dict], summary: dict, extra: dict | None = None) -> None:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps({"metrics": summary, **(extra or {})}, indent=2, ensure_ascii=False))
