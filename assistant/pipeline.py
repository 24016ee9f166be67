"""The public API: one object that answers questions. The CLI and the web app are thin over it.

    assistant = open_assistant(Settings.from_env())
    answer = assistant.ask("What will Integrated Care Boards do?")
    answer.to_dict()        # the `hcb ask --json` contract
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass

from .answer import ABSTAIN_TEXT, analyse, render, score_sentences, select, sufficient
from .embed import Embedder, make_embedder
from .errors import QuestionError
from .index import LoadedIndex, open_index
from .lexical import tokenize
from .load import Corpus, load_corpus
from .retrieve import Filters, HybridRetriever
from .route import CAPABILITY, route
from .schema import Answer, Citation, Hit
from .settings import Settings

FOLLOW_UP = re.compile(r"^\s*(and|but|so|also|what about|how about|and what|why|then)\b|\b(that|this|it|they|them|those|these|he|she|his|her|their|its)\b", re.I)


@dataclass(frozen=True)
class Turn:
    """A previous exchange, as the UI remembers it."""

    question: str
    retrieval_query: str = ""


def check_question(question, max_chars: int = 1000) -> str:
    """Reject what cannot be a question, with a message that says what to do."""
    if not isinstance(question, str):
        raise QuestionError("a question must be text: type your question in words")
    if "\x00" in question or sum(ch < " " and ch not in "\n\r\t" for ch in question) > 3:
        raise QuestionError("that looks like binary data, not a question: type your question in words")
    q = question.strip()
    if not q:
        raise QuestionError("the question is empty: type a question about the NHS reform documents")
    if len(q) > max_chars:
        raise QuestionError(f"the question is {len(q):,} characters; the limit is {max_chars:,}: shorten it")
    return q


def resolve_follow_up(question: str, history: list[Turn]) -> str:
    """A short question leaning on the previous turn ("and what does the LGA say about that?")
    is searched together with that turn's question."""
    if not history:
        return question
    content = tokenize(question)
    if len(content) <= 6 and FOLLOW_UP.search(question):
        prev = history[-1].retrieval_query or history[-1].question
        return f"{question} {prev}"
    return question


class Assistant:
    """Answers questions from a loaded index. Thread-safe for concurrent `ask` calls."""

    def __init__(self, settings: Settings, corpus: Corpus, index: LoadedIndex, embedder: Embedder):
        self.settings, self.corpus, self.index, self.embedder = settings, corpus, index, embedder
        self.docs = {d.id: d for d in corpus.documents}
        self.speaker_kinds = {s.id: s.kind for s in corpus.speakers.values()}
        self.retriever = HybridRetriever(
            index, {d.id: d.kind for d in corpus.documents}, self.speaker_kinds,
            candidates=settings.candidates, rrf_k=settings.rrf_k, dense_weight=settings.dense_weight,
            lexical_weight=settings.lexical_weight, sentence_weight=settings.sentence_weight)
        self.vocabulary = index.lexical.vocabulary()
        self.corpus_text = " ".join(" ".join(d.text.split()) for d in corpus.available).lower()
        df = Counter(t for c in index.chunks for t in set(tokenize(c.text)))
        n = max(1, len(index.chunks))
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}

    # ---- retrieval

    def search(self, query: str, k: int | None = None, filters: Filters = Filters(), timings: dict | None = None) -> list[Hit]:
        """Ranked passages for a query (hybrid, fused)."""
        t0 = time.perf_counter()
        qvec = self.embedder.embed([query])[0]
        if timings is not None:
            timings["embed"] = (time.perf_counter() - t0) * 1000
        return self.retriever.search(query, qvec, k or self.settings.top_k, filters, timings)

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
        if r.kind == "about":
            return Answer(q, "answer", self.about(), timings_ms={"total": (time.perf_counter() - t_start) * 1000})
        if r.kind != "retrieve":
            return Answer(q, "refuse_or_redirect", r.message, timings_ms={"total": (time.perf_counter() - t_start) * 1000},
                          notes=(r.kind,))
        rq = resolve_follow_up(q, list(history or []))
        t0 = time.perf_counter()
        qvec = self.embedder.embed([rq])[0]
        timings["embed"] = (time.perf_counter() - t0) * 1000
        hits = self.retriever.search(rq, qvec, self.settings.top_k, filters, timings)
        t0 = time.perf_counter()
        intent = analyse(q, self.corpus.speakers)
        hits = self._add_named_voices(intent, rq, qvec, hits, filters)
        answer = self._compose(q, intent, qvec, hits)
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

    def _compose(self, q: str, intent, qvec, hits: list[Hit]) -> Answer:
        cands = score_sentences(intent, qvec, hits, self.index, self.idf, row_of=self.retriever.row)
        chosen = select(intent, cands, self.speaker_kinds)
        ok, why = sufficient(intent, chosen, hits, self.vocabulary, self.corpus_text, self.corpus.speakers)
        if not ok:
            return Answer(q, "abstain", self._abstention(hits), notes=(why,))
        text, pairs = render(chosen, self.corpus.speakers)
        by_id = {h.chunk.id: h.chunk for h in hits}
        citations = tuple(Citation(n, by_id[c.chunk_id], c.text, self.docs[by_id[c.chunk_id].doc_id],
                                   self.corpus.speakers[c.speaker]) for n, c in pairs)
        kinds = {self.corpus.speakers[c.speaker].kind for c in chosen}
        notes = ("one_side",) if intent.compare and len(kinds) < 2 else ()
        return Answer(q, "answer", text, citations, notes=notes)

    def _abstention(self, hits: list[Hit]) -> str:
        lines = [ABSTAIN_TEXT + " These are the closest passages I found — they are **not an answer** to your question:", ""]
        for h in hits[:3]:
            d = self.docs[h.chunk.doc_id]
            snippet = " ".join(h.chunk.text.split()[:30])
            lines.append(f"- {d.title} ({d.publisher}, {d.date}): “{snippet}…”")
        return "\n".join(lines)


def open_assistant(settings: Settings, embedder: Embedder | None = None) -> Assistant:
    """Load corpus and index; raise IndexMissingError / IndexCorruptError / CorpusError naming the fix."""
    corpus = load_corpus(settings.corpus_dir)
    index = open_index(settings.index_dir, settings.chroma_url)
    emb = embedder or make_embedder(settings.embedder)
    if index.manifest.get("embedder") != emb.name:
        from .errors import IndexCorruptError

        raise IndexCorruptError(f"the index was built with {index.manifest.get('embedder')}, not {emb.name}: run: hcb index build")
    return Assistant(settings, corpus, index, emb)
