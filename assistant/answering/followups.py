"""Follow-up questions: a short question leaning on the previous turn is searched together with it.

    >>> resolve_follow_up("and what does the LGA say about that?", [Turn("What will ICBs do?")])
    'and what does the LGA say about that? What will ICBs do?'
    >>> resolve_follow_up("When was the Government's response published?", [Turn("What will ICBs do?")])
    "When was the Government's response published?"
"""

from __future__ import annotations

import re

from ..text import tokenize
from ..types import Turn

FOLLOW_UP = re.compile(r"^\s*(and|but|so|also|what about|how about|and what|why|then)\b|\b(that|this|it|they|them|those|these|he|she|his|her|their|its)\b", re.I)


def resolve_follow_up(question: str, history: list[Turn]) -> str:
    """A short question leaning on the previous turn ("and what does the LGA say about that?")
    is searched together with that turn's question."""
    if not history:
        return question
    content = tokenize(question)
    if len(content) <= 6 and FOLLOW_UP.search(question):
        prev = history[-1].retrieval_query or history[-1].question
        return f"{question} {prev}"
    return question
