"""Fusing the BM25 and dense rankings. Two scoring methods, both with per-retriever weights:

  * minmax (the default): Σ_r w_r · (s_r(d) − min_r) / (max_r − min_r) over each retriever's
    candidates. Default weights bm25 1.0, dense 0.5.
  * rrf, reciprocal rank fusion (Cormack et al., 2009), as pyserini fuses:
    Σ_r w_r / (k + rank_r(d)), rank from 1, k = 60.

Two refinements, both measured on the dev benchmarks' test halves (leian eval --build-dev;
README, "Evaluation"):

  * case_weights: a retriever's weight on units of cases (guiding and typical). Dense counts
    0.3 there and 0.5 on provisions: most of its training pairs are articles, and between cases
    it sees topic rather than the particular facts that make two cases alike. The lower weight
    lets the provisions dense finds rise among the many cases of a facts query. Measured:
    SPP 相关规定 R@100 .231 → .251, holding MRR@10 .475 → .473.
  * keep_head = 3: BM25's leading hits that dense also retrieved (some unit of the same case,
    or the same article) keep the head of the list, in BM25 order, until the first one dense did
    not retrieve. Two retrievers agreeing on BM25's leaders is the strongest evidence there is;
    dense then reorders what follows. Measured: holding MRR@10 .473 → .492, the other
    benchmarks within .004. A question in lay words is left in the learned reranker's order
    (indexer/search.py, asked_in_lay_words).

Why minmax by default: RRF sees ranks only and let the dense list pull strong BM25 hits down:
at the first landing, plain RRF (equal weights) gave holding retrieval MRR@10 .304 where minmax
with dense at 0.5 gave .475. RRF stays selectable, FusionConfig(method="rrf"); the case weights
and the head rule apply to it too.

The fused score is an ordering key, not a probability: the kept head takes the top score.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

RRF_K = 60


@dataclass(frozen=True)
class FusionConfig:
    lexical: str = "bm25"    # the system name of the lexical retriever, whichever backend serves it
    semantic: str = "dense"  # … and of the semantic one
    k: int = RRF_K
    weights: dict[str, float] = field(default_factory=lambda: {"bm25": 1.0, "dense": 0.5})
    case_weights: dict[str, float] = field(default_factory=lambda: {"bm25": 1.0, "dense": 0.3})
    depth: int = 200        # how many hits each retriever contributes
    method: str = "minmax"  # minmax | rrf
    keep_head: int = 3      # BM25 leaders dense agrees on stay first; 0 turns it off

    def weight(self, name: str, is_case: bool) -> float:
        """A retriever with no case weight of its own weighs cases like everything else."""
        table = self.case_weights if is_case else self.weights
        return table.get(name, self.weights.get(name, 1.0))


def rrf(rankings: dict[str, list[int]], config: FusionConfig = FusionConfig(),
        is_case: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids (best first) into [(id, fused score)], best first; ties keep
    the order of first appearance so results are deterministic. `is_case[id]` marks the ids
    that take config.case_weights."""
    fused: dict[int, float] = {}
    for name, ranking in rankings.items():
        for rank, item in enumerate(ranking[: config.depth], start=1):
            weight = config.weight(name, is_case is not None and bool(is_case[item]))
            if weight:
                fused[item] = fused.get(item, 0.0) + weight / (config.k + rank)
    return sorted(fused.items(), key=lambda kv: -kv[1])


def minmax(scored: dict[str, list[tuple[int, float]]], config: FusionConfig = FusionConfig(),
           is_case: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Weighted sum of scores min-max normalised per retriever over its own candidates; an
    item a retriever did not return gets 0 from it. Unlike RRF it keeps score gaps: when BM25
    finds one unit far ahead of the rest, a flat dense list cannot pull it down. Ties keep the
    order of first appearance. In arrays: a question's reranker fuses up to 800 candidates."""
    items, values = [], []
    for name, hits in scored.items():
        hits = hits[: config.depth]
        if not hits:
            continue
        rows = np.fromiter((item for item, _ in hits), dtype=np.int64, count=len(hits))
        scores = np.fromiter((score for _, score in hits), dtype=np.float64, count=len(hits))
        cases = is_case[rows].astype(bool) if is_case is not None else np.zeros(len(rows), dtype=bool)
        weight = np.where(cases, config.weight(name, True), config.weight(name, False))
        keep = weight != 0
        items.append(rows[keep])
        values.append(weight[keep] * _scaled(scores)[keep])
    if not items:
        return []
    every = np.concatenate(items)
    unique, first, inverse = np.unique(every, return_index=True, return_inverse=True)
    total = np.bincount(inverse, weights=np.concatenate(values), minlength=len(unique))
    order = np.lexsort((first, -total))
    return list(zip(unique[order].tolist(), total[order].tolist()))


def normalised(hits: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Scores min-max scaled to [0, 1] over the list; a list with no spread scores 0."""
    if not hits:
        return []
    scaled = _scaled(np.fromiter((score for _, score in hits), dtype=np.float64, count=len(hits)))
    return list(zip((item for item, _ in hits), scaled.tolist()))


def _scaled(scores: np.ndarray) -> np.ndarray:
    low = scores.min()
    return (scores - low) / ((scores.max() - low) or 1.0)


def normalised_by_top(hits: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Scores divided by the best one, so two lists ranked on different scales can interleave."""
    top = max((score for _, score in hits), default=0.0)
    return [(item, score / top if top > 0 else 0.0) for item, score in hits]


def keep_agreed_head(fused: list[tuple[int, float]], lexical: Sequence[int], dense: Sequence[int],
                     groups: Sequence[str], size: int, placed: frozenset[str] = frozenset()) -> list[tuple[int, float]]:
    """Move BM25's first `size` results (one per group: a case, an article) to the front while
    dense also retrieved a unit of the group; stop at the first it did not. Groups already
    `placed` ahead of the fused list (cited units) are passed over without taking a place."""
    if size <= 0 or not dense:
        return fused
    dense_groups = {groups[item] for item in dense}
    head: list[int] = []
    seen = set(placed)
    for item in lexical:
        group = groups[item]
        if group in seen:
            continue
        seen.add(group)
        if len(head) >= size or group not in dense_groups:
            break
        head.append(item)
    if not head:
        return fused
    top = max((score for _, score in fused), default=0.0)
    kept = set(head)
    return [(item, top) for item in head] + [kv for kv in fused if kv[0] not in kept]
