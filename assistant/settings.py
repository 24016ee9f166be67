"""One frozen settings object, read once from `HCB_*` variables and CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    data_dir: Path = ROOT / "data"
    chroma_url: str = ""          # empty: embedded PersistentClient under index_dir
    embedder: str = "minilm"      # "minilm" (real model) or "fake" (tests only)
    top_k: int = 5                # passages shown / cited from
    candidates: int = 20          # per-retriever depth before fusion
    rrf_k: int = 5                # small k: agreement near the top of the lists matters most
    # fusion weights, tuned on evals/questions.jsonl (a broad plateau, not a sharp optimum)
    dense_weight: float = 0.5     # whole-passage cosine
    lexical_weight: float = 2.0   # BM25
    sentence_weight: float = 1.0  # best sentence's cosine
    max_question_chars: int = 1000
    host: str = "127.0.0.1"
    port: int = 7860
    concurrency: int = 8          # simultaneous answers the web app computes
    fetch_max_bytes: int = 50_000_000   # largest document `hcb corpus fetch/add` accepts
    fetch_timeout: int = 30       # seconds to connect / between bytes when fetching

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        """Build settings from `HCB_<FIELD>` variables, then explicit overrides (CLI flags)."""
        env = dict(os.environ if env is None else env)
        values: dict = {}
        for f in fields(cls):
            raw = env.get(f"HCB_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            default = getattr(cls, f.name)
            if isinstance(default, Path):
                values[f.name] = Path(raw).expanduser()
            elif isinstance(default, float):
                try:
                    values[f.name] = float(raw)
                except ValueError:
                    from .errors import HcbError

                    raise HcbError(f"HCB_{f.name.upper()}={raw!r} is not a number: fix or unset it") from None
            elif isinstance(default, int):
                try:
                    values[f.name] = int(raw)
                except ValueError:
                    from .errors import HcbError

                    raise HcbError(f"HCB_{f.name.upper()}={raw!r} is not a whole number: fix or unset it") from None
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
