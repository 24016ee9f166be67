"""Ingestion speed on a generated PDF: `python tests/ingest/bench_ingest.py [PAGES] [RUNS]`.

Prints pages per second of `ingest.convert` (PDF parse, text per page, headings, Markdown),
median over RUNS runs after one warm-up run (imports excluded).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import ingest_fixtures as fx  # noqa: E402

from assistant.ingest.convert import convert  # noqa: E402


def main(pages: int = 50, runs: int = 5) -> float:
    data = fx.white_paper_pdf(pages=pages)
    convert(data, "Bench", name="bench.pdf")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = convert(data, "Bench", name="bench.pdf")
        times.append(time.perf_counter() - t0)
    assert out.pages == pages
    rate = pages / median(times)
    print(f"{pages} pages, {len(data):,} bytes, {len(out.markdown.split()):,} words: median {median(times):.3f} s "
          f"→ {rate:.0f} pages/s (best {pages / min(times):.0f}, worst {pages / max(times):.0f})")
    return rate


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
