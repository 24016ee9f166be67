"""HTML for the web chat, built from plain data with every piece of text escaped.

Pure functions: dicts in, HTML strings out. Nothing from a question or a document
ever reaches the page unescaped; the only markup is what this module writes:
`**bold**`, `*italic*`, `- ` list items and `[n]` citation links (only for numbers
that are citations of the answer). A Markdown link such as `[x](javascript:…)` stays
text because links are never parsed from answer text, and source links are only
written for `http(s)` addresses from the manifest.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape

from ..types import Note

KIND_LABELS = {
    "government": "Government", "parliament": "Parliament", "local_government": "Local government",
    "nhs": "NHS", "sector_body": "Sector body", "news": "News", "campaign": "Campaign",
}
CITE = re.compile(r"\[(\d{1,3})\]")
BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
# Drawn, not emoji: a machine without an emoji font would show empty boxes.
_THUMB = ('<svg class="thumb" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="18" height="18"{t}>'
          '<path fill="currentColor" d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3a1.5 1.5 0 0 0-.5-1.1L13.2 1 '
          '6.6 7.6A2 2 0 0 0 6 9v10a2 2 0 0 0 2 2h9a2 2 0 0 0 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"/></svg>')
THUMB_UP = _THUMB.format(t="")
THUMB_DOWN = _THUMB.format(t=' style="transform: rotate(180deg)"')
BEHAVIOUR_NOTES = {   # shown after "Answer n" so a non-answer is never mistaken for one
    "abstain": "not found in the documents",
    "refuse_or_redirect": "declined",
}


def esc(text) -> str:
    return escape(str(text), quote=True)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def badge(kind: str) -> str:
    return f'<span class="badge kind-{esc(kind)}">{esc(kind_label(kind))}</span>'


def nice_date(iso: str) -> str:
    """'2021-08-06' -> '6 August 2021' (unchanged if it is not an ISO date)."""
    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso or "")
    return f"{d.day} {d.strftime('%B %Y')}"


def safe_url(url: str) -> str:
    """The address if it is http(s), else "" (never a javascript: or data: link)."""
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s\"'<>]+$", url, re.I) else ""


def source_id(turn: int, n: int) -> str:
    return f"src-{turn}-{n}"


def inline(text: str, turn: int, cites: dict[int, dict]) -> str:
    """Escape one line of answer text, then add the few marks this module allows."""
    out = esc(text)
    out = BOLD.sub(r"<strong>\1</strong>", out)
    out = ITALIC.sub(r"<em>\1</em>", out)

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        c = cites.get(n)
        if c is None:
            return m.group(0)
        return (f'<a class="cite" href="#{source_id(turn, n)}" data-n="{n}" '
                f'aria-label="Source {n}: {esc(c.get("speaker", ""))}">[{n}]</a>')

    return CITE.sub(link, out)


# ---- answer structure

def units(text: str) -> list[tuple[str, int, str]]:
    """Split answer text into streamable units: (kind, block number, text), kind "p" or "li".

    Every other line starts a new block; `- ` lines are list items of the block above.
    """
    out, block = [], -1
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            out.append(("li", max(block, 0), line[2:]))
        else:
            block += 1
            out.append(("p", block, line))
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def first_cited(text: str, cites: dict[int, dict]) -> dict | None:
    for m in CITE.finditer(text):
        c = cites.get(int(m.group(1)))
        if c:
            return c
    return None


def is_comparison(turn: dict) -> bool:
    """The answer stage found the question asks to compare sides (a note on the answer, not re-read here)."""
    return Note.COMPARISON in (turn.get("notes") or ())


def viewpoint_notice(turn: dict) -> str:
    """The "one side only" statement for a contested question, or ""."""
    if turn.get("behaviour") != "answer" or not turn.get("citations"):
        return ""
    kinds = {c.get("speaker_kind") for c in turn["citations"]}
    one_side = Note.ONE_SIDE in (turn.get("notes") or ()) or (is_comparison(turn) and len(kinds) < 2)
    if not one_side:
        return ""
    names = list(dict.fromkeys(c.get("speaker", "") for c in turn["citations"]))
    side = ", ".join(kind_label(k) for k in sorted(k for k in kinds if k))
    return (f'<p class="notice one-side" role="note"><strong>Evidence from one side only.</strong> '
            f'Every passage found for this question comes from {esc(side)} sources ({esc("; ".join(names))}). '
            f'The documents may not give the other side\'s view on this point — try rephrasing, or use the filters '
            f'to look in other kinds of source.</p>')


def contested(turn: dict) -> bool:
    """Group by speaker when the answer draws on more than one kind of voice, or the question compares."""
    cites = turn.get("citations") or []
    speakers = {c.get("speaker_id") for c in cites}
    kinds = {c.get("speaker_kind") for c in cites}
    return turn.get("behaviour") == "answer" and len(speakers) > 1 and (len(kinds) > 1 or is_comparison(turn))


def _blocks_html(items: list[tuple[str, int, str]], turn_no: int, cites: dict[int, dict]) -> str:
    html, open_list = [], False
    for kind, _, text in items:
        if kind == "li":
            if not open_list:
                html.append("<ul>")
                open_list = True
            html.append(f'<li class="unit">{inline(text, turn_no, cites)}</li>')
        else:
            if open_list:
                html.append("</ul>")
                open_list = False
            html.append(f'<p class="unit">{inline(text, turn_no, cites)}</p>')
    if open_list:
        html.append("</ul>")
    return "".join(html)


def answer_body(turn: dict, upto: int | None = None) -> str:
    """The answer's text as HTML; `upto` shows only the first units (streaming)."""
    n = turn["n"]
    cites = {c["n"]: c for c in turn.get("citations") or []}
    items = units(turn.get("text", ""))
    shown = items if upto is None else items[:upto]
    if not contested(turn):
        return _blocks_html(shown, n, cites)
    groups: dict[str, list] = {}
    heads: dict[str, dict] = {}
    block_speaker: dict[int, str] = {}
    for kind, block, text in items:
        if block not in block_speaker:
            c = first_cited(text, cites)
            block_speaker[block] = c.get("speaker_id", "") if c else ""
            if c:
                heads.setdefault(block_speaker[block], c)
    for item in shown:
        groups.setdefault(block_speaker[item[1]], []).append(item)
    cols = []
    for sid, items_ in groups.items():
        c = heads.get(sid, {})
        cols.append(f'<section class="viewpoint" aria-label="{esc(c.get("speaker", "Other"))}">'
                    f'<h3>{badge(c.get("speaker_kind", ""))} {esc(_cap(c.get("speaker_label") or c.get("speaker", "")))}</h3>'
                    + (f'<p class="speaker-full">{esc(c.get("speaker", ""))}</p>' if c.get("speaker_label") else "")
                    + f'{_blocks_html(items_, n, cites)}</section>')
    return f'<div class="viewpoints">{"".join(cols)}</div>'


