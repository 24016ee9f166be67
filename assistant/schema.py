"""The small typed records passed between pipeline stages.

Library objects (Chroma results, LangChain documents, numpy rows) are converted
to these at the boundary so the core stays plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("government", "parliament", "local_government", "nhs", "sector_body", "news", "campaign")
BEHAVIOURS = ("answer", "abstain", "refuse_or_redirect")


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
class Answer:
    question: str
    behaviour: str                       # one of BEHAVIOURS
    text: str
    citations: tuple[Citation, ...] = ()
    hits: tuple[Hit, ...] = ()           # what retrieval returned (also for abstentions)
    timings_ms: dict = field(default_factory=dict)
    retrieval_query: str = ""            # the question as resolved against the conversation
    notes: tuple[str, ...] = ()          # e.g. "evidence comes from one side only"

    def to_dict(self) -> dict:
        """The stable machine-readable contract of `hcb ask --json`."""
        return {
            "question": self.question,
            "behaviour": self.behaviour,
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


def page_url(url: str, page: int | None) -> str:
    if url and page:
        return f"{url}#page={page}"
    return url
