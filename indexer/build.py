"""`leian build` and `leian add`: corpus → store → tokens → BM25 → embeddings → publish.

Everything is written into a fresh build directory and published by one symlink swap
(indexer/layout.py), so readers never see a half-built index. The retrievers are written by the
configured backend (indexer/retriever.py): files in the build directory, or a Milvus collection
that the manifest names.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import Callable

import numpy as np

from corpus.ingest import IngestResult, ingest, merge_documents, spooled_edges
from corpus.errors import BadInput
from corpus.merge import VersionInvariantError
from corpus.model import Skipped
from corpus.spool import DocumentSet, Spool
from corpus.store import Store
from indexer.dense import Encoder, load_encoder
from indexer.expansion import citing_facts, expand
from indexer.filters import UnitTable
from indexer.layout import current_build, new_build_dir, publish, read_manifest, write_manifest
from indexer.learned import train_into
from indexer.questions import default_pair_files
from indexer.retriever import builder, open_retrievers
from indexer.similar import FILE as JUDGMENTS_FILE, VOCAB_FILE as JUDGMENTS_VOCAB, JudgmentTable
from indexer.terms import charge_table, user_terms
from indexer.tokenize import Tokenizer, write_userdict
from indexer.unit_tokens import SavedTokens, TokensById, UnitTokens

Progress = Callable[[str, int, int], None]   # (stage, done, total)
EXPANDED_FILE = "expanded.json"   # unit ids of the articles whose vectors carry citing facts


@dataclass
class BuildConfig:
    corpus_roots: list[Path]
    index_root: Path
    dense: str = "train"                     # train | local | none
    embedding_model: Path | None = None      # with dense="local": a sentence-transformers directory
    backend: str = "local"                   # local | milvus (indexer/retriever.py)
    backend_options: dict = field(default_factory=dict)   # milvus: uri, index_type
    pairs: list[Path] | None = None          # question → article pairs (indexer/learned.py); None: ../shared's
    workers: int = field(default_factory=lambda: min(os.cpu_count() or 1, 4))


def build(config: BuildConfig, progress: Progress | None = None) -> dict:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    result = ingest(config.corpus_roots, (lambda d, t: progress("ingest", d, t)) if progress else None,
                    workers=config.workers, spool_dir=_spool_dir(config))
    timings["ingest"] = time.perf_counter() - started
    try:
        return _write_index(config, result, timings, progress, reuse=None)
    finally:
        result.close()


def add(config: BuildConfig, paths: list[Path], progress: Progress | None = None) -> dict:
    """Add files to the published index: no re-ingest of the corpus, no retraining, and only
    the new units are embedded; the result is published like a build. The stored judgments are
    read one at a time into a new spool, ahead of the new ones, which join them there."""
    old_build = current_build(config.index_root)
    store = Store(old_build / "corpus.db")
    started = time.perf_counter()
    fresh = ingest(paths, (lambda d, t: progress("ingest", d, t)) if progress else None, workers=config.workers,
                   spool_dir=_spool_dir(config))
    spool = Spool(_spool_dir(config))
    try:
        for doc in chain(store.judgments(), fresh.documents.spool.judgments()):
            spool.add_judgment(doc)
        documents = merge_documents(store.documents(judgments=False) + fresh.documents.held, spool)
        fresh.close()
        skipped = [Skipped(r["path"], r["reason"]) for r in store.skipped()] + fresh.skipped
        result = IngestResult(documents, spooled_edges(documents), store.files() + fresh.files, skipped,
                              store.warnings() + fresh.warnings)
        # the index now holds what it was built from and what was added: the manifest says both
        old = read_manifest(old_build)
        built_from = [Path(p) for p in old.get("corpus_roots", [])]
        retrievers = old.get("retrievers") or {"backend": "local"}   # added to where it lives
        # and stays as it was built: an index without vectors gets none (adding 100 judgments to one trained
        # a model for 2 minutes), and one with vectors keeps its model whatever the flags say
        config = replace(config, corpus_roots=built_from + [p for p in paths if p not in built_from],
                         backend=retrievers["backend"], backend_options=retrievers.get("options", {}),
                         dense="train" if old.get("dense") else "none")
        return _write_index(config, result, {"ingest": time.perf_counter() - started}, progress, reuse=old_build)
    finally:
        fresh.close()
        spool.close()


def _spool_dir(config: BuildConfig) -> Path:
    """Judgments wait beside the index, on the disk it is written to (a system /tmp may be memory)."""
    config.index_root.mkdir(parents=True, exist_ok=True)
    return config.index_root


class NothingToIndex(BadInput):
    """The folders hold no statute, rule, case or judgment leian can read: say what was skipped and why,
    instead of handing an empty index to BM25."""

    code = "nothing_to_index"


def _nothing_message(result: IngestResult, roots: list[Path]) -> str:
    where = ", ".join(map(str, roots))
    if not result.files:
        return f"no files under {where}"
    shown = "; ".join(f"{s.path}: {s.reason}" for s in result.skipped[:5])
    more = f"; … and {len(result.skipped) - 5} more" if len(result.skipped) > 5 else ""
    return (f"nothing to index under {where}: {len(result.files)} file(s) seen, none holds a statute, rule, case or "
            f"judgment leian reads (.md/.txt/.docx statutes, case batches and judgments, .json/.jsonl case records "
            f"and China Judgments Online records). "
            f"Skipped: {shown}{more}")


def _write_index(config: BuildConfig, result: IngestResult, timings: dict[str, float],
                 progress: Progress | None, reuse: Path | None) -> dict:
    if not any(d.units for d in result.documents):
        raise NothingToIndex(_nothing_message(result, config.corpus_roots))
    build_dir = new_build_dir(config.index_root)
    try:
        return _fill(build_dir, config, result, timings, progress, reuse)
    except BaseException:
        if (config.index_root / "current").resolve() != build_dir.resolve():   # never the one now serving
            shutil.rmtree(build_dir, ignore_errors=True)   # the published index stays as it was
        raise


def _fill(build_dir: Path, config: BuildConfig, result: IngestResult, timings: dict[str, float],
          progress: Progress | None, reuse: Path | None) -> dict:
    stage = _stages(progress)
    t = time.perf_counter()
    stage("store", 0)
    docs = result.documents
    invariant = result.version_invariant()
    if not invariant["ok"]:
        first = invariant["problems"][0]
        raise VersionInvariantError(
            f"{len(invariant['problems'])} dated statute file(s) were folded into another version without a reason, "
            f"e.g. {first['path']} ({first['file_date']}) into {first['doc_id']}; nothing was published")
    Store(build_dir / "corpus.db").write(docs, result.edges, result.files, result.skipped, result.warnings)
    charges = charge_table(docs.held)   # charge lists and law titles: never in a judgment
    (build_dir / "charges.json").write_text(json.dumps(charges, ensure_ascii=False), encoding="utf-8")
    userdict = build_dir / "userdict.txt"
    write_userdict(user_terms(docs.held, charges), userdict)
    table = UnitTable.from_documents(docs)
    table.save(build_dir)
    JudgmentTable.of(docs, table, result.edges).save(build_dir)
    timings["store"] = time.perf_counter() - t
    stage("store", 1)

    t = time.perf_counter()
    previous = SavedTokens.load(reuse, UnitTable.load(reuse).unit_ids, userdict) if reuse is not None else None
    tokens = UnitTokens.of(docs, userdict, config.workers, progress, previous)
    tokens.save(build_dir, userdict)
    timings["tokenize"] = time.perf_counter() - t
    dense_info, vectors = _build_dense(build_dir, config, docs, result.edges, table, tokens, timings, progress,
                                       reuse)
    t = time.perf_counter()
    stage("index", 0)
    backend = builder(config.backend, config.backend_options)
    retrievers = backend.write(build_dir, tokens.lexical(), vectors, table)
    timings["index"] = time.perf_counter() - t
    stage("index", 1)

    # what a searcher needs (the saved tokens are only `leian add`'s cache)
    files = ["corpus.db", "units.npz", "units.json", "userdict.txt", "charges.json", JUDGMENTS_FILE,
             JUDGMENTS_VOCAB, *retrievers.pop("files")]
    if dense_info:
        files += ["model", EXPANDED_FILE]
    info = {"units": len(table), "documents": len(docs), "corpus_roots": [str(p) for p in config.corpus_roots],
            "dense": dense_info, "retrievers": retrievers, "build_s": {k: round(v, 2) for k, v in timings.items()},
            "summary": {k: v for k, v in result.summary().items() if k not in ("skipped", "warnings")},
            "files": files, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    write_manifest(build_dir, info)   # the learned side opens the build as a searcher would
    if dense_info:
        t = time.perf_counter()
        info["questions"] = train_into(build_dir, default_pair_files(config.corpus_roots) if config.pairs is None
                                       else config.pairs)
        info["build_s"]["questions"] = round(time.perf_counter() - t, 2)
        write_manifest(build_dir, info)
    backend.publish(retrievers)
    kept = publish(config.index_root, build_dir)
    backend.prune([read_manifest(b).get("retrievers") or {} for b in kept])
    return info


def _build_dense(build_dir: Path, config: BuildConfig, docs: DocumentSet, edges: Iterable[dict], table: UnitTable,
                 tokens: UnitTokens, timings: dict, progress: Progress | None,
                 reuse: Path | None) -> tuple[dict | None, np.ndarray | None]:
    """Train (or copy) the encoder and embed every unit: (manifest entry, row-aligned vectors)."""
    if config.dense == "none":
        return None, None
    model_dir = build_dir / "model"
    stage = _stages(progress)
    t = time.perf_counter()
    stage("train", 0)
    if reuse is not None and read_manifest(reuse).get("dense"):
        shutil.copytree(reuse / "model", model_dir)
        info = dict(read_manifest(reuse)["dense"])
    elif config.dense == "local":
        if config.embedding_model is None:
            raise ValueError("dense='local' needs an embedding model directory")
        shutil.copytree(config.embedding_model, model_dir)
        info = {"backend": "local", "source": str(config.embedding_model)}
    else:
        from indexer.training import train_domain_model
        unit_tokens = TokensById(table.unit_ids, tokens.dense())
        info = {"backend": "trained", **train_domain_model(
            docs, edges, unit_tokens, model_dir, build_dir / "userdict.txt", config.index_root / "cache" / "cnsyn")}
    timings["train"] = time.perf_counter() - t
    stage("train", 1)

    t = time.perf_counter()
    encoder = load_encoder(model_dir, Tokenizer(build_dir / "userdict.txt"))
    unit_ids = table.unit_ids
    cached = _cached_vectors(reuse) if reuse is not None else {}   # raw vectors: expanded rows are re-encoded
    todo = [i for i, uid in enumerate(unit_ids) if uid not in cached]
    if encoder.presegmented:   # units are encoded from their BM25 tokens: no second jieba pass over the corpus
        segmented = tokens.dense()
        texts: Iterable[list[str] | str] = (segmented[i] for i in todo)
    else:                      # a local model reads the raw text, read again a document at a time
        wanted = np.zeros(len(unit_ids), dtype=bool)
        wanted[todo] = True
        texts = (f"{d.title} {u.label} {u.text}" for row, (d, u) in enumerate((d, u) for d in docs for u in d.units)
                 if wanted[row])
    new_vecs = _encode(encoder, texts, len(todo), progress)
    dim = new_vecs.shape[1] if len(todo) else next(iter(cached.values())).shape[0]
    vectors = np.zeros((len(unit_ids), dim), dtype=np.float32)
    for j, i in enumerate(todo):
        vectors[i] = new_vecs[j]
    for i, uid in enumerate(unit_ids):
        if uid in cached:
            vectors[i] = cached[uid]
    expanded = expand(vectors, unit_ids, citing_facts(docs.held, edges))   # citing facts: guiding and typical cases
    (build_dir / EXPANDED_FILE).write_text(json.dumps(expanded, ensure_ascii=False), encoding="utf-8")
    timings["encode"] = time.perf_counter() - t
    return {**info, "dim": int(dim), "encoded": len(todo), "reused": len(unit_ids) - len(todo),
            "expanded_articles": len(expanded)}, vectors


def _stages(progress: Progress | None) -> Callable[[str, int], None]:
    """Start (0) and end (1) of a stage that has no count of its own (store, index, train), so a
    log shows every stage and a terminal a bar for each."""
    return (lambda name, done: progress(name, done, 1)) if progress else (lambda name, done: None)


def _encode(encoder: Encoder, texts: Iterable[list[str] | str], total: int, progress: Progress | None) -> np.ndarray:
    """The texts' vectors, a batch of texts read at a time."""
    if not total:
        return np.zeros((0, 0), dtype=np.float32)
    parts = []
    step = 4096
    texts = iter(texts)
    if progress:
        progress("encode", 0, total)
    for i in range(0, total, step):
        batch = list(islice(texts, step))
        parts.append(encoder.encode_tokens(batch) if encoder.presegmented else encoder.encode(batch))
        if progress:
            progress("encode", min(i + step, total), total)
    return np.vstack(parts)


def _cached_vectors(build: Path) -> dict[str, np.ndarray]:
    """The previous build's vectors, less the expanded articles (their stored vectors hold the
    citing facts of then; they are encoded again and expanded with the citing facts of now)."""
    manifest = read_manifest(build)
    if not manifest.get("dense"):
        return {}
    table = UnitTable.load(build)
    semantic = open_retrievers(build, manifest, table)[1]
    expanded_file = build / EXPANDED_FILE
    expanded = set(json.loads(expanded_file.read_text(encoding="utf-8"))) if expanded_file.exists() else set()
    matrix = semantic.vectors(np.arange(len(table)))
    return {uid: matrix[i] for i, uid in enumerate(table.unit_ids) if uid not in expanded}
