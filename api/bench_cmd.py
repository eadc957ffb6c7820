"""`leian bench [--json OUT]`: speed and memory figures of the built index (eval/bench.py)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.table import Table

from api.common import CliError, add_index_args, console, index_root, out


def cmd_bench(args: argparse.Namespace) -> int:
    from eval.bench import bench

    missing = [p for p in args.compare if not Path(p).exists()]
    if missing:
        raise CliError(f"--compare: no index at {', '.join(missing)}")
    result = bench(index_root(args), reference=not args.no_reference,
                   progress=lambda name: console.print(f"timing {name} …"), compare=tuple(map(Path, args.compare)))
    if args.json:
        text = json.dumps(result, ensure_ascii=False, indent=1)
        if args.json == "-":
            out.print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    table = Table(title=f"leian bench — {result['units']} units")
    columns = ["system", "p50 ms", "p95 ms", "short p50", "citation p50", "facts p50", "facts p95"]
    runs = [("", result)] + list(result.get("compared", {}).items())
    for column in columns + (["p50 × this index"] if len(runs) > 1 else []):
        table.add_column(column, justify="right" if column != "system" else "left")
    for root, run in runs:
        for name, lat in run["latency_ms"].items():
            label = f"{name}@{run['backend']}" if len(runs) > 1 else name
            ratio = [str(run.get("p50_ratio", {}).get(name, 1.0 if not root else ""))] if len(runs) > 1 else []
            table.add_row(label, str(lat["p50"]), str(lat["p95"]), str(lat["short"]["p50"]),
                          str(lat["citation"]["p50"]), str(lat["facts"]["p50"]), str(lat["facts"]["p95"]), *ratio)
    printer = console if args.json == "-" else out
    printer.print(table)
    for root, run in runs:
        summary = (f"{run['backend']}{' ' + root if root else ''} — build: {json.dumps(run['build_s'])}; "
                   f"cold load {run['load_s']} s; RSS {run['rss_mb']} MB (after queries {run['rss_mb_after_queries']} MB)")
        if "speedup_vs_rank_bm25" in run:
            summary += f"; hybrid is {run['speedup_vs_rank_bm25']}× faster than rank-bm25 (p50)"
        printer.print(summary, markup=False)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="build figures, load time, memory and query latency vs rank-bm25")
    p.add_argument("--json", metavar="OUT", help="write the figures as JSON to OUT ('-' prints them)")
    p.add_argument("--no-reference", action="store_true", help="skip the rank-bm25 reference (slow to set up)")
    p.add_argument("--compare", action="append", default=[], metavar="INDEX",
                   help="also time this index (repeatable), e.g. the corpus built with --backend milvus; "
                        "its p50 is reported as a ratio to the main index's")
    add_index_args(p)
    p.set_defaults(fn=cmd_bench)
