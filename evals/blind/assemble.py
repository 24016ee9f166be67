#!/usr/bin/env python3
"""How evals/singles.jsonl and evals/conversations.jsonl were assembled from the blind writers' files (run once).

usage: python3 evals/blind/assemble.py WRITERS_DIR   (A.jsonl … E.jsonl singles, F.jsonl and G.jsonl conversations)

Each row gets `writer` (the file it came from), `set: "blind"` and a `split` drawn once, at random with a fixed
seed, per paraphrase group (so wordings of one question never straddle dev and test) or per conversation:
`test` when the SHA-256 of `SEED:key` maps below TEST_SHARE. Rows are otherwise copied as the writers wrote them.
"""
import hashlib
import json
import sys
from pathlib import Path

SEED = "hcb-blind-2026-11-30"
TEST_SHARE = 0.35


def split_of(key: str) -> str:
    h = int(hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < TEST_SHARE else "dev"


def main(src: Path, out: Path) -> None:
    singles, convs = [], []
    for w in "ABCDE":
        for line in (src / f"{w}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                singles.append({**q, "set": "blind", "writer": w, "split": split_of(q.get("group") or q["id"])})
    for w in "FG":
        for line in (src / f"{w}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                c = json.loads(line)
                convs.append({**c, "set": "blind", "writer": w, "split": split_of(c["id"])})
    (out / "singles.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in singles), encoding="utf-8")
    (out / "conversations.jsonl").write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in convs), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parents[1])
