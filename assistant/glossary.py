"""The domain glossary (`glossary.toml`): words that mean the same here, applied to search and evidence checks.

    >>> g = load_glossary()
    >>> sorted(g.expansions("the future of CCGs"))[:3]
    ['ccg', 'clinic', 'commiss']
    >>> g.covered("council", "local authorities will have a voice")
    True
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
    stems: frozenset[str]                       # the stems of every term


class Glossary:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        # stem → every stem meaning it: `equivalents` sits in the innermost loop of sentence scoring
        self._equivalents: dict[str, frozenset[str]] = {}
        for e in entries:
            for s in e.stems:
                self._equivalents[s] = self._equivalents.get(s, frozenset({s})) | e.stems

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

    def covered(self, word: str, text: str) -> bool:
        """Does `text` hold `word` or a glossary equivalent of it?"""
        have = set(tokenize(text))
        return any(self.equivalents(s) & have for s in tokenize(word))


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY) -> Glossary:
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    entries = []
    for e in raw.get("entry", []):
        terms = tuple(e["terms"])
        pats = tuple(re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])", re.I) for t in terms)
        entries.append(Entry(terms, e["where"], pats, frozenset(s for t in terms for s in tokenize(t))))
    return Glossary(entries)
