"""Chunking: blocks → passages of roughly 60–250 words, never cutting a sentence.

A passage never spans a heading or a change of speaker or page, so every
passage has exactly one section, one speaker and at most one page.
"""

from __future__ import annotations

import hashlib
import re

from ..types import Chunk, Document
from .markup import LIST_ITEM, Block, parse_blocks

CHUNKER_VERSION = "5"
TARGET_WORDS = 170   # stop adding paragraphs once a passage reaches this
MAX_WORDS = 250
MIN_WORDS = 60

# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and
# something that can start a sentence.
# …or where the source left out a full stop (`stop`): a lower-case word, then a word that opens sentences and never a
# title, then a lower-case word ("…health services The document says…"); "The Lowdown" (a name) is not a sentence start
_BOUNDARY = re.compile(r"[.!?…]+[’”\"')\]]*\s+(?=[“\"‘'(\[A-Z0-9•-])"
                       r"|(?P<stop>(?<=[a-z]) +(?=(?:The|This|These|There|It|We|They|However) [a-z]))")
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sir|St|Prof|No|vs|e\.g|i\.e|cf|approx)|\b[A-Z])\.$")
_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in `text`, whitespace trimmed."""
    marker = LIST_ITEM.match(text)
    spans, start = [], marker.end() if marker else 0
    for m in _BOUNDARY.finditer(text, start):
        head = text[start:m.start() + 1]
        if m.group("stop") is None and (_ABBREV.search(head.rstrip("’”\"')]")) or re.fullmatch(r"\s*\d{1,3}\.", head)):
            continue
        end = m.end()
        piece_end = len(text[:end].rstrip())
        spans.append((start, piece_end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        if a < b:
            out.append((a, b))
    return out


def _chunk_id(doc_id: str, section: str, speaker: str, text: str, taken: set[str]) -> str:
    base = hashlib.sha256(f"{doc_id}\0{section}\0{speaker}\0{text}".encode()).hexdigest()[:16]
    cid, n = base, 1
    while cid in taken:
        n += 1
        cid = f"{base}-{n}"
    taken.add(cid)
    return cid


def _runs(blocks: list[Block]) -> list[list[Block]]:
    """Consecutive blocks sharing section, speaker and page."""
    runs: list[list[Block]] = []
    for b in blocks:
        if runs and (runs[-1][-1].section, runs[-1][-1].speaker, runs[-1][-1].page) == (b.section, b.speaker, b.page):
            runs[-1].append(b)
        else:
            runs.append([b])
    return runs


def _units(run: list[Block]) -> list[tuple[int, int, int]]:
    """Packing units (start, end, words): whole blocks, or sentences of an oversized block."""
    units = []
    for b in run:
        n = word_count(b.text)
        if n <= MAX_WORDS:
            units.append((b.start, b.end, n))
        else:
            units.extend((b.start + a, b.start + z, word_count(b.text[a:z])) for a, z in sentence_spans(b.text))
    return units


def _pack(units: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    groups: list[list[tuple[int, int, int]]] = []
    for u in units:
        size = sum(x[2] for x in groups[-1]) if groups else 0
        if groups and size < TARGET_WORDS and size + u[2] <= MAX_WORDS:
            groups[-1].append(u)
        else:
            groups.append([u])
    # fold a short tail into its neighbour when that stays under the maximum
    if len(groups) > 1 and sum(x[2] for x in groups[-1]) < MIN_WORDS:
        if sum(x[2] for x in groups[-2] + groups[-1]) <= MAX_WORDS:
            groups[-2].extend(groups.pop())
    return [(g[0][0], g[-1][1]) for g in groups]


def chunk_document(doc: Document) -> list[Chunk]:
    """Split one document into passages with offsets into `doc.text`."""
    chunks: list[Chunk] = []
    taken: set[str] = set()
    for run in _runs(parse_blocks(doc.text, doc.speaker)):
        head = run[0]
        for start, end in _pack(_units(run)):
            text = doc.text[start:end]
            spans = []
            # sentences never cross a block boundary (a list item is its own sentence)
            for b in run:
                if b.end <= start or b.start >= end:
                    continue
                spans.extend((b.start - start + a, b.start - start + z) for a, z in sentence_spans(b.text))
            chunks.append(Chunk(
                id=_chunk_id(doc.id, head.section, head.speaker, text, taken),
                doc_id=doc.id, text=text, start=start, end=end, section=head.section,
                speaker=head.speaker, page=head.page, sentences=tuple(spans),
            ))
    return chunks


def chunk_corpus(documents) -> list[Chunk]:
    return [c for d in documents if d.text for c in chunk_document(d)]


def index_text(chunk: Chunk, doc: Document, speaker=None) -> str:
    """What gets embedded and lexically indexed: who speaks, where, and the section heading
    add context a bare passage lacks (questions often name the speaker or the document)."""
    head = [doc.title]
    if speaker is not None:
        head.append(f"{speaker.name} ({speaker.label})")
    if chunk.section:
        head.append(chunk.section)
    return "\n".join(head + [chunk.text])
