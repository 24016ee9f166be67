"""The routing probes (evals/routing-probe.jsonl and routing-probe2.jsonl, written blind, all `dev`): every
adversarial request of them is declined and none of their genuine questions is. The rules were tuned on them (the
second after measuring it untouched: 31 of 40 declined, 4 of 30 genuine declined), so this guards against
regressions; how the rules generalise is measured on the blind sets' `test` split."""

from __future__ import annotations

import json

import pytest

from assistant.routing.router import route
from assistant.types import RouteKind

from ..conftest import ROOT

PROBE = [json.loads(x) for name in ("routing-probe.jsonl", "routing-probe2.jsonl")
         for x in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.mark.parametrize("row", PROBE, ids=[r["id"] for r in PROBE])
def test_the_probe_is_routed_as_written(fake_assistant, row):
    kind = route(row["question"], fake_assistant.vocabulary).kind
    if row["expected_behaviour"] == "refuse_or_redirect":
        assert kind not in (RouteKind.RETRIEVE, RouteKind.ABOUT), row["notes"]
    else:
        assert kind == RouteKind.RETRIEVE
