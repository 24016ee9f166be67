"""`hcb eval fit` (second part): fit the routing screen on the `dev` split (never `test`) and write
assistant/routing/screen.json.

Examples: every `dev` question and conversation turn of the files (a request expected to be declined against
everything else — answerable and unanswerable alike), and the routing rules' own examples (declined) and
counter-examples (retrieved). Features: the question's embedding, nothing else.

- C is chosen by 5-fold cross-validated AUC, folds grouped so that the wordings of one question (a paraphrase
  group, a conversation) never sit on both sides.
- The threshold is chosen for precision on the same out-of-fold probabilities: the lowest one at which at
  most `max_extra` of the genuine questions the rules let through would be declined.
- Each kind's centroid is the mean vector of the requests of that kind the rules recognise (their examples,
  and the dev requests they decline), so a screened request gets the message of the kind it is nearest to.

    screen = fit_screen(assistant, [Path(f) for f in SCREEN_FILES])    # also written to screen.json
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from ..routing.router import route
from ..routing.rules import RULES
from ..routing.screen import SCREEN_FILE, Screen
from ..types import RouteKind
from .questions import read_eval_file

SPLIT = "dev"
SCREEN_FILES = ("evals/singles.jsonl", "evals/conversations.jsonl", "evals/singles2.jsonl", "evals/conversations2.jsonl",
                "evals/singles3.jsonl", "evals/conversations3.jsonl", "evals/singles4.jsonl", "evals/conversations4.jsonl",
                "evals/singles5.jsonl", "evals/conversations5.jsonl", "evals/singles6.jsonl", "evals/conversations6.jsonl",
                "evals/singles7.jsonl", "evals/conversations7.jsonl", "evals/singles8.jsonl", "evals/conversations8.jsonl",
                "evals/singles9.jsonl", "evals/conversations9.jsonl", "evals/singles10.jsonl", "evals/conversations10.jsonl",
                "evals/routing-probe.jsonl", "evals/routing-probe2.jsonl", "evals/routing-probe3.jsonl")
CS = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.5, 0.991, 0.01))
DECLINED = "refuse_or_redirect"


def screen_examples(corpus, paths: list[Path]) -> list[tuple[str, int, str]]:
    """(question, 1 when it is to be declined, group) for the dev rows of the files and the rules' examples."""
    out: list[tuple[str, int, str]] = []
    for path in paths:
        es = read_eval_file(path, corpus)
        out += [(q["question"], int(q["expected_behaviour"] == DECLINED), f"{path.name}:{q.get('group') or q['id']}")
                for q in es.singles if q.get("split") == SPLIT]
        out += [(t["question"], int(t["expected_behaviour"] == DECLINED), f"{path.name}:{c['id']}")
                for c in es.conversations if c.get("split") == SPLIT for t in c["turns"]]
    for rule in RULES:
        out += [(q, 1, f"rule:{rule.name}:{i}") for i, q in enumerate(rule.examples)]
        out += [(q, 0, f"rule:{rule.name}:c{i}") for i, q in enumerate(rule.counter_examples)]
    return out


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: list[str], c: float) -> np.ndarray:
    p = np.zeros(len(y))
    for train, held in GroupKFold(5).split(x, y, groups):
        lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x[train], y[train])
        p[held] = lr.predict_proba(x[held])[:, 1]
    return p


def lowest_threshold(p: np.ndarray, genuine: np.ndarray, max_extra: float) -> float:
    """The lowest threshold at which at most `max_extra` of the genuine rows would be declined.

    >>> lowest_threshold(np.array([0.95, 0.6, 0.2, 0.9]), np.array([True, True, True, False]), 0.34)
    0.61
    """
    for t in THRESHOLDS:
        if (p[genuine] >= t).mean() <= max_extra:
            return t
    return THRESHOLDS[-1]


def fit_screen(assistant, paths: list[Path], out: Path = SCREEN_FILE, max_extra: float = 0.005) -> Screen:
    data = screen_examples(assistant.corpus, paths)
    questions, y, groups = [d[0] for d in data], np.array([d[1] for d in data]), [d[2] for d in data]
    x = assistant.embedder.embed(questions)
    kinds = [route(q, assistant.vocabulary).kind for q in questions]   # what the rules make of each, alone
    oof = {c: out_of_fold(x, y, groups, c) for c in CS}
    aucs = {c: roc_auc_score(y, p) for c, p in oof.items()}
    c = max(CS, key=lambda k: (round(aucs[k], 4), -k))
    p = oof[c]
    through = np.array([k == RouteKind.RETRIEVE for k in kinds])
    threshold = lowest_threshold(p, through & (y == 0), max_extra)
    lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    declined = [k for k in dict.fromkeys(kinds) if k not in (RouteKind.RETRIEVE, RouteKind.ABOUT, RouteKind.GREETING)]
    centroids = np.array([x[[k == kind and yi == 1 for k, yi in zip(kinds, y)]].mean(axis=0) for kind in declined])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    missed = through & (y == 1)
    provenance = {"fitted": True, "split": SPLIT, "files": [str(p_) for p_ in paths], "examples": len(y),
                  "to_decline": int(y.sum()), "rule_examples": sum(len(r.examples) + len(r.counter_examples) for r in RULES),
                  "C": c, "cv_auc": round(float(aucs[c]), 4), "threshold": threshold, "max_extra": max_extra,
                  "out_of_fold": {"rules_missed": int(missed.sum()), "screen_caught": int((p[missed] >= threshold).sum()),
                                  "genuine_through": int((through & (y == 0)).sum()),
                                  "genuine_declined": int((p[through & (y == 0)] >= threshold).sum())},
                  "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"), "command": "hcb eval fit"}
    screen = Screen(assistant.embedder.name, lr.coef_[0], float(lr.intercept_[0]), threshold, tuple(declined),
                    centroids, provenance)
    fields = screen.to_dict()   # one line per field: 384 weights on 384 lines would drown a diff
    Path(out).write_text("{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in fields.items()) + "\n}\n",
                         encoding="utf-8")
    return screen
