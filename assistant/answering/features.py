"""Candidate sentences and the named features the scorers read.

Every sentence of the top passages is a candidate. Its features are general measures of how well it
answers: similarity to the question, the question's topic words it holds (glossary equivalents and
corrected spellings count), the form the question wants (a date for "when", a figure for "how many"…),
who says it, where it sits.

    focus = Focus.of(intent.question, speller, index.idf, glossary=glossary)
    cands = candidates(intent, focus, qvec, hits, index, row_of)
    cands[0].features["cos"]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..glossary import Glossary
from ..settings import AnswerWeights
from ..text import FILLERS, STOPWORDS, stem, token_set, tokenize, words
from .intent import Intent
from .patterns import is_item_at
from .qtypes import ANSWER_FORMS, EVIDENCE
from .spelling import Speller

SENTENCE_FEATURES = ("cos", "cos_gap", "cos_rank", "cos_passage", "neighbour_cos", "prior", "fused", "focus", "focus_near", "focus_gap",
                     "focus_rank", "focus_passage", "pairs", "form_q", "type_hit", "type_miss", "form_topic", "form_cos",
                     "party_hit", "party_other", "named_hit",
                     "short", "item", "colon", "first", "definition", "prev_focus")
CONTEXT_WEIGHT = 0.3   # an earlier turn's topic word counts this much of a word of the question itself
FORMS = ANSWER_FORMS + ("definition", "reason", "list")   # types whose evidence has a form


@dataclass(frozen=True)
class Focus:
    """The question's topic words (stems, spelling corrected, fillers dropped) with their IDF weights,
    and its consecutive topic-word pairs ("duty collaborate", "place based")."""

    weights: dict[str, float]
    pairs: tuple[tuple[str, str], ...]
    alts: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)   # glossary: the terms meaning a word

    @classmethod
    def of(cls, question: str, speller: Speller, idf: dict[str, float], context: str = "",
           glossary: Glossary | None = None) -> "Focus":
        """`context` (a follow-up's earlier topic) adds its words at a fraction of their weight: the answer
        must hold what this turn asks, in the light of what came before. `glossary`: a topic word is also
        held by a whole term meaning the glossary term it is part of ("independent sector" for "private firms")."""
        top = max(idf.values(), default=1.0)

        def all_stems(text: str) -> list[str]:
            return [stem(speller.correct(w).lower()) for w in words(text) if w not in STOPWORDS]

        def stems_of(text: str) -> list[str]:
            return [s for s in all_stems(text) if s not in FILLERS]

        own = stems_of(question)
        weights = {s: idf.get(s, top) for s in dict.fromkeys(own)}
        for s in stems_of(context):
            weights.setdefault(s, CONTEXT_WEIGHT * idf.get(s, top))
        alts = {}
        if glossary is not None:
            alts = glossary.alternatives(all_stems(context))
            alts.update(glossary.alternatives(all_stems(question)))
        return cls(weights, tuple(zip(own, own[1:])), alts)

    def covers(self, term: str, stems) -> bool:
        """Do `stems` hold the topic word `term`, itself or a whole glossary term meaning it?"""
        return term in stems or any(alt <= stems for alt in self.alts.get(term, ()))

    def coverage(self, stems) -> float:
        """IDF-weighted share of the topic words that `stems` hold, glossary equivalents counting."""
        total = sum(self.weights.values())
        if not total:
            return 0.0
        return sum(w for t, w in self.weights.items() if self.covers(t, stems)) / total

    def pair_share(self, stems_in_order: list[str]) -> float:
        if not self.pairs:
            return 0.0
        have = set(zip(stems_in_order, stems_in_order[1:]))
        return sum(p in have for p in self.pairs) / len(self.pairs)


@dataclass(frozen=True)
class Candidate:
    hit_index: int               # position of its passage in the hits
    position: int                # sentence number within the passage
    chunk_id: str
    start: int                   # offsets within the passage text
    end: int
    text: str
    speaker: str
    is_item: bool
    features: dict[str, float]


def has_new_form(rx, text: str, question: str, people: tuple[str, ...] = ()) -> bool:
    """The text has the form `rx` a question type wants (a date, a figure, a name…), one the question does not
    already contain: a "who" question naming one MP is answered by another name. `people`: persons the question
    (or what it carries from earlier turns) names, lower case; a run of capitals that holds one is that person
    with a title ("Outgoing NHS Chief Executive Sir Simon Stevens"), not someone new.

    >>> from assistant.answering.patterns import NAME_RX
    >>> has_new_form(NAME_RX, "Outgoing Chief Executive Sir Simon Stevens said so.", "who replaced Sir Simon Stevens",
    ...              ("sir simon stevens",))
    False
    >>> has_new_form(NAME_RX, "It was chaired by Margaret Greenwood MP.", "who chaired it")
    True
    """
    if rx is None:
        return False
    if not hasattr(rx, "finditer"):          # a form without spans (figures): any match will do
        return bool(rx.search(text))
    q = question.lower()
    return any(n not in q and not any(p in n for p in people) for n in (m.group(0).lower() for m in rx.finditer(text)))


DIGIT = re.compile(r"\d")
CAPS_WORD = re.compile(r"[A-Za-z][\w’'-]*")
GLUE = frozenset(("of", "and", "the", "for", "on", "in", "to", "a"))   # lower case inside a title


@lru_cache(maxsize=65_536)   # asked of the same sentences on every question; pure
def is_label(text: str) -> bool:
    """A line of capitalised words only ("Department of Health and Social Care", "More details") is a label,
    a heading or a signature: not a statement to quote (a line with a figure or date is kept: "16,019 signatures")."""
    if DIGIT.search(text) or not all(w[0].isupper() for w in CAPS_WORD.findall(text) if w.lower() not in GLUE):
        return False
    return any(w not in GLUE for w in words(text))


def form_hits(intent: Intent, text: str, forms: dict[str, object] = EVIDENCE) -> tuple[float, float]:
    """(share of the wanted forms the text has, 1 when it has none of them); (0, 0) when no form is wanted.
    `forms`: each type's evidence pattern (qtypes.evidence_forms)."""
    wanted = [forms[t] for t in intent.types if t in FORMS and forms.get(t) is not None]
    if not wanted:
        return 0.0, 0.0
    hits = sum(has_new_form(rx, text, intent.question) for rx in wanted)
    return hits / len(wanted), float(hits == 0)


def candidates(intent: Intent, focus: Focus, qvec: np.ndarray, hits, index, row_of: dict[str, int],
               max_passages: int = AnswerWeights.max_passages, titles: dict[str, str] | None = None,
               voices: dict[tuple[str, str], frozenset[str]] | None = None,
               forms: dict[str, object] = EVIDENCE, docs: dict | None = None) -> list[Candidate]:
    """Every sentence of the top passages with its features, in passage order. A passage's context for
    `focus_passage` is its document's title, its section and its text (as the index holds it). `voices`
    ((document, speaker) -> the stems of their names) credits a sentence with its speaker's and its document's
    names: a question about a party's position is answered by that party's sentence, which need not name it.
    `docs` (id -> Document): a line a party's document quotes or records is still that party's (`named_hit`)."""
    titles = titles or {}
    voices = voices or {}
    docs = docs or {}
    named = set(intent.words_of)     # whose own words were asked for (naming a party as a subject is not that)
    top_score = max((h.score for h in hits[:max_passages]), default=1.0) or 1.0
    out: list[Candidate] = []
    for h_i, hit in enumerate(hits[:max_passages]):
        c = hit.chunk
        r = row_of[c.id]
        first = int(index.sentence_offsets[r])
        sims = index.sentence_vectors[first:first + len(c.sentences)] @ qvec
        own = voices.get((c.doc_id, c.speaker), frozenset())
        focus_p = focus.coverage(token_set(" ".join((titles.get(c.doc_id, ""), c.section, c.text))) | own)
        sets = [token_set(c.text[a:b]) | own for a, b in c.sentences]
        for j, (a, b) in enumerate(c.sentences):
            text = c.text[a:b]
            if is_label(text):
                continue
            is_item = is_item_at(c.text, a)
            type_hit, type_miss = form_hits(intent, text, forms)
            toks = tokenize(text)
            neighbours = [float(sims[k]) for k in (j - 1, j + 1) if 0 <= k < len(sims)]
            out.append(Candidate(h_i, j, c.id, a, b, text, c.speaker, is_item, {
                "cos": float(sims[j]),
                "cos_passage": float(hit.dense_score or 0.0),
                "neighbour_cos": max(neighbours, default=0.0),
                "prior": 1.0 / (1 + h_i),
                "fused": hit.score / top_score,
                "focus": focus.coverage(sets[j]),
                # the sentence with the ones either side: "On 24 October, MPs debated…" / "It was led by Ms Greenwood."
                "focus_near": focus.coverage(sets[j].union(*sets[max(0, j - 1):j + 2])),
                "focus_passage": focus_p,
                "pairs": focus.pair_share(toks),
                "type_hit": type_hit,
                "type_miss": type_miss,
                "party_hit": float(bool(named) and c.speaker in named),
                "party_other": float(bool(named) and c.speaker not in named),
                "named_hit": float(c.speaker in intent.parties or (c.doc_id in docs and docs[c.doc_id].speaker in intent.parties)),
                "short": float(len(text.split()) < 5),
                "item": float(is_item),
                "colon": float(text.rstrip().endswith(":")),
                "first": float(j == 0),
                "definition": float("definition" in intent.types and j == 0),
                # the topic named just before: "MPs debated the future of the NHS." / "It was led by…"
                "prev_focus": focus.coverage(sets[j - 1]) if j > 0 else 0.0,
            }))
    if out:
        wants_form = float(any(t in ANSWER_FORMS for t in intent.types))
        for name in ("cos", "focus"):    # where each sentence stands among this question's candidates
            values = sorted((x.features[name] for x in out), reverse=True)
            for x in out:
                x.features[f"{name}_gap"] = x.features[name] - values[0]
                x.features[f"{name}_rank"] = 1.0 / (1 + values.index(x.features[name]))
        for x in out:
            x.features["form_q"] = wants_form
            # the asked-for form in a sentence that is about the question: "when" wants the dated line on the topic
            x.features["form_topic"] = x.features["type_hit"] * x.features["focus_passage"]
            x.features["form_cos"] = x.features["type_hit"] * x.features["cos"]
    return out


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
