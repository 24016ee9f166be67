#!/usr/bin/env python3
"""How evals/singles10.jsonl and conversations10.jsonl — the tenth blind round, written on 2026-12-03 in a later
session than the ninth, by two new writers under the same brief — were assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round10.py WRITERS_DIR   (R.jsonl singles, Q.jsonl conversations)

Round 8's procedure (assemble_round8.py) with this round's seed, set name, files and mark ("R-001" -> "R10-001").
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assemble_round8 as round8  # noqa: E402

split_of = round8.splitter("hcb-blind10-2026-12-03")

if __name__ == "__main__":
    round8.assemble(Path(sys.argv[1]), Path(__file__).resolve().parents[1],
                    {"singles10.jsonl": "R", "conversations10.jsonl": "Q"}, "10", "blind10", split_of)
