"""Generated test documents: PDFs made with fpdf2, GOV.UK-shaped HTML, and bad files.

Generators return bytes; the helpers at the end only ever edit corpus copies under tmp_path.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fpdf import FPDF

from assistant.index.lock import LOCK_NAME

PAGE3_SENTENCE = ("The pilot will give every integrated care board a duty to publish a five-year "
                  "lighthouse plan for coastal communities by April 2023.")
FILLER = ("Integrated care systems bring together the NHS, local government and their partners to plan "
          "services around the people they serve. The duty to collaborate applies across the health and "
          "care system and supports the well-being of the population. ")
CHAPTERS = ("Foreword", "Working together to integrate care", "Reducing bureaucracy",
            "Improving accountability", "Additional proposals")


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"      # curly quotes, bullets and dashes in core fonts
    pdf.set_auto_page_break(False)
    pdf.set_margins(25, 25, 25)
    return pdf


def _footer(pdf: FPDF, number: int, running: str) -> None:
    pdf.set_font("Helvetica", "", 8)
    pdf.set_xy(25, 280)
    pdf.cell(0, 5, f"{running}    {number}", align="C")


def white_paper_pdf(pages: int = 5, outline: bool = True, sentence_page: int = 3) -> bytes:
    """A multi-page PDF shaped like a White Paper: one chapter heading (18 pt bold) per page, a
    subsection heading (14 pt bold), body paragraphs (11 pt), a bullet list, a running footer with
    the page number; bookmarks (the PDF outline) when `outline`. `PAGE3_SENTENCE` is on `sentence_page`."""
    pdf = _pdf()
    for n in range(1, pages + 1):
        pdf.add_page()
        chapter = CHAPTERS[(n - 1) % len(CHAPTERS)] + ("" if n <= len(CHAPTERS) else f" (part {n})")
        pdf.set_font("Helvetica", "B", 18)
        if outline:
            pdf.start_section(chapter, level=0)
        pdf.multi_cell(0, 9, chapter, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, f"{n}.1 " + FILLER * 2, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 14)
        sub = f"Section {n}.2: what this means for people"
        if outline:
            pdf.start_section(sub, level=1)
        pdf.multi_cell(0, 8, sub, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("Helvetica", "", 11)
        body = PAGE3_SENTENCE + " " + FILLER if n == sentence_page else FILLER * 2
        pdf.multi_cell(0, 6, f"{n}.2 " + body, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        for item in ("\u2022 a new \u2018triple aim\u2019 for NHS bodies, so that they consider the wider "
                     "effects of their decisions on the health and well-being of the population",
                     "\u2022 a power to direct the NHS"):
            pdf.multi_cell(0, 6, item, new_x="LMARGIN", new_y="NEXT")
        _footer(pdf, n, "Integration and innovation")
    return bytes(pdf.output())


def font_only_pdf() -> bytes:
    """Two pages, headings only by font size (no bookmarks)."""
    return white_paper_pdf(pages=2, outline=False, sentence_page=2)


def unprinted_bookmark_pdf() -> bytes:
    """One page whose second bookmark is not printed as a heading: it points between two paragraphs.
    The first bookmark leaves out the printed section number ("2.1 Scope" is bookmarked "Scope")."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.start_section("Scope", level=0)
    pdf.cell(0, 8, "2.1 Scope", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "First paragraph about scope. " + FILLER, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.start_section("Annex A: data", level=1)
    pdf.multi_cell(0, 6, "Second paragraph about data. " + FILLER, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def encrypted_pdf(user_password: str = "secret") -> bytes:
    """Encrypted (RC4). With a user password it cannot be opened; with "" it opens (owner password only)."""
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, FILLER * 3)
    return bytes(pdf.output())


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages with only drawn shapes (a stand-in for scanned images): no text layer at all."""
    pdf = _pdf()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        for row in range(20):
            pdf.rect(25, 30 + row * 12, 160, 6, style="F")
    return bytes(pdf.output())


def corrupt_pdf() -> bytes:
    """A real PDF cut in half, as a failed download leaves it."""
    data = white_paper_pdf(pages=3)
    return data[: len(data) // 2]


GOVUK_HTML = """<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head><meta charset="utf-8"><title>Health and care guidance - GOV.UK</title>
<script>window.GOVUK = {};</script><style>.x{color:red}</style></head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<div id="global-cookie-message" class="gem-c-cookie-banner govuk-clearfix" role="region" aria-label="Cookies on GOV.UK">
  <h2 class="govuk-heading-m">Cookies on GOV.UK</h2>
  <p>We use some essential cookies to make this website work.</p>
  <button class="govuk-button">Accept additional cookies</button>
</div>
<header role="banner" class="govuk-header"><div class="govuk-header__container">
  <a href="/" class="govuk-header__link">GOV.UK</a>
  <nav><ul><li><a href="/browse/benefits">Benefits</a></li><li><a href="/browse/health">Health</a></li></ul></nav>
</div></header>
<div class="govuk-width-container">
<div class="gem-c-breadcrumbs govuk-breadcrumbs"><ol><li><a href="/">Home</a></li><li><a href="/health">Health and social care</a></li></ol></div>
<main class="govuk-main-wrapper" id="main-content" role="main">
  <div class="gem-c-inverse-header"><h1 class="gem-c-title__text">Health and care guidance</h1>
  <p class="publication-header__last-changed">Published 14 July 2022</p></div>
  <nav class="gem-c-contents-list" aria-label="Contents"><h2>Contents</h2>
    <ol><li><a href="#intro">Introduction</a></li><li><a href="#duties">Duties of integrated care boards</a></li></ol></nav>
  <div class="govspeak">
    <h2 id="intro">1. Introduction</h2>
    <p>This guidance explains how <strong>integrated care boards</strong> should work with their partners.
    It applies in England from <a href="/x">1 July 2022</a>.</p>
    <p>Boards must publish a joint forward plan before the start of each financial year.</p>
    <h3 id="who">Who this guidance is for</h3>
    <ul><li>chief executives of integrated care boards</li>
        <li>directors of public health, including those
            in <abbr title="upper tier">upper-tier</abbr> councils
            <ul><li>and their deputies</li></ul></li></ul>
    <h2 id="duties">2. Duties of integrated care boards</h2>
    <p>Each board has a duty to involve the public in decisions about services.<br>It must report on how it has done so.</p>
    <table><tr><th>Duty</th><th>Section</th></tr><tr><td>Involve the public</td><td>14Z45</td></tr></table>
  </div>
  <div class="gem-c-print-link"><button>Print this page</button></div>
</main>
</div>
<div class="gem-c-feedback govuk-!-display-none-print"><h2>Is this page useful?</h2><p>Maybe. Yes this page is useful. No this page is not useful.</p></div>
<footer class="govuk-footer" role="contentinfo"><div><h2 class="govuk-visually-hidden">Support links</h2>
<ul><li><a href="/help">Help</a></li><li><a href="/help/cookies">Cookies</a></li></ul>
<p>All content is available under the Open Government Licence v3.0, except where otherwise stated</p></div></footer>
</body></html>
"""

NO_MAIN_HTML = """<!DOCTYPE html>
<html><head><title>Page not found</title></head><body>
<div class="gem-c-cookie-banner"><p>We use some essential cookies to make this website work. We would like to set additional cookies.</p></div>
<header class="govuk-header"><a href="/">GOV.UK</a></header>
<nav><ul><li><a href="/a">Benefits</a></li><li><a href="/b">Births, death, marriages and care</a></li></ul></nav>
<footer class="govuk-footer"><p>All content is available under the Open Government Licence v3.0, except where otherwise stated</p></footer>
</body></html>
"""


# ---------------------------------------------------------------- helpers for corpus copies

def register(corpus_dir: Path, doc_id: str, url: str, title: str = "Fixture document",
             speaker: str = "dhsc_white_paper", kind: str = "government") -> None:
    """List a document for fetching in a *copied* manifest (as the White Paper is listed)."""
    with open(Path(corpus_dir) / "manifest.toml", "a", encoding="utf-8") as f:
        f.write(f'\n[[documents]]\nid = "{doc_id}"\nfile = ""\ntitle = "{title}"\npublisher = "Test publisher"\n'
                f'date = "2021-02-11"\nurl = "{url}"\nkind = "{kind}"\nlicence = "Open Government Licence v3.0"\n'
                f'origin = "test"\nspeaker = "{speaker}"\nstatus = "not_fetched"\n')


def set_url(corpus_dir: Path, doc_id: str, url: str) -> None:
    """Point a copied manifest's entry at another address (e.g. the White Paper at the local server)."""
    import tomlkit

    path = Path(corpus_dir) / "manifest.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    for e in doc["documents"]:
        if e["id"] == doc_id:
            e["url"] = url
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path; the (empty) write-lock file is not content."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file() and p.name != LOCK_NAME}


def live_chunks(settings) -> list[dict]:
    """The passages of the live index build, as stored."""
    build_id = (Path(settings.index_dir) / "CURRENT").read_text().strip()
    lines = (Path(settings.index_dir) / "builds" / build_id / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]
