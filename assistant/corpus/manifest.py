"""The corpus manifest (`corpus/manifest.toml`) and its Markdown files, loaded into typed documents and speakers.

    corpus = load_corpus(Path("corpus"))
    corpus.doc("lga-briefing").title, corpus.speakers["lga"].label
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import CorpusError
from ..types import KINDS, Document, Speaker
from .markup import parse_blocks

REQUIRED_DOC_FIELDS = ("id", "title", "publisher", "date", "kind", "licence", "origin", "speaker", "status")
REQUIRED_SPEAKER_FIELDS = ("name", "label", "attribution", "kind")


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
