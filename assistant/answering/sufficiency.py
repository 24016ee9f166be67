"""Sufficiency: does the evidence hold what the question asks for? If not, the answer abstains.

    ok, why = sufficient(intent, chosen, hits, vocabulary, corpus_text, speakers, settings.answer)
"""

from __future__ import annotations

from ..settings import AnswerWeights
from ..text import stem, tokenize
from .intent import Intent, alias_rx
from .patterns import DATE_RX, MONEY_RX, NUMBER_RX, ORIGIN_EVIDENCE
from .scoring import Candidate
from .selection import has_figure


def sufficient(intent: Intent, chosen: list[Candidate], hits, corpus_stems: frozenset[str], corpus_text: str = "",
               speakers: dict | None = None, w: AnswerWeights = AnswerWeights()) -> tuple[bool, str]:
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
        if not any(alias_rx(a).search(asked_text) for t in topics for a in speakers[t].aliases):
            return False, "the passages of the voice asked about do not mention the other party named"
    if intent.event and intent.event[:5] not in passages.lower():
        return False, f"the evidence does not mention when it would {intent.event}"
    if intent.origin and not ORIGIN_EVIDENCE.search(evidence):
        return False, "the evidence does not say who started it"
    if intent.focus and intent.focus not in evidence_stems:
        return False, f"the evidence does not mention {intent.focus!r}"
    if intent.how_many and not any(has_figure(c.text) and (not intent.focus or intent.focus in tokenize(c.text)) for c in chosen):
        return False, "no figure next to what the question counts"
    if best.score < w.min_score:
        return False, f"weak evidence (score {best.score:.2f})"
    if max(c.overlap for c in chosen) < w.min_overlap and best.dense < w.min_dense:
        return False, "the evidence shares too few of the question's terms"
    return True, ""
