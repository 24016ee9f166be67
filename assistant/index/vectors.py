"""Passage vectors in Chroma. The only module that imports chromadb.

Embedded mode: a `PersistentClient` on a folder inside the index build.
Server mode (`HCB_CHROMA_URL=http://127.0.0.1:8000`): an `HttpClient`, one
collection per index build, so a new build never disturbs the one serving.
We always pass our own vectors: Chroma's default embedding function (which
downloads an ONNX model) must never run, so `query_texts` is never used.

Chroma has no read-only client: opening an embedded store writes to its SQLite file
(and re-creates an emptied one). So a store whose folder this process cannot write
(a read-only mount, another user's files) is served from a private copy in a
temporary folder, and `check` reads the SQLite file itself, read-only, before
letting Chroma open it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from ..errors import IndexCorruptError, StoreUnavailableError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class _NoEmbedding:
    """Stands in for an embedding function: refuses, so nothing can download a model."""

    def __call__(self, input):  # noqa: A002 - chroma's protocol name
        raise RuntimeError("hcb passes its own vectors; Chroma's embedding function must not run")

    @staticmethod
    def name() -> str:
        return "hcb-none"

    def is_legacy(self) -> bool:
        return False

    def get_config(self) -> dict:
        return {}

    @staticmethod
    def build_from_config(config):
        return _NoEmbedding()

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


_registered = False


def _register() -> None:
    """Chroma records a collection's embedding function by name and looks it up on open."""
    global _registered
    if not _registered:
        # lazy (as in _client): chromadb takes ~2.5 s to import; `hcb index status` and the CLI's help never need it
        from chromadb.utils.embedding_functions import register_embedding_function

        try:
            register_embedding_function(_NoEmbedding)
        except ValueError:
            pass  # already registered in this process
        _registered = True


def _client(path: Path | None, url: str):
    _register()
    import chromadb  # lazy: ~2.5 s to import, paid only by commands that open the store
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        u = urlparse(url)
        try:
            client = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                         ssl=u.scheme == "https", settings=settings)
            client.heartbeat()
        except Exception as e:  # connection refused, DNS, TLS: all mean "not reachable"
            raise StoreUnavailableError(
                f"cannot reach the Chroma server at {url} ({type(e).__name__}): start it with `chroma run --path DIR --port PORT` or unset HCB_CHROMA_URL"
            ) from None
        return client
    return chromadb.PersistentClient(path=str(_writable(Path(path))), settings=settings)


SQLITE = "chroma.sqlite3"
_copies: dict[Path, tempfile.TemporaryDirectory] = {}   # read-only stores → their private copies (this process)


def _writable(path: Path) -> Path:
    """`path` if Chroma can write there; otherwise a private copy of it (made once per process)."""
    db = path / SQLITE
    if not db.exists() or (os.access(path, os.W_OK) and os.access(db, os.W_OK)):
        return path
    key = path.resolve()
    if key not in _copies:
        tmp = tempfile.TemporaryDirectory(prefix="hcb-chroma-ro-")
        try:
            shutil.copytree(path, Path(tmp.name) / "chroma")
        except OSError as e:
            tmp.cleanup()
            raise IndexCorruptError(
                f"the vector store in {path} is read-only and could not be copied to a temporary folder ({e.strerror}): "
                "make the index folder writable by this user, free space in the temporary folder (TMPDIR), "
                "or serve the index from a `chroma run` server (HCB_CHROMA_URL)") from None
        _copies[key] = tmp
    return Path(_copies[key].name) / "chroma"


def sqlite_problem(path: Path) -> str:
    """What is wrong with an embedded store's SQLite file, read without writing to it ("" when sound)."""
    db = Path(path) / SQLITE
    if not db.is_file():
        return f"{db} is missing"
    if db.stat().st_size == 0:
        return f"{db} is empty"
    with db.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            return f"{db} is not an SQLite database"
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)   # as_uri needs an absolute path
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.Error as e:
        return f"{db} cannot be read ({e})"
    if rows != [("ok",)]:
        return f"{db} is corrupt ({'; '.join(str(r[0]) for r in rows[:2])})"
    return ""


