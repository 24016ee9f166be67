"""Orchestration only: route → retrieve → answer. The CLI, the web app and the evaluation are thin over it.

    assistant = open_assistant(Settings.from_env())
    answer = assistant.ask("What will Integrated Care Boards do?")
    answer.to_dict()        # the `hcb ask --json` contract
"""

from __future__ import annotations

import time

from .answering.compose import AnswerContext, compose
from .answering.followups import resolve_follow_up
from .answering.intent import read_intent
from .corpus.manifest import Corpus, load_corpus
from .errors import IndexCorruptError, QuestionError
from .index.build import LoadedIndex, open_index
from .index.embed import Embedder, make_embedder
from .retrieval.hybrid import HybridRetriever
from .routing.router import CAPABILITY, route
from .settings import Settings
from .types import Answer, Behaviour, Filters, Hit, RouteKind, Turn


def check_question(question, max_chars: int = 1000) -> str:
    """Reject what cannot be a question, with a message that says what to do.

    >>> check_question("  What is an ICB?  ")
    'What is an ICB?'
    """
    if not isinstance(question, str):
        raise QuestionError("a question must be text: type your question in words")
    if "\x00" in question or sum(ch < " " and ch not in "\n\r\t" for ch in question) > 3:
        raise QuestionError("that looks like binary data, not a question: type your question in words")
    if any("\ud800" <= ch <= "\udfff" for ch in question):   # a lone surrogate: not text any encoder accepts
        raise QuestionError("the question holds characters that are not valid text (broken UTF-8): retype it")
    q = question.strip()
    if not q:
        raise QuestionError("the question is empty: type a question about the NHS reform documents")
    if len(q) > max_chars:
        raise QuestionError(f"the question is {len(q):,} characters; the limit is {max_chars:,}: shorten it")
    return q


def history_of(answers: list[Answer]) -> list[Turn]:
    """The conversation so far, as `ask(history=...)` takes it: every earlier answer, oldest first.

    The web chat, `hcb eval run` on conversations and the API all build history with this.
    """
    return [Turn(a.question, a.retrieval_query) for a in answers]


class Assistant:
    """Answers questions from a loaded index. Thread-safe for concurrent `ask` calls."""

    def __init__(self, settings: Settings, corpus: Corpus, index: LoadedIndex, embedder: Embedder):
        self.settings, self.corpus, self.index, self.embedder = settings, corpus, index, embedder
        self.docs = {d.id: d for d in corpus.documents}
        self.speaker_kinds = {s.id: s.kind for s in corpus.speakers.values()}
        r = settings.retrieval
        self.retriever = HybridRetriever(
            index, {d.id: d.kind for d in corpus.documents}, self.speaker_kinds,
            candidates=r.candidates, rrf_k=r.rrf_k, dense_weight=r.dense_weight,
            lexical_weight=r.lexical_weight, sentence_weight=r.sentence_weight)
        self.answering = AnswerContext.of(index, corpus, self.retriever.row, settings.answer)
        self.vocabulary = self.answering.vocabulary

    # ---- retrieval

    def search(self, query: str, k: int | None = None, filters: Filters = Filters(), timings: dict | None = None) -> list[Hit]:
        """Ranked passages for a query (hybrid, fused)."""
        t0 = time.perf_counter()
        qvec = self.embedder.embed([query])[0]
        if timings is not None:
            timings["embed"] = (time.perf_counter() - t0) * 1000
        return self.retriever.search(query, qvec, k or self.settings.retrieval.top_k, filters, timings)

    # ---- answering

    def about(self) -> str:
        lines = ["I answer only from these documents (newest first):", ""]
        for d in sorted(self.corpus.documents, key=lambda d: d.date, reverse=True):
            state = "" if d.text else " — listed, not yet fetched"
            lines.append(f"- *{d.title}* — {d.publisher}, {d.date}{state}")
        lines += ["", CAPABILITY]
        return "\n".join(lines)

    def ask(self, question: str, history: list[Turn] | None = None, filters: Filters = Filters()) -> Answer:
        """Answer one question: route, retrieve, select sentences, cite — or abstain or redirect."""
        t_start = time.perf_counter()
        q = check_question(question, self.settings.max_question_chars)
        timings: dict[str, float] = {}
        r = route(q, self.vocabulary)
        if r.kind == RouteKind.ABOUT:
            return Answer(q, Behaviour.ANSWER, self.about(), timings_ms={"total": (time.perf_counter() - t_start) * 1000})
        if r.kind != RouteKind.RETRIEVE:
            return Answer(q, Behaviour.REFUSE, r.message, timings_ms={"total": (time.perf_counter() - t_start) * 1000},
                          notes=(r.kind,))
        rq = resolve_follow_up(q, list(history or []))
        t0 = time.perf_counter()
        qvec = self.embedder.embed([rq])[0]
        timings["embed"] = (time.perf_counter() - t0) * 1000
        hits = self.retriever.search(rq, qvec, self.settings.retrieval.top_k, filters, timings)
        t0 = time.perf_counter()
        intent = read_intent(q, self.corpus.speakers)
        hits = self._add_named_voices(intent, rq, qvec, hits, filters)
        answer = compose(q, intent, qvec, hits, self.answering)
        timings["compose"] = (time.perf_counter() - t0) * 1000
        timings["total"] = (time.perf_counter() - t_start) * 1000
        return Answer(q, answer.behaviour, answer.text, answer.citations, tuple(hits), timings, rq, answer.notes)

    def _add_named_voices(self, intent, rq: str, qvec, hits: list[Hit], filters: Filters) -> list[Hit]:
        """"What do the petitioners say…" / comparisons: if a named voice is missing from the hits,
        fetch its best passage so the answer can quote it (or honestly abstain)."""
        wanted = intent.asked_parties or (intent.parties if intent.compare else ())
        sides: dict[str, list[str]] = {}     # one side per kind of voice: "the Government" covers several
        for sid in wanted:
            sides.setdefault(self.corpus.speakers[sid].kind, []).append(sid)
        present = {h.chunk.speaker for h in hits}
        seen = {h.chunk.id for h in hits}
        extra = []
        for group in sides.values():
            # a comparison always hears each side's best passages; "what does X say" only when X is missing
            if intent.compare or not present & set(group):
                f = Filters(filters.kinds, tuple(group), filters.doc_ids, filters.speaker_kinds)
                for h in self.retriever.search(rq, qvec, 2 if intent.compare else 1, f):
                    if h.chunk.id not in seen:
                        seen.add(h.chunk.id)
                        extra.append(h)
        if not extra:
            return hits
        merged = hits[:max(1, len(hits) - len(extra))] + extra
        return [Hit(h.chunk, h.score, i, h.dense_rank, h.lexical_rank, h.dense_score, h.lexical_score)
                for i, h in enumerate(merged, 1)]


def open_assistant(settings: Settings, embedder: Embedder | None = None) -> Assistant:
    """Load corpus and index; raise IndexMissingError / IndexCorruptError / CorpusError naming the fix."""
    corpus = load_corpus(settings.corpus_dir)
    index = open_index(settings.index_dir, settings.chroma_url)
    emb = embedder or make_embedder(settings.embedder)
    if index.manifest.get("embedder") != emb.name:
        raise IndexCorruptError(f"the index was built with {index.manifest.get('embedder')}, not {emb.name}: run: hcb index build")
    return Assistant(settings, corpus, index, emb)
