"""Rewriting the last question about another thing: "and the trusts?" after "who leads the ICS's board?" asks
"who leads the trust?" (the conversation step in followups.py that needs it).

    >>> swap_thing("what will the boards do?", "the trusts", {"boards"}, set())
    ('what will the trusts do?', ['boards'])
"""

from __future__ import annotations

import re

from ..glossary import Glossary

ARTICLES = frozenset({"the", "a", "an"})
TOKEN_END = re.compile(r"(?:[’']s)?[?.,!:;\"'’”)]*$")


def swap_thing(question: str, thing: str, nouns: set[str], keep: set[str], glossary: Glossary | None = None) -> tuple[str, list[str]] | None:
    """The earlier question about `thing` instead: (rewritten question, the words replaced), or None when which of
    its things gives way is not clear. A thing is a run of nouns not naming a voice (`keep`); the one that gives
    way is the only one, or the only one the glossary knows when `thing` is a glossary term too (in "will GPs
    sit on the boards?", "and CCGs?" replaces the GPs).

    >>> swap_thing("who leads the ICS's board?", "the trust", {"ics", "board"}, set())
    ('who leads the trust?', ["ICS's", 'board?'])
    """
    tokens = question.split()
    bare = [TOKEN_END.sub("", t.strip("'‘“\"")).lower() for t in tokens]
    runs, i = [], 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and bare[j] in nouns and bare[j] not in keep:
            j += 1
        if j > i:
            runs.append((i, j))
        i = max(j, i + 1)
    if len(runs) > 1 and glossary is not None and glossary.entries_in(thing):
        runs = [(i, j) for i, j in runs if glossary.entries_in(" ".join(tokens[i:j]))]
    if len(runs) != 1:
        return None
    (i, j), = runs
    if i > 0 and bare[i - 1] in ARTICLES:   # "who leads the board?" + "the trust": one article
        thing = re.sub(r"^(?:the|an?)\s+", "", thing, flags=re.I)
    tail = re.sub(r"^[’']s", "", TOKEN_END.search(tokens[j - 1]).group(0))   # "board?" keeps its "?"
    return " ".join(tokens[:i] + [thing + tail] + tokens[j:]), tokens[i:j]
