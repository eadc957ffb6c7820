"""Cross-validated scores on a benchmark that is also training data (STARD's train split).

The benchmark's queries go to k folds by a hash of their id (stable across runs and machines).
For each fold the learned side of search (indexer/learned.py: question memory and reranker) is
trained on the training files and the other folds' queries, and the held-out fold is scored with
it; the index's units, BM25 and embedding stay as built. Reported: each system's metrics per fold
and their mean. The index should be built without the benchmark's pairs (`leian build --pairs`
with the training files only), else its own learned side is not what is scored here anyway: each
fold replaces it.
"""
from __future__ import annotations

import zlib
from functools import lru_cache
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from eval.benchmark import Query, load_benchmark, restrict
from eval.gold import Keys
from eval.metrics import summarize
from eval.runner import run_system
from eval.systems import LeianSystem
from indexer.learned import TRAIN_QUERIES, train
from indexer.questions import Pair, read_pairs
from indexer.search import DEFAULT_DEPTH, Searcher

METRICS = ("recall@100", "hit@10", "mrr@10", "latency_ms_p50")
KS = [10, 100]


@dataclass
class FoldResult:
    fold: int
    queries: int
    systems: dict[str, dict[str, float]]
    training: dict


def fold_of(query_id: str, folds: int) -> int:
    return zlib.crc32(query_id.encode("utf-8")) % folds


def cross_validate(searcher: Searcher, benchmark: Path, training: list[Path], folds: int = 5,
                   systems: tuple[str, ...] = ("bm25", "dense", "hybrid"), doc_types: tuple[str, ...] = ("statute",),
                   any_version: bool = True, sample: int = TRAIN_QUERIES, progress: Callable[[str, int, int], None] | None = None) -> list[FoldResult]:
    bench = load_benchmark(benchmark)
    queries = [replace(q, filters=restrict(q.filters, doc_types, any_version)) for q in bench.queries]
    base = read_pairs(training)
    keys = Keys(searcher, any_version)
    golds = {q.id: keys.gold(q.id, q.relevant, q.grades).grades for q in queries}
    kept = searcher.learned
    tokenize = lru_cache(maxsize=None)(searcher.tokenizer.tokens)   # every fold tokenises the same pairs
    results = []
    try:
        for fold in range(folds):
            held = [q for q in queries if fold_of(q.id, folds) == fold]
            pairs = base + [Pair(q.id, q.query, q.relevant) for q in queries if fold_of(q.id, folds) != fold]
            searcher.learned, info = train(searcher, pairs, sample=sample, tokenize=tokenize)
            results.append(FoldResult(fold, len(held), _score(searcher, held, golds, keys, systems, progress), info))
    finally:
        searcher.learned = kept
    return results


def _score(searcher: Searcher, held: list[Query], golds: dict, keys: Keys, systems: tuple[str, ...],
           progress) -> dict[str, dict[str, float]]:
    out = {}
    for name in systems:
        runs = run_system(LeianSystem(searcher, name, max(DEFAULT_DEPTH, 2 * max(KS))), held, keys, max(KS), progress)
        out[name] = summarize([runs[q.id].ranking for q in held], [golds[q.id] for q in held],
                              [runs[q.id].latency_ms for q in held], KS)
    return out


def mean(results: list[FoldResult]) -> dict[str, dict[str, float]]:
    """Each system's metrics averaged over the folds (each fold weighs the same)."""
    names = results[0].systems.keys()
    return {name: {m: round(float(np.mean([r.systems[name][m] for r in results])), 4) for m in METRICS}
            for name in names}
