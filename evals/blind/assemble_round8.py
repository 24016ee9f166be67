#!/usr/bin/env python3
"""How evals/singles8.jsonl and conversations8.jsonl — the eighth blind round, written on 2026-12-03 in a later
session than the seventh, by two new writers under the same brief — were assembled from its writers' files (run once).

usage: python3 evals/blind/assemble_round8.py WRITERS_DIR   (V.jsonl singles, U.jsonl conversations)

Round 6's procedure (assemble_round6.py) with this round's seed, set name and files, and one step more: the
writers were given the letters V and U, which earlier rounds' writers had (singles5 is U's, conversations5 V's),
so every id, group and writer label gets an "8" ("V-001" -> "V8-001", "V-g01" -> "V8-g01") before the split is
drawn: no two writers share a label, and no id or paraphrase group is shared across rounds.
"""
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import assemble_round4 as round4  # noqa: E402
import assemble_round6 as round6  # noqa: E402

SEED = "hcb-blind8-2026-12-03"
SET = "blind8"
OUTPUTS = {"singles8.jsonl": "V", "conversations8.jsonl": "U"}
MARK = "8"


def split_of(key: str) -> str:
    return round6.split_with(SEED, key)


def splitter(seed: str):
    """A later round's split: round 6's draw with that round's own seed."""
    return lambda key: round6.split_with(seed, key)


def relabel(q: dict, writer: str, mark: str = MARK) -> dict:
    """The row with the round's mark after its writer's letter, in its id and its paraphrase group."""
    def fix(value: str) -> str:
        return re.sub(rf"^{writer}-", f"{writer}{mark}-", value)
    out = {**q, "id": fix(q["id"])}
    if q.get("group"):
        out["group"] = fix(q["group"])
    return out


def assemble(src: Path, out: Path, outputs: dict = OUTPUTS, mark: str = MARK, set_name: str = SET,
             split=split_of) -> None:
    """Each writer's file, relabelled with the round's mark and split by its seed (a later round passes its own)."""
    for name, w in outputs.items():
        if (src / f"{w}.jsonl").exists() and not (out / name).exists():
            rows = [relabel(q, w, mark) for q in round4.rows(src / f"{w}.jsonl")]
            rows = [{**q, "set": set_name, "writer": w + mark, "split": split(q.get("group") or q["id"])}
                    for q in rows]
            (out / name).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows), encoding="utf-8")


if __name__ == "__main__":
    assemble(Path(sys.argv[1]), Path(__file__).resolve().parents[1])
