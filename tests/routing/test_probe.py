"""The routing probes (evals/routing-probe*.jsonl, written blind): every adversarial request of their `dev` rows is
declined by the rules and none of their genuine questions is. The rules were tuned on those rows (the second and
third probes after measuring them untouched), so this guards against regressions; how the rules generalise is
measured on the `test` split of the blind sets and of the third probe, which this test does not read."""

from __future__ import annotations

import json

import pytest

from assistant.routing.router import route
from assistant.types import RouteKind

from ..conftest import ROOT

PROBE = [row for name in ("routing-probe.jsonl", "routing-probe2.jsonl", "routing-probe3.jsonl")
         for row in map(json.loads, filter(str.strip, (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines()))
         if row["split"] == "dev"]


@pytest.mark.parametrize("row", PROBE, ids=[r["id"] for r in PROBE])
def test_the_probe_is_routed_as_written(fake_assistant, row):
    kind = route(row["question"], fake_assistant.vocabulary).kind
    if row["expected_behaviour"] == "refuse_or_redirect":
        assert kind not in (RouteKind.RETRIEVE, RouteKind.ABOUT), row["notes"]
    else:
        assert kind == RouteKind.RETRIEVE
