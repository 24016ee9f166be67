"""Sufficiency: does the evidence hold the fact that was asked for? If not, the answer abstains.

A similarity threshold alone cannot tell near-misses (the topic is covered, the fact is not) from answers,
so the decision is a calibrated score over named, interpretable features:

    best_p        the best sentence's probability of answering (the sentence scorer)
    best_p_form   the best probability among sentences that have the form asked for (a date, a figure, a sum)
    focus_top     the share of the question's topic words the best sentence holds
    focus_form    the most of them a likely sentence with the asked-for form holds, with the sentences either
                  side of it: the asked-for form next to the question's subject
    oov           share of the topic words (IDF-weighted) the corpus never uses, even by a glossary equivalent
    oov_noun      the part of `oov` the question uses as nouns (a place, a body, a thing the documents never name)
    oov_other     the rest of it (casual verbs and adjectives: "worried", "fake"), which says little (tagging.py)
    missing_known the rarest topic word the corpus does use but no likely sentence holds (its IDF, scaled to 1):
                  the question is about something the documents name, just not here
    unvoiced      the question asks what someone said, and that someone is not one of the documents' voices
    new_name      a "who" question, and the likely sentences name someone the question (with what it carries from
                  earlier turns) does not (0.5: not "who")
    form_q, who_q, comparison_q, outcome_q   what kind of question it is (each kind has its own base rate;
                  `outcome`: what came of something, a later event)
    terms         how many topic words the question has (up to 8, scaled to 1)
    cos           the best sentence's similarity to the question

    feats = answerability_features(intent, focus, cands, probs, vocabulary, glossary, speakers)
    score = models.answerable.probability(feats)      # answer when score >= threshold
"""

from __future__ import annotations

import math

from ..glossary import Glossary
from ..text import FILLERS, STOPWORDS, stem, token_set, words
from .features import Candidate, Focus, has_new_form
from .intent import Intent, alias_rx
from .patterns import NAME_RX
from .qtypes import EVIDENCE, FACT_FORMS

ANSWERABLE_FEATURES = ("best_p", "best_p_form", "focus_top", "focus_form", "oov", "oov_noun", "oov_other", "missing_known",
                       "unvoiced", "new_name", "form_q", "who_q", "comparison_q", "outcome_q", "terms", "cos")


def unvoiced(intent: Intent, speakers: dict) -> bool:
    """"What did X say" where X, as written, is none of the documents' voices (by any name or alias)."""
    if not intent.speech_of or intent.words_of:
        return False
    topic = [w for w in words(intent.speech_of) if w not in STOPWORDS and stem(w) not in FILLERS]
    voices = {stem(w) for sp in speakers.values() for a in sp.aliases for w in a.split()}
    return bool(topic) and not any(stem(w) in voices for w in topic)


def person_voices(speakers: dict, forms: dict[str, object] = EVIDENCE) -> dict[str, str]:
    """Speaker id -> each voice that is a person, by name: its label opens with a person's name ("Sir Simon
    Stevens, NHS England's outgoing chief executive"; a label's first word is a sentence's, which `PersonNames`
    does not count, hence the word put before it)."""
    names = forms.get("person")
    found = {sid: names.search(f"by {sp.label}") for sid, sp in speakers.items()} if names is not None else {}
    return {sid: m.group(0) for sid, m in found.items() if m}


def named_people(text: str, speakers: dict, forms: dict[str, object] = EVIDENCE,
                 persons: dict[str, str] | None = None) -> tuple[str, ...]:
    """The people `text` names, lower case: a person's name as written ("Sir Simon Stevens"), or a name a question
    may use for a voice that is a person ("hewitt"). `persons`: `person_voices`, when already read.

    >>> from assistant.types import Speaker
    >>> sp = {"ph": Speaker("ph", "Patricia Hewitt", "Patricia Hewitt, STP chair", "", "nhs", aliases=("hewitt",))}
    >>> named_people("what did Dr Jo Bloggs say to hewitt?", sp)
    ('dr jo bloggs', 'hewitt')
    """
    people = [m.group(0).lower() for m in forms["person"].finditer(text)] if "person" in forms else []
    persons = person_voices(speakers, forms) if persons is None else persons
    voiced = [a for sid in persons if sid in speakers for a in speakers[sid].aliases if alias_rx(a).search(text)]
    return tuple(dict.fromkeys(people + voiced))


