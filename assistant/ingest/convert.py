"""Ingestion: a PDF, HTML, Markdown or plain-text file → a corpus Markdown file.

The output follows corpus/README.md: `# Title` first, `## `/`### `/`#### `
headings, one paragraph per line with blank lines between blocks, `- ` list
items, and `<!-- page: N -->` before each PDF page's text (N is the 1-based
page of the PDF file, the number a viewer's `#page=N` link opens).

Text stays verbatim. The only changes made to extracted text are:

- whitespace: lines of one paragraph are joined with one space, runs of
  spaces and tabs become one space (no-break spaces are kept);
- line-end hyphens: a soft hyphen (U+00AD) at a line end is dropped and the
  lines joined without a space; a hard hyphen after a letter and before a
  lower-case letter is kept and the lines are joined without a space
  ("well-" + "being" → "well-being"; a hyphenated "inte-" + "gration" stays
  "inte-gration", as printed);
- ligature glyphs ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ are written as their letters, and control
  characters are dropped;
- bullet glyphs (• ● ▪ ◦ ‣ ■ ➢ ➤ ► and the Symbol-font bullets) starting a line
  are written as `- ` (presentation, as in the curated files);
- PDF page furniture is dropped (see pdf.py).

PDF specifics (lines, paragraphs, headings) are in `pdf.py`.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ..corpus.markup import parse_blocks
from ..errors import IngestError
from .common import Converted, blocks_to_markdown, clean_text, fold_key, list_item
from .pdf import pdf_to_markdown




# ---------------------------------------------------------------- dispatch

def detect_format(data: bytes, content_type: str = "", name: str = "") -> str:
    """The file's format from its first bytes, its content type and its name. A file that claims
    to be a PDF stays "pdf" whatever it holds, so an HTML error page is refused, not ingested."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    ctype = content_type.split(";")[0].strip().lower()
    name = name.lower().rsplit("?", 1)[0]
    if ctype == "application/pdf" or name.endswith(".pdf"):
        return "pdf"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "html"
    if ctype in ("text/html", "application/xhtml+xml") or name.endswith((".html", ".htm")):
        return "html"
    if ctype == "text/markdown" or name.endswith((".md", ".markdown")):
        return "markdown"
    if ctype.startswith("text/") or name.endswith(".txt") or not ctype:
        return "text"
    raise IngestError(f"{name or 'the file'} has content type {ctype!r}: only PDF, HTML, Markdown and plain text can be added")


def convert(data: bytes, title: str, *, content_type: str = "", name: str = "",
            max_bytes: int = 50_000_000) -> Converted:
    """Convert one file to corpus Markdown; raise IngestError saying what is wrong and what to do."""
    label = name or "the file"
    if not data.strip():
        raise IngestError(f"{label} is empty: nothing to add")
    if len(data) > max_bytes:
        raise IngestError(f"{label} is {len(data):,} bytes, over the {max_bytes:,}-byte limit: raise HCB_FETCH_MAX_BYTES if it is genuine")
    fmt = detect_format(data, content_type, name)
    charset = _charset(content_type)
    if fmt == "pdf":
        out = pdf_to_markdown(data, title, label)
    elif fmt == "html":
        out = html_to_markdown(data, title, label, charset)
    else:
        out = text_to_markdown(_decode(data, label, charset), title, markdown=fmt == "markdown")
    if not parse_blocks(out.markdown, "-"):
        raise IngestError(f"{label} has no text: nothing to add")
    return out


def _charset(content_type: str) -> str:
    m = re.search(r"charset=([\w.-]+)", content_type, re.I)
    return m.group(1) if m else ""


def _decode(data: bytes, label: str, charset: str) -> str:
    try:
        return data.decode(charset or "utf-8-sig")
    except (UnicodeDecodeError, LookupError):
        raise IngestError(f"{label} is not UTF-8 text: re-save it as UTF-8") from None


# ---------------------------------------------------------------- text and Markdown

