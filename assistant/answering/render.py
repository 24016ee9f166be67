"""The plain-text renderer: statements in, `hcb ask` text out. One opener per block of one speaker.

    >>> from ..types import Chunk, Citation, Document, Role, Speaker, Statement
    >>> sp = Speaker("lga", "Local Government Association", "the LGA's view", "The LGA's view is", "local_government")
    >>> doc = Document("lga-briefing", "LGA briefing", "LGA", "2021-02-11", "local_government", "", "", "", "lga", "curated")
    >>> ch = Chunk("c1", "lga-briefing", "We support it. We welcome it.", 0, 29, "", "lga", sentences=((0, 14), (15, 29)))
    >>> st = [Statement(Role.ANSWER, Citation(1, ch, "We support it.", doc, sp)),
    ...       Statement(Role.CONTEXT, Citation(2, ch, "We welcome it.", doc, sp))]
    >>> print(render_text(st))
    The LGA's view is: “We support it.” [1] “We welcome it.” [2]
"""

from __future__ import annotations

from ..types import NOT_COVERED_TEXT, Statement, speaker_blocks

def render_text(statements: list[Statement]) -> str:
    """`Opener: “…” [1] “…” [2]`, list items on their own `- ` lines; a blank line between speakers."""
    parts = []
    for block in speaker_blocks(statements):
        lines = [f"{block[0].speaker.attribution}:"]
        for s in block:
            quote = f"“{s.citation.quote}” [{s.citation.n}]"
            if s.is_item:
                lines.append(f"- {quote}")
            elif len(lines) > 1 and lines[-1].startswith("- "):
                lines.append(quote)
            else:
                lines[-1] += " " + quote
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def abstention_text(hits, docs: dict) -> str:
    """"Not covered", then the closest passages, marked as not an answer."""
    lines = [NOT_COVERED_TEXT + " These are the closest passages I found — they are **not an answer** to your question:", ""]
    for h in hits[:3]:
        d = docs[h.chunk.doc_id]
        snippet = " ".join(h.chunk.text.split()[:30])
        lines.append(f"- {d.title} ({d.publisher}, {d.date}): “{snippet}…”")
    return "\n".join(lines)
