#!/usr/bin/env python3
"""How evals/singles4.jsonl and conversations4.jsonl — the fourth blind round, written on 2026-12-02 — were
assembled from its writers' files (run once per output, as each writer finished).

usage: python3 evals/blind/assemble_round4.py WRITERS_DIR   (S.jsonl singles, T.jsonl conversations); an output is
written only when its writer's file is there.

The same procedure as rounds 1–3, with its own seed: each row gets `writer`, `set: "blind4"` and a `split` drawn once
per paraphrase group or per conversation. Rows are otherwise copied as the writers wrote them.
"""
import hashlib
import json
import sys
from pathlib import Path

SEED = "hcb-blind4-2026-12-02"
TEST_SHARE = 0.35
OUTPUTS = {"singles4.jsonl": "S", "conversations4.jsonl": "T"}


def split_of(key: str) -> str:
    h = int(hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if h < TEST_SHARE else "dev"


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def assemble(src: Path, writers: str) -> list[dict]:
    return [{**q, "set": "blind4", "writer": w, "split": split_of(q.get("group") or q["id"])}
            for w in writers for q in rows(src / f"{w}.jsonl")]


def main(src: Path, out: Path) -> None:
    for name, writers in OUTPUTS.items():
        if all((src / f"{w}.jsonl").exists() for w in writers) and not (out / name).exists():
            text = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in assemble(src, writers))
            (out / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parents[1])
