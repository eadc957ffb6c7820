"""Scoring keys: what one result and one gold entry count as.

A procurator cites an article or a case, not a text chunk, so every ranked unit and every
gold entry maps to a key before scoring: an article (or any statute unit) → its unit id,
the exact version; with any_version → law_key#suffix, the same key for every version;
a case section → the case's doc id. Several hits on one key count once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from indexer.search import Searcher

UNRESOLVED = "∅ "   # prefix of the key that stands for unresolved gold: no ranking ever holds it


@dataclass
class Unresolved:
    query_id: str
    entry: str
    reason: str


@dataclass
class Gold:
    grades: dict[str, int]       # key → grade; unresolved entries under UNRESOLVED + entry
    labels: dict[str, str]       # key → what the report shows (the citation as written, or one built)
    unresolved: list[Unresolved]


class Keys:
    def __init__(self, searcher: Searcher, any_version: bool):
        self.searcher = searcher
        self.table = searcher.table
        self.any_version = any_version

    def of_row(self, row: int) -> str:
        group = self.table.groups[row]
        if group == self.table.doc_id(row):   # a case (or a document with no versions): the case counts
            return group
        if group.startswith("case:"):   # a judgment counts on its own; its case's others follow it (eval/systems.py)
            return self.table.doc_id(row)
        return group if self.any_version else self.table.unit_ids[row]

    def ranking(self, rows: Iterable[int], depth: int) -> list[str]:
        """The first `depth` distinct keys of ranked unit rows."""
        keys: dict[str, None] = {}
        for row in rows:
            keys.setdefault(self.of_row(int(row)))
            if len(keys) == depth:
                break
        return list(keys)

    def gold(self, query_id: str, relevant: list[str], grades: dict[str, int]) -> Gold:
        out = Gold({}, {}, [])
        for entry in relevant:
            keys, reason = self._resolve(entry)
            if reason:
                out.unresolved.append(Unresolved(query_id, entry, reason))
                keys = [UNRESOLVED + entry]
            for key in keys:
                out.grades[key] = max(out.grades.get(key, 0), grades.get(entry, 1))
                out.labels.setdefault(key, self._label(entry))
        return out

    def _resolve(self, entry: str) -> tuple[list[str], str]:
        """(keys, "") or ([], why not): a unit id, a doc id, or a citation string."""
        row = self.table.row_of.get(entry)
        if row is not None:
            return [self.of_row(row)], ""
        doc = self.searcher.docs.get(entry)
        if doc is not None:
            if doc.law_key:
                return [], "a whole statute is not one citable unit: name an article"
            if doc.stub:
                return [], "catalogue entry only, no text in the corpus"
            return [doc.doc_id], ""
        res = self.searcher.resolver.resolve_text(entry)
        if res is None:
            return [], "neither a unit id, a doc id nor a citation"
        if not res.found or res.status == "stub":
            return [], res.message or res.status
        if res.members:   # 第八批指导性案例: every case of the batch
            return [m for m in res.members if not self.searcher.docs[m].stub], ""
        return [self.of_row(self.table.row_of[res.unit_id])], ""

    def _label(self, entry: str) -> str:
        """Ids become citations a reader knows; citation strings stay as the benchmark wrote them."""
        if entry in self.table.row_of:
            return self.searcher.unit(entry)["citation"]
        doc = self.searcher.docs.get(entry)
        return (doc.case_no or doc.title) if doc else entry
