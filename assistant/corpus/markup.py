r"""The corpus's Markdown-with-markers format: text in, blocks with character offsets out.

Corpus files are a small Markdown subset (see corpus/README.md):
`#`/`##`/`###` headings, paragraphs separated by blank lines, `- ` or `1. `
list items, and two marker comments on their own line:

    <!-- speaker: lga -->   following text is stated by speaker `lga`
    <!-- page: 12 -->       following text is on page 12 (PDF sources)

    >>> [(b.text, b.speaker, b.section) for b in parse_blocks("# T\n\n## Sec\n\nOne.\n\n<!-- speaker: lga -->\n\n- item", "dhsc")]
    [('One.', 'dhsc', 'Sec'), ('- item', 'lga', 'Sec')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import CorpusError

MARKER = re.compile(r"^<!--\s*(speaker|page)\s*:\s*([\w-]+)\s*-->\s*$")
# a line that means to be a marker: a malformed one is an error, never body text that answers would quote
MARKER_LIKE = re.compile(r"^<!--\s*(speaker|page)\b", re.I)
HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
LIST_ITEM = re.compile(r"^(?:[-*•]\s+|\d{1,2}[.)]\s+)")


@dataclass(frozen=True)
class Block:
    """A paragraph or list item: `text == source[start:end]`."""

    text: str
    start: int
    end: int
    section: str        # heading path, "Integrated Care Systems (ICSs) › LGA view"
    speaker: str
    page: int | None
    is_list_item: bool


def parse_blocks(text: str, default_speaker: str) -> list[Block]:
    """Split a corpus file into paragraph/list-item blocks with offsets, section path and speaker.

    A line that starts like a marker but is not one raises CorpusError naming the line.
    """
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    speaker, page = default_speaker, None
    pos = 0
    para_start = None
    para_end = 0

    def section() -> str:
        # the document title (level 1) is not a section
        return " › ".join(h for level, h in headings if level > 1)

    def flush():
        nonlocal para_start
        if para_start is not None:
            blocks.append(Block(text[para_start:para_end], para_start, para_end, section(), speaker, page, False))
            para_start = None

    for number, line in enumerate(text.splitlines(keepends=True), 1):
        start, stripped = pos, line.rstrip("\r\n")
        pos += len(line)
        content = stripped.strip()
        if not content:
            flush()
            continue
        if MARKER_LIKE.match(content) and not MARKER.match(content):
            raise CorpusError(f"line {number} has a malformed marker {content[:80]!r}: "
                              "write <!-- speaker: ID --> or <!-- page: N --> on a line of its own")
        if m := MARKER.match(content):
            flush()
            if m.group(1) == "speaker":
                speaker = m.group(2)
            else:
                page = int(m.group(2)) if m.group(2).isdigit() else None
            continue
        if m := HEADING.match(content):
            flush()
            level = len(m.group(1))
            headings = [h for h in headings if h[0] < level] + [(level, m.group(2))]
            continue
        lead = len(stripped) - len(stripped.lstrip())
        if LIST_ITEM.match(content):
            flush()
            blocks.append(Block(stripped[lead:], start + lead, start + len(stripped), section(), speaker, page, True))
            continue
        if para_start is None:
            para_start = start + lead
        para_end = start + len(stripped)
    flush()
    # list items carry their marker ("- ", "1. ") in the source; keep text == source slice
    return blocks
