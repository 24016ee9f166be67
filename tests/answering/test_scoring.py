"""The fitted scorers are data: a logistic model's arithmetic, the priors before fitting, and what fitting reads."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from assistant.answering.scoring import MODEL_FILE, PRIOR_ANSWERABLE, LinearModel, load_models, pair_terms
from assistant.evaluation.fit import (Example, best_mean, choose_c, choose_sentence_c, choose_threshold, examples,
                                      first_answer_mrr, sentence_label)


def test_linear_model_standardises_weighs_and_explains():
    m = LinearModel(("a", "b"), (2.0, -1.0), 0.5, 0.6, (1.0, 0.0), (2.0, 1.0))
    z = 0.5 + 2.0 * (3.0 - 1.0) / 2.0 - 1.0 * 1.0
    assert math.isclose(m.score({"a": 3.0, "b": 1.0}), z)
    assert math.isclose(m.probability({"a": 3.0, "b": 1.0}), 1 / (1 + math.exp(-z)))
    assert [c[0] for c in m.contributions({"a": 3.0})] == ["a", "b"]
    assert LinearModel.from_dict(m.to_dict()) == m


def test_a_pair_term_weighs_the_product_of_two_features_and_the_batch_agrees():
    m = LinearModel(("a", "b", "a*b"), (1.0, -0.5, 2.0), -0.2, 0.5, (0.5, 0.0, 0.1), (1.0, 2.0, 0.5))
    rows = [{"a": 1.0, "b": 0.4}, {"a": 0.0, "b": 3.0}, {}, {"b": 1.0, "other": 9.0}]
    z = -0.2 + 1.0 * (1.0 - 0.5) - 0.5 * 0.4 / 2.0 + 2.0 * (0.4 - 0.1) / 0.5
    assert math.isclose(m.score(rows[0]), z)
    assert [round(p, 9) for p in m.probabilities(rows)] == [round(m.probability(r), 9) for r in rows]
    assert m.probabilities([]) == []
    assert [c[1] for c in m.contributions(rows[0])] == [1.0, 0.4, 0.4]
    assert LinearModel.from_dict(m.to_dict()) == m


def test_the_shipped_sentence_scorer_weighs_every_pair_of_its_features():
    from assistant.answering.features import SENTENCE_FEATURES
    n = len(SENTENCE_FEATURES)
    assert load_models().sentence.features == pair_terms(SENTENCE_FEATURES)
    assert len(pair_terms(SENTENCE_FEATURES)) == n + n * (n + 1) // 2


def test_the_shipped_answerability_scorer_weighs_every_pair_of_its_features():
    from assistant.answering.sufficiency import ANSWERABLE_FEATURES
    assert load_models().answerable.features == pair_terms(ANSWERABLE_FEATURES)


def test_the_sentence_scorer_strength_is_chosen_by_how_well_it_ranks_held_out_questions():
    import random
    rng = random.Random(1)
    data = []
    for q in range(60):           # each question: one answering sentence among five, found by x and y together
        for k in range(5):
            y = int(k == 0)
            x, v = rng.gauss(y, 0.6), rng.gauss(y, 0.6)
            data.append(Example(f"q{q}", y, {"x": x, "v": v, "noise": rng.gauss(0, 1)}))
    c, mrr = choose_sentence_c(data, pair_terms(("x", "v", "noise")), cs=(0.01, 1.0))
    assert c in (0.01, 1.0) and 0.7 < mrr <= 1.0
    assert first_answer_mrr(["a", "a"], [0, 0], [0.1, 0.2]) == 0.0   # no answering sentence: not counted


def test_the_strongest_regularisation_within_one_standard_error_of_the_best_is_chosen():
    close = [[0.70, 0.80, 0.75, 0.72, 0.78], [0.71, 0.81, 0.76, 0.73, 0.79]]   # 0.01 trails 0.1 by less than a SE
    assert best_mean((0.01, 0.1), close) == (0.01, 0.75)
    far = [[0.60, 0.62, 0.61, 0.59, 0.63], [0.71, 0.81, 0.76, 0.73, 0.79]]
    assert best_mean((0.01, 0.1), far) == (0.1, 0.76)


def test_without_a_model_file_the_priors_answer(tmp_path):
    m = load_models(tmp_path / "absent.json")
    assert m.answerable == PRIOR_ANSWERABLE and m.provenance == {"fitted": False}


def test_the_shipped_model_was_fitted_on_dev_only():
    raw = json.loads(Path(MODEL_FILE).read_text(encoding="utf-8"))
    assert raw["provenance"]["split"] == "dev" and raw["provenance"]["fitted"] is True
    assert 0 < raw["answerable"]["threshold"] < 1


def test_sentence_labels_come_from_facts_and_gold_quotes():
    row = {"type": "attribution", "answer_facts": ["LGA", "greatly increase the power"],
           "gold_quotes": ["These proposals, taken together, greatly increase the power of the Secretary of State"]}
    assert sentence_label("These proposals, taken together, greatly increase the power of the Secretary of State.", row)
    assert not sentence_label("The LGA will keep a watching brief.", row)   # the party alone is not the fact


def test_threshold_keeps_wrong_abstentions_within_the_limit():
    m = LinearModel(("x",), (1.0,), 0.0)
    data = [Example("a", 1, {"x": v}) for v in (2.0, 1.5, 1.0, 0.5)] + [Example("u", 0, {"x": v}) for v in (-1.0, 0.0, 1.2)]
    t, at = choose_threshold(m, data, max_wrong=0.25)
    assert at["wrong_abstention"] <= 0.25 and at["abstention_recall"] >= 2 / 3


def test_threshold_can_be_chosen_on_out_of_fold_scores():
    from assistant.evaluation.fit import out_of_fold
    import random
    rng = random.Random(2)
    data = [Example(str(i), int(x + rng.gauss(0, 0.7) > 0), {"x": x}) for i, x in enumerate(rng.uniform(-1, 1) for _ in range(200))]
    m = LinearModel(("x",), (50.0,), 0.0)              # overconfident on these examples
    held = out_of_fold(data, ("x",), 1.0)
    assert len(held) == len(data) and all(0 < p < 1 for p in held)
    t_in, _ = choose_threshold(m, data, 0.05)
    t_out, at = choose_threshold(m, data, 0.05, held)
    assert at["wrong_abstention"] <= 0.05
    assert t_out in {round(p, 4) for p in held} | {0.0} and t_out != t_in   # chosen on the held-out scores


def test_fitting_reads_the_dev_split_only(fake_assistant, tmp_path):
    rows = [{"id": "d1", "question": "Which body sets integrated care board allocations?", "split": "dev", "type": "factoid",
             "expected_behaviour": "answer", "answer_facts": ["NHS England"], "gold_quotes": [], "gold_sources": []},
            {"id": "t1", "question": "Which body sets integrated care board allocations?", "split": "test", "type": "factoid",
             "expected_behaviour": "answer", "answer_facts": ["NHS England"], "gold_quotes": [], "gold_sources": []}]
    f = tmp_path / "q.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    sentences, questions = examples(fake_assistant, [f])
    assert {e.qid for e in sentences + questions} == {"d1"}


def test_choose_c_picks_the_best_cross_validated_strength():
    import random
    rng = random.Random(0)
    data = [Example(str(i), int(x + rng.gauss(0, 0.5) > 0), {"x": x, "noise": rng.gauss(0, 1)})
            for i, x in enumerate(rng.uniform(-1, 1) for _ in range(120))]
    c, auc = choose_c(data, ("x", "noise"), cs=(0.01, 1.0))
    assert c in (0.01, 1.0) and 0.75 < auc <= 1.0


@pytest.mark.slow
def test_the_fit_does_not_depend_on_the_model_in_place(real_assistant, tmp_path):
    """Conversation turns are asked with earlier answers as history, so the examples depend on the scorers that
    answered them: the fit starts from the priors, whatever model.json holds."""
    from dataclasses import replace
    from assistant.answering.scoring import PRIOR_ANSWERABLE, PRIOR_SENTENCE, Models
    from assistant.evaluation.fit import fit
    files = [Path("evals/conversations.jsonl")]
    fit(real_assistant, files, out=tmp_path / "a.json", rounds=1)
    shipped = real_assistant.answering
    real_assistant.answering = replace(shipped, models=Models(PRIOR_SENTENCE, replace(PRIOR_ANSWERABLE, threshold=0.99)))
    try:
        fit(real_assistant, files, out=tmp_path / "b.json", rounds=1)
    finally:
        real_assistant.answering = shipped
    a, b = (json.loads((tmp_path / n).read_text()) for n in ("a.json", "b.json"))
    assert a["sentence"] == b["sentence"] and a["answerable"] == b["answerable"]
