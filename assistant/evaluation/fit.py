"""`hcb eval fit`: fit the answer stage's two scorers on the `dev` split (never `test`) and write
assistant/answering/model.json.

- The sentence scorer learns which candidate sentences answer: a sentence is a positive when it holds one of
  the question's answer facts, or lies inside one of its gold quotes.
- The answerability scorer learns when the evidence answers at all: answerable questions against
  unanswerable near-misses. Its threshold is chosen on dev: the highest score threshold whose share of
  answerable questions wrongly abstained, scored out of fold, stays within `max_wrong` (abstaining on as many
  near-misses as that allows).

Both are scikit-learn logistic regressions over standardised, named features; the weights are data. The
answerability scorer's regularisation is chosen by 5-fold cross-validated AUC on dev (`CS`): its features
overlap (a question without a form has the same best sentence twice), and a few hundred questions are few.
Both scorers also weigh every product of two of their features (`pair_terms`: a date counts for more
in a sentence on the question's topic; a noun the documents never use counts for more when no sentence
holds the asked-for form). The sentence scorer's regularisation is chosen by 5-fold cross-validation grouped by
question, on the mean reciprocal rank of each question's first answering sentence (`SENTENCE_CS`). Both
cross-validations are repeated (`REPEATS`): their curves are flat, and one split's luck swung the chosen C; each
takes the strongest regularisation within one standard error of the best (`best_mean`).
The threshold is chosen on out-of-fold scores, so the wrong-abstention limit is one on unseen questions.

    report = fit(assistant, [Path(f) for f in FIT_FILES])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_score

from ..answering.features import SENTENCE_FEATURES
from ..answering.scoring import MODEL_FILE, PRIOR_ANSWERABLE, PRIOR_SENTENCE, LinearModel, Models, pair_terms, term_value
from ..answering.sufficiency import ANSWERABLE_FEATURES
from .metrics import normalise, occurs
from .questions import read_eval_file

SPLIT = "dev"
# the blind sets, every round: their dev rows are what the scorers learn from
FIT_FILES = ("evals/singles.jsonl", "evals/conversations.jsonl", "evals/singles2.jsonl", "evals/conversations2.jsonl",
             "evals/singles3.jsonl", "evals/conversations3.jsonl", "evals/singles4.jsonl", "evals/conversations4.jsonl",
             "evals/singles5.jsonl", "evals/conversations5.jsonl", "evals/singles6.jsonl", "evals/conversations6.jsonl",
             "evals/singles7.jsonl", "evals/conversations7.jsonl", "evals/singles8.jsonl", "evals/conversations8.jsonl",
             "evals/singles9.jsonl", "evals/conversations9.jsonl", "evals/singles10.jsonl", "evals/conversations10.jsonl")
ROUNDS = 2   # from the priors: the first round's conversations are answered by the priors, the second's by round one


@dataclass(frozen=True)
class Example:
    qid: str
    label: int
    features: dict[str, float]


def sentence_label(text: str, row: dict) -> int:
    """1 when the sentence holds an answer fact (the party of an attribution question aside) or sits in a gold quote."""
    t = normalise(text)
    facts = row["answer_facts"][1:] if row["type"] == "attribution" else row["answer_facts"]
    if any(occurs(normalise(f), t) for f in facts if f.strip()):
        return 1
    words = t.split()
    if len(words) >= 4 and any(occurs(t, normalise(q)) for q in row["gold_quotes"]):
        return 1
    return 0


def examples(assistant, paths: list[Path]) -> tuple[list[Example], list[Example]]:
    """(sentence examples, question examples) from the dev rows of the files: singles alone, conversation turns
    with the earlier turns as history (as the system answers them now)."""
    sentences: list[Example] = []
    questions: list[Example] = []
    for path in paths:
        es = read_eval_file(path, assistant.corpus)
        work = [(q["id"], q, assistant.weigh(q["question"])) for q in es.singles
                if q.get("split") == SPLIT and q["expected_behaviour"] != "refuse_or_redirect"]
        for conv in es.conversations:
            if conv.get("split") != SPLIT:
                continue
            history = []
            for k, turn in enumerate(conv["turns"]):   # one run answers the turn (the next one's history) and weighs it
                ans, w = assistant.ask_weighed(turn["question"], history=list(history))
                history.append(ans)
                if turn["expected_behaviour"] != "refuse_or_redirect":
                    work.append((f"{conv['id']}.{k}", turn, w))
        for qid, row, w in work:
            if w is None:
                continue
            if row["expected_behaviour"] == "answer" and (row["answer_facts"] or row["gold_quotes"]):
                sentences += [Example(qid, sentence_label(c.text, row), dict(c.features)) for c in w.evidence.candidates]
            questions.append(Example(qid, int(row["expected_behaviour"] == "answer"), dict(w.evidence.answerability)))
    return sentences, questions


CS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)   # regularisation strengths the answerability scorer's cross-validation tries
SENTENCE_CS = (0.003, 0.01, 0.03, 0.1)   # …and the sentence scorer's (its pair terms are many and overlap)


def _matrix(data: list[Example], names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(the examples' terms standardised, their labels, the means and scales that standardised them)."""
    x = np.array([[term_value(e.features, n) for n in names] for e in data], dtype=float)
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    return (x - means) / scales, np.array([e.label for e in data]), means, scales


