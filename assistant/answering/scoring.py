"""Scoring: every sentence of the top passages, by similarity, term overlap and what the question asks for.

    cands = score_sentences(intent, qvec, hits, index, index.idf, settings.answer)
    cands[0].text      # the best-scoring sentence
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..settings import AnswerWeights
from ..text import tokenize
from .intent import Intent
from .patterns import DATE_RX, MONEY_RX, NAMED_PERSON, NUMBER_RX


@dataclass(frozen=True)
class Candidate:
    hit_index: int
    sentence_row: int        # row in the index's sentence matrix
    chunk_id: str
    start: int               # offsets within the chunk text
    end: int
    text: str
    speaker: str
    is_item: bool
    score: float
    dense: float
    overlap: float


def _overlap(terms: tuple[str, ...], text: str, idf: dict[str, float], default_idf: float) -> float:
    if not terms:
        return 0.0
    have = set(tokenize(text))
    total = sum(idf.get(t, default_idf) for t in terms)
    return sum(idf.get(t, default_idf) for t in terms if t in have) / total if total else 0.0


def score_sentences(intent: Intent, qvec: np.ndarray, hits, index, idf: dict[str, float],
                    w: AnswerWeights = AnswerWeights(), *, row_of: dict[str, int] | None = None) -> list[Candidate]:
    """Every sentence of the top passages, scored; best first. `row_of` maps chunk id → index row
    (pass the retriever's to avoid rebuilding it per question)."""
    default_idf = max(idf.values(), default=1.0)
    row_of = row_of or {c.id: i for i, c in enumerate(index.chunks)}
    prior = [1.0, 0.75, 0.6, 0.5, 0.45, 0.4]
    out = []
    for h_i, hit in enumerate(hits[:w.max_passages]):
        c = hit.chunk
        r = row_of[c.id]
        first = int(index.sentence_offsets[r])
        sims = index.sentence_vectors[first:first + len(c.sentences)] @ qvec
        for j, (a, b) in enumerate(c.sentences):
            text = c.text[a:b]
            line_start = c.text.rfind("\n", 0, a) + 1
            is_item = bool(re.match(r"\s*(?:[-*•]|\d{1,2}[.)])\s", c.text[line_start:a + 1]))
            ov = _overlap(intent.terms, text, idf, default_idf)
            s = float(sims[j]) + w.overlap_weight * ov + w.prior_weight * prior[min(h_i, len(prior) - 1)]
            if intent.date and DATE_RX.search(text):
                s += w.date_boost
            if intent.number and NUMBER_RX.search(text):
                s += w.number_boost
            if intent.money and MONEY_RX.search(text):
                s += w.money_boost
            if intent.who and NAMED_PERSON.search(text):
                s += w.who_boost
            if intent.parties and not intent.compare:
                s += w.party_boost if c.speaker in intent.parties else 0.0
            if len(text.split()) < 4 and not (intent.date or intent.number):
                s -= w.label_penalty   # a label ("More details") is not evidence
            out.append(Candidate(h_i, first + j, c.id, a, b, text, c.speaker, is_item, s, float(sims[j]), ov))
    out.sort(key=lambda x: -x.score)
    return out
