"""Stage 2, index: embed passages and sentences, store them in Chroma and BM25, build and open atomically.

    embed.py      all-MiniLM-L6-v2 from its PyPI package (offline), or a deterministic fake for tests
    vectors.py    Chroma, embedded or a server — the only module that imports chromadb
    lexical.py    BM25 (bm25s)
    build.py      build into a new folder, swap CURRENT; status; open the live build
"""
