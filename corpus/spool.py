"""Judgments and citation edges on disk while an ingest or a build runs.

Statutes and cases number in the thousands and are held in memory, where their versions are
merged. Judgments number in the millions: each goes to an SQLite scratch file as its file is
parsed, a second copy of one judgment is merged into its row there, and every later stage reads
them back one at a time. The file is deleted with the spool.
"""
from __future__ import annotations

import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from corpus.judgments import merge_judgments
from corpus.model import Document

EDGE_FIELDS = ("from_doc", "from_unit", "to_key", "to_unit", "to_current_unit", "status", "raw")


class Spool:
    def __init__(self, directory: Path | None = None):
        """`directory`: where the scratch file goes (the index root, on the disk the build writes
        to); the system's temporary directory when None."""
        self._dir = tempfile.TemporaryDirectory(prefix="leian-spool-", dir=directory)
        self.db = sqlite3.connect(Path(self._dir.name) / "spool.db")
        self.db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE judgments (doc_id TEXT PRIMARY KEY, doc BLOB NOT NULL);
            CREATE TABLE edges (from_doc TEXT, from_unit TEXT, to_key TEXT, to_unit TEXT,
                                to_current_unit TEXT, status TEXT, raw TEXT);""")
        self.judgment_count = 0
        self.edge_count = 0

    def add_judgment(self, doc: Document) -> None:
        """A judgment already here (same court, 案号 and document type, or writId) takes this copy's
        fuller parts and sources, and keeps its place in the order."""
        if self.db.execute("INSERT OR IGNORE INTO judgments VALUES (?, ?)", (doc.doc_id, _dump(doc))).rowcount:
            self.judgment_count += 1
            return
        (blob,) = self.db.execute("SELECT doc FROM judgments WHERE doc_id = ?", (doc.doc_id,)).fetchone()
        (merged,) = merge_judgments([pickle.loads(blob), doc])
        self.db.execute("UPDATE judgments SET doc = ? WHERE doc_id = ?", (_dump(merged), doc.doc_id))

    def judgments(self) -> Iterator[Document]:
        """In the order each was first seen."""
        for (blob,) in self.db.execute("SELECT doc FROM judgments ORDER BY rowid"):
            yield pickle.loads(blob)

    def judgment(self, i: int) -> Document:
        (blob,) = self.db.execute("SELECT doc FROM judgments ORDER BY rowid LIMIT 1 OFFSET ?", (i,)).fetchone()
        return pickle.loads(blob)

    def add_edges(self, edges: Iterable[dict]) -> None:
        for edge in edges:
            self.db.execute("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?)", [edge[k] for k in EDGE_FIELDS])
            self.edge_count += 1

    def edges(self, offset: int = 0, limit: int = -1) -> Iterator[dict]:
        for row in self.db.execute("SELECT * FROM edges ORDER BY rowid LIMIT ? OFFSET ?", (limit, offset)):
            yield dict(zip(EDGE_FIELDS, row))

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()


def _dump(doc: Document) -> bytes:
    return pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)


class _Spooled(Sequence):
    """A sequence made for passes (iterate it); indexing reads one item, for a test or a look."""

    def _at(self, i: int):
        raise NotImplementedError

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._at(i)


class DocumentSet(_Spooled):
    """Every document of an ingest in store order: the statutes, cases and catalogue entries held
    in memory, then the judgments, read from the spool on each pass."""

    def __init__(self, held: list[Document], spool: Spool):
        self.held, self.spool = held, spool

    def __len__(self) -> int:
        return len(self.held) + self.spool.judgment_count

    def __iter__(self) -> Iterator[Document]:
        yield from self.held
        yield from self.spool.judgments()

    def _at(self, i: int) -> Document:
        return self.held[i] if i < len(self.held) else self.spool.judgment(i - len(self.held))


class EdgeSet(_Spooled):
    """The citation edges of an ingest, in the order they were found, read from the spool on each pass."""

    def __init__(self, spool: Spool):
        self.spool = spool

    def __len__(self) -> int:
        return self.spool.edge_count

    def __iter__(self) -> Iterator[dict]:
        return self.spool.edges()

    def _at(self, i: int) -> dict:
        return next(self.spool.edges(i, 1))
