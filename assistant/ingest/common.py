r"""Helpers shared by the converters (text, HTML, PDF): the result record and the few text normalisations.

    >>> clean_text("ﬁnal  report\x07")
    'final report'
    >>> list_item("• an item")
    '- an item'
    >>> blocks_to_markdown("Title", ["One paragraph."])
    '# Title\n\nOne paragraph.\n'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMATS = ("pdf", "html", "markdown", "text")
LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"})
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SPACES = re.compile(r"[ \t\r\n\f\v]+")          # not \xa0: no-break spaces are text
BULLET = re.compile("^[•●▪◦‣■➢➤►\uf0b7\uf0a7\uf076\uf0d8]\\s*")


@dataclass(frozen=True)
class Converted:
    markdown: str
    format: str                      # one of FORMATS
    pages: int | None = None         # PDF pages
    headings: str = "none"           # where headings came from: outline | font-size | html | markdown | none
    empty_pages: tuple[int, ...] = ()


def clean_text(s: str) -> str:
    """Ligatures expanded, control characters dropped, whitespace runs (not no-break spaces) → one space."""
    return SPACES.sub(" ", CONTROL.sub("", s.translate(LIGATURES))).strip()


def list_item(s: str) -> str:
    """A line that starts with a bullet glyph as a corpus list item (`- `)."""
    return BULLET.sub("- ", s, count=1) if BULLET.match(s) else s


def blocks_to_markdown(title: str, blocks: list[str]) -> str:
    """The corpus file: `# Title`, then the blocks separated by blank lines."""
    return "\n\n".join([f"# {clean_text(title)}", *blocks]) + "\n"



def fold_key(s: str) -> str:
    """Letters and digits only, case-folded: for matching a title to the text that prints it."""
    return re.sub(r"\W+", "", s.casefold())
