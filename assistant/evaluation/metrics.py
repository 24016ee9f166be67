"""Pure metric functions for evaluation, and the bootstrap that puts intervals on them.

Definitions (also in evals/README.md):
- text is compared after `normalise` (case, whitespace, curly quotes, dashes,
  punctuation, thousands separators);
- a passage is relevant when it contains a gold quote, or when the quote runs
  over the passage's start or end and at least half of it (≥ 4 words) is
  inside — a chunk boundary inside the quote;
- every per-question value is a number in [0, 1] or None ("does not apply");
  a rate is the mean over the questions it applies to.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

KS = (1, 3, 5, 10)
NDCG_K = 10

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-",
                         "‐": "-", "‑": "-", "−": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "})


def normalise(text: str) -> str:
    """Lower case, unified quotes and dashes, no punctuation, no thousands separators, single spaces."""
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)          # 16,019 → 16019
    t = re.sub(r"(?<=\d)\.0+\b", "", t)                 # 10.0 → 10
    t = re.sub(r"\s*\bper ?cent\b", "%", t)              # 50 per cent → 50%
    t = re.sub(r"[^\w%'\s-]", " ", t)                   # punctuation is not evidence
    t = re.sub(r"(?<!\w)['-]+|['-]+(?!\w)", " ", t)     # quotes and dashes standing alone
    return " ".join(t.split())


def occurs(needle: str, hay: str) -> bool:
    """Whole-word occurrence: "10000" is not in "100000", "lga" is in "lga's"."""
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", hay) is not None


def _contains_norm(p: str, q: str) -> bool:
    """`contains_quote` on already-normalised text."""
    if not q:
        return False
    if occurs(q, p):
        return True
    qw = q.split()
    need = max(4, math.ceil(len(qw) / 2))
    for n in range(len(qw) - 1, need - 1, -1):      # the quote runs off the passage's end or start
        head, tail = " ".join(qw[:n]), " ".join(qw[-n:])
        if (p == head or p.endswith(" " + head)) or (p == tail or p.startswith(tail + " ")):
            return True
    return False


def contains_quote(passage: str, quote: str) -> bool:
    """Does the passage hold the quote (tolerating a chunk boundary inside it)?"""
    return _contains_norm(normalise(passage), normalise(quote))


def has_fact(answer: str, fact: str) -> bool:
    """The fact occurs in the answer as whole words after normalising ("16,019" matches "16019")."""
    return occurs(normalise(fact), normalise(answer))


# ---------------------------------------------------------------- retrieval

def coverage(passages: list[str], quotes: list[str]) -> list[frozenset[int]]:
    """For each passage (best first), the indices of the gold quotes it contains."""
    nq = [normalise(q) for q in quotes]
    return [frozenset(j for j, q in enumerate(nq) if _contains_norm(p, q)) for p in (normalise(x) for x in passages)]


def count_relevant(passages: list[str], quotes: list[str]) -> int:
    """How many passages of a whole collection are relevant (the ideal ranking for nDCG)."""
    return sum(bool(c) for c in coverage(passages, quotes))


def retrieval_metrics(covered: list[frozenset[int]], n_quotes: int, n_relevant: int) -> dict:
    """hit@k, recall@k, reciprocal rank and nDCG@10 of one ranked list.

    `covered[i]` is the set of gold quotes in the passage at rank i+1; `n_relevant`
    is how many passages of the system's collection are relevant.
    """
    rel = [bool(c) for c in covered]
    first = next((i + 1 for i, r in enumerate(rel) if r), None)
    out: dict = {"first_relevant_rank": first}
    for k in KS:
        out[f"hit@{k}"] = float(any(rel[:k]))
        found = set().union(*covered[:k]) if covered[:k] else set()
        out[f"recall@{k}"] = len(found) / n_quotes if n_quotes else None
    out["mrr"] = 1.0 / first if first else 0.0
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(rel[:NDCG_K]) if r)
    ideal_n = min(NDCG_K, max(n_relevant, sum(rel[:NDCG_K]), 1))
    out[f"ndcg@{NDCG_K}"] = dcg / sum(1 / math.log2(i + 2) for i in range(ideal_n))
    return out


# ---------------------------------------------------------------- answers

CITE = re.compile(r"((?:\s*\[\d+\])+)")


@dataclass(frozen=True)
class Statement:
    text: str                 # the claim: the quoted text if quoted, else the segment
    cites: tuple[int, ...]    # citation numbers attached to it


def _claim(block: str) -> str:
    if "“" in block:
        a = block.index("“") + 1
        b = block.rindex("”") if "”" in block[a:] else len(block)
        return block[a:b].strip()
    return re.sub(r"^[-*•]\s+", "", block).strip()


def statements(answer: str) -> list[Statement]:
    """Split an answer into statements: each paragraph or list item, with the citation markers that end it.

    Text in “…” is the claim (from the first opening to the last closing quote, so
    nested quotes and line breaks inside a quote survive); an opener such as
    "The LGA's view is:" is not. Text without a citation is a statement too,
    unless it only introduces what follows (ends in ":") or is a heading.
    """
    out = []
    parts = CITE.split(answer)
    for i in range(0, len(parts), 2):
        cites = tuple(int(n) for n in re.findall(r"\d+", parts[i + 1])) if i + 1 < len(parts) else ()
        blocks = [b.strip() for b in re.split(r"\n\s*\n|\n(?=\s*[-*•]\s)", parts[i]) if b.strip()]
        for j, block in enumerate(blocks):
            mine = cites if j == len(blocks) - 1 else ()
            if not mine and (not re.search(r"\w", block) or block.endswith(":") or block.startswith("#")):
                continue
            if claim := _claim(block):
                out.append(Statement(claim, mine))
    return out


def citation_scores(answer: str, passages: dict[int, str]) -> tuple[float | None, float | None]:
    """(precision, recall) of an answer's citations in the ALCE sense, with containment as support.

    recall: share of statements with at least one citation whose passage contains the statement;
    precision: share of (statement, citation) pairs whose passage contains the statement.
    """
    sts = statements(answer)
    if not sts:
        return None, None
    npass = {n: normalise(p) for n, p in passages.items()}
    supported, pairs, good = 0, 0, 0
    for s in sts:
        claim = normalise(s.text)
        ok = [n in npass and occurs(claim, npass[n]) for n in s.cites]
        supported += any(ok)
        pairs += len(ok)
        good += sum(ok)
    return (good / pairs if pairs else None), supported / len(sts)


def speaker_correct(answer: str, party: str, cited_speakers: list[str]) -> bool:
    """The answer (its text or a cited speaker's name/label) names the party holding the view."""
    p = normalise(party)
    return any(occurs(p, normalise(h)) for h in (answer, *cited_speakers))


# ---------------------------------------------------------------- aggregation and uncertainty

def rate(values) -> float | None:
    xs = [v for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None


def percentile(values: list[float], p: float) -> float | None:
    return float(np.percentile(np.asarray(values, dtype=float), p)) if len(values) else None


def _as_array(values) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def resample_indices(n: int, resamples: int, seed: int, stratum: str = "") -> np.ndarray:
    """(resamples, n) question indices drawn with replacement; the same seed gives the same draws."""
    rng = np.random.default_rng([seed, zlib.crc32(stratum.encode())])
    return rng.integers(0, n, size=(resamples, n)) if n else np.zeros((resamples, 0), dtype=int)


def _means(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Mean of the applicable (non-NaN) values in each resample; NaN where none applies."""
    draws = x[idx]
    ok = ~np.isnan(draws)
    counts = ok.sum(axis=1)
    sums = np.where(ok, draws, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


@dataclass(frozen=True)
class Estimate:
    value: float | None
    lo: float | None
    hi: float | None
    n: int                    # questions the metric applies to

    def to_dict(self) -> dict:
        r = lambda v: None if v is None else round(v, 4)  # noqa: E731
        return {"value": r(self.value), "lo": r(self.lo), "hi": r(self.hi), "n": self.n}


def _interval(stats: np.ndarray) -> tuple[float | None, float | None]:
    stats = stats[~np.isnan(stats)]
    if not len(stats):
        return None, None
    lo, hi = np.percentile(stats, [2.5, 97.5])
    return float(lo), float(hi)


def bootstrap(values, idx: np.ndarray) -> Estimate:
    """Point estimate (mean over applicable questions) and 95% percentile-bootstrap interval."""
    x = _as_array(values)
    n = int((~np.isnan(x)).sum())
    if n == 0:
        return Estimate(None, None, None, 0)
    lo, hi = _interval(_means(x, idx))
    return Estimate(float(np.nanmean(x)), lo, hi, n)


def paired_bootstrap(a, b, idx: np.ndarray) -> Estimate:
    """Difference b − a of two systems' rates on the same questions, resampling questions jointly."""
    xa, xb = _as_array(a), _as_array(b)
    na, nb = int((~np.isnan(xa)).sum()), int((~np.isnan(xb)).sum())
    if not na or not nb:
        return Estimate(None, None, None, 0)
    lo, hi = _interval(_means(xb, idx) - _means(xa, idx))
    return Estimate(float(np.nanmean(xb) - np.nanmean(xa)), lo, hi, min(na, nb))
