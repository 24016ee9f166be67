"""The few HTML pieces every part of the page shares, each escaping what it is given.

Nothing from a question or a document reaches the page unescaped: text goes through `esc`,
links only through `safe_url` (http(s) addresses from the manifest), and the only markup is
what these modules write.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape

KIND_LABELS = {
    "government": "Government", "parliament": "Parliament", "local_government": "Local government",
    "nhs": "NHS", "sector_body": "Sector body", "news": "News", "campaign": "Campaign",
}


def esc(text) -> str:
    return escape(str(text), quote=True)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, str(kind).replace("_", " ").capitalize())


def badge(kind: str) -> str:
    return f'<span class="badge kind-{esc(kind)}">{esc(kind_label(kind))}</span>'


def nice_date(iso: str) -> str:
    """'2021-08-06' -> '6 August 2021' (unchanged if it is not an ISO date)."""
    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso or "")
    return f"{d.day} {d.strftime('%B %Y')}"


def month_year(iso: str) -> str:
    """'2021-08-06' -> 'August 2021'."""
    return nice_date(iso).split(" ", 1)[-1]


def time_tag(iso: str) -> str:
    return f'<time datetime="{esc(iso)}">{esc(nice_date(iso))}</time>'


def safe_url(url: str) -> str:
    """The address if it is http(s), else "" (never a javascript: or data: link)."""
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s\"'<>]+$", url, re.I) else ""


def official_link(url: str, title: str) -> str:
    url = safe_url(url)
    if not url:
        return '<span class="no-link">No official web address for this document.</span>'
    return (f'<a class="official" href="{esc(url)}" target="_blank" rel="noopener noreferrer">Official address'
            f'<span class="sr-only"> of “{esc(title)}” (opens in a new tab)</span></a>')


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def message_html(text: str) -> str:
    """A message the assistant wrote itself (a refusal, the documents held): paragraphs, `- ` items,
    `**bold**` and `*italic*`, everything else escaped. Answers are never rendered this way."""
    out, items = [], []

    def flush():
        if items:
            out.append("<ul>" + "".join(f"<li>{x}</li>" for x in items) + "</ul>")
            items.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        html = ITALIC.sub(r"<em>\1</em>", BOLD.sub(r"<strong>\1</strong>", esc(line.removeprefix("- "))))
        if line.startswith("- "):
            items.append(html)
        else:
            flush()
            out.append(f"<p>{html}</p>")
    flush()
    return "".join(out)
