"""The split summary as tables (header + rows of strings), for the terminal and for report.md alike.

    for title, head, rows in split_tables(summary["by_split"]):
        print(title); print(head); print(*rows, sep="\n")
"""

from __future__ import annotations

from .formatting import fmt, fmt_ci
from .runner import RATES

HEADLINE = ("hit@1", "hit@5", "mrr", "fact_coverage", "citation_precision", "speaker_correctness",
            "abstention_recall", "wrong_abstention_rate", "wrong_decline_rate", "refusal_rate", "behaviour_accuracy")
EXTRA = ("median_answer_words", "latency_p50_ms", "latency_p95_ms")
TITLES = {"singles": "single questions", "first_turns": "conversations: first turns",
          "follow_ups": "conversations: follow-up turns"}
TYPE_COLUMNS = ("behaviour_accuracy", "fact_coverage", "hit@5")


def _cell(part: dict | None, m: str) -> str:
    if not part:
        return "—"
    v = part["metrics"].get(m)
    if m in RATES:
        lo, hi = part["intervals"][m]
        n = part["n"][m]
        return "—" if v is None else f"{fmt(v)} {fmt_ci(lo, hi, 2)} n={n}"
    return fmt(v, 1)


def _gap(gap: dict, part: str, m: str) -> str:
    v = gap.get(part, {}).get(m) if isinstance(gap.get(part), dict) else None
    return "—" if v is None else f"{v:+.3f}"


def split_tables(by_split: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    """One table per part present (single questions, first turns, follow-ups): metric × split, plus the gap;
    then paraphrase consistency and whole conversations; then each part by question type."""
    splits = by_split["order"]
    gap = by_split["gap"]
    has_gap = bool(gap)
    out = []
    for part in ("singles", "first_turns", "follow_ups"):
        if not any(by_split["splits"][s][part] for s in splits):
            continue
        head = ["metric"] + splits + (["gap (test − dev)"] if has_gap else [])
        rows = [[m] + [_cell(by_split["splits"][s][part], m) for s in splits]
                + ([_gap(gap, part, m)] if has_gap else []) for m in HEADLINE + EXTRA]
        n = [str((by_split["splits"][s][part] or {}).get("metrics", {}).get("questions", 0)) for s in splits]
        rows.insert(0, ["questions"] + n + ([""] if has_gap else []))
        out.append((TITLES[part], head, rows))
    rows = []
    for key, label in (("paraphrase", "paraphrase consistency (groups fully right)"),
                       ("conversations", "conversations fully right")):
        vals = [by_split["splits"][s][key] for s in splits]
        if any(vals):
            cells = ["—" if not v else f"{fmt(v['rate'])} {fmt_ci(v['lo'], v['hi'], 2)} ({v['right']}/{v['units']})" for v in vals]
            g = gap.get(key)
            rows.append([label] + cells + ([f"{g:+.3f}" if g is not None else "—"] if has_gap else []))
    if rows:
        out.append(("across rows", ["measure"] + splits + (["gap (test − dev)"] if has_gap else []), rows))
    for part in ("singles", "first_turns", "follow_ups"):
        types = list(dict.fromkeys(t for s in splits for t in ((by_split["splits"][s][part] or {}).get("by_type") or {})))
        if not types:
            continue
        head = ["type"] + [f"{s}: {c}" for s in splits for c in TYPE_COLUMNS]
        rows = []
        for t in types:
            row = [t]
            for s in splits:
                d = ((by_split["splits"][s][part] or {}).get("by_type") or {}).get(t, {})
                row += [f"{fmt(d[c]['value'])} (n={d[c]['n']})" if c in d else "—" for c in TYPE_COLUMNS]
            rows.append(row)
        out.append((f"{TITLES[part]}, by type", head, rows))
    return out
