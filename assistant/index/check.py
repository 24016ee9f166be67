"""Is the live build whole? Opens every file of it the way serving does, and the vector store;
reads in full what serving maps or skips (every vector, chunks.jsonl beside its fast copy).

    problems, unreachable = check_build(folder, manifest, chroma_url="")

Each problem is one sentence that names what is wrong and ends with the fix. `unreachable`
says the Chroma server could not be reached (a rebuild would not help: start the server).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import IndexCorruptError, StoreUnavailableError
from .arrays import VECTOR_FILES
from .files import FIX, check_fast_chunks, format_of, read_chunks_json, read_idf, read_lexical, read_vectors, read_words
from .vectors import VectorStore, sqlite_problem


def check_build(folder: Path, m: dict, chroma_url: str = "") -> tuple[list[str], bool]:
    """(problems, unreachable) for the build in `folder` with manifest `m`; ([], False) when it is whole."""
    problems: list[str] = []
    try:
        chunks = read_chunks_json(folder, m)
        files = read_vectors(folder, m, chunks, scan=True)
    except IndexCorruptError as e:
        return [str(e)], False     # the rest is checked against these: nothing more can be said
    for check in (check_fast_chunks, read_idf, read_words):
        try:
            check(folder, m, chunks)
        except IndexCorruptError as e:
            problems.append(str(e))
    try:
        read_lexical(folder, chunks)
    except IndexCorruptError as e:
        problems.append(str(e))
    url = chroma_url or m["chroma"].get("url", "")
    where = f"index build {folder.name}: the vector store"
    if not url and (bad := sqlite_problem(folder / "chroma")):
        return problems + [f"{where} is damaged: {bad}: {FIX}"], False
    try:
        store = VectorStore.open(m["chroma"]["collection"], path=folder / "chroma", url=url)
    except StoreUnavailableError as e:
        return problems + [str(e)], True
    except IndexCorruptError as e:
        return problems + [str(e)], False
    source = VECTOR_FILES[0] if format_of(m) > 1 else "vectors.npz"
    problems += [f"{where}: {p}: {FIX}" for p in store.check([c.id for c in chunks], files.chunk_vectors, source=source)]
    return problems, False
