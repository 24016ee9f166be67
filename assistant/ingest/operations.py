"""Changing the corpus: fetch, add, remove and list documents, then update the index.

Every change is staged: the new files and manifest are written to a hidden
folder inside the corpus folder and checked with `load_corpus` there; only
then are they moved into place (`os.replace`, the manifest last). A failed
download or conversion, or a manifest that would not load, writes nothing.
The index is then updated with `index.build`, which embeds only new or
changed text and swaps the live build atomically, so removed documents leave
no passages behind.

The manifest is edited with tomlkit, which keeps its comments and layout: an
existing entry gains or changes keys in place, a removed entry disappears,
and a new entry (with its new speaker, if any) is appended at the end.

Every operation holds the corpus folder's write lock, and its index update the
index's (`index/lock.py`), so two commands never interleave their changes. Ids
and file names from the manifest are checked before use (`corpus_file`): an
entry cannot make `remove` delete, or `fetch` write, outside the corpus folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import tomlkit

from ..corpus.manifest import DOC_ID, check_doc_id, corpus_file, load_corpus
from ..errors import BusyError, CorpusError, HcbError, IndexUpdateError, IngestError
from ..index.build import build, text_key
from ..index.build import status as index_status
from ..index.embed import make_embedder
from ..index.lock import writer_lock
from ..settings import Settings
from ..types import KINDS
from . import convert, fetch
from .common import clean_text

SPEAKER_ID = re.compile(r"^[a-z0-9_]{1,80}$")
FETCHABLE = ("not_fetched", "fetched")



@dataclass(frozen=True)
class ChangeReport:
    changed: tuple[str, ...] = ()                  # one line per document written or removed
    unchanged: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()       # (document id, reason)
    build: object = None                           # index.BuildReport when the index was updated

    def failure_message(self) -> str:
        """One line naming every document that could not be fetched, and why."""
        ids = " ".join(i for i, _ in self.failed)
        if len(self.failed) == 1:
            what = f"{ids}: {self.failed[0][1]}; nothing was changed for it"
        else:
            what = (f"{len(self.failed)} documents ({'; '.join(f'{i}: {why}' for i, why in self.failed)}); "
                    "nothing was changed for them")
        return f"could not fetch {what}: run `hcb corpus fetch {ids}` where the address can be reached"


@dataclass(frozen=True)
class DocumentRow:
    id: str
    title: str
    kind: str
    date: str
    status: str
    chunks: int
    indexed: str          # "yes" | "stale" | "no" | "not fetched"


# ---------------------------------------------------------------- public API

def fetch_documents(settings: Settings, ids: tuple[str, ...] = (), *, force: bool = False, embedder=None,
                    client=None, update_index: bool = True, progress=None,
                    on_wait: Callable[[str], None] | None = None) -> ChangeReport:
    """Download the manifest's documents that have an address but no text yet (and re-check the
    fetched ones), convert them, record provenance, and update the index. Unchanged documents
    (HTTP 304 or the same sha256) are left alone; failures are reported, not raised.
    `on_wait(message)` hears when another command holds the corpus or index lock."""
    what = " ".join(("hcb corpus fetch", *ids))
    with _locked(settings, what, on_wait):
        return _fetch(settings, ids, force, embedder, client, update_index, progress, what, on_wait)


def _fetch(settings, ids, force, embedder, client, update_index, progress, what, on_wait) -> ChangeReport:
    _, manifest = _read_manifest(settings.corpus_dir)
    entries = {str(e["id"]): e for e in manifest.get("documents", [])}
    for i in ids:
        if i not in entries:
            raise CorpusError(f"no document {i!r} in the manifest: see hcb corpus list")
        if not entries[i].get("url") or entries[i].get("status") not in FETCHABLE:
            raise CorpusError(f"document {i!r} is {entries[i].get('status')} and has no address to fetch from: "
                              "only documents listed for fetching can be fetched")
    targets = list(ids) or [i for i, e in entries.items() if e.get("url") and e.get("status") in FETCHABLE]
    changed, unchanged, failed, files = [], [], [], {}
    own = client is None
    client = client or fetch.make_client(settings.fetch.timeout)
    try:
        for i in targets:
            e = entries[i]
            known = e.get("status") == "fetched" and not force
            try:
                dl = fetch.download(str(e["url"]), max_bytes=settings.fetch.max_bytes, timeout=settings.fetch.timeout,
                                    etag=str(e.get("etag", "")) if known else "",
                                    last_modified=str(e.get("last_modified", "")) if known else "", client=client)
                if dl.not_modified or (known and dl.sha256 == e.get("sha256")):
                    unchanged.append(f"{i}: unchanged since {e.get('retrieved', 'the last fetch')}")
                    continue
                conv = convert.convert(dl.data, str(e["title"]), content_type=dl.content_type,
                                      name=urlsplit(dl.final_url).path, max_bytes=settings.fetch.max_bytes)
            except HcbError as err:
                failed.append((i, str(err)))
                continue
            replaced = e.get("status") == "fetched"
            files[f"{i}.md"] = conv.markdown
            _update(e, file=f"{i}.md", status="fetched", **_provenance(dl, conv))
            changed.append(f"{i}: {'replaced' if replaced else 'fetched'} ({_describe(conv)})")
    finally:
        if own:
            client.close()
    if files:
        _commit(settings.corpus_dir, tomlkit.dumps(manifest), files)
    build = _update_index(settings, embedder, progress, what, on_wait) if files and update_index else None
    return ChangeReport(tuple(changed), tuple(unchanged), tuple(failed), build)


def add_document(settings: Settings, source: str, *, title: str, publisher: str, date: str, kind: str,
                 url: str = "", speaker: str = "", doc_id: str = "", licence: str = "", author: str = "",
                 notes: str = "", embedder=None, client=None, update_index: bool = True,
                 progress=None, on_wait: Callable[[str], None] | None = None) -> ChangeReport:
    """Add a local file (PDF, HTML, Markdown, text) or an http(s) address to the corpus and index it.
    A local path must be a regular file, not a symbolic link."""
    fields = dict(title=title, publisher=publisher, date=date, kind=kind, url=url, speaker=speaker, doc_id=doc_id,
                  licence=licence, author=author, notes=notes)
    what = f"hcb corpus add {source}"
    with _locked(settings, what, on_wait):
        return _add(settings, source, fields, embedder, client, update_index, progress, what, on_wait)


def _add(settings, source, f, embedder, client, update_index, progress, what, on_wait) -> ChangeReport:
    title, publisher, date, kind, url, speaker, doc_id, licence, author, notes = (
        f[k] for k in ("title", "publisher", "date", "kind", "url", "speaker", "doc_id", "licence", "author", "notes"))
    corpus_dir = Path(settings.corpus_dir)
    text, manifest = _read_manifest(corpus_dir)
    _check_fields(title, publisher, date, kind)
    remote = re.match(r"^https?://", source, re.I) is not None
    name = urlsplit(source).path if remote else Path(source).name
    doc_id = doc_id or _slug(Path(name).stem or title)
    if not DOC_ID.match(doc_id):
        raise CorpusError(f"document id {doc_id!r} must be lower-case letters, digits and hyphens: pass --id")
    if any(str(e["id"]) == doc_id for e in manifest.get("documents", [])):
        raise CorpusError(f"document {doc_id!r} is already in the corpus: pass another --id, or run: hcb corpus remove {doc_id}")
    if (corpus_dir / f"{doc_id}.md").exists():
        raise CorpusError(f"{corpus_dir / (doc_id + '.md')} already exists: pass another --id")
    if remote:
        dl = fetch.download(source, max_bytes=settings.fetch.max_bytes, timeout=settings.fetch.timeout, client=client)
        data, ctype, status = dl.data, dl.content_type, "fetched"
    else:
        data, ctype, status = _read_local(Path(source), settings.fetch.max_bytes), "", "added"
    conv = convert.convert(data, title, content_type=ctype, name=name, max_bytes=settings.fetch.max_bytes)
    speakers = manifest.get("speakers", {})
    sid = speaker or _slug(re.sub(r"(?i)^the\s+", "", publisher), "_")[:80]
    if not SPEAKER_ID.match(sid):
        raise CorpusError(f"speaker id {sid!r} must be lower-case letters, digits and underscores: pass --speaker")
    entry = {"id": doc_id, "file": f"{doc_id}.md", "title": clean_text(title), "publisher": publisher,
             "author": author, "date": date, "url": url or (source if remote else ""), "kind": kind,
             "licence": licence or "Not stated; quoted for research", "origin": source if remote else name,
             "speaker": sid, "status": status, "notes": notes}
    if remote:
        entry.update({k: v for k, v in _provenance(dl, conv).items() if v not in ("", None)})
    else:
        entry.update({k: v for k, v in _provenance(None, conv, data).items() if v not in ("", None)})
    tail = {"speakers": {sid: _new_speaker(publisher, kind)}} if sid not in speakers else {}
    tail["documents"] = [entry]
    new_text = text.rstrip("\n") + "\n\n" + tomlkit.dumps(tail)
    _commit(corpus_dir, new_text, {f"{doc_id}.md": conv.markdown})
    build = _update_index(settings, embedder, progress, what, on_wait) if update_index else None
    return ChangeReport((f"{doc_id}: added ({_describe(conv)}; speaker {sid}{', new' if tail.get('speakers') else ''})",),
                        build=build)


def remove_document(settings: Settings, doc_id: str, *, embedder=None, update_index: bool = True,
                    progress=None, on_wait: Callable[[str], None] | None = None) -> ChangeReport:
    """Remove a document's manifest entry and file, then its passages from the index.
    Speakers it used stay defined (other documents may use them)."""
    what = f"hcb corpus remove {doc_id}"
    with _locked(settings, what, on_wait):
        return _remove(settings, doc_id, embedder, update_index, progress, what, on_wait)


def _remove(settings, doc_id, embedder, update_index, progress, what, on_wait) -> ChangeReport:
    _, manifest = _read_manifest(settings.corpus_dir)
    docs = manifest.get("documents", [])
    where = [n for n, e in enumerate(docs) if str(e["id"]) == doc_id]
    if not where:
        raise CorpusError(f"no document {doc_id!r} in the manifest: see hcb corpus list")
    file = str(docs[where[0]].get("file") or "")
    del docs[where[0]]
    _commit(settings.corpus_dir, tomlkit.dumps(manifest), {}, delete=(file,) if file else ())
    build = _update_index(settings, embedder, progress, what, on_wait) if update_index else None
    return ChangeReport((f"{doc_id}: removed{' (and ' + file + ')' if file else ''}",), build=build)


def list_documents(settings: Settings) -> list[DocumentRow]:
    """Every manifest document with its passage count in the live index and whether that is current."""
    corpus = load_corpus(settings.corpus_dir)
    st = index_status(corpus, settings.index_dir, make_embedder(settings.embedder).name, deep=False)
    keys = (st.manifest or {}).get("documents", {})
    counts: dict[str, int] = {}
    if st.manifest:
        path = Path(settings.index_dir) / "builds" / st.manifest["build_id"] / "chunks.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines() if path.is_file() else ():
            did = json.loads(line)["doc_id"]
            counts[did] = counts.get(did, 0) + 1
    rows = []
    for d in corpus.documents:
        if not d.text:
            indexed = "not fetched"
        elif d.id not in keys:
            indexed = "no"
        else:
            indexed = "yes" if keys[d.id] == text_key(d.text + d.speaker) else "stale"
        rows.append(DocumentRow(d.id, d.title, d.kind, d.date, d.status, counts.get(d.id, 0), indexed))
    return rows


# ---------------------------------------------------------------- helpers

@contextmanager
def _locked(settings: Settings, what: str, on_wait):
    """The corpus folder's write lock; a timeout names the command holding it."""
    with writer_lock(settings.corpus_dir, what, settings.lock_timeout, on_wait):
        yield


