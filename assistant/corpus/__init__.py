"""Stage 1, corpus: the manifest, the Markdown-with-markers format, and chunking into passages.

    manifest.py   corpus/manifest.toml + files → typed Documents and Speakers
    markup.py     the file format: headings, paragraphs, list items, speaker/page markers → blocks with offsets
    chunking.py   blocks → passages of ~60–250 words that never cut a sentence or mix speakers
"""
