"""Embedding backends: each is the same model (vectors agree with sentence-transformers on torch), each
has its own name so an index never mixes them, and none reaches a model hub."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import make_embedder
from assistant.errors import HcbError
from assistant.index.embed import BACKENDS, MiniLMEmbedder

from .._support import CORPUS_DIR

TEXTS = ["What will Integrated Care Boards do?",
         "The LGA's view is that councils must be equal partners in integrated care systems, with a statutory role "
         "in the ICS Health and Care Partnership and a voice on the ICS NHS Body. " * 4,
         "16,019 signatures", ""]


def test_int8_backends_have_their_own_names_and_unknown_ones_are_refused():
    names = {b: MiniLMEmbedder(backend=b).name for b in BACKENDS}
    assert names["onnx"] == names["torch"] == make_embedder("minilm").name, "float32 backends give the same vectors"
    assert len(set(names.values())) == 3
    assert MiniLMEmbedder().backend == "onnx" and make_embedder("minilm").backend == "onnx"
    assert make_embedder("minilm-onnx-int8").name.endswith("+onnx-int8")
    with pytest.raises(HcbError, match="unknown embedder 'minilm-gpu'"):
        make_embedder("minilm-gpu")
    with pytest.raises(HcbError, match="unknown embedding backend"):
        MiniLMEmbedder(backend="tpu")


@pytest.mark.slow
@pytest.mark.parametrize("backend, min_cosine", [("onnx", 0.9999), ("onnx-int8", 0.95), ("torch-int8", 0.7)])
def test_backends_agree_with_sentence_transformers_on_torch(backend, min_cosine):
    from assistant import chunk_corpus, load_corpus

    chunks = chunk_corpus(load_corpus(CORPUS_DIR).available)
    texts = TEXTS + [c.text for c in chunks[:20]] + [s for c in chunks[:10] for s in c.sentence_texts()]
    reference = MiniLMEmbedder(backend="torch").embed(texts)
    vectors = MiniLMEmbedder(backend=backend).embed(texts)
    assert vectors.shape == reference.shape and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    cos = (vectors * reference).sum(axis=1)
    assert cos.min() >= min_cosine, (backend, float(cos.min()))
    # float32: a text embedded alone gets the vector it gets in a batch (padding does not leak in);
    # dynamic int8 quantises activations with one scale per batch, so a vector depends on its batch-mates
    alone = MiniLMEmbedder(backend=backend).embed([texts[0]])[0]
    assert float(alone @ vectors[0]) > (0.9999 if "int8" not in backend else min_cosine)
