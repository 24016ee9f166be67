"""Orchestration only: route → resolve the conversation → retrieve → weigh the evidence → answer or abstain.

    assistant = open_assistant(Settings.from_env())
    first = assistant.ask("Who allocates Integrated Care Boards' money?")
    follow = assistant.ask("and the LGA?", history=[first])      # earlier answers, oldest first
    follow.to_dict()        # the `hcb ask --json` contract
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from .answering.compose import AnswerContext, Evidence, compose, statements_answer, weigh
from .answering.followups import AUTHORED, FollowUp, Past, Resolution, content_words, leaned, pointed, resolve, topic_index, topical
from .answering.intent import Intent, carry_voices, named_speakers, read_intent
from .answering.earlier import about, more_of, sentence_before
from .answering.patterns import CONTINUES, DATE_RX
from .answering.selection import Pick
from .answering.features import Candidate
from .corpus.manifest import Corpus, load_corpus
from .errors import IndexCorruptError, QuestionError
from .index.build import LoadedIndex, open_index
from .index.embed import Embedder, english_words, make_embedder, unit
from .retrieval.hybrid import HybridRetriever
from .routing.router import CAPABILITY, decline, route
from .routing.screen import load_screen
from .settings import Settings
from .text import plain
from .types import Answer, Behaviour, Citation, Filters, Hit, Reason, Role, RouteKind, Statement

HistoryItem = Answer | dict | str     # an earlier Answer, its `to_dict()` (web and JSON clients), or a bare question


def check_question(question, max_chars: int = 1000) -> str:
    """Reject what cannot be a question, with a message that says what to do.

    >>> check_question("  What is an ICB?  ")
    'What is an ICB?'
    """
    if not isinstance(question, str):
        raise QuestionError("a question must be text: type your question in words")
    if "\x00" in question or sum(ch < " " and ch not in "\n\r\t" for ch in question) > 3:
        raise QuestionError("this seems to be binary data, not a question: type your question in words")
    if any("\ud800" <= ch <= "\udfff" for ch in question):   # a lone surrogate: not text any encoder accepts
        raise QuestionError("the question holds characters that are not valid text (broken UTF-8): retype it")
    q = question.strip()
    if not q:
        raise QuestionError("the question is empty: type a question for the documents to answer")
    if len(q) > max_chars:
        raise QuestionError(f"the question is {len(q):,} characters; the limit is {max_chars:,}: shorten it")
    return q


@dataclass(frozen=True)
class Weighed:
    """A question resolved, retrieved and weighed: everything the decision rests on."""

    resolution: Resolution
    intent: Intent
    hits: list[Hit]
    evidence: Evidence


class Assistant:
    """Answers questions from a loaded index. Thread-safe for concurrent `ask` calls."""

    def __init__(self, settings: Settings, corpus: Corpus, index: LoadedIndex, embedder: Embedder):
        self.settings, self.corpus, self.index, self.embedder = settings, corpus, index, embedder
        self.speaker_kinds = {s.id: s.kind for s in corpus.speakers.values()}
        r = settings.retrieval
        self.retriever = HybridRetriever(
            index, {d.id: d.kind for d in corpus.documents}, self.speaker_kinds,
            candidates=r.candidates, rrf_k=r.rrf_k, dense_weight=r.dense_weight,
            lexical_weight=r.lexical_weight, sentence_weight=r.sentence_weight, sentence_pool=r.sentence_pool)
        self.answering = AnswerContext.of(index, corpus, self.retriever.row, settings.answer, english_words())
        self.vocabulary, self.docs, self.glossary = self.answering.vocabulary, self.answering.docs, self.answering.glossary
        self.depth = max(r.top_k, settings.answer.max_passages)
        self.screen = load_screen(embedder_name=embedder.name)

    # ---- retrieval

    def search(self, query: str, k: int | None = None, filters: Filters = Filters(), timings: dict | None = None) -> list[Hit]:
        """Ranked passages for a query (hybrid, fused; the lexical side also searches glossary equivalents)."""
        t0 = time.perf_counter()
        qvec = self.embedder.embed([query])[0]
        if timings is not None:
            timings["embed"] = (time.perf_counter() - t0) * 1000
        return self.retriever.search(self.lexical_query(query), qvec, k or self.settings.retrieval.top_k, filters, timings)

    def lexical_query(self, query: str) -> str:
        """The query, its misspelt words corrected, and the glossary's equivalents of its terms."""
        fixed = self.answering.speller.corrections(query)
        return " ".join([query, *fixed, *sorted(self.glossary.expansions(" ".join([query, *fixed])))])

    # ---- answering

    def about(self) -> str:
        lines = ["I answer only from these documents (newest first):", ""]
        for d in sorted(self.corpus.documents, key=lambda d: d.date, reverse=True):
            state = "" if d.text else " — listed, not yet fetched"
            lines.append(f"- *{d.title}* — {d.publisher}, {d.date}{state}")
        lines += ["", CAPABILITY]
        return "\n".join(lines)

    def ask(self, question: str, history: list[HistoryItem] | None = None, filters: Filters = Filters()) -> Answer:
        """Answer one question given the earlier turns (oldest first): route, resolve, retrieve, answer or abstain."""
        return self._run(question, history, filters)[0]

    def weigh(self, question: str, history: list[HistoryItem] | None = None, filters: Filters = Filters()) -> "Weighed | None":
        """The evidence for a question: what `hcb eval fit` learns from (None when routed away or answered from
        an earlier answer)."""
        return self.ask_weighed(question, history, filters)[1]

    def ask_weighed(self, question: str, history: list[HistoryItem] | None = None,
                    filters: Filters = Filters()) -> "tuple[Answer, Weighed | None]":
        """`ask`, and the evidence it was decided on, from one run of the pipeline."""
        return self._run(question, history, filters)

    def _before_retrieval(self, q: str, history: list[HistoryItem], t_start: float,
                          known: dict[str, np.ndarray], timings: dict) -> "Answer | Resolution":
        """Route and resolve the turn: an Answer when it is settled without retrieval, else what to retrieve for.
        The rules decide first; what they let through is screened by the fitted screen (its vector is kept in
        `known` for retrieval)."""
        past = [self.past(h) for h in history]
        said = plain(q)   # chat spellings written out: the answer still shows the question as typed
        r = route(said, self.vocabulary, topic_of(past))
        if r.kind == RouteKind.RETRIEVE and self.screen is not None:
            t0 = time.perf_counter()
            known[said] = self.embedder.embed([said])[0]
            judged = self.screen.judge(known[said])
            timings["screen"] = (time.perf_counter() - t0) * 1000   # the question's embedding, reused by retrieval
            if judged:
                r = decline(judged[0], f"the fitted screen (p={judged[1]:.2f})")
        if r.kind == RouteKind.ABOUT:
            return Answer(q, Behaviour.ANSWER, self.about(), reason=Reason.ABOUT, timings_ms=_total(t_start))
        if r.kind != RouteKind.RETRIEVE:
            return Answer(q, Behaviour.REFUSE, r.message, reason=Reason(r.kind.value), detail=r.rule,
                          timings_ms=_total(t_start))
        res = resolve(said, past, self.corpus.speakers, self.answering.glossary, self.answering.tagger,
                      self.answering.persons)
        if res.kind in (FollowUp.WHO_SAID, FollowUp.SOURCE):
            earlier = self.statements_of(history[res.refers_to])
            if earlier:
                return self._refer(q, res, earlier, t_start)
            res = Resolution(FollowUp.CONTINUE, q, res.query, (), res.refers_to)
        if res.kind == FollowUp.MORE and res.refers_to is not None:
            more = self._more(q, res, self.statements_of(history[res.refers_to]), t_start)
            if more is not None:
                return more
        return res

    def _run(self, question: str, history: list[HistoryItem] | None, filters: Filters) -> "tuple[Answer, Weighed | None]":
        """The answer, and the evidence it was decided on (None when none was weighed)."""
        t_start = time.perf_counter()
        q = check_question(question, self.settings.max_question_chars)
        history = list(history or [])
        known: dict[str, np.ndarray] = {}
        timings: dict[str, float] = {}
        res = self._before_retrieval(q, history, t_start, known, timings)
        if isinstance(res, Answer):
            return res, None
        weighed = self._weigh(res, history, filters, timings, known)
        t0 = time.perf_counter()
        answer = compose(q, weighed.intent, weighed.evidence, weighed.hits, self.answering)
        timings["compose"] = (time.perf_counter() - t0) * 1000
        timings["total"] = (time.perf_counter() - t_start) * 1000
        return replace(answer, hits=tuple(weighed.hits), timings_ms=timings, retrieval_query=res.query,
                       resolved_as=str(res.kind)), weighed

    def _weigh(self, res: Resolution, history: list[HistoryItem], filters: Filters, timings: dict,
               known: dict[str, np.ndarray] | None = None) -> "Weighed":
        hits, vectors, intent = self._retrieve(res, filters, timings, known or {})
        qvec = vectors[-1]   # the sentences are weighed against the turn's own words when it has some
        said: frozenset[str] = frozenset()
        if res.kind in (FollowUp.WHY, FollowUp.MORE) and res.refers_to is not None:   # about, or beyond, its claim
            earlier = self.statements_of(history[res.refers_to])
            hits = self._with_cited(earlier, hits)
            said = frozenset(s.citation.quote for s in earlier)
        t0 = time.perf_counter()
        ev = weigh(intent, qvec, hits, self.answering, res.context, said)
        timings["weigh"] = (time.perf_counter() - t0) * 1000
        return Weighed(res, intent, rerank(hits, ev), ev)

    def explain(self, question: str, history: list[HistoryItem] | None = None, filters: Filters = Filters(),
                top: int = 8) -> dict:
        """The evidence behind an answer: how the turn was resolved, the most likely sentences with their
        probabilities, and the abstention scorer's features, weights and score (`hcb ask --explain`)."""
        return self.ask_explained(question, history, filters, top)[1]

    def ask_explained(self, question: str, history: list[HistoryItem] | None = None, filters: Filters = Filters(),
                      top: int = 8) -> tuple[Answer, dict]:
        """`ask` and `explain` from one run of the pipeline."""
        ans, w = self._run(question, history, filters)
        cands = []
        if w is not None:
            ranked = sorted(zip(w.evidence.candidates, w.evidence.probabilities), key=lambda cp: -cp[1])[:top]
            cands = [{"p": round(p, 4), "speaker": c.speaker, "text": c.text,
                      "features": {k: round(v, 3) for k, v in c.features.items()}} for c, p in ranked]
        return ans, {"question": ans.question, "resolved_as": str(w.resolution.kind) if w else "", "retrieval_query": ans.retrieval_query,
                "types": list(w.intent.types) if w else [], "behaviour": str(ans.behaviour), "reason": str(ans.reason),
                "detail": ans.detail, "answerable": ans.explain, "candidates": cands,
                "models": self.answering.models.provenance}

    def _retrieve(self, res: Resolution, filters: Filters, timings: dict,
                  known: dict[str, np.ndarray]) -> tuple[list[Hit], np.ndarray, Intent]:
        """(hits, [the query's vector] or [the query's, the turn's own question's], intent). A follow-up is searched
        with the earlier topic it leans on ("and which two does it list?" + the last question), but when the turn
        carries words of its own its sentences are weighed against those alone: the earlier question would
        pick the earlier answer again."""
        t0 = time.perf_counter()
        own = bool(res.context) and res.query != res.question and len(content_words(res.question, self.corpus.speakers)) >= 2
        texts = [res.query, res.question] if own else [res.query]
        todo = [t for t in texts if t not in known]
        known = {**known, **dict(zip(todo, self.embedder.embed(todo)))} if todo else known
        vectors = np.stack([known[t] for t in texts])
        qvec = vectors[0]
        if own:
            qvec = unit(vectors[0] + self.settings.retrieval.own_weight * vectors[1])
        timings["embed"] = (time.perf_counter() - t0) * 1000
        lexq = self.lexical_query(res.query)
        if res.others_than:   # "anyone else?": deeper, then only the voices the last answer did not quote
            hits = [h for h in self.retriever.search(lexq, qvec, 4 * self.depth, filters, timings)
                    if h.chunk.speaker not in res.others_than][:self.depth]
            hits = [replace(h, rank=i) for i, h in enumerate(hits, 1)]
        else:
            hits = self.retriever.search(lexq, qvec, self.depth, filters, timings)
        intent = read_intent(self.answering.speller.fix_text(res.question), self.corpus.speakers, self.answering.glossary)
        if res.kind == FollowUp.CONTINUE and not res.others_than:
            intent = carry_voices(intent, res.context, self.corpus.speakers, self.answering.glossary)
        if res.kind == FollowUp.WHY and "reason" not in intent.types:
            intent = replace(intent, types=intent.types + ("reason",))
        if res.others_than:   # "anyone else?" asks for the other voices: every side that speaks to it
            intent = replace(intent, contested=True)
        if res.voices and not intent.words_of:   # "what did they say?": the words of whoever "they" were
            intent = replace(intent, words_of=tuple(res.voices))
        return self._add_named_voices(intent, lexq, qvec, hits, filters), vectors, intent

    def _add_named_voices(self, intent: Intent, lexq: str, qvec, hits: list[Hit], filters: Filters) -> list[Hit]:
        """Each kind of voice the question names (or whose words it asks for) gets its two best passages,
        added to retrieval's where it did not already hold them, so the answer can quote it — or honestly say it
        doesn't speak to this."""
        wanted = intent.words_of or intent.parties
        if not wanted:
            return hits
        sides: dict[str, list[str]] = {}      # one side per kind of voice: "the Government" covers several
        for sid in wanted:
            sides.setdefault(self.speaker_kinds[sid], []).append(sid)
        seen = {h.chunk.id for h in hits}
        extra = []
        for group in sides.values():
            f = Filters(filters.kinds, tuple(group), filters.doc_ids, filters.speaker_kinds)
            for h in self.retriever.search(lexq, qvec, 2, f):
                if h.chunk.id not in seen:
                    seen.add(h.chunk.id)
                    extra.append(h)
        if not extra:
            return hits
        # beside retrieval's passages, not in place of them: a voice named in passing ("the white paper thing")
        # must not push out the passage that answers
        merged = hits + extra
        return [replace(h, rank=i) for i, h in enumerate(merged, 1)]

    def _with_cited(self, statements: list[Statement], hits: list[Hit]) -> list[Hit]:
        """The passages the last answer quoted come first: "why?" asks about its claim…"""
        chunks = list(dict.fromkeys(s.citation.chunk.id for s in statements))
        # …with the passage after each: the reasons for a claim, or the rest of a list, often follow it
        chunks += [n for n in dict.fromkeys(self.retriever.following.get(c) for c in chunks) if n and n not in chunks]
        by_id = {h.chunk.id: h for h in hits}
        first = [by_id.get(c) or Hit(self.retriever.by_id[c], 0.0, 0) for c in chunks if c in self.retriever.by_id]
        rest = [h for h in hits if h.chunk.id not in set(chunks)]
        return [replace(h, rank=i) for i, h in enumerate((first + rest)[:self.depth], 1)]

    def _refer(self, q: str, res: Resolution, earlier: list[Statement], t_start: float) -> Answer:
        """"Who said that?": the last answer's own statement, cited again. "Source?": each document the last
        answer quoted — its first statement there and the line of the document that dates it."""
        lead = next((s for s in earlier if s.role == Role.ANSWER), earlier[0])
        query = res.query
        if res.kind == FollowUp.WHO_SAID:   # "which one made the X point?": the statement about X, not the answer's lead
            found = about(earlier, pointed(q, self.corpus.speakers), self.answering.glossary)
            if found is not None:   # …and the topic is now that statement's document ("and how old is that document?")
                lead, query = found, f"{q} {found.citation.document.title}"
        # "source?" and "who wrote that, and when?" are answered with the line of the document that dates it too
        dated = res.kind == FollowUp.SOURCE or bool(AUTHORED.search(q))
        if res.kind == FollowUp.SOURCE:
            firsts = {s.citation.chunk.doc_id: s for s in reversed(earlier)}   # each document's first statement
            leads = [lead] + [s for d, s in reversed(firsts.items()) if d != lead.citation.chunk.doc_id]
        else:
            leads = [lead]
        picks: list[Pick] = []
        hits: list[Hit] = []
        for st in leads[:4]:
            chunk = st.citation.chunk
            role = Role.ANSWER if st is lead else Role.CONTEXT
            before = sentence_before(chunk, st.citation.quote, skip_items=st.is_item)
            if before and (CONTINUES.match(st.citation.quote) or st.is_item):   # "He said…", a list's introduction: who
                picks.append(Pick(Candidate(len(hits), 0, chunk.id, 0, 0, before, chunk.speaker, False, {}), Role.CONTEXT, 1.0))
            picks.append(Pick(Candidate(len(hits), 0, chunk.id, 0, 0, st.citation.quote, st.speaker.id, False, {}), role, 1.0))
            hits.append(Hit(chunk, 1.0, len(hits) + 1))
            if dated and (dateline := self._dateline(chunk.doc_id)):
                if dateline[1] != st.citation.quote:
                    picks.append(Pick(Candidate(len(hits), 0, dateline[0].id, 0, 0, dateline[1], dateline[0].speaker, False, {}),
                                      Role.CONTEXT, 1.0))
                if all(h.chunk.id != dateline[0].id for h in hits):
                    hits.append(Hit(dateline[0], 0.0, len(hits) + 1))
        intent = read_intent(q, self.corpus.speakers, self.answering.glossary)
        ans = statements_answer(q, intent, picks, hits, self.answering)
        return replace(ans, hits=tuple(hits), timings_ms=_total(t_start), retrieval_query=query, resolved_as=str(res.kind))

    def _more(self, q: str, res: Resolution, earlier: list[Statement], t_start: float) -> "Answer | None":
        """"What else did they want?" from the passages the last answer quoted them from; None when they say no
        more there, and the turn is searched instead."""
        picks, hits = more_of(earlier, set(res.voices) or {s.speaker.id for s in earlier[:1]}, self.retriever.by_id)
        if not picks:
            return None
        intent = read_intent(q, self.corpus.speakers, self.answering.glossary)
        ans = statements_answer(q, intent, picks[:self.settings.answer.max_statements], hits, self.answering)
        return replace(ans, hits=tuple(hits), timings_ms=_total(t_start), retrieval_query=res.query,
                       resolved_as=str(res.kind))

    def _dateline(self, doc_id: str):
        """The first sentence of a document that carries a date of the document's own year (its byline or
        dating line), if any: "the Health and Social Care Act 2012" does not date a 2021 briefing."""
        doc = self.docs.get(doc_id)
        year = doc.date[:4] if doc is not None and doc.date else ""
        for c in sorted((c for c in self.index.chunks if c.doc_id == doc_id), key=lambda c: c.start):
            for a, b in c.sentences:
                if DATE_RX.search(c.text[a:b]) and year in c.text[a:b]:
                    return c, c.text[a:b]
        return None

    # ---- conversation history

    def past(self, h: HistoryItem) -> Past:
        speakers, g = self.corpus.speakers, self.answering.glossary
        if isinstance(h, Answer):
            question, query, behaviour, reason, resolved_as = (h.question, h.retrieval_query, str(h.behaviour),
                                                               str(h.reason), h.resolved_as)
            quoted = [s.speaker.id for s in h.statements]
        elif isinstance(h, dict):   # an earlier answer's JSON, as an API client keeps it
            question, query, behaviour, reason, resolved_as = (
                str(h.get(k) or d) for k, d in (("question", ""), ("retrieval_query", ""), ("behaviour", "answer"),
                                                ("reason", ""), ("resolved_as", "")))
            quoted = [str(s.get("speaker_id", "")) for s in h.get("statements") or [] if isinstance(s, dict)]
        else:
            return Past(str(h), named_speakers(str(h), speakers, g))
        return Past(question, named_speakers(question, speakers, g), query, behaviour == Behaviour.ANSWER,
                    behaviour == Behaviour.REFUSE and not topical(reason), tuple(dict.fromkeys(quoted)),
                    leaned(resolved_as, question, query))

    def statements_of(self, h: HistoryItem) -> list[Statement]:
        """An earlier answer's statements (rebuilt from its JSON when that is what the client kept)."""
        if isinstance(h, Answer):
            return list(h.statements)
        if not isinstance(h, dict):
            return []
        out = []
        for s in h.get("statements") or []:
            c = next((c for c in h.get("citations") or [] if isinstance(c, dict) and c.get("n") == s.get("n")), {})
            chunk = self.retriever.by_id.get(c.get("chunk_id", ""))
            sp = self.corpus.speakers.get(s.get("speaker_id", ""))
            if chunk is None or sp is None or s.get("quote", "") not in chunk.text:
                continue
            out.append(Statement(Role(s.get("role", "answer")),
                                 Citation(s.get("n", 1), chunk, s["quote"], self.docs[chunk.doc_id], sp)))
        return out


