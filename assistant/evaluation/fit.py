"""`hcb eval fit`: fit the answer stage's two scorers on the `dev` split (never `test`) and write
assistant/answering/model.json.

- The sentence scorer learns which candidate sentences answer: a sentence is a positive when it holds one of
  the question's answer facts, or lies inside one of its gold quotes.
- The answerability scorer learns when the evidence answers at all: answerable questions against
  unanswerable near-misses. Its threshold is chosen on dev: the highest score threshold whose share of
  answerable questions wrongly abstained stays within `max_wrong` (abstaining on as many near-misses as
  that allows).

Both are scikit-learn logistic regressions over standardised, named features; the weights are data.

    report = fit(assistant, [Path("evals/singles.jsonl"), Path("evals/conversations.jsonl")])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..answering.features import SENTENCE_FEATURES
from ..answering.scoring import MODEL_FILE, LinearModel
from ..answering.sufficiency import ANSWERABLE_FEATURES
from .metrics import normalise, occurs
from .questions import read_eval_file

SPLIT = "dev"


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


def fit_linear(data: list[Example], names: tuple[str, ...], c: float = 1.0) -> LinearModel:
    x = np.array([[e.features.get(n, 0.0) for n in names] for e in data], dtype=float)
    y = np.array([e.label for e in data])
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000).fit((x - means) / scales, y)
    return LinearModel(names, tuple(float(w) for w in lr.coef_[0]), float(lr.intercept_[0]), 0.5,
                       tuple(float(m) for m in means), tuple(float(s) for s in scales))


def choose_threshold(model: LinearModel, data: list[Example], max_wrong: float) -> tuple[float, dict]:
    """The highest threshold whose wrong-abstention rate on these examples stays within `max_wrong`."""
    scored = [(model.probability(e.features), e.label) for e in data]
    pos = [p for p, y in scored if y == 1]
    neg = [p for p, y in scored if y == 0]
    best = (0.0, {})
    for t in sorted({round(p, 4) for p, _ in scored} | {0.0}):
        wrong = sum(p < t for p in pos) / max(1, len(pos))
        caught = sum(p < t for p in neg) / max(1, len(neg))
        if wrong <= max_wrong and t >= best[0]:
            best = (t, {"wrong_abstention": round(wrong, 4), "abstention_recall": round(caught, 4)})
    return best


def fit(assistant, paths: list[Path], out: Path = MODEL_FILE, max_wrong: float = 0.05, c: float = 1.0) -> dict:
    """Two stages: the sentence scorer first; then, with it in place (the answerability features read its
    probabilities), the answerability scorer and its threshold."""
    sentences, _ = examples(assistant, paths)
    sentence = fit_linear(sentences, SENTENCE_FEATURES, c)
    ctx = assistant.answering
    assistant.answering = replace(ctx, models=replace(ctx.models, sentence=sentence))
    try:
        _, questions = examples(assistant, paths)
    finally:
        assistant.answering = ctx
    answerable = fit_linear(questions, ANSWERABLE_FEATURES, c)
    threshold, at = choose_threshold(answerable, questions, max_wrong)
    answerable = replace(answerable, threshold=threshold)
    provenance = {"fitted": True, "split": SPLIT, "files": [str(p) for p in paths],
                  "sentence_examples": len(sentences), "sentence_positives": sum(e.label for e in sentences),
                  "question_examples": len(questions), "answerable_questions": sum(e.label for e in questions),
                  "max_wrong_abstention": max_wrong, "at_threshold_on_dev": at, "C": c,
                  "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"), "command": "hcb eval fit"}
    Path(out).write_text(json.dumps({"sentence": sentence.to_dict(), "answerable": answerable.to_dict(),
                                     "provenance": provenance}, indent=2) + "\n", encoding="utf-8")
    return provenance
