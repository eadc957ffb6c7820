"""The systems one eval run compares, each behind `rank(query, filters) -> unit rows, best first`.

`rank-bm25` is the reference: textbook BM25 (rank_bm25's BM25Okapi) over the same units,
tokenised by the same tokenizer as leian's index, with no field weighting, no pinning and
no query-term pruning, so the other rows of the table say what leian's engineering buys
over plain BM25. The leian systems go through `Searcher.rank` only, exactly what
`leian search` runs.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Iterable, Protocol

import numpy as np

from indexer.filters import Filters
from indexer.search import Searcher

REFERENCE = "rank-bm25"
# similar: hybrid plus the evidence judgments carry (charges named, articles applied: indexer/similar.py)
# hybrid: with the question memory and reranker when the index has them (indexer/learned.py)
LEIAN_SYSTEMS = {"bm25": ("bm25",), "dense": ("dense",), "hybrid": ("bm25", "dense", "questions"),
                 "similar": ("bm25", "dense", "questions", "evidence")}
ALL_SYSTEMS = (REFERENCE, *LEIAN_SYSTEMS)
TOKEN_CACHE = Path("eval-cache") / "tokens.jsonl"   # inside the build: a new build never reads stale tokens

Progress = Callable[[str, int, int], None]


class System(Protocol):
    name: str

    def rank(self, query: str, filters: Filters) -> Iterable[int]:
        """Unit rows, best first."""


class LeianSystem:
    def __init__(self, searcher: Searcher, name: str, depth: int):
        self.searcher = searcher
        self.name = name
        self.retrievers = LEIAN_SYSTEMS[name]
        self.depth = depth

    def rank(self, query: str, filters: Filters) -> list[int]:
        """A case's other judgments count right after the one listed: the results link them there."""
        return [row for r in self.searcher.rank(query, filters, systems=self.retrievers, depth=self.depth, pin=True)
                for row in (r.row, *r.members)]


class RankBm25:
    name = REFERENCE

    def __init__(self, searcher: Searcher, progress: Progress | None = None):
        from rank_bm25 import BM25Okapi

        self.searcher = searcher
        tokens = unit_tokens(searcher, progress)
        self.bm25 = BM25Okapi([tokens[u] for u in searcher.table.unit_ids])

    def rank(self, query: str, filters: Filters) -> np.ndarray:
        scores = self.bm25.get_scores(self.searcher.tokenizer.tokens(query))
        mask = self.searcher.table.mask(filters)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        return positive[np.argsort(-scores[positive], kind="stable")]


def unit_tokens(searcher: Searcher, progress: Progress | None = None) -> dict[str, list[str]]:
    """unit id → its tokens, tokenised once per build and cached next to it (minutes of jieba
    over the full corpus; seconds from the cache)."""
    path = searcher.build / TOKEN_CACHE
    wanted = set(searcher.table.unit_ids)
    try:
        with path.open(encoding="utf-8") as fh:
            cached = dict(json.loads(line) for line in fh)
        if cached.keys() == wanted:
            return cached
    except (OSError, ValueError):
        pass
    tokens = _tokenize(searcher, progress)
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("w", encoding="utf-8") as fh:
            for unit_id, toks in tokens.items():
                fh.write(json.dumps([unit_id, toks], ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except OSError:
        pass   # a read-only index still evaluates; it tokenises again next time
    return tokens


def _tokenize(searcher: Searcher, progress: Progress | None) -> dict[str, list[str]]:
    """A unit as a plain document: its document's title and keywords, then its heading, label
    and text (leian's index repeats the title to weight it; the reference does not)."""
    tokens = searcher.tokenizer.tokens
    heads = {doc_id: tokens(f"{doc.title} {' '.join(doc.keywords)}") for doc_id, doc in searcher.docs.items()}
    rows = list(searcher.corpus.all_units())
    out = {}
    for i, (unit_id, doc_id, heading, label, text) in enumerate(rows, 1):
        out[unit_id] = heads[doc_id] + tokens(f"{heading} {label} {text}")
        if progress and (i % 1000 == 0 or i == len(rows)):
            progress("tokenize", i, len(rows))
    return out
