"""`leian eval`: score rank-bm25, bm25, dense and hybrid on one benchmark in one run, or
write the dev benchmarks mined from the corpus (`--build-dev DIR`).

Registering the parser imports nothing heavy (every `leian` command builds all parsers);
the evaluator's modules load when the command runs.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from api.common import CliError, add_index_args, console, index_root, open_searcher, out, progress_runner

DEFAULT_KS = "1,5,10,30,100"


def register(subparsers) -> None:
    p = subparsers.add_parser("eval", help="score the retrieval systems on a benchmark (JSONL), or build dev benchmarks")
    p.add_argument("benchmark", nargs="?", help="benchmark file: one JSON query per line")
    p.add_argument("--systems", help="comma-separated subset of rank-bm25,bm25,dense,hybrid,similar (default: all; "
                                     "similar = hybrid with the evidence judgments carry)")
    p.add_argument("--k", default=DEFAULT_KS, help=f"cut-offs for recall@k and hit@k (default {DEFAULT_KS}; "
                                                   "10 is always included: MRR and nDCG are @10)")
    p.add_argument("--limit", type=int, help="run rank-bm25 (about a second per query) on the first N queries "
                                             "only; the other systems run on all of them")
    p.add_argument("--any-version", action="store_true",
                   help="an article in any version counts as the cited one; searches all versions")
    p.add_argument("--type", action="append", default=[], help="only this document type, for every query (repeatable)")
    p.add_argument("--split", default="all",
                   help="test | dev | all: queries whose \"split\" is this (dev benchmarks report on test); default all")
    p.add_argument("--json", metavar="OUT.json", help="write the summary as JSON (- prints it instead of the table)")
    p.add_argument("--report", metavar="OUT.md", help="write a markdown report and a recall@k plot next to it")
    p.add_argument("--lecard", nargs=2, metavar=("LECARD_DIR", "OUT_DIR"),
                   help="write LeCaRD's queries and labels as benchmarks (pool re-ranking and search-all, each also "
                        "with the charges named) into OUT_DIR, then stop; build the index from LECARD_DIR")
    p.add_argument("--build-dev", metavar="DIR", help="write spp_provisions.jsonl, spc_provisions.jsonl, holding.jsonl "
                                                      "and holding_masked.jsonl from the index's corpus, then stop")
    p.add_argument("--compare", action="append", default=[], metavar="INDEX",
                   help="also run the systems on this index (repeatable), e.g. the same corpus built with "
                        "--backend milvus: rows are named system@backend")
    p.add_argument("--folds", type=int, metavar="K",
                   help="k-fold cross-validation of the learned side (eval/folds.py): train on the --pairs files "
                        "and the other folds, score each held-out fold, report the mean")
    p.add_argument("--pairs", action="append", default=[], metavar="FILE",
                   help="with --folds: a question → article pairs file to train on (repeatable; default: the "
                        "shared training files beside the index's corpus)")
    add_index_args(p)
    p.set_defaults(fn=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    if args.lecard:
        if args.benchmark or args.build_dev:
            raise CliError("--lecard writes benchmarks and stops: give no benchmark file or --build-dev with it")
        return _lecard(Path(args.lecard[0]), Path(args.lecard[1]))
    if args.build_dev:
        if args.benchmark:
            raise CliError("give a benchmark file or --build-dev DIR, not both")
        return _build_dev(args)
    if not args.benchmark:
        raise CliError("no benchmark: leian eval BENCH.jsonl (or --build-dev DIR to make some)")
    if args.folds is not None:
        return _folds(args)
    from eval.benchmark import SPLITS
    from indexer.filters import Filters

    systems, ks = _systems(args.systems), _ks(args.k)
    if args.limit is not None and args.limit < 1:
        raise CliError(f"--limit must be 1 or more, got {args.limit}")
    if args.split not in (*SPLITS, "all"):
        raise CliError(f"--split takes {', '.join(SPLITS)} or all, got {args.split!r}")

    doc_types = tuple(args.type)
    Filters(doc_types=doc_types).validate()
    bench, queries = _queries(Path(args.benchmark), args.split, doc_types, args.any_version)

    from eval.gold import Keys
    from eval.report import Evaluation, summary, table, write_markdown
    from eval.runner import run_system
    from eval.systems import REFERENCE, LeianSystem, RankBm25
    from indexer.search import DEFAULT_DEPTH

    searchers = [open_searcher(args)] + [_compared(Path(p)) for p in args.compare]
    if any(s.semantic is None for s in searchers) and {"dense", "hybrid", "similar"} & set(systems):
        raise CliError("this index has no dense model (built with --no-dense): "
                       "leave dense, hybrid and similar out of --systems")
    keys = Keys(searchers[0], args.any_version)
    golds = {q.id: keys.gold(q.id, q.relevant, q.grades) for q in queries}
    depth = max(ks)
    runs = {}
    progress, update = progress_runner()
    with progress:
        for searcher in searchers:
            keys = Keys(searcher, args.any_version)
            for name in systems:
                if name == REFERENCE:
                    system, todo = RankBm25(searcher, update), queries[:args.limit]
                else:
                    system, todo = LeianSystem(searcher, name, max(DEFAULT_DEPTH, 2 * depth)), queries
                label = f"{name}@{_backend(searcher)}" if args.compare else name
                runs[label] = run_system(system, todo, keys, depth, update)
    ev = Evaluation(bench.name, args.split, args.any_version, doc_types, ks, queries, golds, runs, bench.bad_lines)
    result = summary(ev)
    if args.json == "-":
        out.print(json.dumps(result, ensure_ascii=False, indent=1), markup=False)
    else:
        from rich.console import Console

        # 14 columns: piped output gets room for them rather than rich's default 80 characters
        (out if out.is_terminal else Console(highlight=False, width=160)).print(table(result, ks))
    if args.json and args.json != "-":
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        console.print(f"wrote {args.json}", markup=False)
    if args.report:
        plot = write_markdown(ev, result, Path(args.report))
        console.print(f"wrote {args.report} and {plot}", markup=False)
    return 0


def _compared(root: Path):
    from indexer.search import Searcher

    if not root.exists():
        raise CliError(f"--compare: no index at {root}")
    return Searcher.open(root)


def _backend(searcher) -> str:
    return (searcher.manifest.get("retrievers") or {"backend": "local"})["backend"]


def _systems(text: str | None) -> list[str]:
    from eval.systems import ALL_SYSTEMS

    if text is None:
        return list(ALL_SYSTEMS)
    names = list(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))
    unknown = [n for n in names if n not in ALL_SYSTEMS]
    if unknown or not names:
        raise CliError(f"unknown system {', '.join(unknown) or '(none given)'}; choose from {', '.join(ALL_SYSTEMS)}")
    return names


def _ks(text: str) -> list[int]:
    from eval.metrics import CUTOFF

    try:
        ks = {int(k) for k in text.split(",") if k.strip()}
    except ValueError:
        raise CliError(f"--k takes whole numbers separated by commas, got {text!r}") from None
    if any(not 1 <= k <= 1000 for k in ks):
        raise CliError(f"--k values must be between 1 and 1000, got {text!r}")
    return sorted(ks | {CUTOFF})


def _queries(path: Path, split: str, doc_types: tuple[str, ...], any_version: bool):
    """The benchmark and the queries to run; bad lines are shown and skipped, none left is an error."""
    from eval.benchmark import BadLine, load_benchmark, restrict

    if not path.is_file():
        raise CliError(f"benchmark not found: {path}")
    try:
        bench = load_benchmark(path)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    queries = []
    for q in bench.queries:
        if split != "all" and q.split != split:
            continue
        try:
            queries.append(replace(q, filters=restrict(q.filters, doc_types, any_version)))
        except ValueError as exc:
            bench.bad_lines.append(BadLine(q.line, str(exc)))
    bench.bad_lines.sort(key=lambda b: b.line)
    for b in bench.bad_lines:
        console.print(f"{path}:{b.line}: skipped: {b.reason}", markup=False)
    if not bench.queries and not bench.bad_lines:
        raise CliError(f"benchmark {path} is empty: write one JSON query per line")
    if not queries:
        where = f" with split {split!r}" if split != "all" else ""
        raise CliError(f"no usable queries{where} in {path} ({len(bench.bad_lines)} bad lines)")
    return bench, queries


def _lecard(folder: Path, out_dir: Path) -> int:
    from eval.lecard import NotLecard, build_lecard

    try:
        files = build_lecard(folder, out_dir)
    except NotLecard as exc:
        raise CliError(str(exc)) from None
    for path in files.paths:
        out.print(f"wrote {path}", markup=False)
    if files.skipped:
        out.print(f"queries without a positive label, left out: {', '.join(files.skipped)}", markup=False)
    out.print(f"run: leian eval {files.paths[0]} --systems bm25,hybrid,similar --k 10,20,30,100 "
              f"(index built from {folder})", markup=False)
    return 0


def _build_dev(args: argparse.Namespace) -> int:
    from rich.table import Table

    from eval.devsets import build_dev
    from indexer.layout import current_build

    sets = build_dev(current_build(index_root(args)) / "corpus.db", Path(args.build_dev))
    t = Table(title=f"dev benchmarks in {args.build_dev}")
    for col in ("file", "test", "dev", "skipped: no facts", "skipped: no gold"):
        t.add_column(col, justify="left" if col == "file" else "right")
    for s in sets:
        t.add_row(s.path.name, str(s.test), str(s.dev), str(s.no_facts), str(s.no_gold))
    out.print(t)
    out.print(f"run: leian eval {sets[0].path} --split test")
    return 0


def _folds(args: argparse.Namespace) -> int:
    from rich.table import Table

    from eval.folds import METRICS, cross_validate, mean
    from indexer.questions import default_pair_files

    if args.folds < 2:
        raise CliError(f"--folds must be 2 or more, got {args.folds}")
    bench = Path(args.benchmark)
    if not bench.is_file():
        raise CliError(f"benchmark not found: {bench}")
    searcher = open_searcher(args)
    pairs = [Path(p) for p in args.pairs] or [
        p for p in default_pair_files([Path(r) for r in searcher.manifest.get("corpus_roots", [])])
        if p.resolve() != bench.resolve()]
    systems = tuple(_systems(args.systems or "bm25,dense,hybrid"))
    progress, update = progress_runner()
    with progress:
        results = cross_validate(searcher, bench, pairs, args.folds, systems, tuple(args.type or ("statute",)),
                                 progress=update)
    t = Table(title=f"{bench.name}: {args.folds}-fold cross-validation (training: {', '.join(p.name for p in pairs)})")
    t.add_column("fold")
    t.add_column("system")
    for m in METRICS:
        t.add_column(m, justify="right")
    for r in results:
        for name, s in r.systems.items():
            t.add_row(str(r.fold), name, *[f"{s[m]:.3f}" for m in METRICS])
    for name, s in mean(results).items():
        t.add_row("mean", name, *[f"{s[m]:.3f}" for m in METRICS])
    out.print(t)
    if args.json:
        summary = {"folds": [r.__dict__ for r in results], "mean": mean(results), "pairs": [str(p) for p in pairs]}
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0
