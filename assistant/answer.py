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
ASKS_DATE = re.compile(r"\bwhen\b|\bwhat (date|day|year|month|time)\b|\bwhich (date|day|year|month)\b|\bhow long ago\b|\bdated?\b", re.I)
ASKS_NUMBER = re.compile(r"\bhow (many|much|large|big|long)\b|\bnumber of\b|\bwhat (number|percentage|proportion|figure|share)\b|\bhow (high|low)\b|\bcount\b", re.I)
ASKS_LIST = re.compile(r"\b(list|what are|which are|name the|what (\w+ )?(areas|proposals|powers|points|measures|changes|functions|ways|things|concerns|demands|criticisms|claims|steps))\b|\b(five|three|four|several|main)\b", re.I)
ASKS_COMPARE = re.compile(r"\b(compare|comparison|differ|difference|different|disagree|agree|versus|vs\.?|contrast|both|each side|sides|while|whereas)\b|\bhow do .+ and .+\b", re.I)
ASKS_WHO = re.compile(r"^\s*(who|whose|which (organisation|group|body|person|people|campaign|charity|minister|mp))\b|\bby whom\b|\bwho (said|says|claims|argued|wrote|led)\b", re.I)
CONTINUES = re.compile(r"^(he|she|it|they|this|these|that|those)\s+(said|says|also|has|have|had|added|argued|claimed|is|are|was|were|will|would)\b", re.I)


@dataclass(frozen=True)
class Intent:
    date: bool
    number: bool
    list: bool
    compare: bool
    who: bool
    parties: tuple[str, ...]       # speaker ids the question names
    entities: tuple[str, ...]      # capitalised names / figures the evidence must mention
    terms: tuple[str, ...]         # content stems


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
    raw = re.findall(r"[A-Za-z][\w’'-]*|\d[\d,]*", question)
    entities = []
    for i, w in enumerate(raw):
        lw = w.lower().replace("’", "'").split("'")[0]
        if i == 0 or lw in STOPWORDS or len(lw) < 2:
            continue
        if (w[0].isupper() or w[0].isdigit()) and not any(lw in a.split() for sp in speakers.values() for a in sp.aliases):
            entities.append(lw)
    return Intent(
        date=bool(ASKS_DATE.search(question)),
        number=bool(ASKS_NUMBER.search(question)),
        list=bool(ASKS_LIST.search(question)),
        compare=bool(ASKS_COMPARE.search(question)) or len({speakers[p].kind for p in parties}) > 1,
        who=bool(ASKS_WHO.search(question)),
        parties=tuple(parties),
        entities=tuple(dict.fromkeys(entities)),
        terms=tuple(dict.fromkeys(stem(w) for w in toks if w not in STOPWORDS)),
    )


def _overlap(terms: tuple[str, ...], text: str, idf: dict[str, float], default_idf: float) -> float:
    if not terms:
        return 0.0
    have = set(tokenize(text))
    total = sum(idf.get(t, default_idf) for t in terms)
    return sum(idf.get(t, default_idf) for t in terms if t in have) / total if total else 0.0


def score_sentences(intent: Intent, qvec: np.ndarray, hits, index, idf: dict[str, float], *,
                    max_passages: int = 4) -> list[Candidate]:
    """Every sentence of the top passages, scored; best first."""
    default_idf = max(idf.values(), default=1.0)
    row_of = {c.id: i for i, c in enumerate(index.chunks)}
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
            if intent.parties and not intent.compare:
                s += 0.15 if c.speaker in intent.parties else 0.0
            if len(text.split()) < 4 and not (intent.date or intent.number):
                s -= 0.2   # a label ("More details") is not evidence
            out.append(Candidate(h_i, first + j, c.id, a, b, text, c.speaker, is_item, s, float(sims[j]), ov))
    out.sort(key=lambda x: -x.score)
    return out


def _similar(a: str, b: str) -> bool:
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.6


def select(intent: Intent, cands: list[Candidate], *, budget: int = WORD_BUDGET, keep_ratio: float = 0.8) -> list[Candidate]:
    """Greedy choice: best sentence, then close runners-up (each named party's best for comparisons),
    list items that follow a chosen list lead, and the sentence that names a quoted speaker."""
    if not cands:
        return []
    by_key = {(c.chunk_id, c.start): c for c in cands}
    chosen: list[Candidate] = []
    used = 0

    def words_of(c):
        return len(c.text.split())

    def add(c, force=False) -> bool:
        nonlocal used
        if any(c.chunk_id == x.chunk_id and c.start == x.start for x in chosen):
            return False
        if any(_similar(c.text, x.text) for x in chosen):
            return False
        if not force and used + words_of(c) > budget and chosen:
            return False
        chosen.append(c)
        used += words_of(c)
        return True

    best = cands[0]
    add(best, force=True)
    in_chunk = sorted((c for c in cands if c.chunk_id == best.chunk_id), key=lambda c: c.start)
    # a quote introduced by "He said" keeps the sentence that names "he"
    if CONTINUES.match(best.text):
        prev = [c for c in in_chunk if c.start < best.start]
        if prev:
            add(prev[-1])
    # a list lead brings its items (and an item brings its lead)
    if intent.list or best.text.rstrip().endswith(":") or best.is_item:
        seq = [c for c in in_chunk if c.start > best.start] if not best.is_item else in_chunk
        for c in seq:
            if c.is_item or (not chosen[0].is_item and c is seq[0] and best.text.rstrip().endswith(":")):
                add(c)
    if intent.compare and intent.parties:
        for sid in intent.parties:
            if not any(x.speaker == sid for x in chosen):
                mine = [c for c in cands if c.speaker == sid]
                if mine:
                    add(mine[0])
        # a comparison needs at least two voices
        if len({x.speaker for x in chosen}) < 2:
            other = [c for c in cands if c.speaker != best.speaker]
            if other:
                add(other[0])
    for c in cands[1:]:
        if c.score < keep_ratio * best.score:
            break
        add(c)
    del by_key
    return chosen


def sufficient(intent: Intent, chosen: list[Candidate], hits, *, min_score: float = 0.55,
               min_overlap: float = 0.34) -> tuple[bool, str]:
    """Does the evidence hold what the question asks for? (reason when not)."""
    if not chosen:
        return False, "nothing retrieved"
    best = chosen[0]
    evidence = " ".join(c.text for c in chosen)
    passages = " ".join(h.chunk.text for h in hits[:5]).lower()
    passage_stems = set(tokenize(passages))
    for e in intent.entities:
        if e.lower() not in passages and stem(e.lower()) not in passage_stems:
            return False, f"the documents retrieved never mention {e!r}"
    if intent.date and not DATE_RX.search(evidence):
        return False, "no date in the evidence"
    if intent.number and not NUMBER_RX.search(evidence):
        return False, "no figure in the evidence"
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
