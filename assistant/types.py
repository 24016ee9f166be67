"""The typed records and enums passed between stages, top to bottom.

Library objects (Chroma results, LangChain documents, numpy rows) are converted
to these at the boundary so the core stays plain Python. Enums are `StrEnum`s:
they compare equal to, and serialise as, their string values.

    >>> Behaviour("abstain") == "abstain"
    True
    >>> Filters(speakers=("lga",)).where()
    {'speaker': {'$in': ['lga']}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

KINDS = ("government", "parliament", "local_government", "nhs", "sector_body", "news", "campaign")


class Behaviour(StrEnum):
    """What the assistant did with a question."""

    ANSWER = "answer"
    ABSTAIN = "abstain"                  # the documents don't hold the asked-for fact
    REFUSE = "refuse_or_redirect"        # declined (opinion, invented quote, ...) or redirected


BEHAVIOURS = tuple(b.value for b in Behaviour)


class RouteKind(StrEnum):
    """How a question is handled before retrieval."""

    RETRIEVE = "retrieve"
    ABOUT = "about"              # "what documents do you have?"
    OPINION = "opinion"
    INVENT = "invent"
    WRONGDOING = "wrongdoing"
    INJECTION = "injection"
    OFF_TOPIC = "off_topic"
    GREETING = "greeting"


class FollowUp(StrEnum):
    """How a turn was resolved against the conversation (`Answer.resolved_as`)."""

    NEW = "new"
    CONTINUE = "continue"        # leans on the last topic
    PARTY = "party"              # the last question, for another party
    TOPIC = "topic"              # the last question, about another thing ("and the trusts?")
    CORRECTION = "correction"
    WHY = "why"
    MORE = "more"                # "anything else they asked for?": the same voices, beyond what was quoted
    WHO_SAID = "who_said"
    SOURCE = "source"


class Note(StrEnum):
    """Facts about an answer that renderers show (never parsed back from text)."""

    ONE_SIDE = "one_side"            # a contested question whose evidence comes from one kind of voice
    CONTESTED = "contested"          # the answer gives more than one side
    COMPARISON = "comparison"        # the question asks to compare sides
    SUMMARY_OF_OTHER = "summary_of_other"   # a party's words were asked for; some come via another's summary


class Role(StrEnum):
    """What a statement does in an answer."""

    ANSWER = "answer"          # answers what was asked: the dated line, the figure, the name, the definition
    CONTEXT = "context"        # completes or explains the answer (the sentence before a "He said…", the reasons)
    SIDE = "side"              # another voice on the same point
    LIST_ITEM = "list_item"    # an item of the list the answer introduces


class Reason(StrEnum):
    """Why the assistant answered, abstained or declined."""

    ANSWERED = "answered"
    NOT_COVERED = "not_covered"            # the evidence does not hold what was asked
    ABOUT = "about"
    OPINION = "opinion"
    INVENT = "invent"
    WRONGDOING = "wrongdoing"
    INJECTION = "injection"
    OFF_TOPIC = "off_topic"
    GREETING = "greeting"


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    label: str          # how an answer names the voice: "the LGA"
    attribution: str    # opener before a verbatim quote: "The LGA's view is"
    kind: str
    again: str = ""     # opener for a further quote from the same voice
    aliases: tuple[str, ...] = ()   # lower-case names a question may use for this voice


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    publisher: str
    date: str
    kind: str
    url: str
    licence: str
    origin: str
    speaker: str        # default speaker id
    status: str         # "curated" | "fetched" | "not_fetched"
    file: str = ""
    author: str = ""
    date_note: str = ""
    notes: str = ""
    text: str = ""      # the corpus file's full text ("" when not fetched)


@dataclass(frozen=True)
class Chunk:
    """A passage: `source_text[start:end] == text` for its document."""

    id: str
    doc_id: str
    text: str
    start: int
    end: int
    section: str
    speaker: str
    page: int | None = None
    # sentence spans as (start, end) offsets relative to `text`
    sentences: tuple[tuple[int, int], ...] = ()

    def sentence_texts(self) -> list[str]:
        return [self.text[a:b] for a, b in self.sentences]


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float                  # fused score (higher is better)
    rank: int                     # 1-based
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float | None = None    # cosine similarity
    lexical_score: float | None = None  # BM25


@dataclass(frozen=True)
class Citation:
    n: int
    chunk: Chunk
    quote: str                  # the cited sentence, verbatim from chunk.text
    document: Document
    speaker: Speaker

    def to_dict(self) -> dict:
        d, c = self.document, self.chunk
        return {
            "n": self.n,
            "doc_id": d.id,
            "chunk_id": c.id,
            "title": d.title,
            "publisher": d.publisher,
            "date": d.date,
            "kind": d.kind,
            "section": c.section,
            "speaker": self.speaker.name,
            "speaker_id": self.speaker.id,
            "speaker_kind": self.speaker.kind,
            "url": page_url(d.url, c.page),
            "page": c.page,
            "quote": self.quote,
            "passage": c.text,
        }


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval. Empty tuples mean "no restriction"."""

    kinds: tuple[str, ...] = ()          # document kind: government, campaign, ...
    speakers: tuple[str, ...] = ()       # speaker ids: lga, dhsc, ...
    doc_ids: tuple[str, ...] = ()
    speaker_kinds: tuple[str, ...] = ()  # the voice's kind, e.g. campaigners quoted in a news story

    def __bool__(self) -> bool:
        return bool(self.kinds or self.speakers or self.doc_ids or self.speaker_kinds)

    def where(self) -> dict | None:
        """The same restriction as a Chroma metadata filter."""
        parts = [{field: {"$in": list(vals)}} for field, vals in
                 (("kind", self.kinds), ("speaker", self.speakers), ("doc_id", self.doc_ids),
                  ("speaker_kind", self.speaker_kinds)) if vals]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else {"$and": parts}


