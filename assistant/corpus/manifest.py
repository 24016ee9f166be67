"""The corpus manifest (`corpus/manifest.toml`) and its Markdown files, loaded into typed documents and speakers.

    corpus = load_corpus(Path("corpus"))
    corpus.doc("lga-briefing").title, corpus.speakers["lga"].label
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import CorpusError
from ..types import KINDS, Document, Speaker
from .markup import parse_blocks

REQUIRED_DOC_FIELDS = ("id", "title", "publisher", "date", "kind", "licence", "origin", "speaker", "status")
REQUIRED_SPEAKER_FIELDS = ("name", "label", "attribution", "kind")
DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")   # also a file name and a CLI argument: no paths, no options
TEXT_FIELDS = tuple(f for f in Document.__dataclass_fields__ if f != "text")
SPEAKER_TEXT_FIELDS = ("name", "label", "attribution", "kind", "again")


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


def check_doc_id(did) -> str:
    """A document id, or CorpusError: ids name files (`ID.md`) and are typed on the command line.

    >>> check_doc_id("lga-briefing")
    'lga-briefing'
    """
    if not isinstance(did, str) or not DOC_ID.match(did):
        raise CorpusError(f"document id {did!r} must be lower-case letters, digits and hyphens (at most 80, "
                          "not starting with a hyphen): fix corpus/manifest.toml")
    return did


def corpus_file(corpus_dir: Path, file, did: str, root: Path | None = None) -> Path:
    """The path of a document's file, refused unless it stays inside the corpus folder.

    `file` must be a plain relative name: no absolute path, no `..`, and no symbolic link that
    leads out of `root` (default: `corpus_dir`). A manifest is data, not a licence to read,
    overwrite or delete files elsewhere.
    """
    where = f"document {did!r}: file {file!r}"
    if not isinstance(file, str) or not file.strip():
        raise CorpusError(f"{where} must be a file name in quotes: fix corpus/manifest.toml")
    rel = Path(file)
    if rel.is_absolute() or ".." in rel.parts or "\\" in file or "\x00" in file:
        raise CorpusError(f"{where} is not a plain name inside the corpus folder: use a name like {did}.md in corpus/manifest.toml")
    base = Path(root or corpus_dir).resolve()
    path = Path(corpus_dir) / rel
    if not path.resolve().is_relative_to(base):
        raise CorpusError(f"{where} leads outside the corpus folder (a symbolic link to {path.resolve()}): "
                          "replace the link with the file itself")
    return path


def _check_text_fields(entry: dict, fields: tuple[str, ...], where: str) -> None:
    for f in fields:
        if f in entry and not isinstance(entry[f], str):
            raise CorpusError(f"{where}: {f} = {entry[f]!r} must be text in quotes: fix corpus/manifest.toml")


def load_corpus(corpus_dir: Path, root: Path | None = None) -> Corpus:
    """Read `manifest.toml` and every listed file; raise CorpusError naming the fix.

    Document files must lie inside `root` (default: `corpus_dir`), symbolic links resolved.
    """
    manifest_path = Path(corpus_dir) / "manifest.toml"
    if not manifest_path.is_file():
        raise CorpusError(f"no corpus manifest at {manifest_path}: check HCB_CORPUS_DIR or restore corpus/ from git")
    try:
        raw = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{manifest_path} is not valid TOML ({e}): fix it or restore it from git") from None
    speakers = {}
    for sid, s in raw.get("speakers", {}).items():
        if not isinstance(s, dict):
            raise CorpusError(f"speaker {sid!r} must be a table [speakers.{sid}]: fix corpus/manifest.toml")
        _check_text_fields(s, SPEAKER_TEXT_FIELDS, f"speaker {sid!r}")
        if not isinstance(s.get("aliases", []), list) or not all(isinstance(a, str) for a in s.get("aliases", [])):
            raise CorpusError(f"speaker {sid!r}: aliases must be names in quotes inside [ ]: fix corpus/manifest.toml")
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
        check_doc_id(did)
        _check_text_fields(entry, TEXT_FIELDS, f"document {did!r}")
        if did in seen:
            raise CorpusError(f"document id {did!r} is listed twice: remove one in corpus/manifest.toml")
        seen.add(did)
        if entry["kind"] not in KINDS:
            raise CorpusError(f"document {did!r} has unknown kind {entry['kind']!r}: use one of {', '.join(KINDS)}")
        _check_date(entry["date"], f"document {did!r}")
        text = ""
        if entry["status"] != "not_fetched":
            path = corpus_file(corpus_dir, entry.get("file"), did, root)
            if not path.is_file():
                raise CorpusError(f"document {did!r}: file {entry.get('file')!r} is missing from {corpus_dir}: restore it or remove the entry")
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise CorpusError(f"{path} is not UTF-8 text: re-save it as UTF-8") from None
            if not text.strip():
                raise CorpusError(f"document {did!r}: file {entry['file']!r} is empty: restore its text, "
                                  f"or run: hcb corpus remove {did}")
        known = {f for f in Document.__dataclass_fields__}
        docs.append(Document(**{k: v for k, v in entry.items() if k in known and k != "text"}, text=text))
    for d in docs:
        try:
            blocks = parse_blocks(d.text, d.speaker)
        except CorpusError as e:
            raise CorpusError(f"document {d.id!r} ({d.file}): {e}") from None
        if d.text and not blocks:
            raise CorpusError(f"document {d.id!r}: file {d.file!r} has headings or markers but no text: "
                              f"restore its text, or run: hcb corpus remove {d.id}")
        used = {d.speaker} | {b.speaker for b in blocks}
        unknown = sorted(used - set(speakers))
        if unknown:
            raise CorpusError(f"document {d.id!r} uses undefined speaker(s) {', '.join(unknown)}: add [speakers.ID] to corpus/manifest.toml")
    return Corpus(tuple(docs), speakers)
