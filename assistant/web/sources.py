"""Where a quote comes from: the in-place citation panel under a statement, and the Sources panel.

The Sources panel holds the *current* answer's passages only, one card per passage, each listing the
sentences the answer cites from it. The same cards are written twice with different ids: once for the
sticky column on a wide screen, once directly under the answer for a phone (CSS shows one of them).
"""

from __future__ import annotations

from ..types import Answer, Citation, page_url
from .markup import badge, esc, official_link, time_tag


def panel_id(turn: int, n: int) -> str:
    return f"cp-{turn}-{n}"


def card_id(turn: int, k: int, prefix: str = "src") -> str:
    return f"{prefix}-{turn}-{k}"


def highlighted(passage: str, quotes: list[str]) -> str:
    """The passage, escaped, with each cited sentence in <mark> (first occurrence, left to right)."""
    passage = passage.strip()
    spans = []
    for q in quotes:
        i = passage.find(q) if q else -1
        if i >= 0 and not any(a < i + len(q) and i < b for a, b in spans):
            spans.append((i, i + len(q)))
    out, at = [], 0
    for a, b in sorted(spans):
        out.append(f"{esc(passage[at:a])}<mark>{esc(passage[a:b])}</mark>")
        at = b
    return "".join(out) + esc(passage[at:])


def where(c: Citation) -> str:
    parts = [f"page {int(c.chunk.page)}"] if c.chunk.page else []
    if c.chunk.section:
        parts.append(f"section “{c.chunk.section}”")
    return ", ".join(parts)


def cite_button(turn: int, c: Citation) -> str:
    """The [n] marker: a ≥44 px button that opens the passage in place (script: static/web.js)."""
    who = f"{c.speaker.name}, {c.document.title}"
    return (f'<button type="button" class="cite" data-turn="{turn}" data-n="{c.n}" aria-expanded="false" '
            f'aria-controls="{panel_id(turn, c.n)}"><span class="cite-chip">[{c.n}]</span>'
            f'<span class="sr-only"> show source {c.n}: {esc(who)}</span></button>')


def cite_panel(turn: int, c: Citation) -> str:
    """The passage under its statement, the cited sentence highlighted; hidden until its [n] is selected."""
    d = c.document
    loc = where(c)
    return (f'<div class="cite-panel" id="{panel_id(turn, c.n)}" role="region" tabindex="-1" '
            f'aria-label="Source {c.n} of answer {turn}" hidden>'
            f'<p class="cp-who"><span class="num">[{c.n}]</span> <strong>{esc(c.speaker.name)}</strong> '
            f'<span class="sr-only">kind of speaker:</span>{badge(c.speaker.kind)}</p>'
            f'<p class="cp-doc"><cite>{esc(d.title)}</cite> · {esc(d.publisher)} · {time_tag(d.date)}'
            + (f' · {esc(loc)}' if loc else "") + '</p>'
            + (f'<p class="cp-date-note">About this date: {esc(d.date_note)}</p>' if d.date_note else "")
            + f'<blockquote class="passage">{highlighted(c.chunk.text, [c.quote])}</blockquote>'
            f'<p class="cp-links">{official_link(page_url(d.url, c.chunk.page), d.title)}'
            f'<button type="button" class="cp-close" data-for="{panel_id(turn, c.n)}">Close source {c.n}</button></p>'
            f'</div>')


def passages(answer: Answer) -> list[tuple[Citation, list[Citation]]]:
    """One entry per cited passage, in order of first citation: (first citation, every citation of it)."""
    groups: dict[str, list[Citation]] = {}
    for c in answer.citations:
        groups.setdefault(c.chunk.id, []).append(c)
    return [(cs[0], cs) for cs in groups.values()]


def source_card(turn: int, k: int, cites: list[Citation], prefix: str = "src") -> str:
    c = cites[0]
    d = c.document
    nums = " ".join(str(x.n) for x in cites)
    head = f"{prefix}h-{turn}-{k}"
    loc = where(c)
    cited = "".join(f'<li><span class="num">[{x.n}]</span> “{esc(x.quote)}”</li>' for x in cites)
    return (f'<article class="source-card" id="{card_id(turn, k, prefix)}" data-cites="{nums}" tabindex="-1" '
            f'aria-labelledby="{head}">'
            f'<h4 class="title" id="{head}"><cite>{esc(d.title)}</cite></h4>'
            f'<p class="meta"><span class="sr-only">kind of document:</span>{badge(d.kind)} {esc(d.publisher)} · '
            f'{time_tag(d.date)}' + (f' · {esc(loc)}' if loc else "") + '</p>'
            f'<p class="speaker-line"><span class="lbl">Speaker:</span> <span class="speaker">{esc(c.speaker.name)}</span> '
            f'<span class="sr-only">kind of speaker:</span>{badge(c.speaker.kind)}</p>'
            f'<p class="lbl cited-title">Cited from this passage:</p><ul class="cited">{cited}</ul>'
            f'<details class="whole"><summary>Whole passage</summary>'
            f'<blockquote class="passage">{highlighted(c.chunk.text, [x.quote for x in cites])}</blockquote></details>'
            f'<p class="card-links">{official_link(page_url(d.url, c.chunk.page), d.title)}</p>'
            f'</article>')


def cards(turn: int, answer: Answer, prefix: str = "src") -> str:
    return "".join(source_card(turn, k, cs, prefix) for k, (_, cs) in enumerate(passages(answer), 1))


EMPTY = '<p class="sources-empty">The passages an answer quotes appear here, with who said them and when.</p>'


def sources_panel(turn: int | None, answer: Answer | None) -> str:
    """The wide screen's Sources column: the current answer's passages only."""
    if answer is None or not answer.citations:
        return EMPTY
    return (f'<section class="sources-for" aria-labelledby="sh-{turn}">'
            f'<h3 id="sh-{turn}">Answer {turn} quotes {plural(len(passages(answer)), "passage")}</h3>{cards(turn, answer)}</section>')


def plural(k: int, noun: str) -> str:
    return f"{k} {noun}" + ("" if k == 1 else "s")


def sources_here(turn: int, answer: Answer) -> str:
    """The same cards directly under the answer (shown on a phone, for the latest answer only)."""
    if not answer.citations:
        return ""
    return (f'<section class="sources-here" aria-labelledby="smh-{turn}">'
            f'<h3 id="smh-{turn}">Sources for answer {turn}</h3>{cards(turn, answer, "srcm")}</section>')
