"""The two fitted scorers, as data: how likely a sentence answers the question, and whether the evidence
answers it at all. Both are logistic regressions over named features (features.py, sufficiency.py),
fitted on the `dev` split by `hcb eval fit` and stored in `model.json` beside this module.

    m = load_models()
    m.sentence.probability({"cos": 0.7, ...}), m.answerable.threshold
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .features import sigmoid

MODEL_FILE = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    means: tuple[float, ...] = ()      # standardisation fitted with the weights (0 / 1 when absent)
    scales: tuple[float, ...] = ()

    def score(self, values: dict[str, float]) -> float:
        return self.bias + sum(w * self._z(i, values.get(f, 0.0)) for i, (f, w) in enumerate(zip(self.features, self.weights)))

    def probability(self, values: dict[str, float]) -> float:
        return sigmoid(self.score(values))

    def contributions(self, values: dict[str, float]) -> list[tuple[str, float, float, float]]:
        """(feature, value, weight, weight × standardised value) for `hcb ask --explain`."""
        return [(f, values.get(f, 0.0), w, w * self._z(i, values.get(f, 0.0)))
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
