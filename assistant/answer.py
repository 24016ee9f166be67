"""Stage 6 — answer: compose an attributed, cited answer from the documents' own sentences.

No language model: every quoted sentence is a verbatim slice of a cited
passage, so quotes cannot be invented. The steps are pure functions:

    analyse(question)            what the question asks for (a date, a number, a list, a comparison, named voices)
    score_sentences(...)         relevance of each sentence of the top passages
    select(...)                  best sentences: the most direct first, diverse, within a word budget
    sufficient(...)              does the evidence hold what was asked? if not, abstain
    render(...)                  "The LGA's view is: “…” [1]", grouped by speaker
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .lexical import STOPWORDS, stem, tokenize, words

WORD_BUDGET = 95            # quoted words; openers come on top
ABSTAIN_TEXT = "The documents I have don't cover this."

MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
DATE_RX = re.compile(
    rf"\b\d{{1,2}}(st|nd|rd|th)?\s+({MONTHS})\b|\b({MONTHS})\s+\d{{4}}\b|\b(19|20)\d{{2}}\b|\b\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}\b"
    rf"|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b({MONTHS})\s+\d{{1,2}}\b", re.IGNORECASE)
NUMBER_RX = re.compile(r"\b\d[\d,.]*\s*(k\b|%|per ?cent)?|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                       r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen)\b", re.IGNORECASE)
ASKS_DATE = re.compile(r"^\s*when\b|[,;]\s*when\b|\bwhen (did|was|were|is|will|does|do|has|had|are)\b|\b(what|which) (date|day|year|month)\b|\bhow long ago\b|\bon what date\b", re.I)
ASKS_NUMBER = re.compile(r"\bhow many\b|\bhow much (did|does|do|will|is|was|would)\b|\bnumber of\b|\bwhat (number|percentage|proportion|figure|share)\b|\bhow (high|low|large|big)\b|\broughly how\b", re.I)
ASKS_MONEY = re.compile(r"^\s*how much (money|funding)\b|\bin pounds\b|£|\bsalary\b|\bhow much (will|does|did|would)\b.*\bcost\b", re.I)
MONEY_RX = re.compile(r"£\s?\d|\b\d[\d,.]*\s*(pounds|million|billion|bn|m)\b", re.I)
# the word a wh-question asks for: "which minister", "how many MPs", "what is the salary of"
# the phrase a wh-question asks for, up to its verb: "how many [integrated care boards] are there"
FOCUS = re.compile(r"\b(which|how many)\s+((?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*)\s+(?:is|are|was|were|did|do|does|will|would|has|have|had|can|could|should|voted|led|said|say|says)\b"
                   r"|\bwhat (?:is|was|are|were|will be) (?:the|an?) ([a-z][\w-]*) (?:of|for|paid|given)\b", re.I)
# "what did <Name> say": only voices the documents quote can be quoted
SPEECH = re.compile(r"\b[Ww]hat (?:did|does|do|has|have) ((?:[A-Z][\w’'-]*\s?){1,4}?)\s*(?:say|said|argue|claim|tell|state)\b")
WHAT_NOUN = re.compile(r"\bwhat\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:is|are|was|were|did|do|does|will|would|has|have|had|could|should)\b", re.I)
# "who started/created … ?": the evidence must say who made it
ORIGIN_Q = re.compile(r"^\s*who\s+(started|created|launched|founded|set up|wrote|organised|organized|began|made)\b", re.I)
ORIGIN_EVIDENCE = re.compile(r"\b(?i:start|creat|launch|found|set up|wrote|written|organis|organiz|began|published by|led by)|\bby [A-Z]")
EVENT_EXEMPT = frozenset("place happen happened occur occurred".split())
PARTY_SPEECH = re.compile(r"\b(?:what|how) (?:did|does|do|has|have|will|would) (.{2,60}?) (?:say|said|respond|reply|argue|claim|think|propose|want|describe|view|make of)\b", re.I)
NAMED_PERSON = re.compile(r"\b(?:Sir|Professor|Dr|Mr|Mrs|Ms|Dame|Lord|Baroness)\s+[A-Z]\w+|\b[A-Z][a-z]+\s+[A-Z][a-z]+\s+MP\b|\bMinister\b")
ASKS_LIST = re.compile(r"\b(list|what are|which are|name the|what (\w+ )?(areas|proposals|powers|points|measures|changes|functions|ways|things|concerns|demands|criticisms|claims|steps))\b|\b(five|three|four|several|main)\b", re.I)
ASKS_COMPARE = re.compile(r"\b(compare|comparison|differ|difference|different|disagree|agree|versus|vs\.?|contrast|both|each side|sides|while|whereas)\b|\bhow do .+ and .+\b", re.I)
ASKS_WHO = re.compile(r"^\s*(who|whose|which (organisation|group|body|person|people|campaign|charity|minister|mp))\b|\bby whom\b|\bwho (said|says|claims|argued|wrote|led)\b", re.I)
GENERIC_FOCUS = frozenset("""kind kinds sort sorts type types way ways thing things part parts one ones main key new
    role roles changes change proposals proposal points areas problems concerns people groups happened happens
    exactly outlet outlets organisation organisations body bodies group person persons publication newspaper
    website time date number day year month figure amount level stage extent side sides""".split())
CONTINUES = re.compile(r"^(he|she|it|they|this|these|that|those)\s+(said|says|also|has|have|had|added|argued|claimed|is|are|was|were|will|would)\b", re.I)


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


@dataclass(frozen=True)
class Candidate:
    hit_index: int
    sentence_row: int        # row in the index's sentence matrix
    chunk_id: str
    start: int               # offsets within the chunk text
    end: int
    text: str
    speaker: str
    is_item: bool
    score: float
    dense: float
    overlap: float


def _alias_rx(alias: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", re.IGNORECASE)


def analyse(question: str, speakers: dict) -> Intent:
    """Classify what a question wants; pure."""
    parties = []
    for sid, sp in speakers.items():
        if any(_alias_rx(a).search(question) for a in sp.aliases):
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
        asked = tuple(sid for sid, sp in speakers.items() if any(_alias_rx(a).search(m.group(1)) for a in sp.aliases))
    unquoted = ""
    if m := SPEECH.search(question):
        name = m.group(1).strip()
        if not any(_alias_rx(a).search(name) for sp in speakers.values() for a in sp.aliases):
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


def _overlap(terms: tuple[str, ...], text: str, idf: dict[str, float], default_idf: float) -> float:
    if not terms:
        return 0.0
    have = set(tokenize(text))
    total = sum(idf.get(t, default_idf) for t in terms)
    return sum(idf.get(t, default_idf) for t in terms if t in have) / total if total else 0.0


def score_sentences(intent: Intent, qvec: np.ndarray, hits, index, idf: dict[str, float], *,
                    max_passages: int = 5, row_of: dict[str, int] | None = None) -> list[Candidate]:
    """Every sentence of the top passages, scored; best first. `row_of` maps chunk id → index row
    (pass the retriever's to avoid rebuilding it per question)."""
    default_idf = max(idf.values(), default=1.0)
    row_of = row_of or {c.id: i for i, c in enumerate(index.chunks)}
    prior = [1.0, 0.75, 0.6, 0.5, 0.45, 0.4]
    out = []
    for h_i, hit in enumerate(hits[:max_passages]):
        c = hit.chunk
        r = row_of[c.id]
        first = int(index.sentence_offsets[r])
        sims = index.sentence_vectors[first:first + len(c.sentences)] @ qvec
        for j, (a, b) in enumerate(c.sentences):
            text = c.text[a:b]
            line_start = c.text.rfind("\n", 0, a) + 1
            is_item = bool(re.match(r"\s*(?:[-*•]|\d{1,2}[.)])\s", c.text[line_start:a + 1]))
            ov = _overlap(intent.terms, text, idf, default_idf)
            s = float(sims[j]) + 0.6 * ov + 0.25 * prior[min(h_i, len(prior) - 1)]
            if intent.date and DATE_RX.search(text):
                s += 0.25
            if intent.number and NUMBER_RX.search(text):
                s += 0.2
            if intent.money and MONEY_RX.search(text):
                s += 0.2
            if intent.who and NAMED_PERSON.search(text):
                s += 0.15
            if intent.parties and not intent.compare:
                s += 0.15 if c.speaker in intent.parties else 0.0
            if len(text.split()) < 4 and not (intent.date or intent.number):
                s -= 0.2   # a label ("More details") is not evidence
            out.append(Candidate(h_i, first + j, c.id, a, b, text, c.speaker, is_item, s, float(sims[j]), ov))
    out.sort(key=lambda x: -x.score)
    return out


def _figure(text: str) -> bool:
    """A number that is not part of a date."""
    return bool(NUMBER_RX.search(DATE_RX.sub(" ", text)))


def _similar(a: str, b: str) -> bool:
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.6


def select(intent: Intent, cands: list[Candidate], kinds: dict[str, str] | None = None, *,
           budget: int = WORD_BUDGET, list_budget: int = 130,
           keep_ratio: float = 0.8, follow_words: int = 45) -> list[Candidate]:
    """Greedy choice: the best sentence, the sentence after it when that completes it (a list,
    "They are …", a short follow-on), the sentence naming a quoted speaker ("He said …"), each
    named party's best sentence for comparisons, then close runners-up, within a word budget."""
    if not cands:
        return []
    budget = list_budget if intent.list else budget
    kinds = kinds or {}
    chosen: list[Candidate] = []
    used = 0

    def add(c, force=False) -> bool:
        nonlocal used
        if any(c.chunk_id == x.chunk_id and c.start == x.start for x in chosen):
            return False
        if any(_similar(c.text, x.text) for x in chosen):
            return False
        n = len(c.text.split())
        if not force and used + n > budget:
            return False
        chosen.append(c)
        used += n
        return True

    best = cands[0]
    add(best, force=True)
    in_chunk = sorted((c for c in cands if c.chunk_id == best.chunk_id), key=lambda c: c.start)
    pos = next(i for i, c in enumerate(in_chunk) if c.start == best.start)
    prev = in_chunk[pos - 1] if pos > 0 else None
    nxt = in_chunk[pos + 1] if pos + 1 < len(in_chunk) else None
    if prev is not None and CONTINUES.match(best.text):
        add(prev)
    if best.text.rstrip().endswith(":") or intent.list or best.is_item:
        start = 0 if best.is_item else pos + 1
        for c in in_chunk[start:]:
            if c.is_item or c is nxt:
                add(c)
    elif nxt is not None and (len(best.text.split()) + len(nxt.text.split()) <= follow_words
                              or CONTINUES.match(nxt.text)):
        add(nxt)
    if intent.compare or intent.asked_parties:
        # each side named (grouped by kind of voice: "the Government" covers several) gets its best sentence
        named = intent.asked_parties or intent.parties
        for kind in dict.fromkeys(kinds.get(s, s) for s in named):
            side = {s for s in named if kinds.get(s, s) == kind}
            if not any(x.speaker in side for x in chosen):
                mine = [c for c in cands if c.speaker in side]
                if mine:
                    add(mine[0])
        if len({x.speaker for x in chosen}) < 2:   # a comparison needs at least two voices
            other = [c for c in cands if c.speaker != best.speaker]
            if other:
                add(other[0])
    # "how many X": the sentence that puts a figure next to X, if the top passages have one
    if intent.how_many and intent.focus and not any(_figure(x.text) and intent.focus in tokenize(x.text) for x in chosen):
        bearer = next((c for c in cands if _figure(c.text) and intent.focus in tokenize(c.text)
                       and c.score >= 0.5 * best.score), None)
        if bearer is not None:
            add(bearer, force=True)
    # the question asks for a date or a figure: make sure the evidence carries one
    for wanted, rx in ((intent.date, DATE_RX), (intent.number, NUMBER_RX), (intent.money, MONEY_RX)):
        if wanted and not any(rx.search(x.text) for x in chosen):
            bearer = next((c for c in cands if rx.search(c.text)
                           and (c.chunk_id == best.chunk_id or c.score >= 0.6 * best.score)), None)
            if bearer is not None:
                add(bearer, force=True)
    for c in cands[1:]:
        if c.score < keep_ratio * best.score:
            break
        add(c)
    return chosen


def sufficient(intent: Intent, chosen: list[Candidate], hits, corpus_stems: frozenset[str], corpus_text: str = "",
               speakers: dict | None = None, *,
               min_score: float = 0.55, min_overlap: float = 0.2) -> tuple[bool, str]:
    """Does the evidence hold what the question asks for? (and the reason when not)

    A similarity threshold alone cannot tell near misses from answers, so this checks
    what was asked: a date, a figure, a sum of money, the noun asked about, the names
    the question mentions, and whether a voice the question wants quoted is in the documents.
    """
    if not chosen:
        return False, "nothing retrieved"
    best = chosen[0]
    evidence = " ".join(c.text for c in chosen)
    evidence_stems = set(tokenize(evidence))
    passages = " ".join(h.chunk.text for h in hits[:5])
    passage_stems = set(tokenize(passages))
    for e in intent.entities:
        if stem(e) not in corpus_stems and e not in passages.lower():
            return False, f"the documents never mention {e!r}"
    if intent.asked_parties and not intent.explicit_compare and not any(c.speaker in intent.asked_parties for c in chosen):
        return False, "the documents retrieved do not give that party's own words on this"
    if intent.unquoted_speaker:
        return False, f"the documents do not quote {intent.unquoted_speaker}"
    if intent.date and not DATE_RX.search(evidence):
        return False, "no date in the evidence"
    if intent.number and not NUMBER_RX.search(evidence):
        return False, "no figure in the evidence"
    if intent.money and not MONEY_RX.search(evidence):
        return False, "no sum of money in the evidence"
    topics = [p for p in intent.parties if p not in intent.asked_parties]
    if intent.asked_parties and topics and speakers and not intent.explicit_compare:
        # "what did A say in reply to B": A's own passage must mention B
        asked_text = " ".join(h.chunk.text for h in hits if h.chunk.speaker in intent.asked_parties)
        if not any(_alias_rx(a).search(asked_text) for t in topics for a in speakers[t].aliases):
            return False, "the passages of the voice asked about do not mention the other party named"
    if intent.event and intent.event[:5] not in passages.lower():
        return False, f"the evidence does not mention when it would {intent.event}"
    if intent.origin and not ORIGIN_EVIDENCE.search(evidence):
        return False, "the evidence does not say who started it"
    if intent.focus and intent.focus not in evidence_stems:
        return False, f"the evidence does not mention {intent.focus!r}"
    if intent.how_many and not any(_figure(c.text) and (not intent.focus or intent.focus in tokenize(c.text)) for c in chosen):
        return False, "no figure next to what the question counts"
    if best.score < min_score:
        return False, f"weak evidence (score {best.score:.2f})"
    if max(c.overlap for c in chosen) < min_overlap and best.dense < 0.5:
        return False, "the evidence shares too few of the question's terms"
    return True, ""


def render(chosen: list[Candidate], speakers: dict) -> tuple[str, list[tuple[int, Candidate]]]:
    """Answer text with [n] markers; lead sentence first, the rest grouped by speaker.

    Returns the text and (n, candidate) pairs in citation order.
    """
    if not chosen:
        return "", []
    lead, rest = chosen[0], chosen[1:]
    order = [lead.speaker] + [s for s in dict.fromkeys(c.speaker for c in rest) if s != lead.speaker]
    grouped = [lead] + sorted(rest, key=lambda c: (order.index(c.speaker), c.chunk_id != lead.chunk_id, c.chunk_id, c.start))
    lines, cites, seen_speakers = [], [], set()
    prev = None
    for c in grouped:
        n = len(cites) + 1
        cites.append((n, c))
        sp = speakers[c.speaker]
        if c.is_item and prev is not None and prev.speaker == c.speaker and (prev.is_item or prev.text.rstrip().endswith(":")):
            lines.append(f"- “{c.text}” [{n}]")
        else:
            opener = sp.again if c.speaker in seen_speakers else sp.attribution
            lines.append(f"{opener}: “{c.text}” [{n}]")
        seen_speakers.add(c.speaker)
        prev = c
    text = ""
    for line in lines:
        if line.startswith("- "):
            text += "\n" + line
        else:
            text += ("\n\n" if text else "") + line
    return text, cites
