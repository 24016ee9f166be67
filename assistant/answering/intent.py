"""What a question asks for: a date, a figure, a list, a comparison, named voices, the noun it counts.

    intent = read_intent("When did the Government respond?", corpus.speakers)
    intent.date, intent.parties        # (True, ('dhsc', 'government_reported', 'white_paper'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import STOPWORDS, stem, words
from .patterns import (ASKS_COMPARE, ASKS_DATE, ASKS_LIST, ASKS_MONEY, ASKS_NUMBER, ASKS_WHO, EVENT_EXEMPT, FOCUS,
                       GENERIC_FOCUS, NUMBER_RX, ORIGIN_Q, PARTY_SPEECH, SPEECH, WHAT_NOUN)


@dataclass(frozen=True)
class Intent:
    date: bool
    number: bool
    money: bool
    focus: str               # stem of the head noun the question asks for ("" when none)
    how_many: bool           # "how many X": a figure must stand next to X
    unquoted_speaker: str    # a name asked "what did X say" that no document voices
    list: bool
    compare: bool
    explicit_compare: bool
    who: bool
    parties: tuple[str, ...]       # speaker ids the question names
    asked_parties: tuple[str, ...]  # speaker ids whose own words the question asks for ("what did the LGA say")
    entities: tuple[str, ...]      # capitalised names / figures the evidence must mention
    terms: tuple[str, ...]         # content stems
    event: str = ""                # "when did X finish": the event word the evidence must mention
    origin: bool = False           # "who started X": the evidence must say who made it


def alias_rx(alias: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", re.IGNORECASE)


def read_intent(question: str, speakers: dict) -> Intent:
    """Classify what a question wants; pure."""
    parties = []
    for sid, sp in speakers.items():
        if any(alias_rx(a).search(question) for a in sp.aliases):
            parties.append(sid)
    toks = words(question)
    entities = []
    # capitalised words not starting a sentence, and figures: names the evidence must mention
    for m in re.finditer(r"[A-Za-z][\w’'-]*|\d[\d,]*", question):
        w = m.group(0)
        lw = w.lower().replace("’", "'").split("'")[0]
        before = question[:m.start()].rstrip()
        if not before or before[-1] in ".?!:;\"“(" or lw in STOPWORDS or len(lw) < 2:
            continue
        if (w[0].isupper() or w[0].isdigit()) and not any(lw in a.split() for sp in speakers.values() for a in sp.aliases):
            entities.append(lw)
    focus, how_many = "", False
    if m := FOCUS.search(question):
        phrase = (m.group(2) or m.group(3)).lower().split()
        head = phrase[-1]
        how_many = (m.group(1) or "").lower() == "how many"
        if head not in STOPWORDS and head not in GENERIC_FOCUS:
            focus = stem(head)
    elif (m := WHAT_NOUN.search(question)) and not re.match(r"^\s*what\s+(is|are|was|were|did|do|does|will|would|has|have|had|could|should)\b", m.group(0), re.I):
        head = m.group(1).lower().split()[-1]
        if head not in STOPWORDS and head not in GENERIC_FOCUS:
            focus = stem(head)
    elif m := re.search(r"\bwhich\s+([a-z][\w-]*)", question, re.I):
        head = m.group(1).lower()
        if head not in STOPWORDS and head not in GENERIC_FOCUS and not NUMBER_RX.fullmatch(head):
            focus = stem(head)
    event = ""
    if ASKS_DATE.search(question):
        last = re.findall(r"[A-Za-z][\w-]*", question)[-1:]
        if last and last[0][0].islower() and last[0].lower() not in STOPWORDS and last[0].lower() not in EVENT_EXEMPT:
            event = last[0].lower()
    asked = ()
    if m := PARTY_SPEECH.search(question):
        asked = tuple(sid for sid, sp in speakers.items() if any(alias_rx(a).search(m.group(1)) for a in sp.aliases))
    unquoted = ""
    if m := SPEECH.search(question):
        name = m.group(1).strip()
        if not any(alias_rx(a).search(name) for sp in speakers.values() for a in sp.aliases):
            unquoted = name
    return Intent(
        date=bool(ASKS_DATE.search(question)),
        number=bool(ASKS_NUMBER.search(question)),
        money=bool(ASKS_MONEY.search(question)),
        focus=focus,
        how_many=how_many,
        unquoted_speaker=unquoted,
        list=bool(ASKS_LIST.search(question)),
        compare=bool(ASKS_COMPARE.search(question)) or len({speakers[p].kind for p in parties}) > 1,
        explicit_compare=bool(ASKS_COMPARE.search(question)),
        who=bool(ASKS_WHO.search(question)),
        parties=tuple(parties),
        entities=tuple(dict.fromkeys(entities)),
        asked_parties=asked,
        event=event,
        origin=bool(ORIGIN_Q.search(question)),
        terms=tuple(dict.fromkeys(stem(w) for w in toks if w not in STOPWORDS)),
    )
