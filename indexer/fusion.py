"""Fusing the BM25 and dense rankings. Two methods, both with per-retriever weights:

  * minmax (the default): Σ_r w_r · (s_r(d) − min_r) / (max_r − min_r) over each retriever's
    candidates. Default weights bm25 1.0, dense 0.5.
  * rrf, reciprocal rank fusion (Cormack et al., 2009), as pyserini fuses:
    Σ_r w_r / (k + rank_r(d)), rank from 1, k = 60.

Why minmax by default: measured on the dev benchmarks' test halves (leian eval --build-dev),
RRF let the dense list pull strong BM25 hits down — MRR@10 on holding retrieval fell from
.497 (BM25) to .30 — while minmax with dense at half weight kept it at .475 and added the
same recall (README, "Evaluation"). RRF stays selectable: FusionConfig(method="rrf").
"""
from __future__ import annotations

from dataclasses import dataclass, field

RRF_K = 60


@dataclass(frozen=True)
class FusionConfig:
    k: int = RRF_K
    weights: dict[str, float] = field(default_factory=lambda: {"bm25": 1.0, "dense": 0.5})
    depth: int = 200        # how many hits each retriever contributes
    method: str = "minmax"  # minmax | rrf


def rrf(rankings: dict[str, list[int]], config: FusionConfig = FusionConfig()) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids (best first) into [(id, fused score)], best first; ties keep
    the order of first appearance so results are deterministic."""
    fused: dict[int, float] = {}
    for name, ranking in rankings.items():
        weight = config.weights.get(name, 1.0)
        if weight == 0:
            continue
        for rank, item in enumerate(ranking[: config.depth], start=1):
            fused[item] = fused.get(item, 0.0) + weight / (config.k + rank)
    return sorted(fused.items(), key=lambda kv: -kv[1])


def minmax(scored: dict[str, list[tuple[int, float]]], config: FusionConfig = FusionConfig()) -> list[tuple[int, float]]:
    """Weighted sum of scores min-max normalised per retriever over its own candidates; an
    item a retriever did not return gets 0 from it. Unlike RRF it keeps score gaps: when BM25
    finds one unit far ahead of the rest, a flat dense list cannot pull it down."""
    fused: dict[int, float] = {}
    for name, hits in scored.items():
        weight = config.weights.get(name, 1.0)
        hits = hits[: config.depth]
        if not hits or weight == 0:
            continue
        values = [score for _, score in hits]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        for item, score in hits:
            fused[item] = fused.get(item, 0.0) + weight * (score - low) / span
    return sorted(fused.items(), key=lambda kv: -kv[1])
