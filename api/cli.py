"""`leian` — one command, one subcommand per feature.

Exit codes: 0 ok, 1 failure while working, 2 bad input (usage, query, filter, file).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from corpus.merge import VersionInvariantError
from corpus.standing import STANDING_LABELS
from indexer.layout import IndexUnavailable, default_corpus_roots, default_index_root

EXIT_BAD_INPUT = 2
# soft_wrap: a message to a log or a pipe is never broken mid-sentence at 80 columns
console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class CliError(Exception):
    """A plain message for the user, with the exit code to leave with."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.code = code


def _index_root(args: argparse.Namespace) -> Path:
    return Path(args.index) if args.index else default_index_root()


def _corpus_roots(args: argparse.Namespace) -> list[Path]:
    roots = [Path(p) for p in args.corpus] if args.corpus else default_corpus_roots()
    if not roots:
        raise CliError("no corpus: pass --corpus DIR or set LEIAN_CORPUS (../shared/corpus was not found)")
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise CliError(f"corpus path not found: {', '.join(missing)}")
    return roots


def open_searcher(args: argparse.Namespace):
    from indexer.search import Searcher

    return Searcher.open(_index_root(args))


# -- build / add / stats ------------------------------------------------------------------------
_STAGES = {"ingest": "read files", "store": "write the store", "tokenize": "tokenize", "index": "build the BM25 index",
           "train": "train the embedding model", "encode": "encode units"}


