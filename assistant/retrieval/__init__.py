"""Stage 4, retrieval: hybrid search over the index.

    hybrid.py     weighted reciprocal-rank fusion of BM25, passage cosine and best-sentence cosine; filters
    langchain.py  the same search as a LangChain BaseRetriever
"""
