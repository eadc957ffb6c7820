"""Read-only access to a build's corpus.db: every SQL query search, presentation, eval and
committee prep need, in one place.

The writer (corpus/store.py) builds the file once; readers open it read-only, one connection
per thread (a server answers from a thread pool), so nothing outside this module holds a raw
connection or knows the schema.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from corpus.errors import LeianError
from corpus.judgments import COURT_LEVELS, DOC_TYPE as JUDGMENT
from corpus.model import Document
from corpus.store import LIST_FIELDS


class CorpusUnreadable(LeianError):
    code = "index_unavailable"
    http_status = 503


class CorpusReader:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def documents(self, judgments: bool = True) -> dict[str, Document]:
        """Every document's metadata (no units: those are read per hit); `judgments=False`: the
        statutes, rules and cases only."""
        where = "" if judgments else f" where doc_type != '{JUDGMENT}'"
        return {doc.doc_id: doc for doc in self._documents(f"select * from documents{where} order by rowid")}

    def document(self, doc_id: str) -> Document | None:
        return next(self._documents("select * from documents where doc_id = ?", (doc_id,)), None)

    def document_ids(self) -> Iterator[str]:
        yield from (r[0] for r in self._db().execute("select doc_id from documents order by rowid"))

    def document_count(self) -> int:
        return next(self._rows("select count(*) from documents"))[0]

    def same_case(self, case_id: str) -> list[str]:
        """The judgments of one case (every instance's), in store order."""
        return [r[0] for r in self._db().execute(
            f"select doc_id from documents where case_id = ? and doc_type = '{JUDGMENT}' order by rowid", (case_id,))]

    def _documents(self, sql: str, args: tuple = ()) -> Iterator[Document]:
        for row in self._rows(sql, args):
            data = dict(row)
            for name in LIST_FIELDS:
                data[name] = json.loads(data.get(name) or "[]")
            data["stub"] = bool(data["stub"])
            yield Document(**data)

    def _rows(self, sql: str, args: tuple = ()) -> Iterator[sqlite3.Row]:
        """For what a searcher reads when it opens: a damaged file is a plain message, not a traceback."""
        try:
            yield from self._db().execute(sql, args)
        except sqlite3.DatabaseError as exc:
            raise CorpusUnreadable(f"{self.path} is unreadable ({exc}): run `leian build` again") from None

    def unit(self, unit_id: str) -> dict | None:
        row = self._db().execute("select * from units where unit_id = ?", (unit_id,)).fetchone()
        return dict(row) if row else None

    def units_of(self, doc_id: str) -> list[dict]:
        return [dict(r) for r in self._db().execute(
            "select unit_id, kind, label, heading, text from units where doc_id = ? order by position", (doc_id,))]

    def last_article(self, doc_id: str) -> str:
        """The closing article's text (where a law states the day it takes effect)."""
        row = self._db().execute("select text from units where doc_id = ? and kind = 'article' "
                                 "order by position desc limit 1", (doc_id,)).fetchone()
        return row["text"] if row else ""

    def sources_of(self, doc_id: str) -> list[dict]:
        return [dict(r) for r in self._db().execute(
            "select path, format, url, record from sources where doc_id = ?", (doc_id,))]

    def citing_documents(self, unit_id: str, judgments: int) -> tuple[list[str], list[str], int]:
        """The documents whose citations resolve to this unit or to it as current: every one that is
        not a judgment; the first `judgments` judgments by court level and recency (the rules'
        scope order; a 刑法 article is applied by a large share of all criminal judgments); and how
        many documents cite it in all. A union, so each side of it uses its index."""
        citing = ("select c.from_doc from (select from_doc from edges where to_unit = :unit "
                  "union select from_doc from edges where to_current_unit = :unit) c "
                  "left join documents d on d.doc_id = c.from_doc ")
        levels = " ".join(f"when '{level}' then {i}" for i, level in enumerate(COURT_LEVELS))
        db = self._db()
        total = db.execute(f"select count(*) from ({citing})", {"unit": unit_id}).fetchone()[0]
        others = [r[0] for r in db.execute(
            citing + f"where coalesce(d.doc_type, '') != '{JUDGMENT}' order by c.from_doc", {"unit": unit_id})]
        judged = [r[0] for r in db.execute(
            citing + f"where d.doc_type = '{JUDGMENT}' order by case d.level {levels} else {len(COURT_LEVELS)} end, "
            "d.version_date desc, c.from_doc limit :n", {"unit": unit_id, "n": judgments})]
        return others, judged, total

    def applied(self, doc_id: str) -> list[dict]:
        """The citations a document makes: unit it resolved to (or "") and the citation key."""
        return [{"to_unit": r["to_unit"] or "", "to_key": r["to_key"]} for r in self._db().execute(
            "select to_unit, to_key from edges where from_doc = ?", (doc_id,))]

    def longest_texts(self, kind: str, limit: int) -> list[str]:
        """The longest units of a kind (deterministic for a corpus): the benchmark's facts queries."""
        return [r[0] for r in self._db().execute(
            "select text from units where kind = ? order by length(text) desc, unit_id limit ?", (kind, limit))]

    def all_units(self) -> Iterator[tuple[str, str, str, str, str]]:
        """(unit_id, doc_id, heading, label, text) of every unit, for evaluators that index on their own."""
        yield from self._db().execute("select unit_id, doc_id, heading, label, text from units")

    def cases_in_order(self) -> Iterator[tuple[str, str, str, str]]:
        """(doc_id, title, court, doc_type) of every guiding and typical case with text, by court and number."""
        yield from self._db().execute(
            "select doc_id, title, court, doc_type from documents where doc_type in ('guiding_case', 'typical_case') "
            "and not stub order by court, case_number, doc_id")

    def units_in_order(self) -> Iterator[tuple[str, str, str, str]]:
        """(unit_id, doc_id, kind, text) of every unit, document by document in reading order."""
        yield from self._db().execute("select unit_id, doc_id, kind, text from units order by doc_id, position")

    def citation_counts(self) -> Iterator[tuple[str, int]]:
        """(unit, how many citations resolve to it, as current or as cited)."""
        yield from self._db().execute("select coalesce(to_current_unit, to_unit), count(*) from edges "
                                      "where coalesce(to_current_unit, to_unit) is not null group by 1")

    def lengths_and_headings(self) -> Iterator[tuple[str, int, str]]:
        """(unit_id, characters of text, heading) of every unit."""
        yield from self._db().execute("select unit_id, length(text), heading from units")

    def resolved_citations(self) -> Iterator[tuple[str, str]]:
        """(citing document, unit) of every citation that resolved, in the order they were made."""
        yield from self._db().execute("select from_doc, to_unit from edges where to_unit != '' order by rowid")


class DocumentMetadata(Mapping):
    """doc id → a document's metadata (no units), for a searcher. The statutes, rules and cases are
    held: every search resolves citations against them, and they number in the thousands. A judgment
    is read from the store when a hit or a card needs it, the last JUDGMENT_CACHE kept: held, a
    million judgments' metadata would take ~4 GB."""

    JUDGMENT_CACHE = 4096

    def __init__(self, corpus: CorpusReader):
        self.corpus = corpus
        self.held = corpus.documents(judgments=False)
        self._count = corpus.document_count()
        self._judgment = lru_cache(maxsize=self.JUDGMENT_CACHE)(corpus.document)

    def __getitem__(self, doc_id: str) -> Document:
        doc = self.held.get(doc_id) or self._judgment(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def __iter__(self) -> Iterator[str]:
        return self.corpus.document_ids()

    def __len__(self) -> int:
        return self._count
