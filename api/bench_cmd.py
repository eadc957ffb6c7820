"""`leian bench [--json OUT]`: speed and memory figures of the built index (eval/bench.py)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.table import Table

from api.common import add_index_args, console, index_root, out


def cmd_bench(args: argparse.Namespace) -> int:
    from eval.bench import bench

    result = bench(index_root(args), reference=not args.no_reference,
                   progress=lambda name: console.print(f"timing {name} …"))
    if args.json:
        text = json.dumps(result, ensure_ascii=False, indent=1)
        if args.json == "-":
            out.print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    table = Table(title=f"leian bench — {result['units']} units")
    for column in ("system", "p50 ms", "p95 ms", "short p50", "citation p50", "facts p50", "facts p95"):
        table.add_column(column, justify="right" if column != "system" else "left")
    for name, lat in result["latency_ms"].items():
        table.add_row(name, str(lat["p50"]), str(lat["p95"]), str(lat["short"]["p50"]), str(lat["citation"]["p50"]),
                      str(lat["facts"]["p50"]), str(lat["facts"]["p95"]))
    (console if args.json == "-" else out).print(table)
    summary = (f"build: {json.dumps(result['build_s'])}; cold load {result['load_s']} s; "
               f"RSS {result['rss_mb']} MB (after queries {result['rss_mb_after_queries']} MB)")
    if "speedup_vs_rank_bm25" in result:
        summary += f"; hybrid is {result['speedup_vs_rank_bm25']}× faster than rank-bm25 (p50)"
    (console if args.json == "-" else out).print(summary)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="build figures, load time, memory and query latency vs rank-bm25")
    p.add_argument("--json", metavar="OUT", help="write the figures as JSON to OUT ('-' prints them)")
    p.add_argument("--no-reference", action="store_true", help="skip the rank-bm25 reference (slow to set up)")
    add_index_args(p)
    p.set_defaults(fn=cmd_bench)
