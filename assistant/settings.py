"""One frozen settings object, read once from `HCB_*` variables and CLI flags, passed down to every stage.

Settings fall into typed groups; each group field is read from `HCB_<PREFIX><FIELD>`:

    Settings                paths, store, embedder, question limit    HCB_CORPUS_DIR, HCB_CHROMA_URL, ...
    ├── retrieval           depth, fusion weights                     HCB_TOP_K, HCB_RRF_K, HCB_DENSE_WEIGHT, ...
    ├── answer              sentence scoring, selection, sufficiency  HCB_ANSWER_<FIELD>
    ├── web                 address and concurrency of the web app    HCB_HOST, HCB_PORT, HCB_CONCURRENCY
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


@dataclass(frozen=True)
class AnswerWeights:
    """Sentence scoring, selection and sufficiency (answering stage)."""

    max_passages: int = 5             # passages whose sentences are scored
    overlap_weight: float = 0.6       # IDF-weighted share of the question's terms in the sentence
    prior_weight: float = 0.25        # times the passage's rank prior (1.0, 0.75, 0.6, 0.5, 0.45, 0.4)
    date_boost: float = 0.25          # "when" question, sentence with a date
    number_boost: float = 0.2         # "how many" question, sentence with a figure
    money_boost: float = 0.2          # "how much money" question, sentence with a sum
    who_boost: float = 0.15           # "who" question, sentence naming a person
    party_boost: float = 0.15         # the question names the sentence's speaker
    label_penalty: float = 0.2        # sentences under 4 words ("More details") are labels, not evidence
    word_budget: int = 95             # quoted words; openers come on top
    list_budget: int = 130            # the same for list questions
    keep_ratio: float = 0.8           # runners-up kept while within this share of the best score
    follow_words: int = 45            # the next sentence joins the best one when both fit in this
    figure_bearer_ratio: float = 0.5  # "how many X": a sentence with a figure next to X, if this close
    type_bearer_ratio: float = 0.6    # a date/figure the question wants, from a sentence this close
    similar_jaccard: float = 0.6      # two sentences sharing more of their stems say the same thing
    min_score: float = 0.55           # below: weak evidence, abstain
    min_overlap: float = 0.2          # below (with min_dense): too few of the question's terms, abstain
    min_dense: float = 0.5


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 7860
    concurrency: int = 8          # simultaneous answers the web app computes


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
