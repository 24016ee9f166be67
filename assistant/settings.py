"""One frozen settings object, read once from `HCB_*` variables and CLI flags, passed down to every stage.

Settings fall into typed groups; each group field is read from `HCB_<PREFIX><FIELD>`:

    Settings                paths, store, embedder, question limit    HCB_CORPUS_DIR, HCB_CHROMA_URL, ...
    ├── retrieval           depth, fusion weights                     HCB_TOP_K, HCB_RRF_K, HCB_DENSE_WEIGHT, ...
    ├── answer              sentence scoring, selection, sufficiency  HCB_ANSWER_<FIELD>
    ├── web                 address, concurrency, request limits     HCB_HOST, HCB_PORT, HCB_CONCURRENCY, HCB_MAX_HISTORY, ...
    └── fetch               limits for `hcb corpus fetch/add`         HCB_FETCH_MAX_BYTES, HCB_FETCH_TIMEOUT

    >>> s = Settings.from_env({"HCB_TOP_K": "7", "HCB_PORT": "8000"})
    >>> (s.retrieval.top_k, s.web.port)
    (7, 8000)
    >>> s.with_(top_k=3).retrieval.top_k      # flat names reach into the groups
    3
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import HcbError

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class RetrievalSettings:
    top_k: int = 5                # passages shown / cited from
    candidates: int = 20          # per-retriever depth before fusion
    rrf_k: int = 5                # small k: agreement near the top of the lists matters most
    # fusion weights, tuned on evals/questions.jsonl (a broad plateau, not a sharp optimum)
    dense_weight: float = 0.5     # whole-passage cosine
    lexical_weight: float = 2.0   # BM25
    sentence_weight: float = 1.0  # best sentence's cosine
    sentence_pool: int = 200      # passages (top of the dense and BM25 lists) whose sentences are scored
    # a follow-up with words of its own is searched with the earlier topic it carries, but its own words' vector
    # counts this many times the merged query's: the carried topic is longer and would otherwise steer the search
    own_weight: float = 2.0


@dataclass(frozen=True)
class AnswerWeights:
    """Selection limits of the answering stage (the scorers themselves are fitted: answering/model.json)."""

    max_passages: int = 8             # passages whose sentences are candidates
    word_budget: int = 105            # quoted words in all, runners-up filling what the answer leaves
    comparison_budget: int = 150      # …for a comparison, whose answer needs each side's point
    list_budget: int = 140            # words of a list's items kept with the sentence introducing it
    keep_ratio: float = 0.05          # a runner-up is kept when its probability is this share of the best's…
    keep_min: float = 0.02            # …and at least this
    side_min: float = 0.1             # another kind of voice is heard when its best sentence reaches this
    named_side_min: float = 0.02      # …and a kind of voice the question names, when its named voice's best reaches this
    named_side_sentences: int = 2     # sentences a named kind of voice may give
    form_ratio: float = 0.7           # a sentence with the asked-for form answers if this share as likely as the best
    side_words: int = 50              # sides may go this far over the word budget
    max_statements: int = 8
    similar_jaccard: float = 0.6      # two sentences sharing more of their stems say the same thing


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 7860
    concurrency: int = 8          # simultaneous answers the web app computes
    # request limits, checked before any work (the question's own limit is max_question_chars)
    max_history: int = 20         # earlier turns a request may carry; the chat sends its last this many
    max_history_chars: int = 50_000   # one earlier turn, as JSON (an answer's `to_dict()` is ~2–15 kB)
    max_body_bytes: int = 1_000_000   # any HTTP request body (the JSON API and Gradio's own routes)


@dataclass(frozen=True)
class FetchSettings:
    max_bytes: int = 50_000_000   # largest document `hcb corpus fetch/add` accepts
    timeout: int = 30             # seconds to connect / between bytes when fetching


# group field -> its flat name (the HCB_ variable without the prefix, and the override keyword)
GROUPS = {"retrieval": "", "answer": "answer_", "web": "", "fetch": "fetch_"}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    data_dir: Path = ROOT / "data"
    chroma_url: str = ""          # empty: embedded PersistentClient under index_dir
    embedder: str = "minilm"      # "minilm" (real model) or "fake" (tests only)
    max_question_chars: int = 1000
    lock_timeout: float = 300.0   # seconds a command waits for another that is changing the index or corpus
    seeds_dir: Path = ROOT.parent / "shared" / "seeds"   # the original pages, for gold quotes copied from them
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerWeights = field(default_factory=AnswerWeights)
    web: WebSettings = field(default_factory=WebSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        """Build settings from `HCB_<NAME>` variables, then explicit overrides (CLI flags; None means unset)."""
        env = dict(os.environ if env is None else env)
        values = {}
        for name, default in _flat_defaults().items():
            raw = env.get(f"HCB_{name.upper()}")
            if raw is not None and raw != "":
                values[name] = _parse(name, raw, default)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls().with_(**values)

    def with_(self, **changes) -> "Settings":
        """A copy with some settings changed; group fields by their flat name (`top_k`, `fetch_max_bytes`)."""
        top = {f.name for f in fields(self) if f.name not in GROUPS}
        groups: dict[str, dict] = {}
        plain = {}
        for name, value in changes.items():
            if name in top or name in GROUPS:
                plain[name] = value
                continue
            for group, prefix in GROUPS.items():
                sub = getattr(self, group)
                if name.startswith(prefix) and name[len(prefix):] in {f.name for f in fields(sub)}:
                    groups.setdefault(group, {})[name[len(prefix):]] = value
                    break
            else:
                raise HcbError(f"unknown setting {name!r}: see the configuration table in README.md")
        for group, vals in groups.items():
            plain[group] = replace(getattr(self, group), **vals)
        return replace(self, **plain)


def _flat_defaults() -> dict:
    """Every setting by its flat name, with its default (which also gives its type)."""
    base = Settings()
    out = {f.name: getattr(base, f.name) for f in fields(Settings) if f.name not in GROUPS}
    for group, prefix in GROUPS.items():
        sub = getattr(base, group)
        out.update({prefix + f.name: getattr(sub, f.name) for f in fields(sub)})
    return out


def _parse(name: str, raw: str, default):
    if isinstance(default, Path):
        return Path(raw).expanduser()
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise HcbError(f"HCB_{name.upper()}={raw!r} is not a number: fix or unset it") from None
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise HcbError(f"HCB_{name.upper()}={raw!r} is not a whole number: fix or unset it") from None
    return raw
