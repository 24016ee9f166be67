"""The domain glossary (`glossary.toml`): words that mean the same here, applied to search and evidence checks.

    >>> g = load_glossary()
    >>> sorted(g.expansions("the future of CCGs"))[:3]
    ['ccg', 'clinic', 'commiss']
    >>> g.covered("council", "local authorities will have a voice")
    True
    >>> sorted(map(sorted, g.alternatives(["privat", "compani", "take"])["compani"]))[:2]
    [['compani', 'privat'], ['firm', 'privat']]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import tokenize

GLOSSARY = Path(__file__).with_name("glossary.toml")


@dataclass(frozen=True)
class Entry:
    terms: tuple[str, ...]
    where: str                                  # where the corpus uses it (the entry's justification)
    patterns: tuple[re.Pattern, ...]            # each term, whole words, case-insensitive
    term_stems: tuple[tuple[str, ...], ...]     # each term's stems, in order

    @property
    def stems(self) -> frozenset[str]:
        """The stems of every term."""
        return frozenset(s for t in self.term_stems for s in t)


class Glossary:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        # stem → every stem of every term of its entries, word by word: the loose reading that search expansion and
        # the router's vocabulary check use (the evidence checks read whole terms: `alternatives`)
        self._equivalents: dict[str, frozenset[str]] = {}
        for e in entries:
            stems = e.stems
            for s in stems:
                self._equivalents[s] = self._equivalents.get(s, frozenset({s})) | stems

    def entries_in(self, text: str) -> list[Entry]:
        """Entries one of whose terms the text uses."""
        return [e for e in self.entries if any(p.search(text) for p in e.patterns)]

    def expansions(self, text: str) -> set[str]:
        """Stems the text does not use but means, by the glossary (for lexical search)."""
        have = set(tokenize(text))
        return {s for e in self.entries_in(text) for s in e.stems} - have

    def equivalents(self, stem: str) -> frozenset[str]:
        """Every stem that means `stem` (itself included)."""
        return self._equivalents.get(stem) or frozenset({stem})

    def alternatives(self, stems_in_order: list[str]) -> dict[str, tuple[frozenset[str], ...]]:
        """For each stem of a term the stems use (as a run: "private companies", "councils"), every term of its
        entry as a set of stems: the word is there when one whole term is. A phrase means the same as a phrase,
        not word by word: "independent sector" stands for "private companies", "independent" alone does not
        (nor does "state" for "health", by "health secretary" = "Secretary of State")."""
        out: dict[str, set[frozenset[str]]] = {}
        for e in self.entries:
            for term in e.term_stems:
                if not term or not _has_run(stems_in_order, term):
                    continue
                for s in term:
                    out.setdefault(s, set()).update(frozenset(t) for t in e.term_stems if t)
        return {s: tuple(sorted(alts, key=sorted)) for s, alts in out.items()}

    def covered(self, word: str, text: str) -> bool:
        """Does `text` hold `word` or a glossary equivalent of it?"""
        have = set(tokenize(text))
        return any(self.equivalents(s) & have for s in tokenize(word))


def _has_run(seq: list[str], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(tuple(seq[i:i + n]) == run for i in range(len(seq) - n + 1))


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY) -> Glossary:
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    entries = []
    for e in raw.get("entry", []):
        terms = tuple(e["terms"])
        pats = tuple(re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])", re.I) for t in terms)
        entries.append(Entry(terms, e["where"], pats, tuple(tuple(tokenize(t)) for t in terms)))
    return Glossary(entries)
