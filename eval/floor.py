"""How the relevance floor (indexer/search.py, RelevanceFloor) is chosen, reproducibly:

1. dense: a unit found by the embedding alone is shown only above every dense score that
   queries about things the corpus does not hold reach (UNANSWERABLE), rounded up to 0.05;
2. lexical: for short queries (questions, keywords), the highest share of the query's weighted
   idf that still keeps KEEP of the gold units the unfloored hybrid ranks in its top 10 on the
   dev queries. The same figure for long queries (case facts) is printed too: it is not used,
   because it cuts deep hits only the embedding finds (see RelevanceFloor).

    python -m eval.floor --index var/index BENCH.jsonl [BENCH.jsonl ...] [--split dev]

The figures it prints are the ones in the README; the floors are set in the code by hand.
"""
from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eval.benchmark import load_benchmark, restrict
from eval.gold import Keys
from indexer.layout import default_index_root
from indexer.search import QUESTION_CHARS, Searcher

KEEP = 0.99
TOP = 10
UNANSWERABLE = (
    "asdfqwer 火星人飞碟", "qwerty zxcvbnm", "黑洞 引力波 天文观测", "周杰伦 新专辑 歌词",
    "量子纠缠 超导 实验装置", "星际穿越 电影 影评", "宇宙飞船 曲速引擎", "哈利波特 魔法学校",
    "区块链 挖矿 显卡 超频",
)


@dataclass
class Signal:
    query_chars: int
    coverage: float
    dense: float


def _signals(searcher: Searcher, query: str, filters=None, keep=lambda row: True) -> list[Signal]:
    ranked = [r for r in searcher.rank(query, filters, floor=None)[:TOP] if keep(r.row)]
    coverage = searcher.lexical.coverage(searcher.query(query), np.asarray([r.row for r in ranked], dtype=np.int64))
    return [Signal(len(query), float(share), r.scores.get("dense", 0.0)) for r, share in zip(ranked, coverage)]


def gold_signals(searcher: Searcher, bench_path: Path, split: str) -> list[Signal]:
    """Every gold unit in the unfloored hybrid top 10 of the benchmark's `split` queries."""
    keys = Keys(searcher, any_version=True)
    out = []
    for q in load_benchmark(bench_path).queries:
        if split == "all" or q.split in (split, ""):   # a benchmark without splits counts whole
            gold = keys.gold(q.id, q.relevant, q.grades).grades
            out += _signals(searcher, q.query, restrict(q.filters, (), True), lambda row: keys.of_row(row) in gold)
    return out


def choose(gold: list[Signal], junk: list[Signal], short_chars: int = QUESTION_CHARS) -> dict:
    dense = math.ceil((max((s.dense for s in junk), default=0.0) + 1e-9) * 20) / 20
    out: dict = {"dense": dense}
    for name, group in (("short", [s for s in gold if s.query_chars <= short_chars]),
                        ("long", [s for s in gold if s.query_chars > short_chars])):
        cov = np.array([s.coverage for s in group])
        by_dense = np.array([s.dense >= dense for s in group])
        lexical = 0.0
        for floor in np.arange(0.0, 1.0, 0.005):
            if len(group) and ((cov >= floor) | by_dense).mean() >= KEEP:
                lexical = round(float(floor), 3)
        out[name] = {"lexical": lexical, "gold_hits": len(group),
                     "kept": round(float(((cov >= lexical) | by_dense).mean()), 4) if len(group) else None}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.floor", description=__doc__.split("\n")[0])
    ap.add_argument("benchmarks", nargs="+", type=Path)
    ap.add_argument("--index", type=Path, default=None)
    ap.add_argument("--split", default="dev", help="dev | test | all (default dev)")
    args = ap.parse_args(argv)
    searcher = Searcher.open(args.index or default_index_root())
    gold = [s for path in args.benchmarks for s in gold_signals(searcher, path, args.split)]
    junk = [s for q in UNANSWERABLE for s in _signals(searcher, q)]
    print(json.dumps(choose(gold, junk), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