def _read_manifest(corpus_dir: Path):
    """The manifest as text and as an editable tomlkit document, every id and file name checked."""
    path = Path(corpus_dir) / "manifest.toml"
    if not path.is_file():
        raise CorpusError(f"no corpus manifest at {path}: check HCB_CORPUS_DIR or restore corpus/ from git")
    text = path.read_text(encoding="utf-8")
    try:
        manifest = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as e:
        raise CorpusError(f"{path} is not valid TOML ({e}): fix it or restore it from git") from None
    for e in manifest.get("documents", []):
        did = check_doc_id(e.get("id"))
        if e.get("file") not in (None, ""):   # "": listed for fetching, no file yet
            corpus_file(corpus_dir, e["file"], did)
    return text, manifest


def _commit(corpus_dir: Path, manifest_text: str, files: dict[str, str], delete: tuple[str, ...] = ()) -> None:
    """Stage, validate, then move into place; on any error the corpus folder is as it was."""
    corpus_dir = Path(corpus_dir)
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=corpus_dir))
    try:
        for p in corpus_dir.iterdir():     # the rest of the corpus, as it is, for the check below
            if p.name not in files and p.name not in delete and p.name != "manifest.toml" and not p.name.startswith("."):
                (stage / p.name).symlink_to(p.resolve())
        for name, body in files.items():
            (stage / name).write_text(body, encoding="utf-8")
        (stage / "manifest.toml").write_text(manifest_text.rstrip("\n") + "\n", encoding="utf-8")
        load_corpus(stage, root=corpus_dir)
        for name in files:
            os.replace(stage / name, corpus_file(corpus_dir, name, name))
        os.replace(stage / "manifest.toml", corpus_dir / "manifest.toml")
        for name in delete:
            corpus_file(corpus_dir, name, name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _update_index(settings: Settings, embedder, progress, what: str, on_wait):
    try:
        return build(load_corpus(settings.corpus_dir), settings.index_dir, embedder or make_embedder(settings.embedder),
                     chroma_url=settings.chroma_url, progress=progress, lock_timeout=settings.lock_timeout,
                     on_wait=on_wait, what=what)
    except BusyError as e:
        raise IndexUpdateError(f"the corpus was changed but the index is busy ({e}); then run: hcb index build") from None
    except HcbError as e:
        raise IndexUpdateError(f"the corpus was changed but the index update failed ({e}): run: hcb index build") from None


def _update(entry, **values) -> None:
    for k, v in values.items():
        if v in ("", None):
            entry.pop(k, None)        # e.g. a stale ETag from an earlier fetch
        else:
            entry[k] = v


def _provenance(dl, conv, data: bytes = b"") -> dict:
    common = {"content_type": conv.format if dl is None else (dl.content_type or conv.format),
              "pages": conv.pages, "headings": conv.headings}
    if dl is None:
        return {"added": _now(), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), **common}
    return {"retrieved": dl.retrieved, "sha256": dl.sha256, "size": len(dl.data), "etag": dl.etag,
            "last_modified": dl.last_modified, "fetched_from": dl.final_url if dl.final_url != dl.url else "", **common}


