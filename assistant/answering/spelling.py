"""Misspelt question words mapped to the corpus's own words ("goverment" → "government"), so search and the
evidence checks see what was meant. Only words of five letters or more that neither the corpus nor the English
dictionary given uses are corrected, and only to a close match (difflib ratio ≥ 0.85).

    >>> s = Speller(["government", "parliament", "hewitt"])
    >>> s.correct("goverment"), s.correct("parliment"), s.correct("care")
    ('government', 'parliament', 'care')
    >>> s.fix_text("what did patrica hewit say")
    'what did patrica hewitt say'

"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from ..text import words


class Speller:
    def __init__(self, vocabulary, english=frozenset()):
        self.words = sorted(set(vocabulary))
        self._known = set(self.words) | set(english)     # a real English word is never "corrected"
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def _correct(self, word: str) -> str:
        w = word.lower()
        if len(w) < 5 or w in self._known or not w.isalpha():
            return word
        close = difflib.get_close_matches(w, self.words, n=1, cutoff=0.85)
        return close[0] if close else word

    def corrections(self, text: str) -> list[str]:
        """The corrected forms of the text's misspelt words (empty when nothing needs correcting)."""
        return [c for w in words(text) if (c := self.correct(w)) != w]

    def fix_text(self, text: str) -> str:
        """The text with its misspelt words replaced by the corpus's spelling."""
        return re.sub(r"[A-Za-z]{5,}", lambda m: self.correct(m.group(0)) if m.group(0).lower() not in self._known else m.group(0), text)
