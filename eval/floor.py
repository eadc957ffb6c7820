"""How the relevance floor is chosen: measure, on dev benchmark queries, the lexical coverage
and dense score of the gold units the hybrid ranks in its top 10, and the best of both over
queries the corpus cannot answer; print the floors that keep ≥ 99% of the gold hits.

    python -m eval.floor --index var/index BENCH.jsonl [BENCH.jsonl ...] [--split dev]

The floors land in indexer/search.py (RELEVANCE_FLOOR) by hand, with the figures in the README.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from eval.benchmark import load_benchmark, restrict
from eval.gold import Keys
from indexer.layout import default_index_root
from indexer.search import Searcher

KEEP = 0.99          # share of gold top-10 hits the floor must keep
TOP = 10
# Queries about things no statute or case in the corpus is about: each must come back empty.
UNANSWERABLE = (
    "asdfqwer 火星人飞碟", "qwerty zxcvbnm", "黑洞 引力波 天文观测", "周杰伦 新专辑 歌词",
    "量子纠缠 超导 实验装置", "巧克力蛋糕 烘焙 配方", "恐龙 化石 侏罗纪", "足球 越位 战术",
    "星际穿越 电影 影评", "宇宙飞船 曲速引擎", "哈利波特 魔法学校", "区块链 挖矿 显卡 超频",
)


def gold_signals(searcher: Searcher, bench_path: Path, split: str, any_version: bool = True) -> list[tuple[float, float]]:
    """(coverage, dense score) of every gold unit in the unfloored hybrid top 10."""
    bench = load_benchmark(bench_path)
    keys = Keys(searcher, any_version)
    out = []
    for q in bench.queries:
        if split != "all" and q.split not in (split, ""):
            continue
        gold = keys.gold(q.id, q.relevant, q.grades)
        filters = restrict(q.filters, (), any_version)
        coverage = searcher.lexical.scores_and_coverage(searcher.tokenizer.tokens(q.query))[1]
        for r in searcher.rank(q.query, filters, floor=None)[:TOP]:
            if keys.of_row(r.row) in gold.grades:
                out.append((float(coverage[r.row]), r.scores.get("dense", 0.0)))
    return out


def unanswerable_signals(searcher: Searcher) -> list[tuple[float, float]]:
    """(coverage, dense score) of every unfloored top-10 hit of the unanswerable queries."""
    out = []
    for query in UNANSWERABLE:
        coverage = searcher.lexical.scores_and_coverage(searcher.tokenizer.tokens(query))[1]
        out += [(float(coverage[r.row]), r.scores.get("dense", 0.0)) for r in searcher.rank(query, floor=None)[:TOP]]
    return out


def choose(gold: list[tuple[float, float]], junk: list[tuple[float, float]]) -> dict:
    """The dense floor clears every unanswerable hit; the lexical floor is then the highest
    that still keeps KEEP of the gold hits (a gold hit is kept by either signal)."""
    g, j = np.array(gold), np.array(junk)
    dense = float(j[:, 1].max()) + 0.005 if len(j) else 1.0
    candidates = np.unique(np.round(g[:, 0], 3))
    lexical = 0.0
    for c in candidates:
        kept = ((g[:, 0] >= c) | (g[:, 1] >= dense)).mean()
        if kept >= KEEP:
            lexical = float(c)
    junk_kept = int(((j[:, 0] >= lexical) | (j[:, 1] >= dense)).sum()) if len(j) else 0
    return {"lexical": round(lexical, 3), "dense": round(dense, 3), "gold_hits": len(g),
            "gold_kept": round(float(((g[:, 0] >= lexical) | (g[:, 1] >= dense)).mean()), 4),
            "unanswerable_hits_kept": junk_kept,
            "gold_coverage_quantiles": {q: round(float(np.quantile(g[:, 0], q)), 3) for q in (0.01, 0.05, 0.1, 0.5)},
            "unanswerable_coverage_max": round(float(j[:, 0].max()), 3) if len(j) else 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.floor", description=__doc__.split("\n")[0])
    ap.add_argument("benchmarks", nargs="+", type=Path)
    ap.add_argument("--index", type=Path, default=None)
    ap.add_argument("--split", default="dev", help="dev | test | all (default dev: choose on dev, report on test)")
    args = ap.parse_args(argv)
    searcher = Searcher.open(args.index or default_index_root())
    gold = [s for path in args.benchmarks for s in gold_signals(searcher, path, args.split)]
    print(json.dumps(choose(gold, unanswerable_signals(searcher)), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
