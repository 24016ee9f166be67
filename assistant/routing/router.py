"""Routing before retrieval: refuse or redirect what the documents can't or shouldn't answer.

Pure: a question (and the corpus vocabulary) in, a `Route` out. Instructions
inside a question are never obeyed; clear attempts are declined politely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import tokenize
from ..types import RouteKind

CAPABILITY = (
    "I can answer questions about England's 2021–22 NHS reforms — the White Paper *Integration and innovation*, "
    "the Health and Care Bill and integrated care systems — from the documents I hold, quoting and citing the passages I use, "
    "and saying who holds each view."
)


@dataclass(frozen=True)
class Route:
    kind: RouteKind
    message: str = ""


def _rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


INJECTION = _rx(
    r"\bignore\b.{0,40}\b(instructions?|rules|prompts?|guidelines|above|previous)\b",
    r"\b(disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|guidelines|prompt|restrictions)\b",
    r"\b(system|hidden|initial)\s+prompt\b", r"\byou are now\b", r"\bact as\b", r"\bpretend (to be|you)\b",
    r"\bDAN\b", r"\bjailbreak", r"\bdeveloper mode\b", r"\bnew instructions?\b", r"\bfrom now on\b",
    r"\brole-?play\b", r"<\s*/?\s*(system|instructions?)\s*>",
)
INVENT = _rx(
    r"\b(make up|invent|fabricate|fake|made-up|made up|forge|mock up)\b.{0,40}\b(quotes?|quotations?|statements?|evidence|sources?|citations?|tweets?|documents?|letters?|speech|press release|figures|statistics)\b",
    r"\b(write|draft|create|generate|compose)\b.{0,30}\b(a |an )?(fake |fictional |made-up )?(quotes?|quotation|statement|tweet|press release|speech)\b.{0,60}\b(saying|that says|in which|claiming|stating|where)\b",
    r"\b(fake|forged|fabricated|fictional|made-up|counterfeit|bogus)\b\s+(\w+\s+){0,3}(response|reply|letter|email|e-mail|document|notice|report|quote|statement|announcement|minutes|transcript)\b",
    r"\bformatted so it looks (official|real|genuine)\b", r"\bput words in\b", r"\bquote (him|her|them) (as )?saying\b", r"\bfictional (quote|statement)",
    r"\b(pretend|imagine) (that )?.{0,40}\b(said|says|wrote)\b",
)
WRONGDOING = _rx(
    r"\b(fake|forge|fraudulent|bogus|false)\b.{0,30}\bsignatures?\b",
    r"\bsign\b.{0,40}\b(multiple|many|several|twice|more than once|hundreds|thousands)\b.{0,20}\b(times|names|accounts|emails)?",
    r"\b(multiple|many|fake|throwaway|disposable)\s+(email|e-mail)?\s*(accounts|addresses|identities)\b",
    r"\b(bots?|scripts?|automate)\b.{0,40}\b(sign|signatures?|petition|votes?)\b",
    r"\bimpersonat\w*\b", r"\bpretend(ing)? to be\b.{0,60}\b(mp|minister|official|nhs|government|doctor|council)",
    r"\b(login|log-in|password|passwords|credentials|bank details)\b", r"\blots of times\b", r"\bdifferent (email|e-mail) addresses\b", r"\b(hack|dox|doxx|harass|threaten|intimidate|bribe)\w*\b",
    r"\b(rig|manipulate|inflate)\b.{0,30}\b(petition|signatures?|count|votes?)\b",
    r"\bget (around|round)\b.{0,30}\b(one signature|limit|verification|rules)\b",
)
OPINION = _rx(
    r"\b(who|which (party|candidate|mp))\b.{0,30}\b(should|to) i vote\b", r"\bhow should i vote\b",
    r"\bshould i (vote|support|oppose|sign|back)\b", r"\bvote for\b",
    r"\b(what|how) do you (think|feel|believe|reckon)\b", r"\byour (own |personal |honest )?(opinion|view|views|stance|position|take)\b",
    r"\bdo you (support|oppose|agree|like|prefer|believe)\b", r"\bare you (for|against|in favour)\b",
    r"\b(is|was|are) (the bill|the white paper|it|this|ics|icss|the reforms?)\b.{0,20}\b(good|bad|right|wrong) (thing|idea)\b",
    r"\b(good|bad) or (good|bad)\b", r"\bwhich side is right\b", r"\bwho is right\b", r"\btell me what to think\b",
)
ABOUT = _rx(
    r"\bwhat (documents|sources|texts|papers|material)\b.{0,30}\b(do you|you) (have|hold|use|know)\b",
    r"\b(which|what) (documents|sources)\b.{0,20}\b(are you|do you)\b", r"\blist (your|the) (documents|sources)\b",
    r"\bwhat can you do\b", r"\bwho (are|made) you\b", r"\bwhat are you\b", r"\bhow do you work\b",
    r"\bwhat do you know about\?*$", r"\bwhere do your answers come from\b",
)
GREETING = _rx(r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|thanks?|thank you|cheers)\b[\s!.,]*(there)?[\s!.]*$")
# tasks outside answering from the documents, whatever their subject
OFF_TASK = _rx(
    r"\b(write|generate|give me)\b.{0,20}\b(python|javascript|sql|code|script|program)\b", r"\bscrape\b",
    r"\b(write|compose)\b.{0,20}\b(poem|song|limerick|story|essay)\b",
)
OFF_TOPIC = _rx(
    r"\brecipe\b", r"\bweather\b", r"\bfootball\b", r"\bpremier league\b", r"\bhoroscope\b", r"\bjoke\b",
    r"\bpoem\b", r"\bsong lyrics\b", r"\b(python|javascript|sql) (code|script|function)\b", r"\bwrite (me )?(some )?code\b",
    r"\bcapital of\b", r"\bstock (price|market)\b", r"\bbitcoin\b", r"\bhomework\b", r"\btranslate\b",
    r"\bmedical advice\b", r"\bdiagnos(e|is)\b", r"\bsymptoms? of\b", r"\bdose\b", r"\bcook\b",
)
# Words that tie a question to the subject even when the corpus happens not to use them.
DOMAIN = frozenset(tokenize(
    "nhs health care bill act white paper ics icss icb icbs ccg ccgs integrated integration lga council councils "
    "government minister ministers secretary of state parliament petition petitions mp mps hospital hospitals gp gps "
    "social commissioning trust trusts privatisation private reform reforms dhsc england local authority authorities "
    "campaign campaigners stevens care england pulse public accountability partnership partnerships board boards "
    "doctors nurses patients staff funding budget pfi legislation debate consultation covid pandemic"
))

REFUSALS = {
    "opinion": "I don't give personal opinions or advice on how to vote. I can show you what each side says — "
               "for example the Government's response, the LGA's view or the campaigners' arguments — with the passages cited.",
    "invent": "I can't invent or alter quotes or evidence. I only quote the documents word for word, and every quote is cited "
              "so you can check it. Ask me what someone actually said.",
    "wrongdoing": "I can't help with that: faking or multiplying petition signatures, impersonation or similar would be dishonest "
                  "and may be unlawful. I can explain what the petitions and the Government's response say.",
    "injection": "I treat the text of a question as a question, not as instructions, so I won't change how I work. "
                 "Ask me something about the documents and I'll answer from them with citations.",
    "off_topic": "That's outside what I cover.",
    "greeting": "Hello!",
}


def route(question: str, vocabulary: frozenset[str] = frozenset()) -> Route:
    """Decide how to handle a question before any retrieval."""
    q = question.strip()
    for kind, rx in ((RouteKind.INJECTION, INJECTION), (RouteKind.WRONGDOING, WRONGDOING), (RouteKind.INVENT, INVENT),
                     (RouteKind.OPINION, OPINION)):
        if rx.search(q):
            return Route(kind, f"{REFUSALS[kind]}\n\n{CAPABILITY}")
    if OFF_TASK.search(q):
        return Route(RouteKind.OFF_TOPIC, f"{REFUSALS['off_topic']} {CAPABILITY}")
    if ABOUT.search(q):
        return Route(RouteKind.ABOUT)
    if GREETING.search(q):
        return Route(RouteKind.GREETING, f"{REFUSALS['greeting']} {CAPABILITY}")
    toks = set(tokenize(q))
    on_topic = bool(toks & DOMAIN)
    if not on_topic and (OFF_TOPIC.search(q) or not (toks & vocabulary) or len(toks & vocabulary) < max(1, len(toks) // 2)):
        return Route(RouteKind.OFF_TOPIC, f"{REFUSALS['off_topic']} {CAPABILITY}")
    return Route(RouteKind.RETRIEVE)
