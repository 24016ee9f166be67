"""Words, stems and stop words: the one tokeniser shared by lexical search, routing and answering.

Sharing it means "does the evidence mention what the question asks about" uses
the same stems as BM25.

    >>> tokenize("What will the Integrated Care Boards do?")
    ['integr', 'care', 'board']
    >>> words("The LGA’s view")
    ['the', 'lga', 'view']
"""

from __future__ import annotations

import re
from functools import lru_cache

def any_of(patterns) -> re.Pattern:
    """One case-insensitive pattern matching any of `patterns` (rules and question types are lists of them).

    >>> bool(any_of([r"\\bboards?\\b", r"\\bpartnerships?\\b"]).search("Integrated Care BOARDS"))
    True
    """
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


_WORD = re.compile(r"[A-Za-z0-9]+(?:[’'][A-Za-z]+)?")
# small, explicit stop list: question words and glue; domain words stay searchable
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom whose why will with would you your yours yourself
yourselves tell say says said please give list explain describe according mean means
""".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: a C extension, loaded on first use

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """Lower-cased words, possessive and contraction endings dropped."""
    return [w.lower().replace("’", "'").split("'")[0] for w in _WORD.findall(text)]


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free stems."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


@lru_cache(maxsize=65_536)
def token_set(text: str) -> frozenset[str]:
    """`tokenize` as a set, remembered: the answer stage compares the same passages' sentences on every question.

    >>> sorted(token_set("Integrated care boards and the boards"))
    ['board', 'care', 'integr']
    """
    return frozenset(tokenize(text))


# How people type in a chat box, written out (general English): a question word without its apostrophe is
# otherwise an unknown word, and "whos paying" would not be read as a "who" question.
CASUAL = {
    "whos": "who's", "whats": "what's", "wheres": "where's", "whens": "when's", "hows": "how's", "thats": "that's",
    "theres": "there's", "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "arent": "aren't",
    "wasnt": "wasn't", "werent": "weren't", "wont": "won't", "cant": "can't", "couldnt": "couldn't",
    "shouldnt": "shouldn't", "wouldnt": "wouldn't", "hasnt": "hasn't", "havent": "haven't", "hadnt": "hadn't",
    "im": "I'm", "ive": "I've", "youre": "you're", "theyre": "they're", "ppl": "people", "u": "you", "ur": "your",
    "r": "are", "pls": "please", "plz": "please", "thx": "thanks", "wat": "what", "wot": "what", "cuz": "because",
    "b4": "before", "gonna": "going to", "wanna": "want to",
}
_CASUAL = re.compile(r"(?<![\w'’])(" + "|".join(sorted(CASUAL, key=len, reverse=True)) + r")(?![\w'’]|\.\w)", re.I)


def plain(text: str) -> str:
    """Chat spellings written out; everything else untouched.

    >>> plain("whos paying, and r ppl happy? I dont know")
    "who's paying, and are people happy? I don't know"
    >>> plain("Section 75 arrangements; U.K. law; Plan R; u.s.")
    'Section 75 arrangements; U.K. law; Plan R; u.s.'
    """
    # a capital letter alone is a name or an initial ("Plan R"), not "are"
    return _CASUAL.sub(lambda m: m.group(1) if m.group(1).isupper() and len(m.group(1)) == 1 else CASUAL[m.group(1).lower()], text)


# Words that carry no topic in a question: who is asking, fillers, question words (general English), a word that
# asks for a date as a question word does ("deadline?"), and the ones asking how to answer ("in a nutshell", "gist").
FILLERS = frozenset(stem(w) for w in """
when what which who whom whose how many much exactly actually please pls about journalist researcher student reporter
ever far new thing things get got getting gets know really basically just anything something stuff bit lot lots kind sort
way ok okay anyway also still even already yet whats wat u ur im hi hey need want wondering wonder curious quick question
totally diff btw tho though lol hmm thanks thank cheers sorry wait alright yeah yep nah mate
deadline deadlines nutshell gist tldr eli5
""".split())

