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
    rf"|\b(?:19|20)\d{{2}}\b|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b|\b(?:{DAYS})\b|\b(?:last|next) (?:week|month|year)\b"
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


class _Figure:
    """A figure that is not part of a date ("16,019", "ten-year", "50%"); `search` like a pattern."""

    @staticmethod
    def search(text: str):
        return _NUMBER.search(DATE_RX.sub(lambda m: " " * len(m.group(0)), text))   # same length: spans still align


FIGURE_RX = _Figure()
LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s")
# a sentence that continues the one before it: "He said…", "This…", "They also…"
CONTINUES = re.compile(r"^[‘'“\"]?(?:he|she|it|they|this|these|that|those|its|their|his|her|such)\b", re.I)
