"""Question types as data: what a question of each type looks like, and what its evidence must hold.

Each type is a record with its cue (a regular expression over the question), the kind of evidence the
answer needs, and examples and counter-examples that `tests/answering/test_qtypes.py` checks. Word lists
are general English question words, never a question's wording.

    >>> [t.name for t in types_of("When did the Government respond, and how many people signed?")]
    ['date', 'number']
    >>> [t.name for t in types_of("What happens when a council disagrees?")]
    []
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import DATE_RX, FIGURE_RX, MONEY_RX, NAME_RX


@dataclass(frozen=True)
class QuestionType:
    name: str
    cue: re.Pattern                 # the question looks like this
    evidence: re.Pattern | None     # an answering sentence holds this (None: no particular form)
    examples: tuple[str, ...]       # questions of this type
    counter_examples: tuple[str, ...]   # questions that are not


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


# a clause starts here: the question's start, after punctuation, or after a joining word
_START = r"(?:^|[,;:?.!(\-–—]\s*|\b(?:and|but|so|or|also|then)\s+)"

TYPES: tuple[QuestionType, ...] = (
    QuestionType(
        "date",
        _rx(rf"{_START}(?:when|since when|by when|how long ago)\b"
            r"|\b(?:what|which)\s+(?:date|day|year|month|time)\b|\bon what date\b|\bdate\s+(?:of|when|the)\b|\bwhat\s+\w+\s+date\b"),
        DATE_RX,
        ("When did the Government respond to the petition?", "what date was the debate", "and when was that?",
         "date the bill went to parliament?", "Which year was the blog post written?"),
        ("What happens when a council disagrees with the ICB?", "What did the LGA say about data?",
         "Why was the petition closed?"),
    ),
    QuestionType(
        "money",
        _rx(r"\bhow much (?:money|funding|cash)\b|\bhow much (?:will|would|does|did|do|is|was)\b.*\b(?:cost|paid|pay|spend|spent|worth|earn)\b"
            r"|\b(?:salary|salaries|wage|wages|£|pounds|budget of|costs? of|paid)\b"),
        MONEY_RX,
        ("How much money will each ICB get?", "how much do ICB bosses get paid", "what is the budget of an ICS?"),
        ("How many signatures did the petition get?", "What did the LGA say about funding?"),
    ),
    QuestionType(
        "number",
        _rx(r"\bhow many\b|\bhow much\b|\b(?:what|which)\s+(?:number|percentage|proportion|share|figure|amount)\b"
            r"|\bnumber of\b|\bhow (?:big|large|long|high|low)\b|\bhow often\b"),
        FIGURE_RX,
        ("How many signatures did the petition get?", "what number of organisations were consulted?",
         "how long can a petition run?"),
        ("Who signed the petition?", "When was the petition closed?"),
    ),
    QuestionType(
        "who",
        _rx(rf"{_START}(?:who|whom|whose)\b|\bwhich\s+(?:organisation|organization|group|body|bodies|person|people|"
            r"minister|mp|mps|campaign|charity|chair|chief|official|officials|party|parties|figure|expert|experts|think tanks?)\b"
            r"|\bby whom\b|\bname (?:of )?the\b"),
        NAME_RX,
        ("Who led the debate?", "which organisation warned about ministerial power?", "and who replied for the government?"),
        ("What will ICBs do?", "How many people signed?"),
    ),
    QuestionType(
        "list",
        _rx(r"\blist\b|\bname (?:all|the|some)\b|\bwhat are (?:the|its|their)\b|\bwhich (?:\w+ ){0,2}(?:are|were)\b"
            r"|\bwhat (?:\w+ ){0,2}(?:areas|powers|proposals|points|measures|changes|functions|ways|things|concerns|demands|"
            r"criticisms|claims|steps|members|bodies|organisations|groups|reasons|arguments|duties|roles|priorities|plans)\b"
            r"|\b(?:two|three|four|five|six|seven|several|main|key)\s+(?:\w+ )?(?:areas|points|things|reasons|changes|ways|"
            r"demands|concerns|proposals|powers|arguments|criticisms)\b|\bwho (?:sits|sit|is) on\b|\bwho are the members\b"),
        None,
        ("What are Care England's five areas?", "which organisations backed the bill?", "list the Secretary of State's new powers",
         "who sits on an ICB?"),
        ("What is an ICB?", "When did the Government respond?"),
    ),
    QuestionType(
        "definition",
        _rx(r"^\s*(?:so\s+|and\s+|ok\s+|okay\s+)?(?:what(?:'s|’s| is| are)|wat is|whats)\s+(?:a|an|the)?\s*[\w' -]{1,40}\??\s*$"
            r"|\bwhat does [\w' -]{1,40} mean\b|\bwhat is meant by\b|\bdefine\b|\bdefinition of\b|\bwhat even is\b"),
        _rx(r"\b(?:is|are|means?|refers? to|describes?|will be)\b"),
        ("What is a place-based partnership?", "what's an ICS", "what does 'place' mean?", "what even is westminster hall"),
        ("What is the LGA's view on data?", "What is the date of the response?"),
    ),
    QuestionType(
        "reason",
        _rx(rf"{_START}(?:why|how come)\b|\bwhat (?:is|was|are|were) the reasons?\b|\bfor what reason\b|\bwhat for\b"),
        _rx(r"\b(?:because|so that|in order to|as a result|since|due to|to (?:ensure|enable|allow|support|deliver|make|give|"
            r"improve|reduce|remove|help)|would|will|could)\b"),
        ("Why did the Government refuse to pause?", "why?", "how come councils are worried?"),
        ("Who led the debate?", "What will ICBs do?"),
    ),
    QuestionType(
        "comparison",
        _rx(r"\b(?:compare|comparison|compared|differ|difference|differences|different|disagree|agree|versus|vs\.?|contrast|"
            r"both|each side|sides|either side|whereas|in common|same view|share)\b|\bhow do .+ and .+\b|\bwho(?:'s| is) right\b"),
        None,
        ("Compare the Government's and the petitioners' views on pausing.", "LGA vs govt on councils' role?",
         "Do the LGA and the Government agree on place?"),
        ("What did the LGA say about place?", "When did the Government respond?"),
    ),
    QuestionType(
        "yes_no",
        _rx(r"^\s*(?:so\s+|and\s+|but\s+|ok\s+|okay\s+|honestly\s+)?(?:is|are|was|were|does|do|did|will|would|can|could|has|have|had|"
            r"should|shall|isn't|aren't|doesn't|don't|didn't|won't)\b"),
        None,
        ("Did the Government agree to pause the White Paper?", "are ICSs actually a good idea?", "is the bill a power grab?"),
        ("What did the Government say about pausing?", "Why did the petition close?"),
    ),
)
TYPE_NAMES = tuple(t.name for t in TYPES)
BY_NAME = {t.name: t for t in TYPES}


def types_of(question: str) -> tuple[QuestionType, ...]:
    """Every type whose cue the question shows, in the table's order (money before number: a sum is a figure)."""
    found = [t for t in TYPES if t.cue.search(question)]
    if any(t.name == "money" for t in found):
        found = [t for t in found if t.name != "number"]
    return tuple(found)
