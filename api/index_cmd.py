"""`leian build`, `leian add`, `leian stats`: make the index and say what it holds."""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from rich.table import Table

from api.common import CliError, add_index_args, corpus_roots, index_root, out, progress_runner


def _build_config(args: argparse.Namespace, roots: list[Path], adding: bool = False):
    from indexer.build import BuildConfig

    if adding:   # an index is added to as it was built (indexer/build.py add)
        model, dense = None, "train"
    else:
        model = args.embedding_model or os.environ.get("LEIAN_EMBEDDING_MODEL")
        if model and not Path(model).is_dir():
            raise CliError(f"embedding model directory not found: {model}")
        dense = "none" if args.no_dense else ("local" if model else "train")
    backend = getattr(args, "backend", None) or os.environ.get("LEIAN_BACKEND") or "local"
    options = {}
    if backend == "milvus":
        uri = args.milvus_uri or os.environ.get("LEIAN_MILVUS_URI")
        if not uri:
            raise CliError("--backend milvus needs --milvus-uri (a Milvus Lite file such as var/milvus.db, "
                           "or http://host:19530 for a server; credentials in $MILVUS_TOKEN)")
        options = {"uri": uri, "index_type": args.milvus_index}
    elif backend != "local":
        raise CliError(f"unknown backend {backend!r}; allowed: local, milvus")
    missing = [p for p in args.pairs or [] if not Path(p).is_file()]
    if missing:
        raise CliError(f"pairs file not found: {', '.join(missing)}")
    return BuildConfig(corpus_roots=roots, index_root=index_root(args), dense=dense,
                       embedding_model=Path(model) if model else None, backend=backend, backend_options=options,
                       pairs=[Path(p) for p in args.pairs] if args.pairs else None)


def cmd_build(args: argparse.Namespace) -> int:
    from indexer.build import build

    config = _build_config(args, corpus_roots(args))
    progress, update = progress_runner()
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
    config = _build_config(args, paths, adding=True)
    progress, update = progress_runner()
    with progress:
        info = add(config, paths, update)
    _print_summary(info, title="leian add")
    return 0


def _print_summary(info: dict, title: str = "leian build") -> None:
    summary = info["summary"]
    table = Table(title=title)
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
    if summary["files_seen"] != summary["files_ingested"] and not title.startswith("leian stats"):
        out.print("skipped files are listed by `leian stats`")


def cmd_stats(args: argparse.Namespace) -> int:
    from corpus.merge import version_table
    from corpus.store import Store
    from indexer.layout import current_build, read_manifest

    build = current_build(index_root(args))
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
    _print_summary(manifest, title=f"leian stats — index built {manifest.get('built_at', '')}")
    for s in data["skipped"]:
        out.print(f"skipped {s['path']}: {s['reason']}")
    for w in data["warnings"]:
        out.print(f"warning {w['path']}: {w['warning']}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    for name, fn, helptext in (("build", cmd_build, "ingest the corpus and build the index"),
                               ("add", cmd_add, "add documents to the built index without a full rebuild")):
        p = sub.add_parser(name, help=helptext)
        if name == "add":
            p.add_argument("paths", nargs="+", help="files or folders to add")
        if name == "build":   # `leian add` keeps the backend and the embedding model the index was built with
            p.add_argument("--corpus", action="append",
                           help="corpus folder (repeatable; default $LEIAN_CORPUS or ../shared/corpus)")
            p.add_argument("--embedding-model", help="local sentence-transformers directory (default "
                                                      "$LEIAN_EMBEDDING_MODEL; otherwise a domain model is trained "
                                                      "from the corpus)")
            p.add_argument("--no-dense", action="store_true", help="BM25 only: skip the embedding model")
            p.add_argument("--backend", choices=("local", "milvus"),
                           help="where the retrievers live: local (bm25s + faiss files, the default; $LEIAN_BACKEND) "
                                "or milvus (a collection on a Milvus server or Milvus Lite file)")
            p.add_argument("--milvus-uri", help="Milvus Lite file (var/milvus.db) or server URL (http://host:19530); "
                                                "default $LEIAN_MILVUS_URI; token from $MILVUS_TOKEN")
            p.add_argument("--milvus-index", default="FLAT", choices=("FLAT", "IVF_FLAT", "HNSW"),
                           help="Milvus vector index: FLAT is exact like the local backend (default); "
                                "HNSW or IVF_FLAT for millions of units on a server")
        p.add_argument("--pairs", action="append", metavar="FILE",
                       help="question → article pairs (JSONL, `leian eval` format) to train the question memory and "
                            "reranker on (repeatable; default: ../shared/training/*.jsonl and "
                            "../shared/benchmarks/stard-train.jsonl beside the corpus, when present)")
        add_index_args(p)
        p.set_defaults(fn=fn)

    p = sub.add_parser("stats", help="what the index holds, and every skipped file with its reason")
    p.add_argument("--json", action="store_true", help="print the figures as JSON (with every law's versions)")
    add_index_args(p)
    p.set_defaults(fn=cmd_stats)
