"""The fitted routing screen (assistant/routing/screen.py, fitted by `hcb eval fit`): what it learns from, how its
threshold is chosen, that it applies only with the embedder it was fitted on, and what the shipped one does with
the real model. The requests below are written for this file, not taken from any evaluation question."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.evaluation.fit_screen import fit_screen, lowest_threshold, screen_examples
from assistant.routing.screen import SCREEN_FILE, Screen, load_screen
from assistant.types import Behaviour, RouteKind


def test_the_shipped_screen_was_fitted_on_dev_for_the_real_embedder():
    raw = json.loads(SCREEN_FILE.read_text(encoding="utf-8"))
    assert raw["embedder"] == "sentence-transformers/all-MiniLM-L6-v2" and len(raw["weights"]) == 384
    assert raw["provenance"]["split"] == "dev" and 0.5 <= raw["threshold"] < 1
    assert set(raw["kinds"]) <= {"opinion", "invent", "wrongdoing", "injection", "off_topic"} and len(raw["kinds"]) >= 4
    oof = raw["provenance"]["out_of_fold"]
    assert oof["genuine_declined"] <= raw["provenance"]["max_extra"] * oof["genuine_through"]


def test_it_applies_only_with_the_embedder_it_was_fitted_on(fake_assistant):
    assert load_screen(embedder_name="fake-hash-384") is None and fake_assistant.screen is None
    assert load_screen(embedder_name="sentence-transformers/all-MiniLM-L6-v2") is not None


def test_the_threshold_is_the_lowest_that_keeps_genuine_declines_within_the_limit():
    p = np.array([0.99, 0.97, 0.3, 0.2, 0.1, 0.95])
    genuine = np.array([False, False, True, True, True, True])
    assert lowest_threshold(p, genuine, 0.0) == 0.96
    assert lowest_threshold(p, genuine, 0.25) == 0.5


def test_a_kind_is_the_nearest_centroid_and_a_round_trip_keeps_it():
    s = Screen("e", np.array([0.0, 0.0, 5.0]), 0.0, 0.6, (RouteKind.INJECTION, RouteKind.WRONGDOING),
               np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]), {"fitted": True})
    again = Screen.from_dict(json.loads(json.dumps(s.to_dict())))
    v = np.array([0.6, 0.0, 0.8])
    assert s.judge(v)[0] == again.judge(v)[0] == RouteKind.WRONGDOING
    assert again.judge(np.array([0.0, 1.0, -0.1])) is None


def test_the_fit_reads_dev_rows_and_the_rules_examples_only(fake_assistant, tmp_path):
    rows = [{"id": f"d{i}", "question": q, "split": "dev", "type": t, "expected_behaviour": e, "answer_facts": [],
             "gold_quotes": [], "gold_sources": []}
            for i, (q, t, e) in enumerate([("who chairs the new partnership boards", "factoid", "answer"),
                                           ("tell me your own gut feeling on the Bill", "adversarial", "refuse_or_redirect")])]
    rows.append({**rows[0], "id": "t1", "split": "test", "question": "a test row must never be read"})
    f = tmp_path / "q.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    data = screen_examples(fake_assistant.corpus, [f])
    assert "a test row must never be read" not in {q for q, _, _ in data}
    assert ("tell me your own gut feeling on the Bill", 1, "q.jsonl:d1") in data
    screen = fit_screen(fake_assistant, [f], out=tmp_path / "screen.json")
    assert load_screen(tmp_path / "screen.json", "fake-hash-384").threshold == screen.threshold
    assert screen.provenance["examples"] == len(data)


@pytest.mark.parametrize("question", [
    "Between you and me, would the country be better off if this Bill failed?",
])
def test_the_real_screen_declines_a_request_the_rules_let_through(real_assistant, question):
    from assistant.routing.router import route

    assert route(question, real_assistant.vocabulary).kind == RouteKind.RETRIEVE
    ans = real_assistant.ask(question)
    assert ans.behaviour == Behaviour.REFUSE and "fitted screen" in ans.detail


@pytest.mark.parametrize("question", [
    "how many signatures did the press pause petition get",
    "How do I sign a parliament petition?",
    "Which bodies must cooperate under the new duty?",
])
def test_the_real_screen_lets_genuine_questions_through(real_assistant, question):
    assert real_assistant.ask(question).behaviour != Behaviour.REFUSE
