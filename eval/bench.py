"""`leian bench`: how fast leian is on the built index, next to the obvious alternative.

One run reports the build's own figures (from its manifest), a cold load in a fresh
process, resident memory while serving, and per-system query latency over a fixed
mixed query set — short terms, citations, and 2,000-character facts — for bm25, dense,
hybrid, similar (hybrid with the judgments' evidence: leian search's default) and the rank-bm25
reference over the same units and tokens.
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.layout import current_build, read_manifest
from indexer.search import Searcher

SHORT_QUERIES = ("非法采矿 公益诉讼", "盗窃", "生态环境损害赔偿", "检察建议 行政机关不依法履职", "未成年人网络保护",
                 "国有土地使用权出让金", "食品安全 惩罚性赔偿", "英烈名誉", "个人信息保护 公益诉讼", "河道非法采砂")
CITATION_QUERIES = ("矿产资源法第七十四条", "《中华人民共和国刑法》第264条", "检例第28号", "指导案例215号",
                    "民事诉讼法第五十八条第二款")
FACTS_CHARS = 2000
FACTS_QUERIES = 3
REPEATS = 3


@dataclass
class QuerySet:
    short: tuple[str, ...]
    citations: tuple[str, ...]
    facts: tuple[str, ...]

    def all(self) -> list[tuple[str, str]]:
        return ([("short", q) for q in self.short] + [("citation", q) for q in self.citations]
                + [("facts", q) for q in self.facts])


def query_set(searcher: Searcher) -> QuerySet:
    """The fixed terms and citations, plus the longest case facts in the index cut to 2,000
    characters (deterministic for a given corpus)."""
    texts = searcher.corpus.longest_texts("facts", FACTS_QUERIES)
    facts = tuple((t * (FACTS_CHARS // max(len(t), 1) + 1))[:FACTS_CHARS] for t in texts)
    return QuerySet(SHORT_QUERIES, CITATION_QUERIES, facts)


def cold_load(index_root: Path, runs: int = 3) -> dict:
    """Open the index in fresh processes: the time a server or CLI call pays before its first answer."""
    script = ("import json,resource,sys,time;t=time.perf_counter();from pathlib import Path;"
              "from indexer.search import Searcher;s=Searcher.open(Path(sys.argv[1]));"
              "s.search('非法采矿 公益诉讼',k=10);"
              "print(json.dumps({'load_s':time.perf_counter()-t,"
              "'rss_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))")
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", script, str(index_root)], capture_output=True, text=True,
                             check=True, cwd=Path(__file__).resolve().parents[1])
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"load_s": round(statistics.median(r["load_s"] for r in results), 3),
            "rss_mb": round(max(r["rss_mb"] for r in results), 1)}


def _latencies(run, queries: list[tuple[str, str]], repeats: int) -> dict:
    by_kind: dict[str, list[float]] = {}
    for _ in range(repeats):
        for kind, query in queries:
            started = time.perf_counter()
            run(query)
            by_kind.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    every = [x for xs in by_kind.values() for x in xs]
    summary = {"p50": round(float(np.percentile(every, 50)), 2), "p95": round(float(np.percentile(every, 95)), 2)}
    for kind, xs in by_kind.items():
        summary[kind] = {"p50": round(float(np.percentile(xs, 50)), 2), "p95": round(float(np.percentile(xs, 95)), 2)}
    return summary


def bench(index_root: Path, reference: bool = True, progress=None, compare: tuple[Path, ...] = ()) -> dict:
    """The index's figures; with `compare`, the same figures for other builds of the corpus (another
    backend) and each system's p50 latency there as a ratio to this index's."""
    result = _bench_one(index_root, reference, progress)
    for root in compare:
        other = _bench_one(root, False, progress)
        other["p50_ratio"] = {name: round(lat["p50"] / max(result["latency_ms"][name]["p50"], 1e-6), 2)
                              for name, lat in other["latency_ms"].items() if name in result["latency_ms"]}
        result.setdefault("compared", {})[str(root)] = other
    return result


def _bench_one(index_root: Path, reference: bool, progress) -> dict:
    build = current_build(index_root)
    manifest = read_manifest(build)
    load = cold_load(index_root)   # first: a Milvus Lite file serves one process at a time
    searcher = Searcher.open(index_root)
    queries = query_set(searcher).all()
    latency = {}
    from eval.systems import LEIAN_SYSTEMS as systems
    for name, retrievers in systems.items():
        if "dense" in retrievers and searcher.semantic is None:
            continue
        if progress:
            progress(name)
        latency[name] = _latencies(lambda q, r=retrievers: searcher.search(q, k=10, systems=r), queries, REPEATS)
    serving_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"backend": (manifest.get("retrievers") or {"backend": "local"})["backend"],
              "build_s": manifest["build_s"], "load_s": load["load_s"], "rss_mb": load["rss_mb"],
              "rss_mb_after_queries": round(serving_rss, 1), "latency_ms": latency, "units": manifest["units"],
              "queries": {"short": len(SHORT_QUERIES), "citation": len(CITATION_QUERIES), "facts": FACTS_QUERIES,
                          "repeats": REPEATS}}
    if reference:
        from eval.systems import RankBm25
        from indexer.filters import Filters

        if progress:
            progress("rank-bm25")
        started = time.perf_counter()
        baseline = RankBm25(searcher)
        result["rank_bm25_setup_s"] = round(time.perf_counter() - started, 1)
        latency["rank-bm25"] = _latencies(lambda q: baseline.rank(q, Filters()), queries, 1)
        best = "hybrid" if "hybrid" in latency else "bm25"
        result["speedup_vs_rank_bm25"] = round(latency["rank-bm25"]["p50"] / max(latency[best]["p50"], 1e-6), 1)
    return result
