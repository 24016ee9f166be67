"""The regression gate: the blind sets through the real model, held to floors measured on their `test` split.

A floor is the value measured on `test` minus a margin (evals/floors.json); raising one is a deliberate
commit. Also: the same index and settings give the same results (determinism with the real model).
Speed is measured by `hcb bench`, not here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.runs import check_set_floors
from assistant.evaluation.session import evaluate_file

ROOT = Path(__file__).resolve().parents[2]
FLOORS = ROOT / "evals" / "floors.json"
SETS = ("singles.jsonl", "conversations.jsonl", "singles2.jsonl", "conversations2.jsonl", "singles3.jsonl",
        "conversations3.jsonl", "singles4.jsonl", "conversations4.jsonl", "singles5.jsonl", "conversations5.jsonl",
        "singles6.jsonl", "conversations6.jsonl", "singles7.jsonl", "conversations7.jsonl", "singles8.jsonl",
        "conversations8.jsonl", "singles9.jsonl", "conversations9.jsonl", "singles10.jsonl", "conversations10.jsonl")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(real_assistant):
    return {name: evaluate_file(real_assistant, ROOT / "evals" / name, resamples=200) for name in SETS}


@pytest.mark.parametrize("name", SETS)
def test_test_split_stays_above_its_floors(runs, name):
    entry = json.loads(FLOORS.read_text(encoding="utf-8"))["sets"][name]
    assert entry["split"] == "test" and entry["floors"], "the gate holds the blind test split"
    _, summary = runs[name]
    failed = check_set_floors(summary, FLOORS, Path(name))
    assert not failed, "\n".join(failed)


def test_real_model_run_is_deterministic(runs, real_assistant):
    first, _ = runs["conversations.jsonl"]
    again, _ = evaluate_file(real_assistant, ROOT / "evals" / "conversations.jsonl", resamples=200)
    strip = lambda res: {s: [{k: v for k, v in r.items() if k != "timings_ms"} for r in rs] for s, rs in res.items()}  # noqa: E731
    assert strip(again) == strip(first)
