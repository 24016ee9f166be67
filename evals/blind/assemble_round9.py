#!/usr/bin/env python3
"""How evals/singles9.jsonl and conversations9.jsonl — the ninth blind round, written on 2026-12-03 in a later
session than the eighth, by two new writers under the same brief — were assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round9.py WRITERS_DIR   (T.jsonl singles, S.jsonl conversations)

Round 8's procedure (assemble_round8.py) with this round's seed, set name, files and mark: earlier writers had the
letters T and S too, so every id, group and writer label gets a "9" ("T-001" -> "T9-001") before the split is drawn.
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assemble_round4 as round4  # noqa: E402
import assemble_round6 as round6  # noqa: E402
import assemble_round8 as round8  # noqa: E402

SEED = "hcb-blind9-2026-12-03"
SET = "blind9"
OUTPUTS = {"singles9.jsonl": "T", "conversations9.jsonl": "S"}
MARK = "9"


def split_of(key: str) -> str:
    return round6.split_with(SEED, key)


def assemble(src: Path, out: Path) -> None:
    for name, w in OUTPUTS.items():
        if (src / f"{w}.jsonl").exists() and not (out / name).exists():
            rows = [round8.relabel(q, w, MARK) for q in round4.rows(src / f"{w}.jsonl")]
            rows = [{**q, "set": SET, "writer": w + MARK, "split": split_of(q.get("group") or q["id"])}
                    for q in rows]
            (out / name).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows), encoding="utf-8")


if __name__ == "__main__":
    assemble(Path(sys.argv[1]), Path(__file__).resolve().parents[1])