@dataclass(frozen=True)
class Statement:
    """One quoted sentence of an answer: who says it, where, and what it does in the answer."""

    role: Role
    citation: Citation
    answer_span: tuple[int, int] | None = None   # the answering phrase (date, figure, name) inside citation.quote
    is_item: bool = False                        # a list item in its passage (rendered as one)

    @property
    def speaker(self) -> Speaker:
        return self.citation.speaker

    def to_dict(self) -> dict:
        sp = self.citation.speaker
        return {"role": str(self.role), "n": self.citation.n, "quote": self.citation.quote,
                "speaker": sp.name, "speaker_id": sp.id, "speaker_label": sp.label, "speaker_kind": sp.kind,
                "doc_id": self.citation.document.id, "answer_span": list(self.answer_span) if self.answer_span else None,
                "is_item": self.is_item}


NOT_COVERED_TEXT = "The documents I have don't cover this."   # every renderer's abstention opens with it


def speaker_blocks(statements: list[Statement]) -> list[list[Statement]]:
    """Consecutive statements of one speaker form a block: every renderer names the speaker once per block."""
    out: list[list[Statement]] = []
    for s in statements:
        if out and out[-1][-1].speaker.id == s.speaker.id:
            out[-1].append(s)
        else:
            out.append([s])
    return out


@dataclass(frozen=True)
class Answer:
    """The one structured result of `ask`. Renderers (text, JSON, HTML) read it; nothing parses `text` back."""

    question: str
    behaviour: Behaviour
    text: str                            # the plain-text rendering (`hcb ask`, the JSON "answer" field)
    citations: tuple[Citation, ...] = ()
    hits: tuple[Hit, ...] = ()           # what retrieval returned (also for abstentions)
    timings_ms: dict = field(default_factory=dict)
    retrieval_query: str = ""            # the question as resolved against the conversation
    resolved_as: str = ""                # how: "new", or the kind of follow-up ("continue", "party", …); "" not retrieved
    notes: tuple[str, ...] = ()          # Note values
    statements: tuple[Statement, ...] = ()
    reason: Reason = Reason.ANSWERED
    detail: str = ""                     # why, in words, when it abstained or declined
    sides: tuple[str, ...] = ()          # kinds of voice quoted, in the fixed order of KINDS
    explain: dict = field(default_factory=dict)   # the abstention scorer's features, weights and score

    def to_dict(self) -> dict:
        """The stable machine-readable contract of `hcb ask --json`."""
        return {
            "question": self.question,
            "behaviour": str(self.behaviour),
            "answer": self.text,
            "statements": [s.to_dict() for s in self.statements],
            "citations": [c.to_dict() for c in self.citations],
            "reason": str(self.reason),
            "detail": self.detail,
            "notes": [str(n) for n in self.notes],
            "sides": list(self.sides),
            "retrieval_query": self.retrieval_query,
            "resolved_as": self.resolved_as,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


def page_url(url: str, page: int | None) -> str:
    if url and page:
        return f"{url}#page={page}"
    return url
