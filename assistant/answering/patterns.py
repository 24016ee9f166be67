r"""Regular expressions the answer stage reads questions and sentences with.

    >>> bool(DATE_RX.search("This response was given on 6 August 2021"))
    True
    >>> bool(ASKS_DATE.search("When did the Government respond?"))
    True
"""

from __future__ import annotations

import re

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
