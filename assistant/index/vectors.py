"""Passage vectors in Chroma. The only module that imports chromadb.

Embedded mode: a `PersistentClient` on a folder inside the index build.
Server mode (`HCB_CHROMA_URL=http://127.0.0.1:8000`): an `HttpClient`, one
collection per index build, so a new build never disturbs the one serving.
We always pass our own vectors: Chroma's default embedding function (which
downloads an ONNX model) must never run, so `query_texts` is never used.
"""

from __future__ import annotations

import os
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
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorStore:
    """One Chroma collection of passage vectors with their metadata."""

    def __init__(self, collection, count: int | None = None):
        self._c = collection
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
        return cls(col)

    @classmethod
    def open(cls, name: str, path: Path | None = None, url: str = "", count: int | None = None) -> "VectorStore":
        try:
            client = _client(path, url)
            return cls(client.get_collection(name, embedding_function=_NoEmbedding()), count)
        except StoreUnavailableError:
            raise
        except Exception as e:
            raise IndexCorruptError(f"the vector store {name!r} cannot be opened ({type(e).__name__}): run: hcb index build --force") from None

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
        """(chunk id, cosine similarity), best first."""
        k = min(k, self.count())
        if k <= 0:
            return []
        res = self._c.query(query_embeddings=[list(map(float, vector))], n_results=k, where=where or None,
                            include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def ids(self) -> list[str]:
        return list(self._c.get(include=[])["ids"])
