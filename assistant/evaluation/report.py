"""Writing an evaluation run: per-question JSONL and CSV, summary.json, a Markdown report and PNG charts.

    write_outputs(out_dir, results, summary)

Layout of `out_dir`:
    results.jsonl, results.csv          the pipeline, one row per question
    results-<baseline>.jsonl/.csv       each baseline (with --compare)
    summary.json                        metrics, intervals, per type, differences, provenance
    report.md                           tables and charts for a reader
    by_type.png, hit_at_k.png, latency.png, systems.png
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from .runner import GATED, LOWER_IS_BETTER, RATES
from .formatting import fmt, fmt_ci
from .metrics import bootstrap, resample_indices
from .split_tables import split_tables

TYPE_PANELS = ("hit@5", "mrr", "fact_coverage", "behaviour_accuracy")
SYSTEM_PANEL = ("hit@1", "hit@5", "mrr", "ndcg@10", "fact_coverage", "speaker_correctness", "behaviour_accuracy")
COLOURS = {"hcb": "#1b6ca8", "bm25": "#e08a1e", "dense": "#5a9e4b", "langchain": "#8e5aa8"}


def file_name(system: str, primary: str, ext: str) -> str:
    return f"results.{ext}" if system == primary else f"results-{system}.{ext}"


# ---------------------------------------------------------------- per-question files

def _csv_row(r: dict, stages: list[str]) -> dict:
    row = {"system": r["system"], "id": r["id"], "type": r["type"], "expected_behaviour": r["expected_behaviour"],
           "behaviour": r["behaviour"], "question": r["question"], "answer": r["answer"],
           "retrieved": " | ".join(f"{x['rank']}:{x['chunk_id']}" for x in r["retrieved"]),
           "citations": " | ".join(f"[{c['n']}] {c['doc_id']}:{c.get('chunk_id', '')}" for c in r["citations"]),
           "first_relevant_rank": r["first_relevant_rank"]}
    row.update({m: r["metrics"].get(m) for m in RATES})
    row["answer_words"] = r["metrics"].get("answer_words")
    row.update({f"ms_{s}": r["timings_ms"].get(s) for s in stages})
    return row


def write_results(out: Path, system: str, primary: str, rows: list[dict]) -> None:
    with (out / file_name(system, primary, "jsonl")).open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    stages = sorted({k for r in rows for k in r["timings_ms"]}, key=lambda k: (k == "total", k))
    with (out / file_name(system, primary, "csv")).open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(_csv_row(rows[0], stages)) if rows else ["id"])
        w.writeheader()
        for r in rows:
            w.writerow(_csv_row(r, stages))


def write_outputs(out: Path, results: dict[str, list[dict]], summary: dict) -> list[Path]:
    """Everything a run writes; returns the chart paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for system, rows in results.items():
        write_results(out, system, summary["primary"], rows)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    charts = write_charts(out, results, summary)
    (out / "report.md").write_text(markdown(results, summary, [c.name for c in charts]), encoding="utf-8")
    return charts


# ---------------------------------------------------------------- charts

def _plt():
    # lazy, and the headless backend chosen before pyplot loads: charts are drawn only with --out
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # after use("Agg"), see above

    return plt