def topic_of(past: list[Past]) -> str:
    """The conversation's current topic: the last turn that was not declined."""
    i = topic_index(past)
    return "" if i is None else (past[i].query or past[i].question)


def rerank(hits: list[Hit], ev: Evidence) -> list[Hit]:
    """Passages in the order of their best sentence's probability of answering (retrieval's order breaks ties)."""
    best: dict[str, float] = {}
    for c, p in zip(ev.candidates, ev.probabilities):
        best[c.chunk_id] = max(best.get(c.chunk_id, 0.0), p)
    ordered = sorted(hits, key=lambda h: (-best.get(h.chunk.id, -1.0), h.rank))
    return [replace(h, rank=i) for i, h in enumerate(ordered, 1)]


def _total(t_start: float) -> dict:
    return {"total": (time.perf_counter() - t_start) * 1000}


def open_assistant(settings: Settings, embedder: Embedder | None = None) -> Assistant:
    """Load corpus and index; raise IndexMissingError / IndexCorruptError / CorpusError naming the fix."""
    corpus = load_corpus(settings.corpus_dir)
    index = open_index(settings.index_dir, settings.chroma_url)
    emb = embedder or make_embedder(settings.embedder)
    if index.manifest.get("embedder") != emb.name:
        raise IndexCorruptError(f"the index was built with {index.manifest.get('embedder')}, not {emb.name}: run: hcb index build")
    return Assistant(settings, corpus, index, emb)