def _progress_runner():
    """A bar per build stage on a terminal; on a log or pipe, a line when each stage starts and ends
    (what it counts and how long it took), so a long build never looks hung."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bars = console.is_terminal or bool(os.environ.get("LEIAN_PROGRESS"))
    progress = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, disable=not bars)
    tasks: dict[str, int] = {}
    started: dict[str, float] = {}

    def update(stage: str, done: int, total: int) -> None:
        if bars:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)
            return
        what = _STAGES.get(stage, stage)
        count = f" ({total:,} items)" if total > 1 else ""
        if stage not in started:
            started[stage] = time.perf_counter()
            console.print(f"leian: {what}{count} …", markup=False)
        if done >= total and started.get(stage):
            console.print(f"leian: {what}: done in {time.perf_counter() - started[stage]:.1f} s", markup=False)
            started[stage] = 0.0

    return progress, update


def _build_config(args: argparse.Namespace, roots: list[Path]):
    from indexer.build import BuildConfig

    model = args.embedding_model or os.environ.get("LEIAN_EMBEDDING_MODEL")
    if model and not Path(model).is_dir():
        raise CliError(f"embedding model directory not found: {model}")
    dense = "none" if args.no_dense else ("local" if model else "train")
    return BuildConfig(corpus_roots=roots, index_root=_index_root(args), dense=dense,
                       embedding_model=Path(model) if model else None)


def cmd_build(args: argparse.Namespace) -> int:
    from indexer.build import build

    config = _build_config(args, _corpus_roots(args))
    progress, update = _progress_runner()
    with progress:
        info = build(config, update)
    _print_summary(info)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from indexer.build import add

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CliError(f"not found: {', '.join(missing)}")
    config = _build_config(args, paths)
    progress, update = _progress_runner()
    with progress:
        info = add(config, paths, update)
    _print_summary(info)
    return 0


def _print_summary(info: dict) -> None:
    summary = info["summary"]
    table = Table(title="leian build")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("files seen", str(summary["files_seen"]))
    table.add_row("files ingested", str(summary["files_ingested"]))
    for kind, n in summary["documents"].items():
        table.add_row(f"documents: {kind}", str(n))
    table.add_row("catalogue-only cases", str(summary["catalogue_only"]))
    for kind, n in summary["units"].items():
        table.add_row(f"units: {kind}", str(n))
    table.add_row("superseded versions", str(summary["superseded_versions"]))
    if "version_invariant" in summary:
        invariant = summary["version_invariant"]
        table.add_row("laws with several versions", str(summary["laws_with_versions"]))
        table.add_row("dated statute files: own version or recorded copy",
                      "ok" if invariant["ok"] else f"{len(invariant['problems'])} problems")
    table.add_row("citation edges", str(summary["citation_edges"]))
    table.add_row("skipped files", str(summary["files_seen"] - summary["files_ingested"]))
    out.print(table)
    out.print("seconds: " + ", ".join(f"{k} {v}" for k, v in info["build_s"].items()))
    if info.get("dense"):
        out.print(f"dense: {json.dumps(info['dense'], ensure_ascii=False)}")
    if summary["files_seen"] != summary["files_ingested"]:
        out.print("skipped files are listed by `leian stats`")


def cmd_stats(args: argparse.Namespace) -> int:
    from corpus.merge import version_table
    from corpus.store import Store
    from indexer.layout import current_build, read_manifest

    build = current_build(_index_root(args))
    manifest = read_manifest(build)
    store = Store(build / "corpus.db")
    summary = manifest["summary"]
    data = {"files_seen": summary["files_seen"], "documents": summary["documents"], "units": summary["units"],
            "superseded_versions": summary["superseded_versions"], "catalogue_only": summary["catalogue_only"],
            "citation_edges": summary["citation_edges"],
            "laws_with_versions": summary.get("laws_with_versions"),
            "version_invariant": summary.get("version_invariant"),
            "versions": version_table(store.documents(with_units=False)),
            "skipped": [{"path": r["path"], "reason": r["reason"]} for r in store.skipped()],
            "warnings": store.warnings(), "build_s": manifest["build_s"], "dense": manifest.get("dense")}
    if args.json:
        out.print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    _print_summary(manifest)
    for s in data["skipped"]:
        out.print(f"skipped {s['path']}: {s['reason']}")
    for w in data["warnings"]:
        out.print(f"warning {w['path']}: {w['warning']}")
    return 0


# -- search / show ------------------------------------------------------------------------------
def filters_from_args(args: argparse.Namespace):
    from indexer.filters import Filters

    return Filters(doc_types=tuple(args.type or ()), domains=tuple(args.domain or ()),
                   procedures=tuple(args.procedure or ()), levels=tuple(args.level or ()),
                   year_from=args.year_from, year_to=args.year_to, validity=args.validity,
                   all_versions=args.all_versions)


def cmd_search(args: argparse.Namespace) -> int:
    searcher = open_searcher(args)
    result = searcher.search(args.query, k=args.k, offset=args.offset, filters=filters_from_args(args))
    if args.json:
        out.print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return 0
    for notice in result.notices:
        out.print(notice, markup=False)
    if not result.results and not result.notices:
        out.print("没有更多结果了。")
    for i, hit in enumerate(result.results, 1 + args.offset):
        out.print(f"[bold]{i}. {escape(hit.citation)}[/bold]  {standing_label(hit.validity, hit.standing)}")
        if hit.standing_basis:
            out.print(f"   {hit.standing_basis}", markup=False)
        if hit.holding:
            out.print(f"   {hit.holding_label}：{hit.holding[:300]}", markup=False)
        elif hit.holding_missing:
            out.print(f"   {hit.holding_label}：本库未收录该案{hit.holding_label}", markup=False)
        if hit.passage and hit.passage != hit.holding[:len(hit.passage)]:
            out.print(f"   {hit.unit_label} {hit.passage}", markup=False)
        if hit.current:
            note = f"（{hit.current['note']}）" if hit.current["note"] else ""
            out.print(f"   现行条文{note}：{hit.current['citation']} {hit.current['text'][:200]}", markup=False)
        if hit.cited_by:
            out.print(f"   被引用：{'、'.join(c['case_no'] or c['title'] for c in hit.cited_by[:8])}")
    out.print(f"[dim]{len(result.results)} results in {result.took_ms:.1f} ms[/dim]")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    searcher = open_searcher(args)
    unit_id = args.citation if args.citation in searcher.table.row_of else ""
    res = None
    if not unit_id:
        res = searcher.resolve(args.citation)
        if res is None:
            raise CliError(f"not a citation: {args.citation!r} (try 矿产资源法第七十四条, 检例第28号, 指导案例215号)")
        if not res.found:
            raise CliError(f"{res.citation.render()}：本库未收录 ({res.message or 'not in the corpus'})", code=1)
        if res.status == "stub" or (not res.unit_id and res.members):
            data = searcher.document(res.doc_id) if res.doc_id else {"members": res.members}
            out.print(json.dumps(data, ensure_ascii=False, indent=1))
            return 0
        unit_id = res.unit_id
    unit = searcher.unit(unit_id)
    if res is not None:
        unit["resolution"] = {"status": res.status, "current_unit_id": res.current_unit_id, "message": res.message}
    if args.json:
        out.print(json.dumps(unit, ensure_ascii=False, indent=1))
        return 0
    out.print(f"[bold]{escape(unit['citation'])}[/bold]  {standing_label(unit['validity'], unit['standing'])}")
    if unit["standing_basis"]:
        out.print(unit["standing_basis"], markup=False)
    out.print(unit["text"], markup=False)
    if res is not None and res.current_unit_id and res.current_unit_id != unit_id:
        now = searcher.unit(res.current_unit_id)
        out.print(f"\n现行条文：{now['citation']}\n{now['text']}", markup=False)
    if unit["versions"]:
        out.print("\n版本：" + "；".join(f"{v['version_date'] or '未注明日期'} {standing_label(v['validity'])}"
                                        for v in unit["versions"]))
    if unit["cited_by"]:
        out.print("被引用：" + "、".join(c["case_no"] or c["title"] for c in unit["cited_by"]), markup=False)
    return 0


def standing_label(validity: str, standing: str = "") -> str:
    """现行有效 / 已被修订 for statutes; a case's own standing (不再参照) when it has one."""
    if standing and standing != "current":
        return STANDING_LABELS[standing]
    return {"current": "现行有效", "superseded": "已被修订"}.get(validity, "效力未知")