def text_to_markdown(text: str, title: str, markdown: bool) -> Converted:
    """Plain text and Markdown are kept as written; a leading `# ` title line is replaced by `title`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    lines = text.split("\n")
    if markdown and lines and lines[0].startswith("# "):
        lines = lines[1:]
    body = "\n".join(line.rstrip() for line in lines).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    return Converted(blocks_to_markdown(title, [body] if body.strip() else []), "markdown" if markdown else "text",
                     headings="markdown" if markdown else "none")


# ---------------------------------------------------------------- HTML

HTML_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "nav", "header", "footer",
                  "aside", "button", "input", "select", "textarea", "dialog")
HTML_DROP_ROLES = ("navigation", "banner", "contentinfo", "search", "complementary", "dialog")
# class/id fragments of page furniture (GOV.UK's design-system names and common ones)
HTML_DROP_HINTS = ("cookie", "breadcrumb", "skip-link", "govuk-header", "govuk-footer", "phase-banner",
                   "contents-list", "back-to-top", "share-links", "print-link", "feedback", "related-navigation",
                   "gem-c-metadata", "visually-hidden", "site-header", "site-footer", "sidebar")
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
          "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "ins", "del", "font", "acronym"}
PARAGRAPH_TAGS = {"p", "dt", "dd", "figcaption", "pre", "address", "caption", "summary"}


def html_to_markdown(data: bytes, title: str, label: str = "the page", charset: str = "") -> Converted:
    """The page's main content (`<main>`, `role=main`, `<article>`, `#content`, else `<body>`)
    without navigation, banners, cookie notices and footers; h2–h6 become headings."""
    soup = BeautifulSoup(data, "html.parser", from_encoding=charset or None)
    for el in soup.find_all(True):
        if el.decomposed:
            continue
        # class names only: ids of headings and sections are made from their (content) text
        hints = " ".join(el.get("class") or ()).lower() if not re.fullmatch(r"h[1-6]", el.name) else ""
        if (el.name in HTML_DROP_TAGS or el.get("role") in HTML_DROP_ROLES or el.has_attr("hidden")
                or el.get("aria-hidden") == "true" or any(h in hints for h in HTML_DROP_HINTS)):
            el.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    root = (soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article")
            or soup.find(id="content") or soup.body or soup)
    blocks: list[str] = []
    _walk_html(root, blocks, fold_key(title))
    words = sum(len(b.split()) for b in blocks if not b.startswith("#"))
    if words < 10:
        raise IngestError(f"{label} has no main content (only navigation, banners or footers were found): "
                          "download the document itself, or save its text and add the saved file")
    return Converted(blocks_to_markdown(title, blocks), "html", headings="html")


def _walk_html(el, blocks: list[str], title_key: str) -> None:
    loose: list[str] = []

    def flush():
        text = clean_text("".join(loose))
        if text:
            blocks.append(text)
        loose.clear()

    number = 0
    for child in el.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:     # not comments, doctypes, CDATA
                loose.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in INLINE:
            loose.append(child.get_text(""))
            continue
        flush()
        if re.fullmatch(r"h[1-6]", name):
            text = clean_text(child.get_text(""))
            if text and not (name == "h1" and fold_key(text) == title_key):
                blocks.append("#" * min(max(int(name[1]), 2), 4) + " " + text)
        elif name in PARAGRAPH_TAGS:
            if text := clean_text(child.get_text("")):
                blocks.append(text)
        elif name == "li":
            number += 1
            nested = [c.extract() for c in child.find_all(["ul", "ol"])]
            if text := clean_text(child.get_text("")):
                ordered = el.name == "ol" and number < 100
                blocks.append(f"{number}. {text}" if ordered else f"- {list_item(text).removeprefix('- ')}")
            for sub in nested:
                _walk_html(sub, blocks, title_key)
        elif name == "tr":
            cells = [clean_text(c.get_text("")) for c in child.find_all(["th", "td"])]
            if any(cells):
                blocks.append(" | ".join(cells))
        else:                                   # div, section, blockquote, table, ul, ol, figure, …
            _walk_html(child, blocks, title_key)
    flush()
