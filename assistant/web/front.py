"""The first screen: what the assistant holds (derived from the corpus), the document list one tap away,
and example questions that show the range — a date, a comparison, a follow-up.
"""

from __future__ import annotations

from .markup import badge, esc, kind_label, month_year, official_link, time_tag

TITLE = "NHS reform documents: cited answers"
# (label shown before the question, the question, a follow-up asked after it or "")
EXAMPLES = (
    ("A date", "Pausing petition, Government response: which day?", ""),
    ("A comparison", "Government versus petitioners, on pausing the White Paper.", ""),
    ("A follow-up", "Integrated Care Boards: what will they do?", "And what is the view of councils?"),
    ("A list", "List Care England's five areas.", ""),
)


def example_label(kind: str, question: str, then: str) -> str:
    return f"{kind}: {question}" + (f" → then: {then}" if then else "")


def held(documents) -> list:
    return [d for d in documents if d.text]


def scope_sentence(documents) -> str:
    """'Answers come only from 7 documents dated May 2020 to November 2021 …' (plain text)."""
    have = held(documents)
    if not have:
        return "No documents are held yet, so there is nothing to answer from."
    dates = sorted(d.date for d in have)
    kinds = list(dict.fromkeys(kind_label(d.kind).lower() for d in sorted(have, key=lambda d: d.kind)))
    return (f"Answers come only from {len(have)} documents dated {month_year(dates[0])} to {month_year(dates[-1])} "
            f"({', '.join(kinds)} texts), quoted verbatim; nothing later is covered, and it gives no opinions or advice.")


def missing_sentence(documents) -> str:
    missing = [d for d in documents if not d.text]
    if not missing:
        return ""
    names = "; ".join(f"“{d.title}” ({d.publisher}, {month_year(d.date)})" for d in missing)
    return f"Not held yet: {names} — listed, but its text has not been fetched, so answers never quote it."


def documents_list(documents) -> str:
    items = []
    for d in sorted(documents, key=lambda d: d.date):
        state = ('<p class="not-held">Listed only: its text is not held, so answers never quote it.</p>'
                 if not d.text else "")
        note = f'<p class="date-note">About this date: {esc(d.date_note)}</p>' if d.date_note else ""
        items.append(f'<li><p class="doc-title">{esc(d.title)}</p>'
                     f'<p class="doc-meta">{badge(d.kind)} {esc(d.publisher)} · {time_tag(d.date)} · '
                     f'{official_link(d.url, d.title)}</p>{state}{note}</li>')
    return f'<ul class="doc-list">{"".join(items)}</ul>'


def list_summary(documents) -> str:
    have, missing = len(held(documents)), len(documents) - len(held(documents))
    return (f"The {have} documents" + (f" (and {missing} listed only)" if missing else "")
            + ": titles, dates and official links")


def header_html(documents) -> str:
    """Title, what the answers rest on, what is missing, and the documents behind a single tap."""
    missing = missing_sentence(documents)
    return (f'<header class="site-header"><h1>{esc(TITLE)}</h1>'
            f'<p class="scope" id="scope-line">{esc(scope_sentence(documents))}</p>'
            + (f'<p class="missing">{esc(missing)}</p>' if missing else "")
            + f'<details class="doc-details" id="documents"><summary>{esc(list_summary(documents))}</summary><p class="limits">These are campaign, news, council, Parliament and Government texts, '
            f'not legal advice; check the official sources before relying on them.</p>{documents_list(documents)}'
            f'</details></header>')
