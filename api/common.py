"""What every `leian` subcommand shares: the consoles, the error for bad CLI input, the
index and corpus arguments, the build progress. Light on purpose: `leian --help` imports it."""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from rich.console import Console

from corpus.errors import BadInput
from corpus.standing import STANDING_LABELS
from indexer.layout import default_corpus_roots, default_index_root

EXIT_BAD_INPUT = 2
# soft_wrap: a message to a log or a pipe is never broken mid-sentence at 80 columns
console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class CliError(BadInput):
    """Bad command-line input (exit 2), or with exit_code=1 a failure while working."""

    code = "bad_cli_input"


def add_index_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", help="index directory (default: $LEIAN_INDEX or var/index)")


def index_root(args: argparse.Namespace) -> Path:
    return Path(args.index) if args.index else default_index_root()


def corpus_roots(args: argparse.Namespace) -> list[Path]:
    roots = [Path(p) for p in args.corpus] if args.corpus else default_corpus_roots()
    if not roots:
        raise CliError("no corpus: pass --corpus DIR or set LEIAN_CORPUS (../shared/corpus was not found)")
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise CliError(f"corpus path not found: {', '.join(missing)}")
    return roots


def open_searcher(args: argparse.Namespace):
    from indexer.search import Searcher

    return Searcher.open(index_root(args))


def standing_label(validity: str, standing: str = "") -> str:
    """现行有效 / 已被修订 for statutes; a case's own standing (不再参照) when it has one."""
    if standing and standing != "current":
        return STANDING_LABELS[standing]
    return {"current": "现行有效", "superseded": "已被修订"}.get(validity, "效力未知")



_STAGES = {"ingest": "read files", "store": "write the store", "tokenize": "tokenize", "index": "index words and vectors",
           "train": "train the embedding model", "encode": "encode units"}


def progress_runner():
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