class VectorStore:
    """One Chroma collection of passage vectors with their metadata."""

    def __init__(self, collection, url: str = "", count: int | None = None):
        self._c = collection
        self._url = url
        self._count = count    # a build's collection never changes: counting once saves a round trip per query

    @classmethod
    def create(cls, name: str, path: Path | None = None, url: str = "") -> "VectorStore":
        client = _client(path, url)
        try:
            client.delete_collection(name)
        except Exception:
            pass
        col = client.create_collection(name, embedding_function=_NoEmbedding(),
                                       configuration={"hnsw": {"space": "cosine"}})
        return cls(col, url)

    @classmethod
    def open(cls, name: str, path: Path | None = None, url: str = "", count: int | None = None) -> "VectorStore":
        try:
            client = _client(path, url)
            return cls(client.get_collection(name, embedding_function=_NoEmbedding()), url, count)
        except (StoreUnavailableError, IndexCorruptError):
            raise
        except Exception as e:
            raise IndexCorruptError(f"the vector store {name!r} cannot be opened ({type(e).__name__}): run: hcb index build") from None

    @staticmethod
    def drop(name: str, url: str) -> None:
        """Delete a server-side collection (embedded builds are deleted with their folder)."""
        try:
            _client(None, url).delete_collection(name)
        except Exception:
            pass

    def add(self, ids: list[str], vectors, metadatas: list[dict], documents: list[str], batch: int = 1000) -> None:
        for i in range(0, len(ids), batch):
            self._c.add(ids=ids[i:i + batch], embeddings=np.asarray(vectors[i:i + batch], dtype=np.float32),
                        metadatas=metadatas[i:i + batch], documents=documents[i:i + batch])
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._c.count()
        return self._count

    def query(self, vector, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first.

        In server mode a server that went away mid-session is a StoreUnavailableError (the web chat
        and the CLI turn it into a message); the next query after it returns works again.
        """
        try:
            k = min(k, self.count())
            if k <= 0:
                return []
            res = self._c.query(query_embeddings=[list(map(float, vector))], n_results=k, where=where or None,
                                include=["distances"])
        except Exception as e:
            if not self._url:
                raise
            raise StoreUnavailableError(f"the document store (the Chroma server at {self._url}) is not reachable "
                                        f"({type(e).__name__}); try again shortly") from None
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def ids(self) -> list[str]:
        return list(self._c.get(include=[])["ids"])

    def check(self, ids: list[str], vectors: np.ndarray, sample: int = 64, source: str = "chunk_vectors.npy") -> list[str]:
        """Problems between this collection and the passages it should hold ([] when it matches).

        Compares the count and the ids, and the stored vectors of up to `sample` passages spread
        over the collection (all of them for a small corpus).
        """
        try:
            n = self._c.count()      # the collection's own count, never the one given to `open`
            if n != len(ids):
                return [f"the vector store holds {n} passages, not {len(ids)}"]
            stored = set(self.ids())
            if stored != set(ids):
                return [f"the vector store's passage ids do not match chunks.jsonl ({len(set(ids) - stored)} missing)"]
            rows = sorted(set(np.linspace(0, len(ids) - 1, min(sample, len(ids))).astype(int).tolist())) if ids else []
            got = self._c.get(ids=[ids[r] for r in rows], include=["embeddings"])
        except Exception as e:  # a damaged store raises chromadb's internal errors
            return [f"the vector store cannot be read ({type(e).__name__})"]
        by_id = dict(zip(got["ids"], got["embeddings"]))
        bad = [ids[r] for r in rows if not np.allclose(np.asarray(by_id[ids[r]], np.float32), vectors[r], atol=1e-4)]
        return [f"the vector store's vectors differ from {source} for {len(bad)} of {len(rows)} sampled passages"] if bad else []
