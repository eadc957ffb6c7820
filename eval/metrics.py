"""Ranking metrics over scoring keys, and their averages over a benchmark.

A ranking is a list of scoring keys, best first, each key once (results are collapsed
before scoring). Gold is {key: grade}; gold that resolved to nothing is in it under a key
no ranking can hold, so it counts as a miss everywhere, as the benchmark format promises.
"""
from __future__ import annotations

import math

import numpy as np

CUTOFF = 10   # mrr@10 and ndcg@10
STRONG = 2    # graded gold: recall is also reported over grade ≥ 2 (LeCaRD: relevant, not just related)


def recall_at(ranking: list[str], gold: dict[str, int], k: int) -> float:
    return len(set(ranking[:k]) & gold.keys()) / len(gold)


def hit_at(ranking: list[str], gold: dict[str, int], k: int) -> float:
    return 1.0 if any(key in gold for key in ranking[:k]) else 0.0


def mrr_at(ranking: list[str], gold: dict[str, int], k: int = CUTOFF) -> float:
    return next((1.0 / rank for rank, key in enumerate(ranking[:k], 1) if key in gold), 0.0)


def ndcg_at(ranking: list[str], gold: dict[str, int], k: int = CUTOFF) -> float:
    """trec_eval's ndcg_cut.k: linear gains (the grade itself), a log2(rank + 1) discount, the
    ideal ranking from every judged document of the query with a positive grade (those not
    retrieved too), unjudged = 0; binary gold has grade 1 everywhere."""
    dcg = sum(gold.get(key, 0) / math.log2(rank + 1) for rank, key in enumerate(ranking[:k], 1))
    ideal = sum(g / math.log2(rank + 1) for rank, g in enumerate(sorted(gold.values(), reverse=True)[:k], 1))
    return dcg / ideal if ideal else 0.0


def summarize(rankings: list[list[str]], golds: list[dict[str, int]], latencies_ms: list[float],
              ks: list[int]) -> dict[str, float]:
    """Macro averages over queries (each query weighs the same), latency percentiles in ms."""
    n = len(rankings)
    if n == 0:
        return {"queries": 0}
    out: dict[str, float] = {"queries": n}
    for k in ks:
        out[f"recall@{k}"] = sum(recall_at(r, g, k) for r, g in zip(rankings, golds)) / n
    for k in ks:
        out[f"hit@{k}"] = sum(hit_at(r, g, k) for r, g in zip(rankings, golds)) / n
    out[f"mrr@{CUTOFF}"] = sum(mrr_at(r, g) for r, g in zip(rankings, golds)) / n
    for k in ks:
        out[f"ndcg@{k}"] = sum(ndcg_at(r, g, k) for r, g in zip(rankings, golds)) / n
    if any(grade >= STRONG for g in golds for grade in g.values()):   # graded gold (LeCaRD): also the strong ones
        strong = [{key: grade for key, grade in g.items() if grade >= STRONG} for g in golds]
        for k in ks:
            out[f"recall_strong@{k}"] = sum(recall_at(r, s, k) for r, s in zip(rankings, strong) if s) / \
                max(sum(1 for s in strong if s), 1)
    out["latency_ms_p50"] = float(np.percentile(latencies_ms, 50))
    out["latency_ms_p95"] = float(np.percentile(latencies_ms, 95))
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}