def _bars(ax, groups: list[str], systems: list[str], get) -> None:
    """Grouped bars with 95% interval whiskers; `get(system, group)` → estimate dict or None."""
    width = 0.8 / max(1, len(systems))
    for i, s in enumerate(systems):
        xs, ys, errs = [], [], [[], []]
        for j, g in enumerate(groups):
            e = get(s, g)
            if not e or e.get("value") is None:
                continue
            xs.append(j + (i - (len(systems) - 1) / 2) * width)
            ys.append(e["value"])
            errs[0].append(max(0.0, e["value"] - e["lo"]))
            errs[1].append(max(0.0, e["hi"] - e["value"]))
        ax.bar(xs, ys, width * 0.95, yerr=errs, capsize=2, label=s, color=COLOURS.get(s), error_kw={"lw": 0.8})
    ax.set_xticks(range(len(groups)), groups, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.grid(axis="y", alpha=0.3)


def _legend(fig, ax, n: int) -> None:
    """One legend above the panels, where it hides no bar."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncol=max(1, n), fontsize=9, frameon=False)


def chart_by_type(path: Path, summary: dict) -> None:
    plt = _plt()
    systems = list(summary["systems"])
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), constrained_layout=True)
    for ax, metric in zip(axes.flat, TYPE_PANELS):
        types = [t for t in summary["by_type"] if any(metric in summary["systems"][s]["by_type"].get(t, {}) for s in systems)]
        _bars(ax, types, systems, lambda s, t: summary["systems"][s]["by_type"].get(t, {}).get(metric))
        ax.set_title(f"{metric} by question type (95% CI)", fontsize=10)
    _legend(fig, axes.flat[0], len(systems))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def hit_curve(rows: list[dict], resamples: int, seed: int, depth: int = 10) -> list[dict]:
    """hit@k for k = 1..depth with 95% intervals, from each question's first relevant rank."""
    gold = [r for r in rows if r["metrics"].get("hit@1") is not None]
    idx = resample_indices(len(gold), resamples, seed, "hit-curve")
    fr = [r["first_relevant_rank"] for r in gold]
    return [bootstrap([float(f is not None and f <= k) for f in fr], idx).to_dict() for k in range(1, depth + 1)]


def chart_hit_at_k(path: Path, results: dict[str, list[dict]], summary: dict) -> None:
    plt = _plt()
    b = summary["bootstrap"]
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    ks = list(range(1, 11))
    for s, rows in results.items():
        curve = hit_curve(rows, b["resamples"], b["seed"])
        ys = [c["value"] or 0 for c in curve]
        depth = max((len(r["retrieved"]) for r in rows), default=0)
        label = s if depth >= len(ks) else f"{s} (retrieves {depth})"
        ax.plot(ks, ys, marker="o", ms=3, label=label, color=COLOURS.get(s))
        ax.fill_between(ks, [c["lo"] or 0 for c in curve], [c["hi"] or 0 for c in curve], alpha=0.15, color=COLOURS.get(s))
    ax.set_xticks(ks)
    ax.set_xlabel("k (passages retrieved)")
    ax.set_ylabel("hit@k")
    ax.set_ylim(0, 1.02)
    ax.set_title("Retrieval: share of answerable questions with evidence in the top k (95% CI)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_latency(path: Path, results: dict[str, list[dict]], summary: dict) -> None:
    plt = _plt()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.5), constrained_layout=True)
    totals = {s: [r["timings_ms"]["total"] for r in rows if "total" in r["timings_ms"]] for s, rows in results.items()}
    alls = [v for vs in totals.values() for v in vs if v > 0]
    if alls:
        bins = np.logspace(np.log10(min(alls)), np.log10(max(alls) * 1.01), 30)
        for s, vs in totals.items():
            a1.hist([v for v in vs if v > 0], bins=bins, histtype="step", lw=1.6, label=s, color=COLOURS.get(s))
        a1.set_xscale("log")
    a1.set_xlabel("milliseconds per question (log scale)")
    a1.set_ylabel("questions")
    a1.set_title("Latency per question", fontsize=10)
    a1.legend(fontsize=8)
    lat = summary["latency"]
    stages = [k for k in lat if k != "total"] + (["total"] if "total" in lat else [])
    x = np.arange(len(stages))
    a2.bar(x - 0.2, [lat[s]["p50"] for s in stages], 0.4, label="p50", color="#1b6ca8")
    a2.bar(x + 0.2, [lat[s]["p95"] for s in stages], 0.4, label="p95", color="#9cc3e0")
    a2.set_xticks(x, stages, fontsize=8)
    a2.set_ylabel("milliseconds")
    a2.set_title(f"{summary['primary']}: latency per stage", fontsize=10)
    a2.legend(fontsize=8)
    a2.grid(axis="y", alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_systems(path: Path, summary: dict) -> None:
    plt = _plt()
    systems = list(summary["systems"])
    fig, ax = plt.subplots(figsize=(10, 4.5), constrained_layout=True)

    def get(s, m):
        sy = summary["systems"][s]
        lo, hi = sy["intervals"][m]
        return {"value": sy["metrics"][m], "lo": lo, "hi": hi}

    _bars(ax, list(SYSTEM_PANEL), systems, get)
    ax.set_title("Headline metrics by system (95% CI)", fontsize=10)
    _legend(fig, ax, len(systems))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_charts(out: Path, results: dict[str, list[dict]], summary: dict) -> list[Path]:
    paths = [out / "by_type.png", out / "hit_at_k.png", out / "latency.png", out / "systems.png"]
    chart_by_type(paths[0], summary)
    chart_hit_at_k(paths[1], results, summary)
    chart_latency(paths[2], results, summary)
    chart_systems(paths[3], summary)
    return paths


# ---------------------------------------------------------------- Markdown

def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def diff_cell(e: dict, metric: str) -> str:
    """"+0.141 [+0.072, +0.226] ✱" — the star marks an interval that excludes zero."""
    if e.get("value") is None:
        return "—"
    sig = e["lo"] is not None and (e["lo"] > 0 or e["hi"] < 0)
    return f"{e['value']:+.3f} [{e['lo']:+.3f}, {e['hi']:+.3f}]{' ✱' if sig else ''}"


def markdown(results: dict[str, list[dict]], summary: dict, charts: list[str]) -> str:
    p = summary["primary"]
    q = summary.get("questions", {})
    out = [f"# Evaluation report: {Path(summary.get('question_file', '')).name or 'questions'}", ""]
    out.append(_table(["", ""], [
        ["questions evaluated", str(summary["metrics"]["questions"])],
        ["rows skipped (invalid)", str(q.get("skipped", 0))],
        ["corpus hash", str(summary.get("corpus_hash"))], ["index build", str(summary.get("index_build"))],
        ["embedding model", str(summary.get("model"))],
        ["git commit", f"{summary.get('git_commit')}{' (uncommitted changes)' if summary.get('git_dirty') else ''}"],
        ["timestamp (UTC)", str(summary.get("timestamp"))], ["wall time", f"{summary.get('elapsed_s', 0):.1f} s"],
        ["intervals", f"95% percentile bootstrap, {summary['bootstrap']['resamples']} resamples of questions, seed {summary['bootstrap']['seed']}"],
    ]))
    if q.get("problems"):
        out += ["", "## Skipped rows", ""] + [f"- line {x['line']}: {x['message']}" for x in q["problems"]]
    out += ["", f"## Metrics: {p}", "", "Definitions: evals/README.md. n = questions the metric applies to.", ""]
    rows = [[m, fmt(summary["metrics"][m]), fmt_ci(*summary["intervals"][m]), str(summary["n"][m])] for m in RATES]
    rows += [[m, fmt(summary["metrics"][m], 1), "", ""] for m in ("median_answer_words", "latency_p50_ms", "latency_p95_ms")]
    out.append(_table(["metric", "value", "95% CI", "n"], rows))
    if summary["comparison"]:
        names = list(summary["systems"])
        out += ["", "## Systems compared on the same questions", ""]
        out += [f"- **{s}**: {summary['config']['systems'].get(s, '')}" for s in names] if "config" in summary else []
        out += ["", f"Δ = {p} minus the baseline, with a paired bootstrap interval; ✱ marks an interval that excludes 0.",
                f"Lower is better for {', '.join(sorted(LOWER_IS_BETTER))}.", ""]
        head = ["metric"] + names + [f"Δ vs {s}" for s in names[1:]]
        rows = []
        for m in RATES:
            vals = [fmt(summary["systems"][s]["metrics"][m]) for s in names]
            rows.append([m] + vals + [diff_cell(summary["comparison"][s][m], m) for s in names[1:]])
        for m in ("median_answer_words", "latency_p50_ms", "latency_p95_ms"):
            rows.append([m] + [fmt(summary["systems"][s]["metrics"][m], 1) for s in names] + [""] * (len(names) - 1))
        out.append(_table(head, rows))
    if summary.get("by_split"):
        out += ["", f"## By split: {p}", "",
                "`dev` is for tuning and reading answers; `test` is run only to report. "
                "The gap is test minus dev: a rise on dev that test does not show is not progress.", ""]
        for title, head, rows in split_tables(summary["by_split"]):
            out += [f"### {title}", "", _table(head, rows), ""]
    out += ["", f"## By question type: {p}", ""]
    cols = ("hit@5", "mrr", "fact_coverage", "speaker_correctness", "behaviour_accuracy")
    rows = []
    for t, d in summary["by_type"].items():
        rows.append([t, str(d["questions"])] + [f"{fmt(d[c]['value'])} {fmt_ci(d[c]['lo'], d[c]['hi'], 2)}" if c in d else "—" for c in cols])
    out.append(_table(["type", "n"] + list(cols), rows))
    out += ["", "## Latency (milliseconds)", ""]
    rows = []
    for s, sy in summary["systems"].items():
        rows += [[s, stage, fmt(v["p50"], 2), fmt(v["p95"], 2), str(v["n"])] for stage, v in sy["latency"].items()]
    out.append(_table(["system", "stage", "p50", "p95", "n"], rows))
    out += ["", "## Charts", ""] + [f"![{c}]({c})" for c in charts]
    out += ["", f"## Questions to look at ({p})", "",
            "Answerable questions with no evidence in the top 5, facts missing, or the wrong behaviour. "
            "Rows of the `test` split are not listed: they are counted, never read while tuning.", ""]
    rows = []
    for r in results[p]:
        if r.get("split") == "test":
            continue
        m = r["metrics"]
        if m.get("hit@5") == 0 or (m.get("fact_coverage") is not None and m["fact_coverage"] < 1) or not m["behaviour_accuracy"]:
            rows.append([r["id"] + (f".{r['turn']}" if "turn" in r else ""), r["type"], r["expected_behaviour"], r["behaviour"], fmt(r["first_relevant_rank"]),
                         fmt(m.get("fact_coverage"), 2), r["question"].replace("|", "\\|")[:90]])
    out.append(_table(["id", "type", "expected", "got", "first relevant rank", "fact coverage", "question"], rows) if rows else "None.")
    out += ["", "Metrics held by the regression gate (evals/floors.json): " + ", ".join(GATED) + ".", ""]
    return "\n".join(out)
