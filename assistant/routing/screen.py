"""A fitted screen for the requests the rules miss.

The rules (rules.toml) decline what they recognise, precisely; a request worded in a way none of them foresaw
(a forecast asked for in new words, a private phone number) is retrieved. The screen is a logistic regression over the
question's embedding — the same vector retrieval uses — fitted by `hcb eval fit` on the `dev` rows of the
question sets (adversarial requests against everything else) and on the rules' own examples and
counter-examples. Its threshold is chosen for precision: in cross-validation it may decline at most half a
per cent of the genuine questions the rules let through. What kind of request it is (and so which message it gets)
is the kind of rule whose examples it sits nearest to.

It only applies with the embedder it was fitted on: another embedder's vectors mean nothing to it.

    screen = load_screen(embedder_name="sentence-transformers/all-MiniLM-L6-v2")
    screen.judge(vector)      # -> (RouteKind.OPINION, 0.93), or None to retrieve
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..types import RouteKind

SCREEN_FILE = Path(__file__).with_name("screen.json")


@dataclass(frozen=True)
class Screen:
    embedder: str                         # the embedder whose vectors it was fitted on
    weights: np.ndarray                   # one per embedding dimension
    bias: float
    threshold: float
    kinds: tuple[RouteKind, ...]          # a declined request's kind: the nearest of these centroids
    centroids: np.ndarray                 # (len(kinds), dim), unit vectors
    provenance: dict = field(default_factory=dict)

    def probability(self, vector: np.ndarray) -> float:
        """How likely the question is a request to decline.

        >>> s = Screen("e", np.array([4.0, 0.0]), -2.0, 0.5, (RouteKind.OPINION,), np.array([[1.0, 0.0]]))
        >>> round(s.probability(np.array([1.0, 0.0])), 3), round(s.probability(np.array([0.0, 1.0])), 3)
        (0.881, 0.119)
        """
        return float(1.0 / (1.0 + np.exp(-(float(vector @ self.weights) + self.bias))))

    def judge(self, vector: np.ndarray) -> tuple[RouteKind, float] | None:
        """(the kind of request, its probability) when it is to be declined, else None.

        >>> s = Screen("e", np.array([4.0, 0.0]), -2.0, 0.5, (RouteKind.OPINION, RouteKind.INVENT),
        ...            np.array([[1.0, 0.0], [0.6, 0.8]]))
        >>> s.judge(np.array([1.0, 0.0]))[0], s.judge(np.array([0.0, 1.0]))
        (<RouteKind.OPINION: 'opinion'>, None)
        """
        p = self.probability(vector)
        if p < self.threshold:
            return None
        return self.kinds[int(np.argmax(self.centroids @ vector))], p

    def to_dict(self) -> dict:
        return {"embedder": self.embedder, "weights": [round(float(w), 6) for w in self.weights],
                "bias": round(self.bias, 6), "threshold": round(self.threshold, 6),
                "kinds": {k.value: [round(float(x), 6) for x in c] for k, c in zip(self.kinds, self.centroids)},
                "provenance": self.provenance}

    @classmethod
    def from_dict(cls, d: dict) -> "Screen":
        kinds = tuple(RouteKind(k) for k in d["kinds"])
        return cls(d["embedder"], np.array(d["weights"], dtype=np.float32), float(d["bias"]), float(d["threshold"]),
                   kinds, np.array([d["kinds"][k.value] for k in kinds], dtype=np.float32), d.get("provenance", {}))


@lru_cache(maxsize=4)
def _read(path: Path) -> Screen | None:
    if not Path(path).is_file():
        return None
    return Screen.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def load_screen(path: Path = SCREEN_FILE, embedder_name: str = "") -> Screen | None:
    """The fitted screen, or None when none has been fitted or it was fitted on another embedder's vectors
    (the fake embedder of the unit tests, an int8 backend): then the rules alone decide."""
    screen = _read(Path(path))
    return screen if screen is not None and screen.embedder == embedder_name else None
