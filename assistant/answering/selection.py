"""Selection, answer first: the sentence most likely to answer, what completes it, close runners-up, and
every other side that speaks to the point, in a fixed order of kinds of voice.

    picks = select(intent, cands, probs, kinds, settings.answer)
    [(p.candidate.text, p.role) for p in picks]
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..settings import AnswerWeights
from ..text import token_set
from ..types import KINDS, Role
from .intent import Intent
from .patterns import ASKING, CONTINUES
from .qtypes import ANSWER_FORMS
from .features import Candidate


@dataclass(frozen=True)
class Pick:
    candidate: Candidate
    role: Role
    probability: float


def _similar(a: str, b: str, jaccard: float) -> bool:
    ta, tb = token_set(a), token_set(b)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > jaccard


def _passage(cands: list[Candidate], c: Candidate) -> list[Candidate]:
    return sorted((x for x in cands if x.chunk_id == c.chunk_id), key=lambda x: x.position)


def _introduction(same: list[Candidate], i: int) -> tuple[int, list[Candidate]]:
    """(where the list holding item `i` starts, [the sentence introducing it] or [])."""
    start = i
    while start > 0 and same[start - 1].is_item:
        start -= 1
    return start, [same[start - 1]] if start > 0 and same[start - 1].text.rstrip().endswith(":") else []


def completion(cands: list[Candidate], best: Candidate, wants_list: bool, budget: int) -> tuple[list[Candidate], list[Candidate]]:
    """(sentences before, sentences after) that complete the best one: the sentence naming a quoted speaker
    ("He said…" needs the one before), the items of a list it introduces (or belongs to, when a list was asked
    for — otherwise only the list's introduction: the other items would crowd out every other side), a short
    follow-on."""
    same = _passage(cands, best)
    i = next(k for k, x in enumerate(same) if x.position == best.position)
    before: list[Candidate] = []
    after: list[Candidate] = []
    if i > 0 and CONTINUES.match(best.text):
        before.append(same[i - 1])
    intro = best.text.rstrip().endswith(":")
    if (best.is_item and wants_list) or intro or (wants_list and i + 1 < len(same) and same[i + 1].is_item):
        start = i
        if best.is_item:   # back to the sentence introducing the list, then every item
            start, before = _introduction(same, i)
        used = 0
        for x in same[start:]:
            if x.position == best.position:
                continue
            if x.position > best.position and not x.is_item and after:
                break
            if not x.is_item and x.position > best.position + 1:
                break
            n = len(x.text.split())
            if used + n > budget:
                break
            (before if x.position < best.position else after).append(x)
            used += n
    elif best.is_item:   # one item answers a question that asked for no list: it comes with its introduction only
        before = _introduction(same, i)[1]
    elif i + 1 < len(same) and CONTINUES.match(same[i + 1].text) and len(same[i + 1].text.split()) <= 40:
        after.append(same[i + 1])
    return before, after


def list_head(cands: list[Candidate], item: Candidate) -> Candidate:
    """The sentence introducing the list `item` belongs to (the one just before its first item, with or
    without a colon: "…identified five main areas." then "1. …"), or the item when the list opens its passage."""
    same = _passage(cands, item)
    start, _ = _introduction(same, next(k for k, x in enumerate(same) if x.position == item.position))
    return same[start - 1] if start > 0 and not same[start - 1].is_item else item


def form_wanted(intent: Intent) -> bool:
    return any(t in ANSWER_FORMS for t in intent.types)


def select(intent: Intent, cands: list[Candidate], probs: list[float], kinds: dict[str, str],
           w: AnswerWeights = AnswerWeights()) -> list[Pick]:
    """The statements of the answer, in reading order: the answer's block first, then the other sides."""
    # a sentence that only asks ("Who benefits?") is never quoted as an answer or a side: it states nothing
    kept = [(c, p) for c, p in zip(cands, probs) if not ASKING.search(c.text)]
    if not kept:
        return []
    cands, probs = [c for c, _ in kept], [p for _, p in kept]
    # sides are heard up to here, a comparison's larger budget included; a side that would run past it is not
    cap = w.word_budget + w.side_words
    if "comparison" in intent.types:
        w = replace(w, word_budget=w.comparison_budget)
    prob = {id(c): p for c, p in zip(cands, probs)}
    order = sorted(cands, key=lambda c: -prob[id(c)])
    pool = order
    if intent.words_of:   # a party's own words were asked for: the answer is theirs, from their own text
        theirs = [c for c in order if c.speaker in intent.words_of]
        if theirs:
            pool = theirs + [c for c in order if c.speaker not in intent.words_of]
    best = pool[0]
    if form_wanted(intent):   # answer first: the likeliest sentence that has the asked-for date, figure or name
        formed = [c for c in pool if c.features.get("type_hit", 0.0) > 0 and prob[id(c)] >= w.form_ratio * prob[id(best)]]
        if formed:
            best = formed[0]
    if "list" in intent.types and best.is_item:   # the whole list was asked for: its introduction answers
        best = list_head(cands, best)
    p_best = prob[id(best)]
    before, after = completion(cands, best, "list" in intent.types, w.list_budget)
    picks: list[Pick] = [Pick(c, Role.LIST_ITEM if c.is_item else Role.CONTEXT, prob[id(c)]) for c in before]
    picks.append(Pick(best, Role.ANSWER, p_best))
    picks += [Pick(c, Role.LIST_ITEM if c.is_item else Role.CONTEXT, prob[id(c)]) for c in after]
    used = sum(len(p.candidate.text.split()) for p in picks)

    def taken(c: Candidate) -> bool:
        return any((p.candidate.chunk_id, p.candidate.start) == (c.chunk_id, c.start)
                   or _similar(p.candidate.text, c.text, w.similar_jaccard) for p in picks)

    def add(c: Candidate, role: Role, force: bool = False) -> bool:
        nonlocal used
        n = len(c.text.split())
        if len(picks) >= w.max_statements or (not force and used + n > w.word_budget) or taken(c):
            return False
        picks.append(Pick(c, role, prob[id(c)]))
        used += n
        return True

    def within_cap(c: Candidate) -> bool:
        return used + len(c.text.split()) <= cap

    answer_kind = kinds.get(best.speaker, "")
    if pool[0] is not best:   # the form chose another answer: the likeliest sentence still comes with it
        add(pool[0], Role.CONTEXT if kinds.get(pool[0].speaker) == answer_kind else Role.SIDE, force=True)
    for c in pool:   # then the next most likely, while they fit: a long one is skipped, not the rest
        p = prob[id(c)]
        if p < max(w.keep_min, w.keep_ratio * p_best):
            break
        kind = kinds.get(c.speaker)
        if kind == answer_kind:
            add(c, Role.CONTEXT)
        else:   # another kind of voice, as likely as this, is heard before the answer's weaker runners-up take the room
            first_of_kind = p >= w.side_min and kind not in {kinds.get(x.candidate.speaker) for x in picks}
            add(c, Role.SIDE, force=first_of_kind and within_cap(c))
    # every other kind of voice whose best sentence speaks to the point is heard, whatever the question's wording:
    # the evidence, not comparison words, shows that a topic has sides (a question naming none still gets them)
    # …except where one party's own words were asked for: that answer is theirs alone
    if not intent.words_of or intent.contested or len(set(intent.parties) - {best.speaker}) > 0:
        heard = {kinds.get(p.candidate.speaker) for p in picks}
        named = {kinds.get(p) for p in intent.parties}
        for kind in KINDS:
            if kind in heard:
                continue
            mine = [c for c in order if kinds.get(c.speaker) == kind]
            # a kind of voice the question names is heard from the voice it names, at a lower bar: it was asked for
            mine = sorted(mine, key=lambda c: c.speaker not in intent.parties)
            bar = w.named_side_min if kind in named else w.side_min
            for c in mine[:w.named_side_sentences if kind in named else 1]:
                if prob[id(c)] >= bar:
                    add(c, Role.SIDE, force=within_cap(c))
    return arrange(form_first(intent, picks), kinds)


def form_first(intent: Intent, picks: list[Pick]) -> list[Pick]:
    """Answer first: when the answering sentence lacks the asked-for form (a date for "when", a figure…) and a
    sentence of the same speaker that has it was picked too, that one answers and takes its place."""
    i = next((k for k, p in enumerate(picks) if p.role == Role.ANSWER), None)
    if i is None or not form_wanted(intent) or picks[i].candidate.features.get("type_hit", 0.0) > 0:
        return picks
    formed = [k for k, p in enumerate(picks) if k != i and p.candidate.speaker == picks[i].candidate.speaker
              and p.candidate.features.get("type_hit", 0.0) > 0 and not p.candidate.is_item]
    if not formed:
        return picks
    j = max(formed, key=lambda k: picks[k].probability)
    out = list(picks)
    out[i], out[j] = Pick(picks[j].candidate, Role.ANSWER, picks[j].probability), Pick(picks[i].candidate, Role.CONTEXT, picks[i].probability)
    return out


def arrange(picks: list[Pick], kinds: dict[str, str]) -> list[Pick]:
    """Reading order: the answer's speaker first — what must come before the answer (the sentence naming a
    quoted speaker, a list's introduction), the answer, then the rest in the order they were chosen — then
    each other voice, grouped by speaker, kinds of voice in the fixed order of KINDS."""
    if not picks:
        return []
    lead = next(p for p in picks if p.role == Role.ANSWER).candidate.speaker
    speakers = [lead] + sorted({p.candidate.speaker for p in picks} - {lead},
                               key=lambda s: (KINDS.index(kinds[s]) if kinds.get(s) in KINDS else len(KINDS), s))
    out = []
    for s in speakers:
        out += [p for p in picks if p.candidate.speaker == s]
    return out
