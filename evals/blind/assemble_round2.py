#!/usr/bin/env python3
"""How evals/singles2.jsonl and evals/conversations2.jsonl — the second blind round, written on 2026-12-01 — were
assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round2.py WRITERS_DIR   (H.jsonl and J.jsonl singles, K.jsonl and L.jsonl
conversations)

The same procedure as round 1 (assemble.py), with its own seed: each row gets `writer`, `set: "blind2"` and a
`split` drawn once per paraphrase group or per conversation. Rows are otherwise copied as the writers wrote them.
"""
import hashlib
import json
import sys
from pathlib import Path

SEED = "hcb-blind-2026-12-01"
TEST_SHARE = 0.35
SINGLES, CONVERSATIONS = "HJ", "KL"


def split_of(key: str) -> str:
    h = int(hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < TEST_SHARE else "dev"


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(src: Path, out: Path) -> None:
    singles = [{**q, "set": "blind2", "writer": w, "split": split_of(q.get("group") or q["id"])}
               for w in SINGLES for q in rows(src / f"{w}.jsonl")]
    convs = [{**c, "set": "blind2", "writer": w, "split": split_of(c["id"])}
             for w in CONVERSATIONS for c in rows(src / f"{w}.jsonl")]
    (out / "singles2.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in singles), encoding="utf-8")
    (out / "conversations2.jsonl").write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in convs), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parents[1])
