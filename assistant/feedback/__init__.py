"""Feedback (a consumer of the public API): the web app's ratings in SQLite, and their export.

    store.py      the SQLite store and CSV/JSONL export
"""
