"""One evaluation of one file, end to end: read it leniently, run single questions and conversations
through every system, summarise the whole and each split.

    results, summary = evaluate_file(assistant, Path("evals/singles.jsonl"), compare=False)
    summary["by_split"]["splits"]["test"]["singles"]["metrics"]["fact_coverage"]
"""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import EvalFileError
from .questions import EvalSet, read_eval_file
from .runner import analyse, make_systems, provenance, run_conversations, run_systems
from .splits import split_summary


def evaluate_file(assistant, path: Path, *, compare: bool = False, cache_dir: Path | None = None,
                  seeds_dir: Path | None = None, resamples: int = 2000, seed: int = 0,
                  progress=None, on_loaded=None) -> tuple[dict[str, list[dict]], dict]:
    """(results {system: rows}, summary). `on_loaded(evalset)` is called once the file is read (to size a
    progress bar); `progress()` after each question or turn."""
    t0 = time.perf_counter()
    es: EvalSet = read_eval_file(path, assistant.corpus, seeds_dir)
    if not es.singles and not es.conversations:
        raise EvalFileError(f"{path} has no question to evaluate: each row needs a \"question\" (or \"turns\")")
    if on_loaded:
        on_loaded(es)
    systems = make_systems(assistant, compare, cache_dir)
    try:
        results = {s.name: [] for s in systems}
        parts = []
        if es.singles:
            parts.append(run_systems(systems, es.singles, progress))
        if es.conversations:
            parts.append(run_conversations(systems, es.conversations, progress))
        for part in parts:
            for name, rows in part.items():
                results[name] += rows
    finally:
        for s in systems:
            getattr(s, "close", lambda: None)()
    summary = analyse(results, resamples, seed)
    summary["by_split"] = split_summary(results, resamples, seed)
    summary.update(provenance(assistant, path, systems))
    summary["questions"] = {"valid": len(es.singles) + sum(len(c["turns"]) for c in es.conversations),
                            "singles": len(es.singles), "conversations": len(es.conversations),
                            "turns": sum(len(c["turns"]) for c in es.conversations),
                            "skipped": len({p.line for p in es.skipped}),
                            "problems": [p.to_dict() for p in es.skipped],
                            "warnings": [p.to_dict() for p in es.warnings]}
    summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
    return results, summary
