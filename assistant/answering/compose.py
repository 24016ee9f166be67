"""Composition: the structured answer from the selected sentences, or an honest abstention.

No language model: every statement is a verbatim sentence of a cited passage, so quotes cannot be
invented. The steps, each a pure function in its own module:

    read_intent(question)              intent.py       what the question asks for
    candidates(...)                    features.py     every sentence of the top passages, with named features
    load_models().sentence             scoring.py      how likely each sentence answers (fitted on dev)
    answerability_features(...)        sufficiency.py  does the evidence hold what was asked? (fitted on dev)
    load_tagger()                      tagging.py      which of the question's words are nouns
    select(...)                        selection.py    answer first, what completes it, runners-up, every side
    render_text(...)                   render.py       one opener per speaker block

    ctx = AnswerContext.of(index, corpus, row_of, settings.answer)
    ev = weigh(intent, qvec, hits, ctx)
    answer = compose(question, intent, ev, hits, ctx)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..glossary import Glossary, load_glossary
from ..settings import AnswerWeights
from ..text import stem, token_set
from ..types import KINDS, Answer, Behaviour, Citation, Document, Hit, Note, Reason, Role, Speaker, Statement
from .features import Candidate, Focus, candidates
from .intent import Intent
from .qtypes import EVIDENCE, MARKED_FORMS, evidence_forms
from .render import abstention_text, render_text
from .scoring import Models, load_models
from .spelling import Speller
from .selection import Pick, select
from .sufficiency import answerability_features, person_voices, explain
from .tagging import Tagger, load_tagger, no_nouns



@dataclass(frozen=True)
class AnswerContext:
    """What composing needs besides the question and its hits; built once per loaded index."""

    index: object                    # LoadedIndex: sentence vectors and offsets, IDF
    row_of: dict[str, int]           # chunk id -> row in the index
    vocabulary: frozenset[str]       # stems the corpus uses
    speakers: dict[str, Speaker]
    kinds: dict[str, str]            # speaker id -> kind of voice
    docs: dict[str, Document]
    weights: AnswerWeights
    glossary: Glossary
    models: Models
    speller: Speller
    voices: dict[tuple[str, str], frozenset[str]]   # (document, speaker) -> the names a sentence of theirs "holds"
    titles: dict[str, str]            # document id -> title (part of a passage's topic context)
    forms: dict[str, object]          # question type -> its evidence pattern, read against this corpus
    tagger: Tagger = no_nouns         # text -> the words it uses as nouns (oov_noun / oov_other)
    persons: dict[str, str] = field(default_factory=dict)   # speaker id -> name, the voices that are people:
                                      # whom "he" or "she" can mean (read once, from the labels)

    @classmethod
    def of(cls, index, corpus, row_of: dict[str, int], weights: AnswerWeights, english=frozenset(),
           tagger: Tagger | None = None) -> "AnswerContext":
        forms = evidence_forms(lambda: (c.text for c in index.chunks))
        return cls(index, row_of, index.lexical.vocabulary(), corpus.speakers,
                   {s.id: s.kind for s in corpus.speakers.values()}, {d.id: d for d in corpus.documents}, weights,
                   load_glossary(), load_models(), Speller(index.words, english),
                   voice_names(corpus, index.chunks), {d.id: d.title for d in corpus.documents},
                   forms, tagger or load_tagger(), person_voices(corpus.speakers, forms))


def voice_names(corpus, chunks) -> dict[tuple[str, str], frozenset[str]]:
    """The stems of the names of a sentence's own speaker and of its document's speaker: a party's sentence
    speaks for that party without naming it, and a line a document quotes still belongs to that document."""
    names = {sid: frozenset(token_set(" ".join(sp.aliases))) for sid, sp in corpus.speakers.items()}
    pairs = {(c.doc_id, c.speaker) for c in chunks}
    docs = {d.id: d for d in corpus.documents}
    return {(d, s): names.get(s, frozenset()) | names.get(docs[d].speaker, frozenset()) if d in docs else names.get(s, frozenset())
            for d, s in pairs}


@dataclass(frozen=True)
class Evidence:
    """Everything the decision rests on, for composing and for `--explain` / fitting."""

    candidates: list[Candidate]
    probabilities: list[float]
    answerability: dict[str, float]
    score: float                     # probability that the evidence answers the question


def weigh(intent: Intent, qvec: np.ndarray, hits: list[Hit], ctx: AnswerContext, context: str = "",
          said: frozenset[str] = frozenset()) -> Evidence:
    """The candidates and both scores. `said`: sentences an earlier answer quoted, not candidates again ("why?"
    wants the reasons around the claim, not the claim)."""
    focus = Focus.of(intent.question, ctx.speller, ctx.index.idf, context, ctx.glossary)
    # every passage given is read: retrieval's top `max_passages`, and beyond them a named voice's own passages
    cands = candidates(intent, focus, qvec, hits, ctx.index, ctx.row_of, len(hits),
                       ctx.titles, ctx.voices, ctx.forms, ctx.docs)
    cands = [c for c in cands if c.text not in said] or cands
    probs = ctx.models.sentence.probabilities([c.features for c in cands])
    nouns = frozenset(stem(ctx.speller.correct(w)) for w in ctx.tagger(intent.question))
    feats = answerability_features(intent, focus, cands, probs, ctx.vocabulary, ctx.glossary, ctx.speakers, ctx.forms,
                                   nouns, context, ctx.persons)
    return Evidence(cands, probs, feats, ctx.models.answerable.probability(feats))


def answer_span(intent: Intent, quote: str, forms: dict[str, object] = EVIDENCE) -> tuple[int, int] | None:
    """The phrase of the answering sentence that answers: its date, sum, figure or name, as asked."""
    for name in MARKED_FORMS:
        if name in intent.types and (m := forms[name].search(quote)):
            return m.start(), m.end()
    return None


def compose(q: str, intent: Intent, ev: Evidence, hits: list[Hit], ctx: AnswerContext) -> Answer:
    """The answer from the weighed evidence, or an abstention saying why (`detail`, `explain`)."""
    why = explain(ev.answerability, ctx.models.answerable)
    covered = bool(ev.candidates) and ev.score >= ctx.models.answerable.threshold
    picks = select(intent, ev.candidates, ev.probabilities, ctx.kinds, ctx.weights) if covered else []
    if not picks:   # not covered, or every candidate only asks
        return Answer(q, Behaviour.ABSTAIN, abstention_text(hits, ctx.docs), reason=Reason.NOT_COVERED,
                      detail=f"the evidence does not hold what was asked (score {ev.score:.2f} < {ctx.models.answerable.threshold:.2f})",
                      explain=why)
    return statements_answer(q, intent, picks, hits, ctx, why)


def statements_answer(q: str, intent: Intent, picks: list[Pick], hits: list[Hit], ctx: AnswerContext,
                      why: dict | None = None) -> Answer:
    by_id = {h.chunk.id: h.chunk for h in hits}
    statements = []
    for n, p in enumerate(picks, 1):
        chunk = by_id[p.candidate.chunk_id]
        cite = Citation(n, chunk, p.candidate.text, ctx.docs[chunk.doc_id], ctx.speakers[p.candidate.speaker])
        span = answer_span(intent, p.candidate.text, ctx.forms) if p.role == Role.ANSWER else None
        statements.append(Statement(p.role, cite, span, p.candidate.is_item))
    sides = tuple(k for k in KINDS if any(ctx.kinds.get(s.speaker.id) == k for s in statements))
    notes: list[str] = []
    if intent.contested:
        notes.append(Note.CONTESTED if len(sides) > 1 else Note.ONE_SIDE)
    if "comparison" in intent.types:
        notes.append(Note.COMPARISON)
    if intent.words_of and any(s.speaker.id not in intent.words_of for s in statements):
        notes.append(Note.SUMMARY_OF_OTHER)
    return Answer(q, Behaviour.ANSWER, render_text(statements), tuple(s.citation for s in statements),
                  statements=tuple(statements), notes=tuple(notes), sides=sides, explain=why or {})
