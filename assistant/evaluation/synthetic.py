"""A synthetic corpus of N passages made of the real corpus's own sentences, for `hcb bench --synthetic N`.

The real documents are kept; the rest are synthetic documents, each section one passage of
sentences drawn (with a fixed seed) from one speaker's own sentences, sized like a real passage
and headed like one. Text, speakers and headings are the corpus's, so tokenising, routing and
answering behave as on the real corpus; only the amount grows. Same inputs, same files.

    info = write_synthetic_corpus(load_corpus(Path("corpus")), Path("/tmp/c"), 10_000)
    info["passages"]    # 10000: exactly N passages once chunked

Caveat: sentences repeat across passages (the real corpus has only a few hundred), so with the real
model an index build embeds each distinct sentence once; passages are all distinct.
"""

from __future__ import annotations

import random
import shutil
import tomllib
from pathlib import Path

import tomlkit

from .. import Corpus, HcbError, chunk_corpus

DOCS_PER_FILE = 100        # passages per synthetic document
MAX_PASSAGE_WORDS = 240    # under the chunker's maximum, so a section is exactly one passage
MIN_PASSAGE_WORDS = 40


def _clean(sentence: str) -> str:
    return " ".join(sentence.split())


def sentence_pools(corpus: Corpus) -> tuple[list, dict[str, list[str]]]:
    """The real passages (templates) and every speaker's sentences, whitespace collapsed."""
    chunks = chunk_corpus(corpus.available)
    pools: dict[str, list[str]] = {}
    for c in chunks:
        for s in c.sentence_texts():
            s = _clean(s)
            # a sentence opening with a heading or marker character would change the markup
            if s and not s.startswith(("#", "<!--")):
                pools.setdefault(c.speaker, []).append(s)
    return [c for c in chunks if c.speaker in pools], pools


def _passage(rng: random.Random, template, pool: list[str]) -> str:
    target = min(MAX_PASSAGE_WORDS, max(MIN_PASSAGE_WORDS, len(template.text.split())))
    out, words = [], 0
    while words < target:
        s = rng.choice(pool)
        n = len(s.split())
        if out and words + n > MAX_PASSAGE_WORDS:
            break
        out.append(s)
        words += n
    return " ".join(out)


def write_synthetic_corpus(source: Corpus, folder: Path, passages: int, *, source_dir: Path, seed: int = 0) -> dict:
    """Write `manifest.toml` and Markdown files for a corpus of `passages` passages into `folder`.

    The real documents (from `source_dir`) come first; synthetic ones fill up to `passages`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    raw = tomllib.loads((Path(source_dir) / "manifest.toml").read_text(encoding="utf-8"))
    real = [e for e in raw.get("documents", []) if e.get("status") != "not_fetched"]
    templates, pools = sentence_pools(source)
    n_real = len(chunk_corpus(source.available))
    if passages < n_real:
        raise HcbError(f"the real corpus alone has {n_real} passages: ask for at least that many")
    docs = {d.id: d for d in source.documents}
    entries = []
    for e in real:
        shutil.copy(Path(source_dir) / e["file"], folder / e["file"])
        entries.append(e)
    rng = random.Random(seed)
    left, i = passages - n_real, 0
    while left > 0:
        i += 1
        n = min(DOCS_PER_FILE, left)
        lead = rng.choice(templates)
        doc = docs[lead.doc_id]
        did = f"synthetic-{i:05d}"
        title = f"Synthetic document {i}: {doc.title}"
        parts = [f"# {title}\n"]
        for j in range(1, n + 1):
            t = rng.choice(templates)
            heading = (t.section.split(" › ")[-1] or "Summary")
            # a unique heading per section: two equal neighbours would merge into one passage
            parts.append(f"## {heading} (part {j})\n\n<!-- speaker: {t.speaker} -->\n\n{_passage(rng, t, pools[t.speaker])}\n")
        (folder / f"{did}.md").write_text("\n".join(parts), encoding="utf-8")
        entries.append({"id": did, "file": f"{did}.md", "title": title, "publisher": doc.publisher,
                        "date": doc.date, "url": doc.url, "kind": doc.kind, "licence": doc.licence,
                        "origin": "synthetic", "speaker": doc.speaker, "status": "curated"})
        left -= n
    out = tomlkit.document()
    out["schema"] = raw.get("schema", 1)
    out["speakers"] = raw["speakers"]
    out["documents"] = entries
    (folder / "manifest.toml").write_text(tomlkit.dumps(out), encoding="utf-8")
    return {"passages": passages, "documents": len(entries), "synthetic_documents": i, "seed": seed}
