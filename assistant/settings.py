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
    rrf_k: int = 60
    max_question_chars: int = 1000
    host: str = "127.0.0.1"
    port: int = 7860
    concurrency: int = 8          # simultaneous answers the web app computes

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