def filters_line(filters: dict, doc_titles: dict[str, str]) -> str:
    parts = []
    if filters.get("kinds"):
        parts.append("only " + ", ".join(kind_label(k) for k in filters["kinds"]) + " sources")
    if filters.get("doc_id"):
        parts.append("only “" + doc_titles.get(filters["doc_id"], filters["doc_id"]) + "”")
    return f'<p class="filters-used">Searched {esc("; ".join(parts))}.</p>' if parts else ""


def feedback_html(turn: dict) -> str:
    n = turn["n"]
    if turn.get("feedback"):
        word = "helpful" if turn["feedback"] == "up" else "not helpful"
        return f'<p class="feedback-done" role="status">Thank you — your feedback ({word}) was saved.</p>'
    return (f'<div class="feedback" role="group" aria-label="Feedback on answer {n}">'
            f'<label for="fb-comment-{n}">Comment on answer {n} (optional)</label>'
            f'<textarea id="fb-comment-{n}" rows="1" maxlength="1000"></textarea>'
            f'<div class="feedback-buttons">'
            f'<button type="button" class="rate" data-turn="{n}" data-rate="up">{THUMB_UP} Helpful</button>'
            f'<button type="button" class="rate" data-turn="{n}" data-rate="down">{THUMB_DOWN} Not helpful</button>'
            f'</div></div>')


def turn_html(turn: dict, doc_titles: dict[str, str], upto: int | None = None) -> str:
    """One exchange: the question as asked, then the answer (partial while streaming)."""
    n = turn["n"]
    behaviour = turn.get("behaviour", "")
    pending = behaviour == "pending"
    body = '<p class="searching">Searching the documents…</p>' if pending else answer_body(turn, upto)
    done = not pending and (upto is None or upto >= len(units(turn.get("text", ""))))
    note = BEHAVIOUR_NOTES.get(behaviour, "")
    return (f'<article class="turn {esc(behaviour)}" id="ans-{n}" aria-labelledby="q-{n}">'
            f'<div class="question"><span class="who">You asked</span>'
            f'<p id="q-{n}" class="q-text">{esc(turn.get("question", ""))}</p></div>'
            f'<div class="answer" aria-busy="{"false" if done else "true"}"><span class="who">Answer {n}'
            + (f' — <span class="behaviour-note">{esc(note)}</span>' if note and not pending else "")
            + '</span>' + body
            + (viewpoint_notice(turn) if done else "")
            + (filters_line(turn.get("filters") or {}, doc_titles) if not pending else "")
            + (feedback_html(turn) if done else "")
            + "</div></article>")


def transcript_html(turns: list[dict], doc_titles: dict[str, str], live: dict | None = None, upto: int | None = None) -> str:
    parts = [turn_html(t, doc_titles) for t in turns]
    if live is not None:
        parts.append(turn_html(live, doc_titles, upto))
    if not parts:
        return ('<div class="empty-chat"><p>Ask a question about England\'s 2021–22 NHS reforms. Every sentence of an answer '
                'is quoted word for word from a document, with a numbered link to the passage, who said it and when.</p></div>')
    return "".join(parts)


