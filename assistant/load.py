"""Stage 1 — load: the corpus manifest and its Markdown files.

Corpus files are a small Markdown subset (see corpus/README.md):
`#`/`##`/`###` headings, paragraphs separated by blank lines, `- ` or `1. `
list items, and two marker comments on their own line:

    <!-- speaker: lga -->   following text is stated by speaker `lga`
    <!-- page: 12 -->       following text is on page 12 (PDF sources)

`parse_blocks` is pure: text in, blocks with character offsets out.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import CorpusError
from .schema import KINDS, Document, Speaker

MARKER = re.compile(r"^<!--\s*(speaker|page)\s*:\s*([\w-]+)\s*-->\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
LIST_ITEM = re.compile(r"^(?:[-*•]\s+|\d{1,2}[.)]\s+)")
REQUIRED_DOC_FIELDS = ("id", "title", "publisher", "date", "kind", "licence", "origin", "speaker", "status")
REQUIRED_SPEAKER_FIELDS = ("name", "label", "attribution", "kind")


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


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    speakers: dict[str, Speaker]

    def doc(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)

    @property
    def available(self) -> tuple[Document, ...]:
        """Documents whose text is present (not merely listed for fetching)."""
        return tuple(d for d in self.documents if d.text)

    def fingerprint(self) -> str:
        """Hash of everything that changes what the index holds."""
        h = hashlib.sha256()
        for d in sorted(self.available, key=lambda d: d.id):
            h.update(f"{d.id}\0{d.speaker}\0{d.text}\0".encode())
        for s in sorted(self.speakers):
            h.update(f"{s}\0".encode())
        return h.hexdigest()[:16]


def parse_blocks(text: str, default_speaker: str) -> list[Block]:
    """Split a corpus file into paragraph/list-item blocks with offsets, section path and speaker."""
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

    for line in text.splitlines(keepends=True):
        start, stripped = pos, line.rstrip("\r\n")
        pos += len(line)
        content = stripped.strip()
        if not content:
            flush()
            continue
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


def _check_date(value: str, where: str) -> str:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CorpusError(f"{where}: date {value!r} is not an ISO date (YYYY-MM-DD): fix corpus/manifest.toml") from None
    return value


def load_corpus(corpus_dir: Path) -> Corpus:
    """Read `manifest.toml` and every listed file; raise CorpusError naming the fix."""
    manifest_path = Path(corpus_dir) / "manifest.toml"
    if not manifest_path.is_file():
        raise CorpusError(f"no corpus manifest at {manifest_path}: check HCB_CORPUS_DIR or restore corpus/ from git")
    try:
        raw = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{manifest_path} is not valid TOML ({e}): fix it or restore it from git") from None
    speakers = {}
    for sid, s in raw.get("speakers", {}).items():
        missing = [f for f in REQUIRED_SPEAKER_FIELDS if not s.get(f)]
        if missing:
            raise CorpusError(f"speaker {sid!r} lacks {', '.join(missing)}: add them in corpus/manifest.toml")
        if s["kind"] not in KINDS:
            raise CorpusError(f"speaker {sid!r} has unknown kind {s['kind']!r}: use one of {', '.join(KINDS)}")
        speakers[sid] = Speaker(sid, s["name"], s["label"], s["attribution"], s["kind"],
                                s.get("again") or s["attribution"], tuple(a.lower() for a in s.get("aliases", ())))
    docs, seen = [], set()
    for entry in raw.get("documents", []):
        did = entry.get("id", "?")
        missing = [f for f in REQUIRED_DOC_FIELDS if not entry.get(f)]
        if missing:
            raise CorpusError(f"document {did!r} lacks {', '.join(missing)}: add them in corpus/manifest.toml")
        if did in seen:
            raise CorpusError(f"document id {did!r} is listed twice: remove one in corpus/manifest.toml")
        seen.add(did)
        if entry["kind"] not in KINDS:
            raise CorpusError(f"document {did!r} has unknown kind {entry['kind']!r}: use one of {', '.join(KINDS)}")
        _check_date(entry["date"], f"document {did!r}")
        text = ""
        if entry["status"] != "not_fetched":
            path = Path(corpus_dir) / entry.get("file", "")
            if not entry.get("file") or not path.is_file():
                raise CorpusError(f"document {did!r}: file {entry.get('file')!r} is missing from {corpus_dir}: restore it or remove the entry")
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise CorpusError(f"{path} is not UTF-8 text: re-save it as UTF-8") from None
        known = {f for f in Document.__dataclass_fields__}
        docs.append(Document(**{k: v for k, v in entry.items() if k in known and k != "text"}, text=text))
    for d in docs:
        used = {d.speaker} | {b.speaker for b in parse_blocks(d.text, d.speaker)}
        unknown = sorted(used - set(speakers))
        if unknown:
            raise CorpusError(f"document {d.id!r} uses undefined speaker(s) {', '.join(unknown)}: add [speakers.ID] to corpus/manifest.toml")
    return Corpus(tuple(docs), speakers)
