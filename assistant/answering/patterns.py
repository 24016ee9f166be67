r"""The forms an answering sentence can take: dates, figures, sums of money, names.

    >>> bool(DATE_RX.search("This response was given on 6 August 2021"))
    True
    >>> bool(FIGURE_RX.search("16,019 signatures")), bool(FIGURE_RX.search("on 6 August 2021"))
    (True, False)
    >>> bool(MONEY_RX.search("a £5m fund")), [m.group(0) for m in NAME_RX.finditer("led by Margaret Greenwood MP.")]
    (True, ['Margaret Greenwood MP'])
"""

from __future__ import annotations

import re

MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
DATE_RX = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b|\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b(?:{MONTHS})\s+\d{{4}}\b"
    rf"|\b(?:19|20)\d{{2}}\b|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b|\b(?:{DAYS})\b|\b(?:last|next|this) (?:week|month|year|spring|summer|autumn|winter)\b"
    rf"|\b\d{{1,2}}(?:\.\d{{2}})?\s*(?:am|pm)\b",
    re.I)
YEAR_RX = re.compile(r"\b(?:19|20)\d{2}\b")   # "what year" wants one: "24 October" is a date, not an answer
_NUMBER = re.compile(r"(?<![\w£$])\d[\d,]*(?:\.\d+)?(?:\s*(?:k|%|per ?cent|million|billion|thousand))?\b|\b(?:one|two|three|four|five|six|"
                     r"seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)\b",
                     re.I)
MONEY_RX = re.compile(r"£\s?\d|\$\s?\d|\b\d[\d,.]*\s*(?:pounds|million|billion|bn|m)\b", re.I)
# two or more capitalised words (joined by "of/and/for/the"), or a titled person: "Sir Simon Stevens", "Care England"
NAME_RX = re.compile(r"\b(?:Sir|Dame|Lord|Baroness|Professor|Dr|Mr|Mrs|Ms)\s+[A-Z]\w+(?:\s+[A-Z]\w+)*"
                     r"|\b[A-Z][\w’'-]*(?:\s+(?:of|and|for|the|on)?\s*[A-Z][\w’'-]*)+")


TITLES = r"(?:Sir|Dame|Lord|Lady|Baroness|Professor|Prof|Dr|Mr|Mrs|Ms|Miss|Cllr|Councillor)"
_TITLED = re.compile(rf"\b{TITLES}\.?\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*|\b[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?\s+MP\b")
_CAPITALISED = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)+")
_WORD = re.compile(r"[A-Za-z][a-z’'-]*")


class PersonNames:
    """A person's name: a titled one ("Sir Simon Stevens", "Professor Martin Green", "Will Quince MP"), or two or more capitalised
    words none of which the corpus ever writes in lower case ("Margaret Greenwood", not "Care England" or
    "Long Term Plan"). A sentence's first word is capitalised anyway, so it does not count. `search` and `finditer`
    like a pattern. `common` (the words the corpus writes in lower case) is read on first use.

    >>> names = PersonNames(lambda: ["care is given", "a long term plan", "thanks"])
    >>> [m.group(0) for m in names.finditer("Thanks Jayne Smith. Care England and Dr Jo Bloggs, Long Term Plan.")]
    ['Jayne Smith', 'Dr Jo Bloggs']
    """

    def __init__(self, texts=lambda: ()):
        self._texts = texts
        self._common: frozenset[str] | None = None

    @property
    def common(self) -> frozenset[str]:
        if self._common is None:
            self._common = frozenset(w for t in self._texts() for w in _WORD.findall(t) if w.islower())
        return self._common

    def finditer(self, text: str):
        """The names in `text`, in reading order."""
        titled = list(_TITLED.finditer(text))
        found = list(titled)
        for m in _CAPITALISED.finditer(text):
            if any(m.start() < t.end() and t.start() < m.end() for t in titled):
                continue
            ws = m.group(0).split()
            if m.start() == 0 or text[:m.start()].rstrip().endswith((".", "!", "?", ":", "“", '"')):
                if len(ws) < 3:
                    continue
                # a sentence's first word is capitalised whatever it is: the name is the rest of the run
                m, ws = _CAPITALISED.search(text, m.start() + m.group(0).index(ws[1], len(ws[0]))), ws[1:]
            if not any(w.lower() in self.common for w in ws):
                found.append(m)
        return iter(sorted(found, key=lambda m: m.start()))

    def search(self, text: str):
        return next(self.finditer(text), None)


class _Figure:
    """A figure that is not part of a date ("16,019", "ten-year", "50%"); `search` like a pattern."""

    @staticmethod
    def search(text: str):
        return _NUMBER.search(DATE_RX.sub(lambda m: " " * len(m.group(0)), text))   # same length: spans still align


FIGURE_RX = _Figure()
LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s")


def is_item_at(text: str, start: int) -> bool:
    """The sentence starting at `start` of a passage's text is a list item ("- …", "2. …").

    >>> is_item_at("Five areas:\\n1. A plan.", 15), is_item_at("Five areas:\\n1. A plan.", 0)
    (True, False)
    """
    return bool(LIST_MARK.match(text[text.rfind("\n", 0, start) + 1:start + 1]))

# a sentence that continues the one before it: "He said…", "This…", "They also…"
CONTINUES = re.compile(r"^[‘'“\"]?(?:he|she|it|they|this|these|that|those|its|their|his|her|such)\b", re.I)

# a sentence that itself asks ("Who benefits?"): a passage's rhetorical question states nothing, so it answers nothing
ASKING = re.compile(r"\?[\s’'”\")]*$")
