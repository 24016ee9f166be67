"""Evaluation (a consumer of the public API): question sets, metrics, baselines, runs, reports, benchmarks.

    questions.py  reading and validating a question set (JSONL)
    metrics.py    pure metric functions and the bootstrap
    baselines.py  BM25 only, dense only, LangChain
    runner.py     run systems over questions, score, summarise
    report.py     results files, report.md, charts
    runs.py       saved runs: load, compare, regression floors
    bench.py      `hcb bench`: speed and memory numbers
"""
