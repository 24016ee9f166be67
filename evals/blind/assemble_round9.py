#!/usr/bin/env python3
"""How evals/singles9.jsonl and conversations9.jsonl — the ninth blind round, written on 2026-12-03 in a later
session than the eighth, by two new writers under the same brief — were assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round9.py WRITERS_DIR   (T.jsonl singles, S.jsonl conversations)

Round 8's procedure (assemble_round8.py) with this round's seed, set name, files and mark: earlier writers had the
letters T and S too, so every id, group and writer label gets a "9" ("T-001" -> "T9-001") before the split is drawn.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assemble_round6 as round6  # noqa: E402
import assemble_round8 as round8  # noqa: E402

SEED = "hcb-blind9-2026-12-03"


def split_of(key: str) -> str:
    return round6.split_with(SEED, key)


if __name__ == "__main__":
    round8.assemble(Path(sys.argv[1]), Path(__file__).resolve().parents[1],
                    {"singles9.jsonl": "T", "conversations9.jsonl": "S"}, "9", "blind9", split_of)
