"""Summaries by split: `dev` and `test` side by side, the gap between them, and the parts that only
exist across several rows — paraphrase consistency and whole conversations.

A row is *right* when its behaviour is the expected one and, for an answerable question with
answer facts, every fact is in the answer. A paraphrase group is consistent when every wording is
right; a conversation is fully right when every turn is.

    parts = split_summary(results)          # results: {system: rows}, the primary system first
    parts["splits"]["test"]["singles"]["metrics"]["fact_coverage"], parts["gap"]["singles"]["fact_coverage"]

>>> rows = [{"behaviour": "answer", "expected_behaviour": "answer", "metrics": {"fact_coverage": 1.0}, "group": "g"},
...         {"behaviour": "abstain", "expected_behaviour": "answer", "metrics": {"fact_coverage": 0.0}, "group": "g"}]
>>> [is_right(r) for r in rows], consistency(rows, "group", resamples=10)["rate"]
([True, False], 0.0)
"""

from __future__ import annotations

from .metrics import bootstrap, resample_indices
from .runner import RATES, analyse

ORDER = ("dev", "test")          # shown first, in this order; other splits (legacy, all) after them
PARTS = ("singles", "first_turns", "follow_ups")


def is_right(row: dict) -> bool:
    fc = row["metrics"].get("fact_coverage")
    return row["behaviour"] == row["expected_behaviour"] and (fc is None or fc >= 1.0)


def split_names(rows: list[dict]) -> list[str]:
    present = list(dict.fromkeys(r.get("split", "all") for r in rows))
    return [s for s in ORDER if s in present] + sorted(s for s in present if s not in ORDER)


def consistency(rows: list[dict], key: str, resamples: int = 2000, seed: int = 0) -> dict | None:
    """Share of units (paraphrase groups, conversations) whose every row is right, with a 95% interval."""
    units: dict[str, list[dict]] = {}
    for r in rows:
        if r.get(key) is not None:
            units.setdefault(str(r[key]), []).append(r)
    if not units:
        return None
    names = list(units)
    ok = [float(all(is_right(r) for r in units[u])) for u in names]
    est = bootstrap(ok, resample_indices(len(ok), resamples, seed, key))
    return {"units": len(ok), "right": int(sum(ok)), "rate": est.value, "lo": est.lo, "hi": est.hi,
            "wrong": [u for u, v in zip(names, ok) if not v]}


def _part(results: dict[str, list[dict]], keep, resamples: int, seed: int) -> dict | None:
    # the primary system only: the baselines are compared on the whole file, not split by split
    primary = next(iter(results))
    rows = [r for r in results[primary] if keep(r)]
    return analyse({primary: rows}, resamples, seed) if rows else None


def split_summary(results: dict[str, list[dict]], resamples: int = 2000, seed: int = 0) -> dict:
    """Per split: single questions, first turns and follow-ups (each a full `analyse`), paraphrase
    consistency and conversations fully right; and the test − dev gap of every rate."""
    primary = next(iter(results))
    rows = results[primary]
    out: dict = {"order": split_names(rows), "splits": {}, "gap": {}}
    for split in out["order"]:
        mine = lambda r, split=split: r.get("split", "all") == split  # noqa: E731
        part = {
            "singles": _part(results, lambda r: mine(r) and "turn" not in r, resamples, seed),
            "first_turns": _part(results, lambda r: mine(r) and r.get("turn") == 0, resamples, seed),
            "follow_ups": _part(results, lambda r: mine(r) and (r.get("turn") or 0) > 0, resamples, seed),
            "paraphrase": consistency([r for r in rows if mine(r) and "turn" not in r], "group", resamples, seed),
            "conversations": consistency([r for r in rows if mine(r) and "turn" in r], "id", resamples, seed),
        }
        out["splits"][split] = part
    if "dev" in out["splits"] and "test" in out["splits"]:
        dev, test = out["splits"]["dev"], out["splits"]["test"]
        for p in PARTS:
            if dev[p] and test[p]:
                out["gap"][p] = {m: _minus(test[p]["metrics"].get(m), dev[p]["metrics"].get(m))
                                 for m in RATES + ("median_answer_words",)}
        for p in ("paraphrase", "conversations"):
            if dev[p] and test[p]:
                out["gap"][p] = _minus(test[p]["rate"], dev[p]["rate"])
    return out


def _minus(a, b):
    return None if a is None or b is None else round(a - b, 4)


def headline(summary_part: dict | None, name: str):
    """A metric's value in one part of a split summary (None when the part is absent)."""
    if not summary_part:
        return None
    if "metrics" in summary_part:
        return summary_part["metrics"].get(name)
    return summary_part.get(name)
