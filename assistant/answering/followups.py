r"""Conversations: each turn resolved against the earlier turns' questions *and answers*.

    "whose words?" / "source?"       answered from the last answer's citations
    "which one made the X point?"    …from its statement about X, whose document becomes the topic
    "and Pulse?" / "what about X?"   the last question asked again, for that party
    "and the trusts?"                …or about that thing, in place of the thing it asked about
    "no, Care England I mean"        the correction replaces the party (or topic) it names
    "X, not Y: what does it want?"   a question of its own, with Y dropped from the carried topic
    "why?" / "why not?"              the reasons around the last answer's claim, in the words of the voice
                                     the last question was about (else the one the answer quoted first)
    "when was that?" (short, leaning) searched together with the last question
    "… back to X: …?"                searched together with the earlier turn about X
    "anyone else?" / "who else?"     the last question, answered by voices the last answer did not quote
    "anything else he wants?"        the same voices, what the last answer did not already quote
    "where did she work before?"     searched with the name of the person the last answer quoted
    anything self-contained          a new topic: not merged with the old one

A declined turn never becomes the topic (unless only its request was declined: `topical`); an abstained one
still can. Pure: question and history in, a `Resolution` out.

    >>> r = resolve("and the LGA?", [Past("Government's stance on councils' role?", ("dhsc",))], SPEAKERS_EXAMPLE)
    >>> str(r.kind), r.question, r.parties
    ('party', "LGA's stance on councils' role?", ('lga',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..glossary import Glossary
from ..text import FILLERS, STOPWORDS, stem, words
from ..types import FollowUp, Speaker
from .intent import alias_rx, named_speakers, names_of
from .swap import TOKEN_END, swap_thing


# words that point at an earlier statement ("who says the private companies bit?") rather than name its topic
POINTERS = frozenset(stem(w) for w in ("bit", "part", "line", "point", "claim", "thing", "stuff", "quote", "comment", "said", "say",
                                       "says", "wrote", "writes", "argued", "argues", "claims", "made", "one", "party", "side"))
MAX_CARRIED = 24      # words of the earlier query a follow-up carries: the last topic, not the whole conversation


@dataclass(frozen=True)
class Past:
    """What resolution needs of an earlier turn (built from an Answer, or from a bare question)."""

    question: str
    parties: tuple[str, ...] = ()       # speakers its question named
    query: str = ""                     # the query it was resolved to
    answered: bool = True               # it gave an answer (not an abstention)
    declined: bool = False              # refused or redirected: never the topic
    speakers: tuple[str, ...] = ()      # speakers its statements quote
    leaned: bool | None = None          # it was resolved as a follow-up of an earlier turn (None: not recorded)


def leaned(resolved_as: str, question: str, query: str) -> bool:
    """Whether a turn leaned on an earlier one: its recorded resolution says; an answer without one (built by
    hand, or the JSON of an older client) is judged by its query being more than its question.

    >>> leaned("new", "icb chair??", "ICB chair?"), leaned("", "and why?", "and why? what is an ICB")
    (False, True)
    """
    if resolved_as:
        return resolved_as != FollowUp.NEW
    return bool(query) and query != question


@dataclass(frozen=True)
class Resolution:
    kind: FollowUp
    question: str                       # the question to answer (the last one rewritten, for PARTY/CORRECTION)
    query: str                          # what to search for
    parties: tuple[str, ...] = ()       # the voice the turn switches to (PARTY, CORRECTION)
    refers_to: int | None = None        # index in history of the turn referred to
    context: str = ""                   # the earlier topic a leaning turn carries (weighs less than its own words)
    voices: tuple[str, ...] = ()        # "what did they say": whose words "they" are
    others_than: tuple[str, ...] = ()   # "anyone else?": the voices the last answer quoted, not to be quoted again


PRONOUN = re.compile(r"\b(?:it|its|they|them|their|theirs|that|this|those|these|he|him|his|she|her|hers|there|then|so|same|one|ones)\b", re.I)
LEAD = re.compile(r"^\s*(?:and|but|also|so|then|plus|&)\b|^\s*(?:what|how) about\b|^\s*what of\b", re.I)
# "ok, …", "right, …": an acknowledgement of the last answer, not a link to it — what follows it says whether the turn leans
OPENER = re.compile(r"^\s*(?:ok|okay|k|right|fine|great|cool|thanks|thank you|ta|alright|well|hmm+)\b[\s,.!:;–—-]*", re.I)


def leads(question: str) -> bool:
    """Whether the turn opens by linking to the last one ("and …", "what about …"), after any acknowledgement.

    >>> leads("ok and the trusts?"), leads("right, how are trusts paid?")
    (True, False)
    """
    return bool(LEAD.search(OPENER.sub("", question, count=1)))


WHO_SAID = re.compile(r"^\s*(?:so\s+|and\s+|ok\s+)?(?:who|which (?:one|party|side|organisation|group|body|person))\s+"
                      r"(?:said|says|say|wrote|writes|argued|argues|claimed|claims|made|is|was|'s|’s)\s+(?:that|this|it|so|those)\b"
                      r"|^\s*whose (?:words|views?|quotes?|claims?|points?|lines?) (?:is|was|are|were) (?:that|this|those|these)\b|^\s*who(?:'s| is) (?:that|this) from\b"
                      r"|^\s*who said\s*\??\s*$"
                      # "which one made the clinics point?", "who made that point about X": one statement of the last answer
                      r"|^\s*(?:so\s+|and\s+|ok\s+)?(?:who|which (?:one|party|side|organisation|group|body|person))\s+"
                      r"(?:said|says|say|wrote|writes|argued|argues|claimed|claims|made)\s+(?:the|that|this)\s+[^?.!]{0,60}?"
                      r"\b(?:bit|part|line|point|claim|thing|stuff|quote|comment)s?\b"
                      r"|^\s*(?:so\s+|and\s+|ok\s+)?who(?:'s|’s| is| was)\s+(?:the|that)\s+(?:guy|man|woman|person|people|lot|one|group|bloke|lady)\s+"
                      r"(?:saying|who said|that said|behind|making)\s+(?:that|this|it|those)\b", re.I)
SOURCE = re.compile(r"^\s*(?:source|sources|ref|reference|citation|link)s?\b(?:\s*[?,.!]?\s*(?:and|&|\+)?\s*(?:the\s+)?(?:date|author|who|when|pls|please)\b)*\s*\??\s*$|\bwhere (?:does|did|do) (?:it|they|that|this) say\b"
                    r"|\bwhere(?:'s| is| was) (?:that|this) from\b|\bwhat(?:'s| is) (?:the|your) source\b|\bwhich (?:document|article|page)\b.*\b(?:that|this|it)\b",
                    re.I)
# "who wrote that piece, and when?": the document's author and date are asked for, which its byline or dating line holds
AUTHORED = re.compile(r"\b(?:wrote|written|writes|author|authors|authored|published|publish|when|date|dated)\b", re.I)
WHY = re.compile(r"^\s*(?:and\s+|but\s+|so\s+|ok\s+)?(?:why|how come)(?:\s+not)?\b", re.I)
CORRECTION = re.compile(r"^\s*(?:no|nope|sorry|oops|actually|not)\b.*\b(?:i mean|i meant|meant|i was asking about|i'm asking about)\b"
                        r"|\bnot the\b.*\b(?:i meant|but)\b", re.I)
# "what did they say", "what do they want", "how did he respond": a pronoun's words
SPEAKS = re.compile(r"\b(?:they|them|he|she|it|their|his|her)\b\s+(?:\w+\s+)?(?:say|said|says|think|thinks|thought|want|wants|wanted|"
                    r"argue|argues|argued|claim|claims|claimed|respond|responded|reply|replied|make of|reckon|propose|proposed|"
                    r"ask|asks|asked|asking|demand|demands|demanded|worried|view)\b|\b(?:say|said|argue|claim)\b\s+(?:they|he|she|it)\b",
                    re.I)
# a question of its own: a question word with its verb ("what is", "who led", "how many"), the verb contracted
# with or without its apostrophe, as people type ("what's", "whats", "who's", "whos")
ASKS = re.compile(r"\b(?:what|who|whom|whose|when|where|which|why|how)\b\s+(?:\w+\s+)?(?:is|are|was|were|does|do|did|will|would|can|"
                  r"could|should|has|have|had|led|said|says|say|means?|many|much)\b"
                  r"|\b(?:what|who|when|where|how)(?:['’]s|s)\b"
                  # "which X" asks which ones, whatever follows: "which think tanks?" is not "and the think tanks?"
                  r"|\bwhich\s+\w+", re.I)
# "… back to X: …", "going back to X, …": the turn returns to an earlier topic, not the last
BACK_TO = re.compile(r"\b(?:back to|return(?:ing)? to|re(?:garding)? (?:the|your) earlier)\s+(?P<what>[^-–—:;,.?!]{2,60})", re.I)
# "anyone else criticise that?", "who else says so?", "any other views?": other voices on the last topic
# "what else does he want?" asks for more of the same voice; "who else?" for other voices
MORE = re.compile(r"\b(?:what|anything) else\b", re.I)
OTHERS = re.compile(r"\b(?:any ?one|any ?body|who|anything|what|where) else\b|\bany other (?:view|side|critic|group|body|"
                    r"organisation|voice|source|people)s?\b|\b(?:what|how) do (?:the )?others\b"
                    # "anyone apart from the LGA criticise that?", "anybody besides them?"
                    r"|\b(?:any ?one|any ?body|who) (?:apart from|besides|other than|except|but)\b", re.I)
# "was the LGA consulted on it?": a yes/no question of its own, not "and the LGA?"
OWN_YES_NO = re.compile(r"^\s*(?:did|does|do|is|are|was|were|will|would|can|could|has|have|had|should)\b", re.I)
# the phrase ruled out ends where the clause does: punctuation, or a dash between words ("not the govt — what…")
NOT_X = re.compile(r"\bnot (?:the )?(.{2,40}?)(?:[,.?!;:]|\s+[-–—]+\s|[–—]|$)", re.I)
PERSONAL = re.compile(r"\b(?:he|him|his|she|her|hers)\b", re.I)


def content_words(text: str, speakers: dict[str, Speaker] | None = None) -> list[str]:
    """Words that carry a topic: not stop words, not pronouns, not the names of voices."""
    alias = {w for sp in (speakers or {}).values() for a in sp.aliases for w in a.split()}
    return [w for w in words(text) if w not in STOPWORDS and not PRONOUN.fullmatch(w) and w not in alias
            and stem(w) not in FILLERS and w not in {"meant", "mean", "sorry", "no", "diff", "different", "topic"}]


def without(text: str, names: list[str]) -> str:
    """The text with each of the names (voices' aliases, words) taken out as whole words.

    >>> without("Pulse reports that ministers agree", ["pulse", "ministers"])
    'reports that agree'
    """
    for name in names:
        text = alias_rx(name).sub(" ", text)
    return " ".join(text.split())


def pointed(question: str, speakers: dict[str, Speaker]) -> set[str]:
    """The stems of what "which one made the X point?" points at: its topic words, not the pointing words."""
    return {stem(w) for w in content_words(question, speakers)} - POINTERS


# a declined request for an opinion, a vote or a wrongdoing is still about the documents' topic ("is the bill good
# or bad?", "help me sign the petition twice"): the next turn's "it" is that bill, that petition. Its question is
# the topic, as an abstained question's would be. An injected instruction, an invented quote, an off-topic request
# never is: its words are not a question about the documents.
TOPICAL_DECLINES = frozenset({"opinion", "wrongdoing"})


def topical(reason: str) -> bool:
    """Whether a turn declined for `reason` can still be the conversation's topic.

    >>> topical("opinion"), topical("injection")
    (True, False)
    """
    return reason in TOPICAL_DECLINES


def topic_index(history: list[Past]) -> int | None:
    """The most recent turn that can be the topic: not declined, and not a follow-up that abstained — what it
    asked for was not there, so the topic stays the one it leaned on (a follow-up about Cornwall abstains;
    the turn after it is still about the earlier answer, not about Cornwall)."""
    usable = [i for i in range(len(history)) if not history[i].declined]
    for i in reversed(usable):
        p = history[i]
        lean = p.leaned if p.leaned is not None else leaned("", p.question, p.query)
        if p.answered or not lean or i == usable[0]:
            return i
    return usable[-1] if usable else None


def returned_to(question: str, history: list[Past], speakers: dict[str, Speaker]) -> int | None:
    """The earlier turn a "back to X" question returns to: the latest one whose question or query shares the
    most of X's topic words (None when X names nothing an earlier turn asked about)."""
    m = BACK_TO.search(question)
    if not m:
        return None
    what = {stem(w) for w in content_words(m.group("what"), speakers)} - {"thing", "stuff", "bit", "point", "question"}
    best, best_n = None, 0
    for i, p in enumerate(history):
        if p.declined:
            continue
        n = len(what & {stem(w) for w in content_words(f"{p.question} {p.query}", speakers)})
        if n >= best_n and n > 0:
            best, best_n = i, n
    return best


def subject(prev: Past, speakers: dict[str, Speaker]) -> tuple[str, ...]:
    """Whom "they" in "what did they say?" means: the voice the last question named first (with the voices of
    its kind: "the Government" is several), else the voice the last answer quoted first."""
    if not prev.parties:
        return prev.speakers[:1]
    kind = speakers[prev.parties[0]].kind if prev.parties[0] in speakers else None
    return tuple(p for p in prev.parties if p in speakers and speakers[p].kind == kind) or prev.parties[:1]


def referent(question: str, prev: Past, persons: dict[str, str]) -> str:
    """Whom "he" or "she" means: the first person the earlier answer quoted (`persons`: speaker id -> the person's
    name), when the turn says "he" or "she"; "" otherwise. Searched with the name, "where did she work before?"
    finds the line that gives her post beside her name, and a line that names only her does not name anyone new
    ("who succeeded her?").

    >>> earlier = Past("who said that?", speakers=("lga", "stevens"))
    >>> referent("where did he work before?", earlier, {"stevens": "Sir Simon Stevens"})
    'Sir Simon Stevens'
    """
    if not PERSONAL.search(question):
        return ""
    return next((persons[s] for s in prev.speakers if s in persons), "")


def answered_index(history: list[Past]) -> int | None:
    for i in range(len(history) - 1, -1, -1):
        if history[i].answered and not history[i].declined:
            return i
    return None


def swap_parties(question: str, old: tuple[str, ...], new: tuple[str, ...], speakers: dict[str, Speaker],
                 glossary: Glossary | None = None) -> str:
    """The question with the earlier voices' names replaced by the new voice's label — or, where no name is there,
    a glossary term for one ("the govt"); appended if neither is.

    >>> swap_parties("the LGA's stance on boards?", ("lga",), ("dhsc",), SPEAKERS_EXAMPLE)
    "the government's stance on boards?"
    """
    if not new:
        return question
    name = speakers[new[0]].aliases[0] if speakers[new[0]].aliases else speakers[new[0]].label
    name = name.upper() if len(name) <= 4 else name   # "lga" → "LGA"
    for sid in old:
        # its names before glossary terms (a term can be broader than the voice it names); of those the question
        # uses, the first: "what does the LGA say about councils?" names the speaker before the topic
        for names in names_of(sid, speakers, glossary):
            found = [m for m in (alias_rx(a).search(question) for a in names) if m]
            if found:
                m = min(found, key=lambda m: (m.start(), m.start() - m.end()))
                return question[:m.start()] + name + question[m.end():]
    return f"{question.rstrip(' ?')} — {name}?"


WH = re.compile(r"\b(?:what|who|whom|whose|when|where|which|why|how)\b", re.I)


def thing_of(question: str, nouns: set[str]) -> str | None:
    """What "and the trusts?" / "what about care homes?" names: the turn without its lead word, when every topic
    word of it is a noun (None for "and could the boards close wards too?").

    >>> thing_of("and the trusts?", {"trusts"}), thing_of("and could the boards close wards too?", {"boards", "wards"})
    ('the trusts', None)
    """
    thing = LEAD.sub("", OPENER.sub("", question, count=1), count=1).strip(" ?.!,")
    own = content_words(thing)
    if not own or not thing or WH.search(thing) or not all(w in nouns for w in own):
        return None
    return thing


def resolve(question: str, history: list[Past], speakers: dict[str, Speaker], glossary: Glossary | None = None,
            nouns: Callable[[str], frozenset[str]] | None = None, persons: dict[str, str] | None = None) -> Resolution:
    """How this turn leans on the earlier ones (see the module docstring). The glossary lets its terms name
    voices ("and the LGA?"); `nouns` (tagging.py: the words of a text used as nouns) lets "and the
    trusts?" swap the thing the last question asked about; `persons` (speaker id -> name, for the voices that
    are people) tells whom "he" and "she" mean."""
    new = Resolution(FollowUp.NEW, question, question)
    if not history:
        return new
    t = topic_index(history)
    a = answered_index(history)
    own = content_words(question, speakers)
    named = named_speakers(question, speakers, glossary)
    if WHO_SAID.search(question) and a is not None:
        return Resolution(FollowUp.WHO_SAID, question, history[a].query or history[a].question, refers_to=a)
    if SOURCE.search(question) and a is not None:
        return Resolution(FollowUp.SOURCE, question, history[a].query or history[a].question, refers_to=a)
    if t is None:
        return new
    back = returned_to(question, history, speakers)
    if back is not None:   # an earlier topic, searched with this turn's words
        earlier = " ".join((history[back].query or history[back].question).split()[:MAX_CARRIED])
        return Resolution(FollowUp.CONTINUE, question, f"{question} {earlier}", (), back, earlier)
    prev = history[t]
    prev_q = " ".join((prev.query or prev.question).split()[:MAX_CARRIED])
    correction = bool(CORRECTION.search(question))
    not_x = " ".join(NOT_X.findall(question))
    wrong = named_speakers(not_x, speakers, glossary) if correction else ()
    # a correction that rules a voice out asks a question of its own when one topic word is left beside the names
    # ("no, the LGA not the govt. what do they want on accountability"); without one it re-asks the last question
    asks_own = len(own) >= 3 or bool(wrong and [w for w in content_words(NOT_X.sub(" ", question), speakers)
                                               if not named_speakers(w, speakers, glossary)])
    if correction and ASKS.search(question) and asks_own:
        # "no, I meant the earlier plan: what did it promise?": a question of its own about the corrected topic
        if wrong:   # "…Care England, not the ministers: what does it want?": the voice ruled out is neither asked nor searched for
            asked = " ".join(NOT_X.sub(" ", question).split())
            # its names, and the words the turn ruled it out by ("not the ministers")
            carried = without(prev_q, [alias for sid in wrong for alias in speakers[sid].aliases] + words(not_x))
            right = tuple(p for p in named if p not in wrong)
            return Resolution(FollowUp.CONTINUE, asked, f"{asked} {carried}", (), t, carried, right)
        return Resolution(FollowUp.CONTINUE, question, f"{question} {prev_q}", (), t, prev_q)
    if correction:
        right = tuple(p for p in named if p not in wrong)
        if right:
            rewritten = swap_parties(prev_q, wrong or prev.parties or prev.speakers, right, speakers, glossary)
            return Resolution(FollowUp.CORRECTION, rewritten, rewritten, right, t)
        topic = " ".join(content_words(re.sub(NOT_X, " ", question), speakers))
        return Resolution(FollowUp.CORRECTION, f"{prev.question} ({topic})", f"{topic} {prev_q}", (), t)
    if MORE.search(question) and SPEAKS.search(question) and not named and len(own) <= 4:
        return Resolution(FollowUp.MORE, question, f"{question} {prev_q}", (), t, prev_q, subject(prev, speakers))
    if OTHERS.search(question) and a is not None and history[a].speakers and len(own) <= 4:
        # the voices already heard, and any the turn names ("anyone apart from the LGA?"): not to be heard again,
        # and their names would only find them again
        heard = tuple(dict.fromkeys(history[a].speakers + named))
        names = [alias for sid in heard if sid in speakers for alias in speakers[sid].aliases]
        earlier = without(" ".join((history[a].query or history[a].question).split()[:MAX_CARRIED]), names)
        asked = without(question, names) if named else question
        return Resolution(FollowUp.CONTINUE, asked, f"{asked} {earlier}", (), a, earlier, others_than=heard)
    if WHY.search(question) and len(own) <= 4:
        return Resolution(FollowUp.WHY, question, f"{question} {prev_q}", (), t, prev_q, subject(prev, speakers))
    # "and the LGA?", "what about councils on funding?": a voice, and at most a noun or two of topic; a word of its
    # own that is no noun asks a question of its own ("introduced to parliament?" names a voice, and asks when)
    if named and len(words(question)) <= 6 and not ASKS.search(question) and not OWN_YES_NO.search(question) and len(own) <= 2 \
            and (nouns is None or set(own) <= nouns(question)):
        rewritten = swap_parties(prev_q, prev.parties or prev.speakers[:1], named, speakers, glossary)
        return Resolution(FollowUp.PARTY, rewritten, rewritten, named, t)
    if nouns is not None and leads(question) and not named and not PRONOUN.search(question) and len(own) <= 3 \
            and (thing := thing_of(question, set(nouns(question)))):
        voiced = {a.lower() for sp in speakers.values() for a in sp.aliases if " " not in a}   # "the LGA" is who, not what
        swapped = swap_thing(prev.question, thing, set(nouns(prev.question)), voiced, glossary)
        if swapped:
            rewritten, replaced = swapped
            # what the last turn carried from before it (its query beyond its own question), without the thing swapped out
            earlier = prev_q[len(prev.question):] if prev_q.startswith(prev.question) else ""
            carried = without(earlier, [TOKEN_END.sub("", w.strip("'‘“\"")) for w in replaced]).strip()
            return Resolution(FollowUp.TOPIC, rewritten, f"{rewritten} {carried}".strip(), (), t, carried)
    leaning = bool(PRONOUN.search(question)) or leads(question)
    if (leaning and len(own) <= 4) or (len(own) <= 1 and not named):
        voices = subject(prev, speakers) if SPEAKS.search(question) and not named else ()
        who = "" if named else referent(question, prev, persons or {})
        carried = f"{who} {prev_q}" if who and who.lower() not in prev_q.lower() else prev_q
        return Resolution(FollowUp.CONTINUE, question, f"{question} {carried}", (), t, carried, voices)
    return new


SPEAKERS_EXAMPLE = {
    "dhsc": Speaker("dhsc", "Department of Health and Social Care", "the Government's response",
                    "The Government's response says", "government", aliases=("government", "dhsc")),
    "lga": Speaker("lga", "Local Government Association", "the LGA's view", "The LGA's view is", "local_government",
                   aliases=("lga", "local government association", "councils")),
}
