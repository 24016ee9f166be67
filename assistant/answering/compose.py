"""Composition: an attributed, cited answer from the documents' own sentences, or an honest abstention.

No language model: every quoted sentence is a verbatim slice of a cited
passage, so quotes cannot be invented. The steps are pure functions, each in its module:

    read_intent(question)        intent.py       what the question asks for (a date, a number, a list, named voices)
    score_sentences(...)         scoring.py      relevance of each sentence of the top passages
    select(...)                  selection.py    best sentences: the most direct first, diverse, within a word budget
    sufficient(...)              sufficiency.py  does the evidence hold what was asked? if not, abstain
    render_text(...)             here            "The LGA's view is: “…” [1]", grouped by speaker

    ctx = AnswerContext.of(index, corpus, row_of, settings.answer)
    answer = compose(question, read_intent(question, corpus.speakers), qvec, hits, ctx)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..settings import AnswerWeights
from ..types import Answer, Behaviour, Citation, Document, Hit, Note, Speaker
from .intent import Intent
from .scoring import Candidate, score_sentences
from .selection import select
from .sufficiency import sufficient

ABSTAIN_TEXT = "The documents I have don't cover this."


@dataclass(frozen=True)
class AnswerContext:
    """What composing needs besides the question and its hits; built once per loaded index."""

    index: object                    # LoadedIndex: sentence vectors and offsets, IDF
    row_of: dict[str, int]           # chunk id -> row in the index
    vocabulary: frozenset[str]       # stems the corpus uses
    corpus_text: str                 # every available document, lower case, whitespace collapsed
    speakers: dict[str, Speaker]
    speaker_kinds: dict[str, str]
    docs: dict[str, Document]
    weights: AnswerWeights

    @classmethod
    def of(cls, index, corpus, row_of: dict[str, int], weights: AnswerWeights) -> "AnswerContext":
        return cls(index, row_of, index.lexical.vocabulary(),
                   " ".join(" ".join(d.text.split()) for d in corpus.available).lower(),
                   corpus.speakers, {s.id: s.kind for s in corpus.speakers.values()},
                   {d.id: d for d in corpus.documents}, weights)


def compose(q: str, intent: Intent, qvec: np.ndarray, hits: list[Hit], ctx: AnswerContext) -> Answer:
    """The answer from the hits' sentences, or an abstention naming why (in `notes`)."""
    w = ctx.weights
    cands = score_sentences(intent, qvec, hits, ctx.index, ctx.index.idf, w, row_of=ctx.row_of)
    chosen = select(intent, cands, ctx.speaker_kinds, w)
    ok, why = sufficient(intent, chosen, hits, ctx.vocabulary, ctx.corpus_text, ctx.speakers, w)
    if not ok:
        return Answer(q, Behaviour.ABSTAIN, abstention_text(hits, ctx.docs), notes=(why,))
    text, pairs = render_text(chosen, ctx.speakers)
    by_id = {h.chunk.id: h.chunk for h in hits}
    citations = tuple(Citation(n, by_id[c.chunk_id], c.text, ctx.docs[by_id[c.chunk_id].doc_id],
                               ctx.speakers[c.speaker]) for n, c in pairs)
    kinds = {ctx.speakers[c.speaker].kind for c in chosen}
    notes = (Note.ONE_SIDE,) if intent.compare and len(kinds) < 2 else ()
    if intent.explicit_compare:
        notes += (Note.COMPARISON,)
    return Answer(q, Behaviour.ANSWER, text, citations, notes=notes)


def abstention_text(hits: list[Hit], docs: dict[str, Document]) -> str:
    """"Not covered", then the closest passages, marked as not an answer."""
    lines = [ABSTAIN_TEXT + " These are the closest passages I found — they are **not an answer** to your question:", ""]
    for h in hits[:3]:
        d = docs[h.chunk.doc_id]
        snippet = " ".join(h.chunk.text.split()[:30])
        lines.append(f"- {d.title} ({d.publisher}, {d.date}): “{snippet}…”")
    return "\n".join(lines)


def render_text(chosen: list[Candidate], speakers: dict) -> tuple[str, list[tuple[int, Candidate]]]:
    """Answer text with [n] markers; lead sentence first, the rest grouped by speaker.

    Returns the text and (n, candidate) pairs in citation order.
    """
    if not chosen:
        return "", []
    lead, rest = chosen[0], chosen[1:]
    order = [lead.speaker] + [s for s in dict.fromkeys(c.speaker for c in rest) if s != lead.speaker]
    grouped = [lead] + sorted(rest, key=lambda c: (order.index(c.speaker), c.chunk_id != lead.chunk_id, c.chunk_id, c.start))
    lines, cites, seen_speakers = [], [], set()
    prev = None
    for c in grouped:
        n = len(cites) + 1
        cites.append((n, c))
        sp = speakers[c.speaker]
        if c.is_item and prev is not None and prev.speaker == c.speaker and (prev.is_item or prev.text.rstrip().endswith(":")):
            lines.append(f"- “{c.text}” [{n}]")
        else:
            opener = sp.again if c.speaker in seen_speakers else sp.attribution
            lines.append(f"{opener}: “{c.text}” [{n}]")
        seen_speakers.add(c.speaker)
        prev = c
    text = ""
    for line in lines:
        if line.startswith("- "):
            text += "\n" + line
        else:
            text += ("\n\n" if text else "") + line
    return text, cites
