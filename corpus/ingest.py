"""Folders of documents → merged, versioned, cross-linked Documents in a Store.

Files are parsed in worker processes (the corpus is ~4,000 files and parsing is pure
Python), then merged in the parent, where cross-file knowledge lives.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from corpus.citations import parse_citations
from corpus.judgments import DOC_TYPE as JUDGMENT, applied_citations
from corpus.merge import merge_cases, merge_statutes, version_problems, version_table
from corpus.model import Document, Skipped
from corpus.parallel import batched, ordered_map
from corpus.readers import Unreadable, read_file
from corpus.resolve import Resolver
from corpus.standing import apply_standing
from corpus.spool import DocumentSet, EdgeSet, Spool
from corpus.statutes import date_in_name
from corpus.store import Store

PARSE_BATCH = 16   # files per task sent to a parsing process
_CITING_KINDS = {"provisions": parse_citations,   # where a case names the law it applied
                 "reasoning": applied_citations}   # a judgment's 本院认为 and its 依照《…》第…条 list


@dataclass
class IngestResult:
    documents: Sequence[Document]   # a DocumentSet: judgments are read back from the spool on each pass
    edges: Sequence[dict]           # an EdgeSet, likewise
    files: list[dict]
    skipped: list[Skipped]
    warnings: list[dict] = field(default_factory=list)

    def close(self) -> None:
        """Delete the spool's scratch file now rather than when the result is collected."""
        for part in (self.documents, self.edges):
            if isinstance(part, (DocumentSet, EdgeSet)):
                part.spool.close()

    @property
    def files_seen(self) -> int:
        return len(self.files)

    @property
    def _laws(self) -> list[Document]:
        """The statutes and rules (never judgments: a DocumentSet holds them in memory)."""
        held = self.documents.held if isinstance(self.documents, DocumentSet) else self.documents
        return [d for d in held if d.law_key]

    def version_invariant(self) -> dict:
        dated = sum(1 for d in self._laws for s in d.sources if date_in_name(s.path))
        problems = version_problems(self._laws)
        return {"ok": not problems, "dated_statute_files": dated, "problems": problems}

    def summary(self) -> dict:
        docs, units, stubs, superseded = Counter(), Counter(), 0, 0
        for doc in self.documents:   # one pass
            docs[doc.doc_type] += not doc.stub
            stubs += doc.stub
            superseded += doc.validity == "superseded"
            units.update(u.kind for u in doc.units)
        return {
            "files_seen": self.files_seen,
            "files_ingested": sum(1 for f in self.files if f["status"] == "ingested"),
            "documents": dict(sorted((k, n) for k, n in docs.items() if n)),
            "catalogue_only": stubs,
            "units": dict(sorted(units.items())),
            "superseded_versions": superseded,
            "citation_edges": len(self.edges),
            "laws_with_versions": len(version_table(self._laws)),
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
           workers: int | None = None, spool_dir: Path | None = None) -> IngestResult:
    """`spool_dir`: where judgments wait on disk (corpus/spool.py); the system's temporary directory
    when None. Files are parsed PARSE_BATCH at a time, with a few batches ahead per process."""
    items = discover(roots)
    assembly = _Assembly(Spool(spool_dir))
    if progress:
        progress(0, len(items))
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    done = 0
    batches = batched(items, PARSE_BATCH)
    with ProcessPoolExecutor(workers) if workers > 1 and len(items) > 50 else nullcontext() as pool:
        for batch in ordered_map(pool, parse_batch, batches, workers * 4) if pool else map(parse_batch, batches):
            for parsed in batch:
                assembly.take(*parsed)
            done += len(batch)
            if progress:
                progress(done, len(items))
    return assembly.result()


def parse_batch(items: list[tuple[Path, str]]) -> list[tuple[str, str, list[Document], str, list[str]]]:
    return [parse_file(item) for item in items]


class _Assembly:
    """Parsed files → documents: judgments go to the spool as they come, the rest are merged at the end."""

    def __init__(self, spool: Spool):
        self.spool = spool
        self.statutes: list[Document] = []
        self.cases: list[Document] = []
        self.catalogue: list[Document] = []
        self.files: list[dict] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[dict] = []

    def take(self, shown: str, digest: str, docs: list[Document], reason: str, notes: list[str]) -> None:
        if reason:
            self.skipped.append(Skipped(shown, reason))
        self.files.append({"path": shown, "sha1": digest, "status": "skipped" if reason else "ingested",
                           "documents": len(docs)})
        self.warnings.extend({"path": shown, "warning": n} for n in notes)
        for doc in docs:
            if doc.doc_type == JUDGMENT and not doc.law_key:
                self.spool.add_judgment(doc)
            elif doc.stub:
                self.catalogue.append(doc)
            elif doc.law_key:
                self.statutes.append(doc)
            else:
                self.cases.append(doc)

    def result(self) -> IngestResult:
        documents = merge_documents(self.statutes + self.cases + self.catalogue, self.spool)
        return IngestResult(documents, spooled_edges(documents), self.files, self.skipped, self.warnings)


def merge_documents(docs: list[Document], spool: Spool) -> DocumentSet:
    """One document per text and per case, versions ordered, cases with their standing; the
    judgments are those in the spool, merged there as they came. Also run over stored and new
    documents together (`leian add`): a new version supersedes, a copy joins."""
    statutes = [d for d in docs if d.law_key]
    catalogue = [d for d in docs if d.stub and not d.law_key]
    cases = [d for d in docs if not d.law_key and not d.stub]
    held = merge_statutes(statutes) + merge_cases(cases, catalogue)
    apply_standing(held)
    return DocumentSet(held, spool)


def spooled_edges(documents: DocumentSet) -> EdgeSet:
    documents.spool.add_edges(citation_edges(documents, Resolver(documents.held)))
    return EdgeSet(documents.spool)


def citation_edges(documents: Iterable[Document], resolver: Resolver) -> Iterator[dict]:
    """Case → article edges from every case's 相关规定/相关法条 and every judgment's 本院认为,
    resolved to units when known (against statutes and cases: a judgment is never cited)."""
    for doc in documents:
        for unit in doc.units:
            parse = _CITING_KINDS.get(unit.kind)
            if parse is None:
                continue
            for c in parse(unit.text):
                if c.kind != "article":
                    continue
                res = resolver.resolve(c)
                yield {"from_doc": doc.doc_id, "from_unit": unit.unit_id, "to_key": c.key,
                       "to_unit": res.unit_id, "to_current_unit": res.current_unit_id or res.unit_id,
                       "status": res.status, "raw": c.raw}


def build_store(roots: list[Path], db_path: Path, progress: Callable[[int, int], None] | None = None) -> IngestResult:
    result = ingest(roots, progress)
    Store(db_path).write(result.documents, result.edges, result.files, result.skipped, result.warnings)
    return result
