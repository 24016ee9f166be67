"""Stage 3, ingest: bring documents into the corpus (fetch, convert) and refresh the index.

    fetch.py       httpx download with size, redirect and scheme limits
    common.py      the conversion result and shared text normalisations
    convert.py     format detection; text, Markdown and HTML → corpus Markdown
    pdf.py         PDF → corpus Markdown with page markers and headings
    operations.py  fetch / add / remove / list documents: staged manifest edits, then an incremental index build
"""
