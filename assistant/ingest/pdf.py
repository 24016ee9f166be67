"""PDF → corpus Markdown with pypdf: text per page, paragraphs, headings.

Lines come from pypdf's plain text extraction; its `visitor_text` callback
gives each line's baseline and font size (the callback's pieces add up to
the extracted text, which is checked; where they do not, the page keeps
pypdf's lines without layout facts).

- Paragraphs: a new one starts at a gap clearly wider (×1.3) than the usual
  line spacing of that font size, at a change of font size, at a backwards
  jump (a new column or frame), at a bullet, or at a `1.`/`1)` item.
- Headings: from the PDF outline (bookmarks) when it has one: a bookmark's
  title is matched (letters and digits only, case-folded) to one to four
  lines on its page, which become the heading; a title not found on the page
  is inserted where the bookmark points (its /Top), or at the top of the page.
  Depth 0/1/2+ → `##`/`###`/`####`. Without an outline, lines set at least
  15% larger than the body text (the size with the most characters) and at
  most 20 words long become headings, the largest size `##`, the next
  `###`, the rest `####` (skipped when over 30% of lines would qualify).
  Bold text at body size is not treated as a heading.
- Page furniture: lines in the top or bottom 10% of a page that are only a
  page number ("12", "Page 3 of 40"), or that repeat (digits aside) in that
  band on at least three pages and 30% of the pages, are dropped.
- Checks: not a PDF, corrupt or truncated, encrypted with a password, or no
  text on any page (scanned) → IngestError; nothing is written.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from ..errors import IngestError
from .common import Converted, blocks_to_markdown, clean_text, fold_key, list_item

NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
FURNITURE_BAND = 0.10


@dataclass
class _Line:
    text: str
    y: float | None = None      # baseline in page space (up is larger)
    size: float = 0.0           # effective font size of its largest text
    level: int = 0              # heading level (2–4); 0 for body text
    chars: int = 0


@dataclass
class _Page:
    lines: list[_Line] = field(default_factory=list)
    bottom: float = 0.0
    height: float = 0.0


def pdf_to_markdown(data: bytes, title: str, label: str = "the PDF") -> Converted:
    """Text per page with page markers; headings from the outline, else from font sizes."""
    if not data.lstrip().startswith(b"%PDF-"):
        raise IngestError(f"{label} is not a PDF (no %PDF header): the download may be an error page; check the address")
    logging.getLogger("pypdf").setLevel(logging.ERROR)   # pypdf logs every oddity it repairs
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except DependencyError:
                raise IngestError(f"{label} is encrypted with AES and the 'cryptography' package is not installed: "
                                  "run: pip install cryptography") from None
            if not ok:
                raise IngestError(f"{label} is encrypted and needs a password: save an unencrypted copy and add the copy")
        pages = [_read_page(p) for p in reader.pages]
        outline = _outline(reader)
    except IngestError:
        raise
    except (FileNotDecryptedError, PdfReadError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, AssertionError, RecursionError, ZeroDivisionError) as e:
        raise IngestError(f"{label} is a corrupt or truncated PDF ({type(e).__name__}: {e}): download it again") from None
    if not pages:
        raise IngestError(f"{label} has no pages: download it again")
    empty = tuple(i + 1 for i, p in enumerate(pages) if not any(line.text.strip() for line in p.lines))
    if len(empty) == len(pages):
        raise IngestError(f"{label} has no extractable text on its {len(pages)} pages (it looks scanned): "
                          "run OCR on it first (e.g. ocrmypdf) and add the result")
    _drop_furniture(pages)
    if outline:
        _apply_outline(pages, outline)
        source = "outline"
    else:
        source = "font-size" if _apply_font_sizes(pages) else "none"
    leading = _leading(pages)
    blocks: list[str] = []
    for number, page in enumerate(pages, 1):
        page_blocks = _page_blocks(page, leading)
        if page_blocks:
            blocks.append(f"<!-- page: {number} -->")
            blocks.extend(page_blocks)
    return Converted(blocks_to_markdown(title, blocks), "pdf", len(pages), source, empty)


def _read_page(page) -> _Page:
    frags: list[tuple[str, list, list, float]] = []
    plain = page.extract_text(visitor_text=lambda t, cm, tm, font, size: frags.append((t, cm, tm, size)))
    box = page.mediabox
    out = _Page(bottom=float(box.bottom), height=float(box.height))
    if "".join(f[0] for f in frags) != plain:      # positions unusable: keep pypdf's lines, no layout facts
        out.lines = [_Line(clean_text(t), chars=len(t.strip())) for t in plain.split("\n") if t.strip()]
        return out
    line = _Line("")
    for text, cm, tm, size in frags:
        for i, part in enumerate(text.split("\n")):
            if i:
                out.lines.append(line)
                line = _Line("")
            line.text += part
            if part.strip():
                # text space origin → user space: scale and translate by the text and page matrices
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
                line.y = y if line.y is None else line.y
                line.size = max(line.size, round(abs(size * scale) * 2) / 2)
                line.chars += len(part.strip())
    out.lines.append(line)
    for ln in out.lines:
        ln.text = clean_text(ln.text)
    out.lines = [ln for ln in out.lines if ln.text]
    return out


def _drop_furniture(pages: list[_Page]) -> None:
    def in_band(p: _Page, ln: _Line) -> bool:
        if ln.y is None or p.height <= 0:
            return False
        rel = (ln.y - p.bottom) / p.height
        return rel < FURNITURE_BAND or rel > 1 - FURNITURE_BAND

    def key(s: str) -> str:
        return re.sub(r"\d+", "#", s.casefold())

    counts = Counter(k for p in pages for k in {key(ln.text) for ln in p.lines if in_band(p, ln)})
    repeated = {k for k, n in counts.items() if n >= 3 and n >= 0.3 * len(pages)}
    for p in pages:
        p.lines = [ln for ln in p.lines if not (in_band(p, ln) and (
            re.fullmatch(r"(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?", ln.text, re.I) or key(ln.text) in repeated))]


def _outline(reader) -> dict[int, list[tuple[str, int, float | None]]]:
    """Outline entries by 0-based page: (title, depth, the destination's top coordinate)."""
    found: dict[int, list] = defaultdict(list)

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except Exception:           # a broken bookmark only loses that heading
                continue
            top = item.get("/Top")
            title = clean_text(str(item.title or ""))
            if page is not None and page >= 0 and title:
                found[page].append((title, depth, float(top) if isinstance(top, (int, float)) else None))

    walk(reader.outline, 0)
    return dict(found)


def _apply_outline(pages: list[_Page], outline: dict) -> None:
    """Mark each bookmark's heading line(s); insert the bookmark's title where its text is not on the page."""
    for number, entries in outline.items():
        if number >= len(pages):
            continue
        lines, start = pages[number].lines, 0
        for title, depth, top in entries:
            level, key = 2 + min(depth, 2), fold_key(title)
            hit = _find_heading(lines, key, start) if key else None
            if hit:
                i, n = hit
                lines[i:i + n] = [_Line(" ".join(ln.text for ln in lines[i:i + n]), lines[i].y, lines[i].size, level)]
                start = i + 1
                continue
            at = start
            if top is not None:
                at = next((j for j in range(start, len(lines)) if lines[j].y is not None and lines[j].y <= top), len(lines))
            lines.insert(at, _Line(title, None, 0.0, level))
            start = at + 1


def _find_heading(lines: list[_Line], key: str, start: int) -> tuple[int, int] | None:
    """(first line, line count) of 1–4 lines that print `key`, allowing a section number the
    bookmark leaves out ("2.1 ASN.1 syntax" for the bookmark "ASN.1 syntax")."""
    numbered = key[:1].isdigit()
    for i in range(start, len(lines)):
        joined = ""
        for n in range(1, 5):
            if i + n > len(lines):
                break
            joined += fold_key(lines[i + n - 1].text)
            core = joined if numbered else joined.lstrip("0123456789")
            if core == key:
                return i, n
            if not key.startswith(core):
                break
    return None


def _apply_font_sizes(pages: list[_Page]) -> bool:
    """Lines set clearly larger than the body text (the most used size) become headings."""
    sizes = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[ln.size] += ln.chars
    if not sizes or max(sizes) == 0:
        return False
    body = sizes.most_common(1)[0][0]
    candidates = [ln for p in pages for ln in p.lines
                  if ln.size >= body * 1.15 and len(ln.text.split()) <= 20 and re.search(r"[^\W\d_]", ln.text)]
    total = sum(len(p.lines) for p in pages)
    if not candidates or len(candidates) > 0.3 * total:
        return False
    ranks = sorted({ln.size for ln in candidates}, reverse=True)
    for ln in candidates:
        ln.level = 2 + min(ranks.index(ln.size), 2)
    for p in pages:                          # a heading wrapped over lines is one heading
        merged: list[_Line] = []
        for ln in p.lines:
            prev = merged[-1] if merged else None
            if (prev and ln.level and prev.level == ln.level and prev.size == ln.size and prev.y is not None
                    and ln.y is not None and 0 < prev.y - ln.y <= 1.6 * ln.size):
                prev.text += " " + ln.text
                prev.y = ln.y
            else:
                merged.append(ln)
        p.lines = merged
    return True


def _leading(pages: list[_Page]) -> dict[float, float]:
    """The usual distance between consecutive lines of each font size."""
    gaps = defaultdict(list)
    for p in pages:
        for a, b in zip(p.lines, p.lines[1:]):
            if a.y is not None and b.y is not None and a.size == b.size and not a.level and not b.level:
                gap = a.y - b.y
                if 0 < gap < 3 * a.size:
                    gaps[a.size].append(gap)
    return {size: median(g) for size, g in gaps.items()}


def _page_blocks(page: _Page, leading: dict[float, float]) -> list[str]:
    blocks: list[str] = []
    para: list[str] = []
    prev: _Line | None = None

    def flush():
        if para:
            blocks.append(_join(para))
            para.clear()

    for ln in page.lines:
        if ln.level:
            flush()
            blocks.append("#" * ln.level + " " + ln.text)
            prev = None
            continue
        text = list_item(ln.text)
        if para and para[-1].strip() == "-":                # a bullet glyph on its own line
            para[-1] = "- " + text
            prev = ln
            continue
        if not para or text.startswith("- ") or NUMBERED.match(text) or _breaks(prev, ln, leading):
            flush()
        para.append(text)
        prev = ln
    flush()
    return blocks


def _breaks(a: _Line | None, b: _Line, leading: dict[float, float]) -> bool:
    """A new paragraph: a change of font size, a backwards jump, or a gap clearly wider than the line spacing."""
    if a is None or a.y is None or b.y is None:
        return False
    if a.size and b.size and abs(a.size - b.size) > 0.1 * max(a.size, b.size):
        return True
    gap = a.y - b.y
    usual = leading.get(b.size) or 1.25 * (b.size or 10)
    return gap < 0 or gap > 1.3 * usual


def _join(lines: list[str]) -> str:
    out = lines[0]
    for nxt in lines[1:]:
        if out.endswith("\u00ad"):
            out = out[:-1] + nxt
        elif len(out) > 1 and out.endswith("-") and out[-2].isalpha() and nxt[:1].islower():
            out += nxt
        else:
            out += " " + nxt
    return out