# ---- sources panel

def highlighted_passage(passage: str, quote: str) -> str:
    """The passage with the cited sentence marked; plain escaped text otherwise."""
    passage = passage.strip()
    i = passage.find(quote) if quote else -1
    if i < 0:
        return esc(passage)
    return f"{esc(passage[:i])}<mark>{esc(quote)}</mark>{esc(passage[i + len(quote):])}"


def source_card(turn_no: int, c: dict) -> str:
    url = safe_url(c.get("url", ""))
    where = f", page {int(c['page'])}" if c.get("page") else ""
    link = (f'<a class="official" href="{esc(url)}" target="_blank" rel="noopener noreferrer">Official address'
            f'<span class="sr-only"> of “{esc(c.get("title", ""))}” (opens in a new tab)</span></a>'
            if url else '<span class="no-link">No official web address for this document.</span>')
    section = f'<p class="section">Section: {esc(c["section"])}</p>' if c.get("section") else ""
    return (f'<article class="source-card" id="{source_id(turn_no, c["n"])}" tabindex="-1" '
            f'aria-label="Source {c["n"]} for answer {turn_no}">'
            f'<p class="speaker-line"><span class="num">[{c["n"]}]</span> <span class="lbl">Speaker:</span> '
            f'<span class="speaker">{esc(c.get("speaker", ""))}</span> '
            f'<span class="sr-only">kind of speaker:</span>{badge(c.get("speaker_kind", ""))}</p>'
            f'<p class="doc-line"><span class="lbl">Document:</span> <cite class="title">{esc(c.get("title", ""))}</cite> '
            f'<span class="sr-only">kind of document:</span>{badge(c.get("kind", ""))}</p>'
            f'<p class="meta"><span class="lbl">Published by</span> {esc(c.get("publisher", ""))} · '
            f'<time datetime="{esc(c.get("date", ""))}">{esc(nice_date(c.get("date", "")))}</time>{esc(where)}</p>{section}'
            f'<blockquote class="passage">{highlighted_passage(c.get("passage", ""), c.get("quote", ""))}</blockquote>'
            f'<p class="card-links">{link} <a class="back" href="#ans-{turn_no}">Back to answer {turn_no}</a></p>'
            f'</article>')


def sources_html(turns: list[dict]) -> str:
    """Source cards for every answer of the conversation, newest answer first."""
    sections = []
    for t in reversed(turns):
        cites = t.get("citations") or []
        if not cites:
            continue
        sections.append(f'<section class="sources-for" aria-labelledby="sh-{t["n"]}">'
                        f'<h3 id="sh-{t["n"]}">Answer {t["n"]}: “{esc(t.get("question", ""))}”</h3>'
                        + "".join(source_card(t["n"], c) for c in cites) + "</section>")
    if not sections:
        return '<p class="sources-empty">The passages an answer quotes appear here, with who said them and when.</p>'
    return "".join(sections)


# ---- about panel

def about_html(documents, date_range: tuple[str, str], caveat: str = "") -> str:
    """Every document in the corpus with publisher, date and link, and the corpus's limits."""
    items = []
    held = sum(1 for d in documents if d.status != "not_fetched")
    for d in sorted(documents, key=lambda d: d.date):
        url = safe_url(d.url)
        link = (f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">Official address'
                f'<span class="sr-only"> of “{esc(d.title)}” (opens in a new tab)</span></a>'
                if url else '<span class="no-link">no official web address</span>')
        state = '<p class="not-held">Listed only: its text is not held, so answers never quote it.</p>' \
            if d.status == "not_fetched" else ""
        note = f'<details><summary>About this date</summary><p>{esc(d.date_note)}</p></details>' if d.date_note else ""
        items.append(f'<li><p class="doc-title">{esc(d.title)}</p>'
                     f'<p class="doc-meta">{badge(d.kind)} {esc(d.publisher)} · '
                     f'<time datetime="{esc(d.date)}">{esc(nice_date(d.date))}</time> · {link}</p>{state}{note}</li>')
    first, last = (nice_date(x).split(" ", 1)[-1] for x in date_range)
    return (f'<div class="about"><p class="limits"><strong>What these answers rest on.</strong> The assistant answers only from '
            f'the {held} documents below, quoting them word for word. They date from {esc(first)} to {esc(last)}'
            f'{" (" + esc(caveat) + ")" if caveat else ""}, so nothing later is covered, '
            f'including the Health and Care Act 2022 as passed. The documents are campaign, news, council and government '
            f'texts, not legal advice; check the official sources before relying on them.</p>'
            f'<h3 class="doc-list-title">Documents in the corpus</h3><ul class="doc-list">{"".join(items)}</ul></div>')


def status_html(message: str = "", kind: str = "info") -> str:
    """A polite live region for friendly messages (empty question, too long, saved feedback)."""
    cls = "status-msg " + ("error" if kind == "error" else "info")
    return f'<div class="{cls}" role="status" aria-live="polite">{esc(message)}</div>'
