"""Reciprocal rank fusion (Cormack et al., 2009), the default pyserini uses.

    fused(d) = Σ_r  w_r / (k + rank_r(d))      rank starts at 1; k = 60 by default

RRF needs no score calibration between BM25 and cosine similarity, which is why it is
the default; the weights let an evaluator down-weight a retriever that has not earned
its place yet.
"""
from __future__ import annotations

from dataclasses import dataclass, field

RRF_K = 60


@dataclass(frozen=True)
class FusionConfig:
    k: int = RRF_K
    weights: dict[str, float] = field(default_factory=lambda: {"bm25": 1.0, "dense": 1.0})
    depth: int = 200   # how many hits each retriever contributes


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
