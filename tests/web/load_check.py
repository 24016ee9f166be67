"""Fire N simultaneous questions at the running app's /ask endpoint and report errors and latency.

    python tests/web/load_check.py http://127.0.0.1:7860/ [--users 20]

Each simulated user has its own gradio_client connection, made before the start line; all
then ask at the same moment (a barrier). Latency is from that moment to the answer. Traffic
goes only to the URL given (loopback); the run is bounded by --users and --timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time

QUESTIONS = (
    "What will Integrated Care Boards do?",
    "Government versus petitioners, on pausing the White Paper.",
    "What did Sir Simon Stevens say about the Bill?",
    "What are Care England's five areas?",
    "How many signatures did the petition to scrap ICSs get?",
)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def run(url: str, users: int = 20, timeout: float = 120.0) -> dict:
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(users)]
    start = threading.Barrier(users + 1)
    results: list[dict | None] = [None] * users

    def user(i: int) -> None:
        q = QUESTIONS[i % len(QUESTIONS)]
        start.wait()
        t0 = time.perf_counter()
        try:
            job = clients[i].submit(question=q, api_name="/ask")
            out = job.result(timeout=timeout)
            ok = out.get("behaviour") in ("answer", "abstain", "refuse_or_redirect") and isinstance(out.get("citations"), list)
            results[i] = {"ok": ok, "seconds": time.perf_counter() - t0, "behaviour": out.get("behaviour"),
                          "error": "" if ok else f"unexpected result: {str(out)[:200]}"}
        except Exception as e:  # any failure of any kind counts as an error for the report
            results[i] = {"ok": False, "seconds": time.perf_counter() - t0, "error": f"{type(e).__name__}: {e}"}

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    start.wait()
    t_all = time.perf_counter()
    for t in threads:
        t.join(timeout + 10)
    wall = time.perf_counter() - t_all
    for c in clients:
        c.close()
    done = [r for r in results if r is not None]
    lat = [r["seconds"] for r in done if r["ok"]]
    return {"users": users, "answered": len(lat), "errors": users - len(lat),
            "error_messages": sorted({r["error"] for r in done if not r["ok"]} | ({"no result"} if len(done) < users else set())),
            "p50_s": round(percentile(lat, 50), 3), "p95_s": round(percentile(lat, 95), 3),
            "max_s": round(max(lat), 3) if lat else None, "mean_s": round(statistics.fmean(lat), 3) if lat else None,
            "wall_s": round(wall, 3)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("url")
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--timeout", type=float, default=120.0)
    a = p.parse_args()
    print(json.dumps(run(a.url, a.users, a.timeout), indent=2))


if __name__ == "__main__":
    main()
