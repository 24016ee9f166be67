#!/usr/bin/env python3
"""How evals/singles6.jsonl and conversations6.jsonl — the sixth blind round, written on 2026-12-03 — were
assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round6.py WRITERS_DIR   (W.jsonl singles, X.jsonl conversations)

Round 5's procedure (assemble_round5.py) with this round's seed, set name and files.
"""
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assemble_round4 as round4  # noqa: E402

SEED = "hcb-blind6-2026-12-03"
SET = "blind6"
OUTPUTS = {"singles6.jsonl": "W", "conversations6.jsonl": "X"}


def split_with(seed: str, key: str) -> str:
    """A question's split from its key (its paraphrase group, else its id) and a round's seed."""
    h = int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < round4.TEST_SHARE else "dev"


def split_of(key: str) -> str:
    return split_with(SEED, key)


def assemble(src: Path, out: Path, split, set_name: str, outputs: dict[str, str]) -> None:
    """Each writer's file, its rows marked with the set, the writer and the split; a file already there is kept."""
    for name, w in outputs.items():
        if (src / f"{w}.jsonl").exists() and not (out / name).exists():
            rows = [{**q, "set": set_name, "writer": w, "split": split(q.get("group") or q["id"])}
                    for q in round4.rows(src / f"{w}.jsonl")]
            (out / name).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows), encoding="utf-8")


if __name__ == "__main__":
    assemble(Path(sys.argv[1]), Path(__file__).resolve().parents[1], split_of, SET, OUTPUTS)
