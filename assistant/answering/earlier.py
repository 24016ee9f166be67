"""Answers drawn from an earlier answer's own passages, without a new search (pure).

    sentence_before(chunk, "He said it was rushed.")     # the sentence that names "he"
    more_of(earlier, {"care_england"}, by_id)           # the rest of what Care England says there
    about(earlier, {"council"})                          # the statement "which one made the councils point?" means
"""

from __future__ import annotations

from ..glossary import Glossary
from ..text import token_set
from ..types import Chunk, Hit, Role, Statement
from .features import Candidate
from .patterns import is_item_at
from .selection import Pick


def sentence_before(chunk: Chunk, quote: str, skip_items: bool = False) -> str:
    """The sentence before the quote in its passage ("" if none); with `skip_items`, the nearest one that is
    not a list item: a list item's introduction, which says whose list it is."""
    spans = chunk.sentences
    for k, (a, b) in enumerate(spans):
        if chunk.text[a:b] == quote:
            for s0, e0 in reversed(spans[:k]):
                if not (skip_items and is_item_at(chunk.text, s0)):
                    return chunk.text[s0:e0]
            return ""
    return ""


def more_of(earlier: list[Statement], voices: set[str], by_id: dict[str, Chunk]) -> tuple[list[Pick], list[Hit]]:
    """"What else did they want?": every sentence the same voices say in the passages the earlier answer quoted
    them from, that it did not quote, in the documents' order; a list's items stay list items."""
    quoted = {s.citation.quote for s in earlier}
    picks: list[Pick] = []
    hits: list[Hit] = []
    for cid in dict.fromkeys(s.citation.chunk.id for s in earlier if s.speaker.id in voices):
        chunk = by_id.get(cid)
        if chunk is None or chunk.speaker not in voices:
            continue
        hits.append(Hit(chunk, 1.0, len(hits) + 1))
        for a, b in chunk.sentences:
            text = chunk.text[a:b]
            if text in quoted or len(text.split()) < 4:   # not again, and not a stray label
                continue
            item = is_item_at(chunk.text, a)
            role = Role.ANSWER if not picks else (Role.LIST_ITEM if item else Role.CONTEXT)
            picks.append(Pick(Candidate(len(hits) - 1, 0, chunk.id, a, b, text, chunk.speaker, item, {}), role, 1.0))
    return picks, hits


def about(earlier: list[Statement], stems: set[str], glossary: Glossary | None = None) -> Statement | None:
    """The earlier statement holding the most of `stems` (a question's topic words): the one "which one made the
    councils point?" points at. The words themselves count first, glossary equivalents only to break
    ties (an equivalent as broad as "provider" for "private" would point at every statement). None when none
    holds any; a tie goes to the earlier statement (the answer comes first)."""
    def held(st: Statement) -> tuple[int, int]:
        have = token_set(st.citation.quote)
        return (len(stems & have), sum(bool((glossary.equivalents(s) if glossary else {s}) & have) for s in stems))

    scored = [(held(st), st) for st in earlier]
    best = max(scored, key=lambda x: x[0], default=None)   # max keeps the first of equals
    return best[1] if best is not None and best[0] > (0, 0) else None
