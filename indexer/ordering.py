"""Orders a ranked result list other than by relevance, and counts it by facet.

Both work on the collapsed ranking (one entry per case or article, up to the fusion depth), so
a page of 10 is sorted and counted over everything the query found, not over its own 10.
Units the query cited outright stay first whatever the order: they are what was asked for.
"""
from __future__ import annotations

import time
from typing import Callable

import numpy as np

from corpus.model import DOC_TYPES, LEVELS
from indexer.filters import ALL_DOMAINS, ALL_PROCEDURES, UnitTable

SORTS = ("relevance", "date", "authority")
# authority within a level: a guiding case before a typical one, both before other material
_TYPE_RANK = {"guiding_case": 0, "typical_case": 1}
RECENT_YEARS = 3   # the rules prefer judgments of the last three years (法发〔2020〕24号 item 四)


def sort_rows(rows: list[int], pinned: int, sort: str, table: UnitTable, date_of: Callable[[int], str]) -> list[int]:
    """`rows` in relevance order, the first `pinned` of them cited outright; Python's sort is
    stable, so ties keep their relevance order."""
    if sort == "relevance":
        return rows
    head, rest = rows[:pinned], rows[pinned:]
    if sort == "date":   # newest first; undated last
        rest = sorted(rest, key=lambda r: date_of(r) or "0000", reverse=True)
    else:   # the rules' search scope: guiding, typical cases, then judgments by court level, recent first
        level, doc_type, year = table.a["level"], table.a["doc_type"], table.a["year"]
        recent = time.localtime().tm_year - RECENT_YEARS
        rest = sorted(rest, key=lambda r: (int(level[r]), _TYPE_RANK.get(DOC_TYPES[int(doc_type[r])], 2),
                                           DOC_TYPES[int(doc_type[r])] == "judgment" and int(year[r]) < recent))
    return head + rest


def facets(rows: list[int], table: UnitTable) -> dict[str, dict[str, int]]:
    """How many of the results fall under each type, public-interest domain and procedure, each
    in order of first appearance. In arrays: a question's list runs to several hundred entries."""
    at = np.asarray(rows, dtype=np.int64)
    a = table.a
    return {"type": _counts(a["doc_type"][at], DOC_TYPES), "domain": _bit_counts(a["domains"][at], ALL_DOMAINS),
            "procedure": _bit_counts(a["procedures"][at], ALL_PROCEDURES), "level": _counts(a["level"][at], LEVELS)}


def _counts(values: np.ndarray, names: tuple[str, ...]) -> dict[str, int]:
    found, first, counts = np.unique(values, return_index=True, return_counts=True)
    return {names[int(found[i])]: int(counts[i]) for i in np.argsort(first, kind="stable")}


def _bit_counts(bits: np.ndarray, names: tuple[str, ...]) -> dict[str, int]:
    if not len(bits):
        return {}
    held = (bits[:, None].astype(np.int64) >> np.arange(len(names))) & 1   # row × name
    counts = held.sum(axis=0)
    first = np.where(counts > 0, held.argmax(axis=0), len(bits))
    order = np.lexsort((np.arange(len(names)), first))
    return {names[i]: int(counts[i]) for i in order.tolist() if counts[i] > 0}
