#!/usr/bin/env python3
"""How evals/singles5.jsonl and conversations5.jsonl — the fifth blind round, written on 2026-12-02 — were
assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round5.py WRITERS_DIR   (U.jsonl singles, V.jsonl conversations)

Round 4's procedure (assemble_round4.py) with this round's seed, set name and files: each row gets `writer`,
`set: "blind5"` and a `split` drawn once per paraphrase group or per conversation.
"""
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))   # beside round 4's script, however this one is loaded
import assemble_round4 as round4  # noqa: E402

SEED = "hcb-blind5-2026-12-02"
OUTPUTS = {"singles5.jsonl": "U", "conversations5.jsonl": "V"}


def split_of(key: str) -> str:
    h = int(hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < round4.TEST_SHARE else "dev"


def main(src: Path, out: Path) -> None:
    for name, w in OUTPUTS.items():
        if (src / f"{w}.jsonl").exists() and not (out / name).exists():
            rows = [{**q, "set": "blind5", "writer": w, "split": split_of(q.get("group") or q["id"])}
                    for q in round4.rows(src / f"{w}.jsonl")]
            (out / name).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parents[1])