def answerability_features(intent: Intent, focus: Focus, cands: list[Candidate], probs: list[float],
                           vocabulary: frozenset[str], glossary: Glossary, speakers: dict,
                           forms: dict[str, object] = EVIDENCE, nouns: frozenset[str] = frozenset(),
                           carried: str = "", persons: dict[str, str] | None = None) -> dict[str, float]:
    """`nouns`: the stems of the words the question uses as nouns (tagging.py). `carried`: what a follow-up carries
    from earlier turns (a name there is not a new one: "who succeeded her?" is not answered by naming her).
    `persons`: the voices that are people (`person_voices`; read from `speakers` when not given)."""
    order = sorted(range(len(cands)), key=lambda i: -probs[i])
    best_p = probs[order[0]] if order else 0.0
    wanted = [forms[t] for t in intent.types if t in FACT_FORMS]
    top = cands[order[0]] if order else None
    focus_top = top.features["focus"] if top else 0.0
    asked = f"{intent.question} {carried}"
    people = named_people(asked, speakers, forms, persons)
    if wanted:
        formed = [i for i in order if any(has_new_form(rx, cands[i].text, asked, people) for rx in wanted)]
        best_p_form = probs[formed[0]] if formed else 0.0
        focus_form = max((cands[i].features["focus_near"] for i in formed[:3]), default=0.0)
    else:
        best_p_form, focus_form = best_p, focus_top
    total = sum(focus.weights.values()) or 1.0
    known = {t: w for t, w in focus.weights.items() if focus.covers(t, vocabulary)}
    unknown = {t: w for t, w in focus.weights.items() if t not in known}
    oov = sum(unknown.values()) / total
    oov_noun = sum(w for t, w in unknown.items() if t in nouns) / total
    likely = set().union(*(token_set(cands[i].text) for i in order[:3])) if order else set()
    top_idf = max(focus.weights.values(), default=1.0) or 1.0
    missing_known = max((w for t, w in known.items() if not focus.covers(t, likely)), default=0.0) / top_idf
    new_name = 0.5
    if "who" in intent.types:
        new_name = float(any(has_new_form(NAME_RX, cands[i].text, asked, people) for i in order[:3]))
    return {
        "best_p": best_p, "best_p_form": best_p_form, "focus_top": focus_top, "focus_form": focus_form, "oov": oov,
        "oov_noun": oov_noun, "oov_other": oov - oov_noun,
        "missing_known": missing_known,
        "unvoiced": float(unvoiced(intent, speakers)), "new_name": new_name, "form_q": float(bool(wanted)),
        "who_q": float("who" in intent.types), "comparison_q": float("comparison" in intent.types),
        "outcome_q": float("outcome" in intent.types),
        "terms": min(len(focus.weights), 8) / 8, "cos": max((c.features["cos"] for c in cands), default=0.0),
    }


def explain(features: dict[str, float], model) -> dict:
    """What `hcb ask --explain` prints: every feature's value, weight and contribution, the score and threshold."""
    rows = model.contributions(features)
    z = model.bias + sum(c for *_, c in rows)
    return {"features": {f: round(v, 4) for f, v, _, _ in rows}, "weights": {f: round(w, 4) for f, _, w, _ in rows},
            "contributions": {f: round(c, 4) for f, _, _, c in rows}, "bias": round(model.bias, 4),
            "score": round(1 / (1 + math.exp(-max(-30, min(30, z)))), 4), "threshold": round(model.threshold, 4)}
