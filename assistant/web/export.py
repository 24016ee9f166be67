"""A conversation as Markdown, to keep: every question, every quote with its [n], and for every
citation the speaker, document, publisher, date, section or page and official address.

Text from questions and documents is escaped so that it stays text in any Markdown viewer (a
question such as `[x](javascript:…)` is not a link once exported).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..types import NOT_COVERED_TEXT, Behaviour, Citation, Note, page_url, speaker_blocks
from .conversation import Turn
from .front import TITLE
from .markup import BOLD, ITALIC, kind_label, nice_date
from .view import SUMMARY_OF_OTHER_TEXT

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def md(text: str) -> str:
    """Markdown-escape one line of text (runs of whitespace, newlines too, become one space)."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))


def message_md(text: str) -> list[str]:
    """The assistant's own message (a refusal, the documents held), line by line, its emphasis dropped."""
    out = []
    for line in text.split("\n"):
        plain = ITALIC.sub(r"\1", BOLD.sub(r"\1", line.strip()))
        out.append("- " + md(plain[2:]) if plain.startswith("- ") else md(plain))
    return out


def citation_md(c: Citation) -> str:
    """`- [1] “quote” — speaker (kind). *Title*, publisher, date, section. <url>` on one line."""
    d = c.document
    where = [f"p. {c.chunk.page}"] if c.chunk.page else []
    if c.chunk.section:
        where.append(f"section “{md(c.chunk.section)}”")
    url = page_url(d.url, c.chunk.page)
    link = f" <{url}>" if re.match(r"^https?://[^\s<>]+$", url) else " (no official web address)"
    return (f"- [{c.n}] “{md(c.quote)}” — {md(c.speaker.name)} ({kind_label(c.speaker.kind)}). *{md(d.title)}*, "
            f"{md(d.publisher)}, {nice_date(d.date)}" + (", " + ", ".join(where) if where else "") + "." + link)


def turn_md(t: Turn, docs: dict, speakers: dict[str, str]) -> str:
    a = t.answer
    out = [f"## {t.n}. {md(a.question.strip())}", ""]
    limits = [kind_label(k) for k in t.scope.kinds]
    if t.scope.doc_id in docs:
        limits.append(f"“{docs[t.scope.doc_id].title}”")
    limits += [speakers.get(s, s) for s in t.scope.speakers]
    if limits:
        out += [f"*Searched only: {md('; '.join(limits))}.*", ""]
    if a.behaviour == Behaviour.ABSTAIN:
        out += [f"**Not found in the documents.** {NOT_COVERED_TEXT} Closest passages (not an answer):", ""]
        for h in a.hits[:3]:
            d = docs.get(h.chunk.doc_id)
            if d is not None:
                out.append(f"- *{md(d.title)}* ({md(d.publisher)}, {nice_date(d.date)}): "
                           f"“{md(' '.join(h.chunk.text.split()[:30]))}…”")
        return "\n".join(out)
    if not a.statements:
        label = ["**Declined.**", ""] if a.behaviour == Behaviour.REFUSE else []
        return "\n".join(out + label + message_md(a.text))
    if Note.CONTESTED in a.notes:
        out += [f"*Contested: {len(a.sides)} sides found ({', '.join(kind_label(k) for k in a.sides)}).*", ""]
    elif Note.ONE_SIDE in a.notes:
        out += [f"*Only one side found ({', '.join(kind_label(k) for k in a.sides)}).*", ""]
    if Note.SUMMARY_OF_OTHER in a.notes:
        out += [f"*{SUMMARY_OF_OTHER_TEXT}*", ""]
    for block in speaker_blocks(a.statements):
        sp = block[0].speaker
        dates = ", ".join(dict.fromkeys(nice_date(s.citation.document.date) for s in block))
        out.append(f"**{md(sp.label[:1].upper() + sp.label[1:])}** ({kind_label(sp.kind)}, {dates}):")
        for s in block:
            q = s.citation.quote
            if s.answer_span:
                a0, b0 = s.answer_span
                quote = f"{md(q[:a0])}**{md(q[a0:b0])}**{md(q[b0:])}"
            else:
                quote = md(q)
            out.append(f"{'    - ' if s.is_item else '- '}“{quote}” [{s.citation.n}]")
        out.append("")
    out += ["Sources:", ""] + [citation_md(c) for c in a.citations]
    return "\n".join(out)


def conversation_md(turns: list[Turn], docs: dict, speakers: dict[str, str], now: datetime | None = None) -> str:
    """The whole conversation, oldest first (`docs`: id → Document; `speakers`: id → label)."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    head = [f"# {TITLE}", "", f"Conversation exported {stamp}. Every quotation is verbatim from the document cited.", ""]
    if not turns:
        return "\n".join(head + ["(No questions asked yet.)", ""])
    return "\n".join(head) + "\n" + "\n\n".join(turn_md(t, docs, speakers) for t in turns) + "\n"