# -- wiring -------------------------------------------------------------------------------------
def _add_index_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", help="index directory (default: $LEIAN_INDEX or var/index)")


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    from corpus.domains import DOMAIN_CUES, PROCEDURES
    from corpus.model import DOC_TYPES, LEVELS

    p.add_argument("--type", action="append", help=" | ".join(DOC_TYPES) + " (repeatable)")
    p.add_argument("--domain", action="append", help="public-interest domain (repeatable): " + "、".join(DOMAIN_CUES))
    p.add_argument("--procedure", action="append",
                   help="procedure (repeatable): " + "、".join((*PROCEDURES, "公益诉讼")))
    p.add_argument("--level", action="append", help="issuing level (repeatable): " + " | ".join(LEVELS))
    p.add_argument("--year-from", type=int, metavar="YEAR", help="only documents dated this year or later")
    p.add_argument("--year-to", type=int, metavar="YEAR", help="only documents dated this year or earlier")
    p.add_argument("--validity", help="current | superseded (default: current versions only)")
    p.add_argument("--all-versions", action="store_true",
                   help="include superseded versions of statutes and cases no longer referred to")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="leian", description="类案检索 — legal retrieval for procurators")
    # not required=True: argparse would then answer `leian --frobnicate` with "command is required"
    # instead of naming the option it does not know; main() asks for the command itself
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    for name, fn, helptext in (("build", cmd_build, "ingest the corpus and build the index"),
                               ("add", cmd_add, "add documents to the built index without a full rebuild")):
        p = sub.add_parser(name, help=helptext)
        if name == "add":
            p.add_argument("paths", nargs="+", help="files or folders to add")
        p.add_argument("--corpus", action="append", help="corpus folder (repeatable; default $LEIAN_CORPUS or ../shared/corpus)")
        p.add_argument("--embedding-model", help="local sentence-transformers directory (default $LEIAN_EMBEDDING_MODEL; "
                                                  "otherwise a domain model is trained from the corpus)")
        p.add_argument("--no-dense", action="store_true", help="BM25 only: skip the embedding model")
        _add_index_args(p)
        p.set_defaults(fn=fn)

    p = sub.add_parser("stats", help="what the index holds, and every skipped file with its reason")
    p.add_argument("--json", action="store_true", help="print the figures as JSON (with every law's versions)")
    _add_index_args(p)
    p.set_defaults(fn=cmd_stats)

    p = sub.add_parser("search", help="search statutes and cases")
    p.add_argument("query", help="words, a question, a citation (矿产资源法第七十四条, 检例第28号) or case facts "
                                 "(up to 10,000 characters)")
    p.add_argument("--k", type=int, default=10, help="how many results, 1–100 (default 10)")
    p.add_argument("--offset", type=int, default=0, help="skip this many results: the next page (default 0)")
    p.add_argument("--json", action="store_true", help="print the results as JSON (the API's shape)")
    _add_filter_args(p)
    _add_index_args(p)
    p.set_defaults(fn=cmd_search)

    p = sub.add_parser("show", help="resolve one citation to its unit: full text, versions, cited-by")
    p.add_argument("citation", help="a citation (《中华人民共和国矿产资源法》（2009年修正）第三条, 检例第28号) or a unit id")
    p.add_argument("--json", action="store_true", help="print the unit as JSON")
    _add_index_args(p)
    p.set_defaults(fn=cmd_show)

    for register in _feature_parsers():
        register(sub)
    return ap


def _feature_parsers():
    """Features that live in their own modules register their subcommands here."""
    from api import commands

    return commands.REGISTRARS


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.command is None:
        ap.print_usage(sys.stderr)
        console.print("leian: name a command (leian --help lists them)", markup=False)
        return EXIT_BAD_INPUT
    from indexer.filters import BadFilter
    from indexer.search import BadQuery

    try:
        return args.fn(args)
    except (CliError,) as exc:
        console.print(f"leian: {exc}", markup=False)
        return exc.code
    except (BadQuery, BadFilter) as exc:
        console.print(f"leian: {exc}", markup=False)
        return EXIT_BAD_INPUT
    except (IndexUnavailable, VersionInvariantError) as exc:
        console.print(f"leian: {exc}", markup=False)
        return 1
    except KeyboardInterrupt:
        console.print("leian: interrupted")
        return 130


if __name__ == "__main__":   # `python -m api.cli`: run the imported module, so its exception classes are the ones raised
    from api.cli import main as imported_main

    sys.exit(imported_main())
