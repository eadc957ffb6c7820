"""Folders of documents → merged, versioned, cross-linked Documents in a Store.

Files are parsed in worker processes (the corpus is ~4,000 files and parsing is pure
Python), then merged in the parent, where cross-file knowledge lives.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from corpus.citations import parse_citations
from corpus.judgments import DOC_TYPE as JUDGMENT, applied_citations, merge_judgments
from corpus.merge import merge_cases, merge_statutes, version_problems, version_table
from corpus.model import Document, Skipped
from corpus.readers import Unreadable, read_file
from corpus.resolve import Resolver
from corpus.standing import apply_standing
from corpus.statutes import date_in_name
from corpus.store import Store

_CITING_KINDS = {"provisions": parse_citations,   # where a case names the law it applied
                 "reasoning": applied_citations}   # a judgment's 本院认为 and its 依照《…》第…条 list


@dataclass
class IngestResult:
    documents: list[Document]
    edges: list[dict]
    files: list[dict]
    skipped: list[Skipped]
    warnings: list[dict] = field(default_factory=list)

    @property
    def files_seen(self) -> int:
        return len(self.files)

    def version_invariant(self) -> dict:
        dated = sum(1 for d in self.documents if d.law_key for s in d.sources if date_in_name(s.path))
        problems = version_problems(self.documents)
        return {"ok": not problems, "dated_statute_files": dated, "problems": problems}

    def summary(self) -> dict:
        docs = Counter(d.doc_type for d in self.documents if not d.stub)
        units = Counter(u.kind for d in self.documents for u in d.units)
        return {
            "files_seen": self.files_seen,
            "files_ingested": sum(1 for f in self.files if f["status"] == "ingested"),
            "documents": dict(sorted(docs.items())),
            "catalogue_only": sum(1 for d in self.documents if d.stub),
            "units": dict(sorted(units.items())),
            "superseded_versions": sum(1 for d in self.documents if d.validity == "superseded"),
            "citation_edges": len(self.edges),
            "laws_with_versions": len(version_table(self.documents)),
            "version_invariant": self.version_invariant(),
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "warnings": self.warnings,
        }


def discover(roots: list[Path]) -> list[tuple[Path, str]]:
    """(file, display path) for every non-hidden file under the roots, in a stable order."""
    found = []
    for root in roots:
        if root.is_file():
            found.append((root, str(root)))
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    path = Path(dirpath) / name
                    found.append((path, str(path.relative_to(root.parent))))
    return found


def parse_file(item: tuple[Path, str]) -> tuple[str, str, list[Document], str, list[str]]:
    path, shown = item
    try:
        digest = hashlib.sha1(path.read_bytes()).hexdigest()
        docs, warnings = read_file(path, shown)
        return shown, digest, docs, "", warnings
    except Unreadable as exc:
        return shown, "", [], str(exc), []
    except OSError as exc:
        return shown, "", [], f"cannot read: {exc.strerror or exc}", []
    except Exception as exc:  # a parser bug must not sink the build; it is reported like any skip
        return shown, "", [], f"parser error ({type(exc).__name__}: {exc})", []


def ingest(roots: list[Path], progress: Callable[[int, int], None] | None = None,
           workers: int | None = None) -> IngestResult:
    items = discover(roots)
    parsed = []
    if progress:
        progress(0, len(items))
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if workers > 1 and len(items) > 50:
        with ProcessPoolExecutor(workers) as pool:
            for i, result in enumerate(pool.map(parse_file, items, chunksize=16), 1):
                parsed.append(result)
                if progress:
                    progress(i, len(items))
    else:
        for i, item in enumerate(items, 1):
            parsed.append(parse_file(item))
            if progress:
                progress(i, len(items))
    return assemble(parsed)


def assemble(parsed: list[tuple[str, str, list[Document], str, list[str]]]) -> IngestResult:
    statutes, cases, catalogue, files, skipped, warnings = [], [], [], [], [], []
    for shown, digest, docs, reason, notes in parsed:
        if reason:
            skipped.append(Skipped(shown, reason))
        files.append({"path": shown, "sha1": digest, "status": "skipped" if reason else "ingested",
                      "documents": len(docs)})
        warnings.extend({"path": shown, "warning": n} for n in notes)
        for doc in docs:
            if doc.stub:
                catalogue.append(doc)
            elif doc.law_key:
                statutes.append(doc)
            else:
                cases.append(doc)
    documents = merge_documents(statutes + cases + catalogue)
    return IngestResult(documents, citation_edges(documents), files, skipped, warnings)


def merge_documents(docs: list[Document]) -> list[Document]:
    """One document per text and per case, versions ordered, cases with their standing. Also
    run over stored and new documents together (`leian add`): a new version supersedes, a copy joins."""
    statutes = [d for d in docs if d.law_key]
    catalogue = [d for d in docs if d.stub and not d.law_key]
    cases = [d for d in docs if not d.law_key and not d.stub and d.doc_type != JUDGMENT]
    judgments = [d for d in docs if d.doc_type == JUDGMENT]
    documents = merge_statutes(statutes) + merge_cases(cases, catalogue) + merge_judgments(judgments)
    apply_standing(documents)
    return documents


def citation_edges(documents: list[Document]) -> list[dict]:
    """Case → article edges from every case's 相关规定/相关法条 and every judgment's 本院认为,
    resolved to units when known."""
    resolver = Resolver(documents)
    edges = []
    for doc in documents:
        for unit in doc.units:
            parse = _CITING_KINDS.get(unit.kind)
            if parse is None:
                continue
            for c in parse(unit.text):
                if c.kind != "article":
                    continue
                res = resolver.resolve(c)
                edges.append({"from_doc": doc.doc_id, "from_unit": unit.unit_id, "to_key": c.key,
                              "to_unit": res.unit_id, "to_current_unit": res.current_unit_id or res.unit_id,
                              "status": res.status, "raw": c.raw})
    return edges


def build_store(roots: list[Path], db_path: Path, progress: Callable[[int, int], None] | None = None) -> IngestResult:
    result = ingest(roots, progress)
    Store(db_path).write(result.documents, result.edges, result.files, result.skipped, result.warnings)
    return result
