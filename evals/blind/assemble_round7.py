#!/usr/bin/env python3
"""How evals/singles7.jsonl and conversations7.jsonl — the seventh blind round, written on 2026-12-03 in a later
session than the sixth — were assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round7.py WRITERS_DIR   (Y.jsonl singles, Z.jsonl conversations)

Round 5's procedure (assemble_round5.py) with this round's seed, set name and files.
"""
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assemble_round4 as round4  # noqa: E402

SEED = "hcb-blind7-2026-12-03"
SET = "blind7"
OUTPUTS = {"singles7.jsonl": "Y", "conversations7.jsonl": "Z"}


def split_of(key: str) -> str:
    h = int(hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < round4.TEST_SHARE else "dev"


if __name__ == "__main__":
    src, out = Path(sys.argv[1]), Path(__file__).resolve().parents[1]
    for name, w in OUTPUTS.items():
        if (src / f"{w}.jsonl").exists() and not (out / name).exists():
            rows = [{**q, "set": SET, "writer": w, "split": split_of(q.get("group") or q["id"])}
                    for q in round4.rows(src / f"{w}.jsonl")]
            (out / name).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows), encoding="utf-8")
