"""Reading a question: its types, the voices it names, whose own words it wants, its terms and names.

Pure: a question and the corpus's speakers in, an `Intent` out.

    intent = read_intent("Why does place matter, in the view of councils?", corpus.speakers)
    intent.words_of        # ('lga',): the question wants the LGA's own words
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..glossary import Glossary
from .qtypes import types_of

# the question asks for a party's own words: "what did X say", "X's view", "according to X", "in X's words"
SPEECH_FORMS = tuple(re.compile(p, re.I) for p in (
    r"\b(?:what|how) (?:did|does|do|has|have|is|was|will|would) (?P<who>.{2,60}?) "
    r"(?:say|said|saying|think|thinks|argue|claim|want|propose|describe|make of|reckon|feel|view|respond|reply)\b",
    r"\baccording to (?P<who>.{2,40}?)(?:[,?.]|$)",
    r"\bin (?P<who>.{2,40}?)(?:'s|’s) (?:own )?words\b",
    r"(?P<who>\b[\w ]{2,40}?)(?:'s|’s) (?:view|views|position|stance|take|line|response|reply|words|argument|case)\b",
    r"\b(?:view|views|position|stance|take|line|response|reply|words|argument)s? of (?P<who>[\w ]{2,40}?)(?:[,?.]|$)",
))
EVALUATIVE = re.compile(r"\b(?:good|bad|better|worse|right|wrong|fair|unfair|threat|danger|dangerous|harm|harmful|benefit|"
                        r"privatis\w*|cuts?|power grab|stitch[- ]up|sell[- ]off|taking over|take over|worried|worry|"
                        r"should|work|working|deliver|succeed|fail)\b", re.I)


@dataclass(frozen=True)
class Intent:
    question: str
    types: tuple[str, ...]           # question types (qtypes.TYPES) the question shows
    parties: tuple[str, ...]         # speaker ids the question names
    words_of: tuple[str, ...]        # speaker ids whose own words the question asks for
    contested: bool                  # a comparison, an evaluative yes/no question, or two kinds of voice named
    speech_of: str = ""              # whoever the question asks the words of ("what did X say"), as written


def alias_rx(alias: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", re.IGNORECASE)


def named_speakers(text: str, speakers: dict, glossary: Glossary | None = None) -> tuple[str, ...]:
    """Speaker ids whose name or alias the text uses, the first named first (ties in the speakers' order).
    The longest alias claims its
    words first: "Local Government Association" names the LGA, not also "government". With a glossary, a
    term of an entry one of whose terms *is* an alias names that voice too: "govt" is "government".

    >>> named_speakers("the govt's stance, briefly", speakers, load_glossary())      # doctest: +SKIP
    ('dhsc', 'government_reported', 'white_paper', 'dhsc_white_paper')
    """
    named: set[str] = set()
    claimed: list[tuple[int, int]] = []
    claimed_by: dict[str, list[tuple[int, int]]] = {}   # where each voice is named: the first named comes first
    voices: dict[str, set[str]] = {}     # alias -> every voice it names ("government": four of them)
    for sid, sp in speakers.items():
        for a in sp.aliases:
            voices.setdefault(a.lower(), set()).add(sid)
    for alias in sorted(voices, key=len, reverse=True):
        spans = [m.span() for m in alias_rx(alias).finditer(text)
                 if not any(a < m.end() and m.start() < b for a, b in claimed)]
        if spans:
            named |= voices[alias]
            claimed += spans
            for sid in voices[alias]:
                claimed_by.setdefault(sid, []).extend(spans)
    if glossary is not None:   # only words no alias claimed: "Local Government Association" means no "government"
        rest = "".join(" " if any(a <= i < b for a, b in claimed) else ch for i, ch in enumerate(text))
        for e in glossary.entries_in(rest):
            at = min(m.start() for p in e.patterns for m in p.finditer(rest))
            for sid in {sid for t in e.terms for sid in voices.get(t.lower(), ())}:
                named.add(sid)
                claimed_by.setdefault(sid, []).append((at, at))
    first = {sid: min(a for a, _ in claimed_by[sid]) for sid in named}
    return tuple(sorted((sid for sid in speakers if sid in named), key=lambda sid: first[sid]))


def names_of(sid: str, speakers: dict, glossary: Glossary | None = None) -> tuple[list[str], list[str]]:
    """(a voice's aliases, the other terms of each glossary entry that holds an alias: "govt" for "government") —
    the names `named_speakers` reads a voice by, listed for rewriting a question that uses one."""
    aliases = [a.lower() for a in speakers[sid].aliases]
    extra = [t for e in (glossary.entries if glossary else []) if {t.lower() for t in e.terms} & set(aliases)
             for t in e.terms if t.lower() not in aliases]
    return aliases, extra


def read_intent(question: str, speakers: dict, glossary: Glossary | None = None) -> Intent:
    """What a question asks for; pure. The glossary, when given, lets its terms name voices (`named_speakers`)."""
    types = tuple(t.name for t in types_of(question))
    parties = named_speakers(question, speakers, glossary)
    words_of: tuple[str, ...] = ()
    who = ""
    for rx in SPEECH_FORMS:   # "what is the view of councils": the form that names a voice wins
        if m := rx.search(question):
            named = named_speakers(m.group("who"), speakers, glossary)
            if named or not who:
                who, words_of = m.group("who").strip(), named
            if named:
                break
    kinds = {speakers[p].kind for p in parties}
    contested = ("comparison" in types or len(kinds) > 1
                 or ("yes_no" in types and bool(EVALUATIVE.search(question)) and not {"date", "number", "money"} & set(types)))
    return Intent(
        question=question, types=types, parties=parties, words_of=words_of,
        contested=contested, speech_of=who,
    )


def carry_voices(intent: Intent, context: str, speakers: dict, glossary: Glossary | None = None) -> Intent:
    """A follow-up that names no voice of its own is still about the voice its carried topic names: "which are
    they?" after "the changes the trade body wants" asks for that body's points. A turn that names a voice, or
    asks for someone's words, keeps its own.

    >>> from assistant.types import Speaker
    >>> sp = {"tb": Speaker("tb", "A trade body", "the trade body", "", "sector_body", aliases=("trade body",))}
    >>> carry_voices(read_intent("which are they?", sp), "the changes the trade body wants", sp).parties
    ('tb',)
    """
    if intent.parties or intent.words_of:
        return intent
    carried = named_speakers(context, speakers, glossary)
    return replace(intent, parties=carried) if carried else intent