def best_mean(cs: tuple[float, ...], folds: list[list[float]], k: int = 5) -> tuple[float, float]:
    """(C, its mean held-out score) by the one-standard-error rule: the strongest regularisation whose mean
    fold score is within one standard error of the best mean. The curves are flat near their top, and taking
    the bare maximum flipped the chosen C between neighbouring values from one refit to the next (moving `dev`
    and `test` in opposite directions); within the noise, the simpler model is the one to trust on new
    questions. `cs` ascending (strongest first); `folds[i]` the fold scores of `cs[i]` over every repeat of
    `k`-fold cross-validation. The standard error is the folds' spread over the square root of `k`, not of
    every fold of every repeat: a repeat reshuffles the same questions, it adds no new ones.

    >>> best_mean((0.01, 0.1, 1.0), [[0.71, 0.75], [0.72, 0.76], [0.60, 0.62]], k=2)
    (0.01, 0.73)
    >>> best_mean((0.01, 0.1, 1.0), [[0.60, 0.62], [0.72, 0.76], [0.71, 0.75]], k=2)
    (0.1, 0.74)
    """
    means = [round(float(np.mean(f)), 6) for f in folds]
    best = int(np.argmax(means))
    se = float(np.std(folds[best], ddof=1)) / np.sqrt(k) if len(folds[best]) > 1 else 0.0
    chosen = next(i for i, m in enumerate(means) if m >= means[best] - se)
    return float(cs[chosen]), means[chosen]


REPEATS = 3   # repeated 5-fold cross-validation: the curves are flat, and one split's luck swung the C between refits


def choose_c(data: list[Example], names: tuple[str, ...], cs: tuple[float, ...] = CS) -> tuple[float, float]:
    """(C, its mean AUC) by repeated 5-fold cross-validated AUC (folds stratified and seeded)."""
    z, y, _, _ = _matrix(data, names)
    folds = [[s for r in range(REPEATS) for s in cross_val_score(LogisticRegression(C=c, max_iter=2000), z, y,
              cv=StratifiedKFold(5, shuffle=True, random_state=r), scoring="roc_auc")] for c in cs]
    return best_mean(cs, folds)


def out_of_fold(data: list[Example], names: tuple[str, ...], c: float) -> list[float]:
    """Each example's probability from a model fitted without its fold (5 folds, stratified, seeded)."""
    z, y, _, _ = _matrix(data, names)
    p = np.zeros(len(y))
    for train, held in StratifiedKFold(5, shuffle=True, random_state=0).split(z, y):
        p[held] = LogisticRegression(C=c, max_iter=2000).fit(z[train], y[train]).predict_proba(z[held])[:, 1]
    return p.tolist()


def first_answer_mrr(qids: list[str], labels: np.ndarray, scores: np.ndarray) -> float:
    """Mean over questions with an answering sentence of 1 / the rank of the first one when sorted by score.

    >>> round(first_answer_mrr(["a", "a", "b", "b"], np.array([0, 1, 1, 0]), np.array([0.9, 0.1, 0.8, 0.2])), 3)
    0.75
    """
    ranks: dict[str, list[tuple[float, int]]] = {}
    for q, y, p in zip(qids, labels, scores):
        ranks.setdefault(q, []).append((-float(p), int(y)))
    rr = [1.0 / (1 + [y for _, y in sorted(v, key=lambda t: t[0])].index(1)) for v in ranks.values() if any(y for _, y in v)]
    return float(np.mean(rr)) if rr else 0.0


