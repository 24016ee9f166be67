"""The two fitted scorers, as data: how likely a sentence answers the question, and whether the evidence
answers it at all. Both are logistic regressions over named features (features.py, sufficiency.py),
fitted on the `dev` split by `hcb eval fit` and stored in `model.json` beside this module. A term named
"a*b" is the product of two features: the sentence scorer weighs pairs ("the asked-for form" counts for
more in a sentence on the question's topic) and stays one weight per named term.

    m = load_models()
    m.sentence.probability({"cos": 0.7, ...}), m.answerable.threshold
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from .features import sigmoid

MODEL_FILE = Path(__file__).with_name("model.json")


def term_value(values: dict[str, float], term: str) -> float:
    """A named term's value: a feature, or the product of the two features "a*b" names.

    >>> term_value({"cos": 0.5, "focus": 0.4}, "cos"), term_value({"cos": 0.5, "focus": 0.4}, "cos*focus")
    (0.5, 0.2)
    """
    a, _, b = term.partition("*")
    return values.get(a, 0.0) * (values.get(b, 0.0) if b else 1.0)


def pair_terms(names: tuple[str, ...]) -> tuple[str, ...]:
    """The features, then every product of two of them (squares included).

    >>> pair_terms(("a", "b"))
    ('a', 'b', 'a*a', 'a*b', 'b*b')
    """
    return names + tuple(f"{a}*{b}" for i, a in enumerate(names) for b in names[i:])


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    means: tuple[float, ...] = ()      # standardisation fitted with the weights (0 / 1 when absent)
    scales: tuple[float, ...] = ()

    def score(self, values: dict[str, float]) -> float:
        return self.bias + sum(w * self._z(i, term_value(values, f)) for i, (f, w) in enumerate(zip(self.features, self.weights)))

    def probability(self, values: dict[str, float]) -> float:
        return sigmoid(self.score(values))

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        """`probability` of many rows at once (every candidate sentence of a question): one matrix product.

        >>> m = LinearModel(("a", "a*b"), (1.0, 2.0), 0.0)
        >>> [round(p, 4) for p in m.probabilities([{"a": 1.0, "b": 0.5}, {}])] == [round(m.probability({"a": 1.0, "b": 0.5}), 4), 0.5]
        True
        """
        if not rows:
            return []
        base_names, left, right, means, scales, weights = self._plan
        base = np.array([[r.get(n, 0.0) for n in base_names] + [1.0] for r in rows], dtype=float)
        z = np.clip(self.bias + ((base[:, left] * base[:, right] - means) / scales) @ weights, -30.0, 30.0)
        return (1.0 / (1.0 + np.exp(-z))).tolist()

    @cached_property
    def _plan(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """What `probabilities` needs, built once per model: the features the terms read, each term's two columns
        of them (a lone feature's second is the ones), and the standardisation and weights as arrays."""
        names = list(dict.fromkeys(n for t in self.features for n in t.split("*") if n))
        col = {n: i for i, n in enumerate(names)}
        pairs = [t.partition("*") for t in self.features]
        k = len(self.features)
        means = np.array(self.means) if self.means else np.zeros(k)
        scales = np.array(self.scales) if self.scales else np.ones(k)
        return (names, np.array([col[a] for a, _, _ in pairs], dtype=int),
                np.array([col[b] if b else len(names) for _, _, b in pairs], dtype=int),
                means, np.where(scales == 0, 1.0, scales), np.array(self.weights))

    def contributions(self, values: dict[str, float]) -> list[tuple[str, float, float, float]]:
        """(feature, value, weight, weight × standardised value) for `hcb ask --explain`."""
        return [(f, term_value(values, f), w, w * self._z(i, term_value(values, f)))
                for i, (f, w) in enumerate(zip(self.features, self.weights))]

    def _z(self, i: int, v: float) -> float:
        if not self.means:
            return v
        return (v - self.means[i]) / (self.scales[i] or 1.0)

    @classmethod
    def from_dict(cls, d: dict) -> "LinearModel":
        return cls(tuple(d["features"]), tuple(d["weights"]), float(d["bias"]), float(d.get("threshold", 0.5)),
                   tuple(d.get("means", ())), tuple(d.get("scales", ())))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "weights": [round(w, 6) for w in self.weights], "bias": round(self.bias, 6),
                "threshold": round(self.threshold, 6), "means": [round(x, 6) for x in self.means],
                "scales": [round(x, 6) for x in self.scales]}


# Before any fitting: a plain prior (similarity, terms, the asked-for form), so a fresh checkout still answers.
PRIOR_SENTENCE = LinearModel(("cos", "focus", "type_hit", "type_miss", "prior", "short", "party_hit"),
                             (6.0, 3.0, 1.0, -1.0, 1.0, -2.0, 0.5), -4.5)
PRIOR_ANSWERABLE = LinearModel(("best_p", "best_p_form", "oov", "unvoiced"), (3.0, 3.0, -3.0, -3.0), -2.0, 0.5)


@dataclass(frozen=True)
class Models:
    sentence: LinearModel
    answerable: LinearModel
    provenance: dict = field(default_factory=dict)


@lru_cache(maxsize=4)
def load_models(path: Path = MODEL_FILE) -> Models:
    """The fitted models, or the priors when no model file has been fitted yet."""
    if not Path(path).is_file():
        return Models(PRIOR_SENTENCE, PRIOR_ANSWERABLE, {"fitted": False})
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return Models(LinearModel.from_dict(raw["sentence"]), LinearModel.from_dict(raw["answerable"]), raw.get("provenance", {}))
