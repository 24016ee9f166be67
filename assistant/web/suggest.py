"""Suggested follow-ups under an answer, made only from the corpus: never invented text.

Two kinds, each a question plus where to look (`Scope`):
- **another side**: a voice of another kind that retrieval found for this question but the answer
  does not quote → the same question, searched in that voice's passages only;
- **next section**: the section that follows the cited passage's in its document → a question made
  of that section's own heading, searched in that document only.

    outline = Outline.of(assistant.index.chunks)
    suggest(answer, speakers=assistant.corpus.speakers, outline=outline)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Answer, Behaviour, Chunk, Role, Speaker
from .conversation import Scope, Suggestion
from .markup import kind_label

MAX_SIDES = 2


@dataclass(frozen=True)
class Outline:
    """Each document's top-level sections in reading order (from the index's passages)."""

    sections: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, chunks) -> "Outline":
        by_doc: dict[str, list[Chunk]] = {}
        for c in chunks:
            by_doc.setdefault(c.doc_id, []).append(c)
        out = {}
        for doc, cs in by_doc.items():
            heads = [top(c.section) for c in sorted(cs, key=lambda c: c.start)]
            out[doc] = tuple(dict.fromkeys(h for h in heads if h))
        return cls(out)

    def after(self, doc_id: str, section: str) -> str:
        """The heading of the section after `section` in `doc_id`, or ""."""
        heads = self.sections.get(doc_id, ())
        here = top(section)
        if here not in heads:
            return ""
        i = heads.index(here)
        return heads[i + 1] if i + 1 < len(heads) else ""


def top(section: str) -> str:
    """'Duty to collaborate › LGA view' -> 'Duty to collaborate'."""
    return (section or "").split(" › ")[0].strip()


def heading_words(heading: str) -> str:
    """A heading inside a sentence: 'Duty to collaborate' -> 'duty to collaborate'; 'ICS Health…' unchanged."""
    first = heading.split(" ", 1)[0]
    return heading if first[1:2].isupper() or first.isupper() else heading[:1].lower() + heading[1:]


def other_sides(answer: Answer, speakers: dict[str, Speaker], scope: Scope) -> list[Suggestion]:
    quoted = {s.speaker.kind for s in answer.statements}
    question = answer.retrieval_query or answer.question     # a follow-up's resolved, self-contained form
    out, kinds = [], set()
    for h in answer.hits:
        sp = speakers.get(h.chunk.speaker)
        if sp is None or sp.kind in quoted or sp.kind in kinds or (sp.id,) == scope.speakers:
            continue
        kinds.add(sp.kind)
        out.append(Suggestion(f"Another side: {sp.label} ({kind_label(sp.kind)})", question,
                              Scope(speakers=(sp.id,)), "another side"))
        if len(out) == MAX_SIDES:
            break
    return out


def next_section(answer: Answer, outline: Outline) -> list[Suggestion]:
    lead = next((s for s in answer.statements if s.role == Role.ANSWER), answer.statements[0])
    chunk = lead.citation.chunk
    heading = outline.after(chunk.doc_id, chunk.section)
    if not heading:
        return []
    return [Suggestion(f"Next section of this document: {heading}", f"What is said about {heading_words(heading)}?",
                       Scope(doc_id=chunk.doc_id), "next section")]


def suggest(answer: Answer, speakers: dict[str, Speaker], outline: Outline, scope: Scope = Scope()) -> tuple[Suggestion, ...]:
    """Up to three follow-ups for an answer that quotes the documents (none for abstentions and refusals)."""
    if answer.behaviour != Behaviour.ANSWER or not answer.statements:
        return ()
    return tuple(other_sides(answer, speakers, scope) + next_section(answer, outline))