def _describe(conv) -> str:
    pages = f"{conv.pages} pages, " if conv.pages else ""
    empty = f", {len(conv.empty_pages)} without text" if conv.empty_pages else ""
    return f"{conv.format}, {pages}headings: {conv.headings}{empty}"


def _read_local(path: Path, max_bytes: int) -> bytes:
    if path.is_symlink():
        # the link's target is what would be copied in: /etc/shadow behind a harmless-looking name
        raise CorpusError(f"{path} is a symbolic link (to {os.path.realpath(path)}): pass the file itself")
    if not path.is_file():
        raise CorpusError(f"no file at {path}: check the path")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"{path.name} is {size:,} bytes, over the {max_bytes:,}-byte limit: raise HCB_FETCH_MAX_BYTES if it is genuine")
    return path.read_bytes()


def _check_fields(title: str, publisher: str, day: str, kind: str) -> None:
    if not title.strip() or not publisher.strip():
        raise CorpusError("a document needs a --title and a --publisher")
    if kind not in KINDS:
        raise CorpusError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise CorpusError(f"date {day!r} is not an ISO date: use YYYY-MM-DD") from None


def _new_speaker(publisher: str, kind: str) -> dict:
    who = re.sub(r"(?i)^the\s+", "", publisher.strip())
    return {"name": publisher, "label": f"the {who} document", "attribution": f"The {who} document says",
            "kind": kind, "again": f"The {who} document also says", "aliases": [who.lower()]}


def _slug(text: str, sep: str = "-") -> str:
    return re.sub(r"[^a-z0-9]+", sep, text.lower()).strip(sep)[:60].strip(sep)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