def choose_sentence_c(data: list[Example], names: tuple[str, ...], cs: tuple[float, ...] = SENTENCE_CS) -> tuple[float, float]:
    """(C, its mean MRR) by repeated 5-fold cross-validation grouped by question (each repeat shuffles which
    questions share a fold) on how well each held-out question's answering sentence is ranked."""
    z, y, _, _ = _matrix(data, names)
    qids = [e.qid for e in data]
    names_of = sorted(set(qids))
    folds: list[list[float]] = [[] for _ in cs]
    for r in range(REPEATS):
        order = dict(zip(names_of, np.random.default_rng(r).permutation(len(names_of))))
        groups = [order[q] for q in qids]
        for train, held in GroupKFold(5).split(z, y, groups):
            for i, c in enumerate(cs):
                p = LogisticRegression(C=c, max_iter=3000).fit(z[train], y[train]).decision_function(z[held])
                folds[i].append(first_answer_mrr([qids[k] for k in held], y[held], p))
    return best_mean(cs, folds)


def fit_linear(data: list[Example], names: tuple[str, ...], c: float = 1.0) -> LinearModel:
    z, y, means, scales = _matrix(data, names)
    lr = LogisticRegression(C=c, max_iter=2000).fit(z, y)
    return LinearModel(names, tuple(float(w) for w in lr.coef_[0]), float(lr.intercept_[0]), 0.5,
                       tuple(float(m) for m in means), tuple(float(s) for s in scales))


def choose_threshold(model: LinearModel, data: list[Example], max_wrong: float,
                     probabilities: list[float] | None = None) -> tuple[float, dict]:
    """The highest threshold whose wrong-abstention rate on these examples stays within `max_wrong`.
    `probabilities`: the examples' scores to choose on (out of fold, so the rate holds on questions the scorer
    has not seen); the model's own by default."""
    probs = probabilities if probabilities is not None else [model.probability(e.features) for e in data]
    scored = list(zip(probs, (e.label for e in data)))
    pos = [p for p, y in scored if y == 1]
    neg = [p for p, y in scored if y == 0]
    best = (0.0, {})
    for t in sorted({round(p, 4) for p, _ in scored} | {0.0}):
        wrong = sum(p < t for p in pos) / max(1, len(pos))
        caught = sum(p < t for p in neg) / max(1, len(neg))
        if wrong <= max_wrong and t >= best[0]:
            best = (t, {"wrong_abstention": round(wrong, 4), "abstention_recall": round(caught, 4)})
    return best


def fit(assistant, paths: list[Path], out: Path = MODEL_FILE, max_wrong: float = 0.05, c: float | None = None,
        c_answerable: float | None = None, rounds: int = ROUNDS) -> dict:
    """Fit from the priors, not from whatever model is in place: a conversation's later turns are asked with
    the earlier answers as history, so the examples depend on the scorers that answered them, and refitting
    from the last fit would drift (it swung between two models). Each round fits the sentence scorer, then,
    with it in place (the answerability features read its probabilities), the answerability scorer and its
    threshold; the next round collects its examples with both."""
    ctx = assistant.answering
    models = Models(PRIOR_SENTENCE, PRIOR_ANSWERABLE, {"fitted": False})
    try:
        for _ in range(rounds):
            assistant.answering = replace(ctx, models=models)
            sentences, _ = examples(assistant, paths)
            terms = pair_terms(SENTENCE_FEATURES)
            c_sentence, cv_mrr = (c, None) if c is not None else choose_sentence_c(sentences, terms)
            sentence = fit_linear(sentences, terms, c_sentence)
            assistant.answering = replace(ctx, models=replace(models, sentence=sentence))
            _, questions = examples(assistant, paths)
            a_terms = pair_terms(ANSWERABLE_FEATURES)
            c_used, cv_auc = (c_answerable, None) if c_answerable is not None else choose_c(questions, a_terms)
            answerable = fit_linear(questions, a_terms, c_used)
            threshold, at = choose_threshold(answerable, questions, max_wrong, out_of_fold(questions, a_terms, c_used))
            models = Models(sentence, replace(answerable, threshold=threshold), {"fitted": True})
    finally:
        assistant.answering = ctx
    provenance = {"fitted": True, "split": SPLIT, "files": [str(p) for p in paths], "rounds": rounds,
                  "sentence_examples": len(sentences), "sentence_positives": sum(e.label for e in sentences),
                  "question_examples": len(questions), "answerable_questions": sum(e.label for e in questions),
                  "max_wrong_abstention": max_wrong, "at_threshold_out_of_fold": at, "C": c_sentence,
                  "sentence_cv_mrr": None if cv_mrr is None else round(cv_mrr, 4),
                  "C_answerable": c_used, "answerable_cv_auc": None if cv_auc is None else round(cv_auc, 4),
                  "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"), "command": "hcb eval fit"}
    Path(out).write_text(json.dumps({"sentence": models.sentence.to_dict(), "answerable": models.answerable.to_dict(),
                                     "provenance": provenance}, indent=2) + "\n", encoding="utf-8")
    return provenance
