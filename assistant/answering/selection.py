"""Selection: the most direct sentence first, the sentences that complete it, each named side, close runners-up.

    chosen = select(intent, cands, speaker_kinds, settings.answer)
"""

from __future__ import annotations

from ..settings import AnswerWeights
from ..text import tokenize
from .intent import Intent
from .patterns import CONTINUES, DATE_RX, MONEY_RX, NUMBER_RX
from .scoring import Candidate


def has_figure(text: str) -> bool:
    """A number that is not part of a date."""
    return bool(NUMBER_RX.search(DATE_RX.sub(" ", text)))


def _similar(a: str, b: str, jaccard: float) -> bool:
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > jaccard


def select(intent: Intent, cands: list[Candidate], kinds: dict[str, str] | None = None,
           w: AnswerWeights = AnswerWeights()) -> list[Candidate]:
    """Greedy choice: the best sentence, the sentence after it when that completes it (a list,
    "They are …", a short follow-on), the sentence naming a quoted speaker ("He said …"), each
    named party's best sentence for comparisons, then close runners-up, within a word budget."""
    if not cands:
        return []
    budget = w.list_budget if intent.list else w.word_budget
    kinds = kinds or {}
    chosen: list[Candidate] = []
    used = 0

    def add(c, force=False) -> bool:
        nonlocal used
        if any(c.chunk_id == x.chunk_id and c.start == x.start for x in chosen):
            return False
        if any(_similar(c.text, x.text, w.similar_jaccard) for x in chosen):
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
    elif nxt is not None and (len(best.text.split()) + len(nxt.text.split()) <= w.follow_words
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
    if intent.how_many and intent.focus and not any(has_figure(x.text) and intent.focus in tokenize(x.text) for x in chosen):
        bearer = next((c for c in cands if has_figure(c.text) and intent.focus in tokenize(c.text)
                       and c.score >= w.figure_bearer_ratio * best.score), None)
        if bearer is not None:
            add(bearer, force=True)
    # the question asks for a date or a figure: make sure the evidence carries one
    for wanted, rx in ((intent.date, DATE_RX), (intent.number, NUMBER_RX), (intent.money, MONEY_RX)):
        if wanted and not any(rx.search(x.text) for x in chosen):
            bearer = next((c for c in cands if rx.search(c.text)
                           and (c.chunk_id == best.chunk_id or c.score >= w.type_bearer_ratio * best.score)), None)
            if bearer is not None:
                add(bearer, force=True)
    for c in cands[1:]:
        if c.score < w.keep_ratio * best.score:
            break
        add(c)
    return chosen
