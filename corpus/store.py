"""The SQLite store (through sqlite-utils): documents, units, sources, citation edges, files.

One file, `corpus.db`, written whole by each build into a fresh index directory, so a
rebuild is idempotent and never half-writes the store a server is reading.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path

import sqlite_utils

from corpus.judgments import DOC_TYPE as JUDGMENT
from corpus.model import Document, Skipped, Source, Unit

LIST_FIELDS = ("keywords", "domains", "procedures", "charges", "parties")


class Store:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.db = sqlite_utils.Database(str(self.path))

    # -- writing -------------------------------------------------------------------------
    def write(self, docs: Iterable[Document], edges: Iterable[dict], files: list[dict], skipped: list[Skipped],
              warnings: list[dict]) -> None:
        """Rows are made as sqlite-utils inserts them, a batch at a time, not all held at once."""
        self.db["documents"].insert_all(map(self._document_row, docs), pk="doc_id", replace=True)
        self.db["units"].insert_all((self._unit_row(u) for doc in docs for u in doc.units), pk="unit_id",
                                    replace=True, foreign_keys=[("doc_id", "documents")])
        self.db["sources"].insert_all({"doc_id": doc.doc_id, **asdict(s)} for doc in docs for s in doc.sources)
        self.db["edges"].insert_all(edges)
        self.db["files"].insert_all(files, pk="path", replace=True)
        self.db["skipped"].insert_all([asdict(s) for s in skipped])
        self.db["warnings"].insert_all(warnings)
        for table, columns in (("units", ["doc_id"]), ("edges", ["to_unit"]), ("edges", ["to_current_unit"]),
                               ("edges", ["from_doc"]), ("sources", ["doc_id"]), ("documents", ["law_key"]),
                               ("documents", ["case_id"])):
            if self.db[table].exists():
                self.db[table].create_index(columns, if_not_exists=True)

    @staticmethod
    def _document_row(doc: Document) -> dict:
        row = {k: v for k, v in asdict(doc).items() if k not in ("units", "sources")}
        for name in LIST_FIELDS:
            row[name] = json.dumps(row[name], ensure_ascii=False)
        return row

    @staticmethod
    def _unit_row(unit: Unit) -> dict:
        """With a copy of the text: sqlite3 reads a string through its UTF-8 form, which CPython then
        keeps beside the string for as long as it lives, here the whole build (+200 MB for 10,000
        judgments)."""
        return {**asdict(unit), "text": unit.text.encode().decode()}

    # -- reading -------------------------------------------------------------------------
    def documents(self, with_units: bool = True, judgments: bool = True) -> list[Document]:
        """Every document with its sources (and units), in one pass per table. `judgments=False`:
        the statutes, rules and cases only (`leian add` reads the judgments one at a time)."""
        where = "" if judgments else f"doc_id IN (SELECT doc_id FROM documents WHERE doc_type != '{JUDGMENT}')"
        units: dict[str, list[Unit]] = {}
        for row in self.db["units"].rows_where(where or None, order_by="doc_id, position") if with_units else ():
            units.setdefault(row["doc_id"], []).append(Unit(**row))
        sources: dict[str, list[Source]] = {}
        if self.db["sources"].exists():
            for row in self.db["sources"].rows_where(where or None):
                doc_id = row.pop("doc_id")
                sources.setdefault(doc_id, []).append(Source(**row))
        return [self._doc(row, units.get(row["doc_id"], []), sources.get(row["doc_id"], []))
                for row in self.db["documents"].rows_where(None if judgments else f"doc_type != '{JUDGMENT}'")]

    def judgments(self) -> Iterator[Document]:
        """The judgments one at a time, in store order, each with its units and sources."""
        for row in self.db["documents"].rows_where("doc_type = ?", [JUDGMENT], order_by="rowid"):
            units = [Unit(**u) for u in self.db["units"].rows_where("doc_id = ?", [row["doc_id"]], order_by="position")]
            sources = [Source(**{k: v for k, v in s.items() if k != "doc_id"})
                       for s in self.db["sources"].rows_where("doc_id = ?", [row["doc_id"]])]
            yield self._doc(row, units, sources)

    @staticmethod
    def _doc(row: dict, units: list[Unit], sources: list[Source]) -> Document:
        row = dict(row)
        for name in LIST_FIELDS:
            row[name] = json.loads(row.get(name) or "[]")
        row["stub"] = bool(row["stub"])
        return Document(**row, units=units, sources=sources)

    def edges(self) -> list[dict]:
        return list(self.db["edges"].rows) if self.db["edges"].exists() else []

    def files(self) -> list[dict]:
        return list(self.db["files"].rows) if self.db["files"].exists() else []

    def skipped(self) -> list[dict]:
        return list(self.db["skipped"].rows) if self.db["skipped"].exists() else []

    def warnings(self) -> list[dict]:
        return list(self.db["warnings"].rows) if self.db["warnings"].exists() else []
