"""Run every system over the queries: collapsed key rankings and per-query latency.

Latency is the wall time from query text to collapsed key ranking (tokenising, retrieval,
filters, fusion, collapse), after one untimed warm-up query per system so a lazy load
does not land in p95.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from eval.benchmark import Query
from eval.gold import Keys
from eval.systems import Progress, System


@dataclass
class QueryRun:
    ranking: list[str]   # scoring keys, best first
    latency_ms: float


def run_system(system: System, queries: list[Query], keys: Keys, depth: int,
               progress: Progress | None = None) -> dict[str, QueryRun]:
    """query id → its run; `depth` keys are kept per query."""
    if queries:
        system.rank(queries[0].query, queries[0].filters)
    out: dict[str, QueryRun] = {}
    for i, q in enumerate(queries, 1):
        started = time.perf_counter()
        ranking = keys.ranking(system.rank(q.query, q.filters), depth)
        out[q.id] = QueryRun(ranking, (time.perf_counter() - started) * 1000)
        if progress:
            progress(system.name, i, len(queries))
    return out
