#!/usr/bin/env python3
"""How evals/singles7.jsonl and conversations7.jsonl — the seventh blind round, written on 2026-12-03 in a later
session than the sixth — were assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round7.py WRITERS_DIR   (Y.jsonl singles, Z.jsonl conversations)

Round 6's procedure (assemble_round6.py) with this round's seed, set name and files.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assemble_round6 as round6  # noqa: E402

SEED = "hcb-blind7-2026-12-03"
SET = "blind7"
OUTPUTS = {"singles7.jsonl": "Y", "conversations7.jsonl": "Z"}


def split_of(key: str) -> str:
    return round6.split_with(SEED, key)


if __name__ == "__main__":
    round6.assemble(Path(sys.argv[1]), Path(__file__).resolve().parents[1], split_of, SET, OUTPUTS)
