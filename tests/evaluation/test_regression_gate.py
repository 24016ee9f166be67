"""The regression gate: the project's question set through the real model, against evals/floors.json.

Also the acceptance timing (every question through the pipeline and the three
baselines in under two minutes on two cores) and determinism with the real model.
A floor is the measured value minus a margin; raising one is a deliberate commit.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from assistant.evaluation.runner import GATED, PRIMARY, analyse, make_systems, run_systems
from assistant.evaluation.questions import load_questions

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ROOT / "evals" / "floors.json"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project_run(real_assistant, tmp_path_factory):
    rows, problems = load_questions(ROOT / "evals" / "questions.jsonl", real_assistant.corpus)
    assert problems == []
    cache = tmp_path_factory.mktemp("eval-cache")
    t0 = time.perf_counter()
    systems = make_systems(real_assistant, compare=True, cache_dir=cache)   # cold passage-vector cache
    results = run_systems(systems, rows)
    summary = analyse(results)
    seconds = time.perf_counter() - t0
    for s in systems:
        s.close() if hasattr(s, "close") else None
    return rows, results, summary, seconds, cache


def test_headline_metrics_stay_above_their_floors(project_run):
    _, _, summary, _, _ = project_run
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    assert set(floors) == set(GATED)
    measured = {m: summary["metrics"][m] for m in GATED}
    low = {m: (measured[m], floors[m]) for m in GATED if measured[m] is None or measured[m] < floors[m]}
    assert not low, f"below floor (measured, floor): {low}; all measured: {measured}"


def test_project_set_with_baselines_runs_in_under_two_minutes(project_run):
    rows, results, _, seconds, _ = project_run
    assert len(rows) >= 100 and set(results) == {PRIMARY, "bm25", "dense", "langchain"}
    assert seconds < 120, f"{len(rows)} questions × 4 systems took {seconds:.1f} s"


def test_real_model_run_is_deterministic(project_run, real_assistant):
    rows, results, summary, _, cache = project_run
    systems = make_systems(real_assistant, compare=True, cache_dir=cache)
    again = run_systems(systems, rows)
    for s in systems:
        s.close() if hasattr(s, "close") else None
    strip = lambda res: {s: [{k: v for k, v in r.items() if k != "timings_ms"} for r in rs] for s, rs in res.items()}  # noqa: E731
    assert strip(again) == strip(results)
    assert analyse(again)["comparison"] == summary["comparison"]
