"""One retriever interface: what a search engine must answer, whichever engine it is.

Backends (txtai-style, chosen by the build's manifest):
  * "local" (the default): bm25s for words and faiss for vectors, in process, on files;
  * "milvus": one Milvus collection holding both (indexer/milvus.py), for deployments that
    outgrow one machine; Milvus Lite runs the same code in process for tests.

The search pipeline (indexer/search.py) pins citations, then asks each retriever for its top k
within the filters, weighs them by the level prior here (`retrieve`, once for every backend),
fuses, keeps the agreed head and collapses. A retriever sees a `Query` whose tokens and vector
are computed once, and only when a retriever needs them, and a `Selection`: the filters, and the
same filters as a row mask for engines that filter in memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from collections.abc import Sequence
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from indexer.filters import Filters, UnitTable
from indexer.termstats import LONG_QUERY_TERMS, TermStats

PRIOR_OVERFETCH = 4   # candidates fetched per wanted hit before the level prior re-ranks them
BACKENDS = ("local", "milvus")


@dataclass(eq=False)
class Query:
    text: str
    tokens: list[str]
    single_char_weight: float = 1.0
    term_limit: int | None = LONG_QUERY_TERMS   # None: every distinct term (case-to-case search)
    encode: Callable[[], np.ndarray] | None = None   # the query's vector, when semantic search runs
    memo: dict = field(default_factory=dict)         # per-query work a retriever reuses between calls

    @cached_property
    def vector(self) -> np.ndarray | None:
        return None if self.encode is None else self.encode()

    def with_terms(self, single_char_weight: float, term_limit: int | None) -> "Query":
        """The same text weighted otherwise (case-to-case search scores every term at full weight)."""
        return Query(self.text, self.tokens, single_char_weight, term_limit, self.encode)

    def weights(self, stats: TermStats) -> dict[str, float]:
        return stats.term_weights(self.tokens, self.single_char_weight, self.term_limit)


@dataclass
class Selection:
    """The rows a search may return: the filters (what an engine with its own filtering takes, as a
    Milvus expression) and the same as a boolean row mask (None: every row) for in-memory engines."""
    filters: Filters
    mask: np.ndarray | None

    @classmethod
    def of(cls, filters: Filters, table: UnitTable) -> "Selection":
        return cls(filters, table.mask(filters))

    @property
    def empty(self) -> bool:
        return self.mask is not None and not self.mask.any()


class LexicalRetriever(Protocol):
    """BM25 over the units' tokens (title and keywords weighted by repetition, see indexer/lexical.py)."""
    stats: TermStats

    @property
    def size(self) -> int: ...

    def search(self, query: Query, k: int, selection: Selection) -> tuple[np.ndarray, np.ndarray]:
        """(rows, BM25 scores) of the k best units the selection keeps, best first; only positive scores."""

    def scores_of(self, query: Query, rows: np.ndarray) -> np.ndarray:
        """BM25 scores of given rows (0 where a row matches no query term)."""

    def coverage(self, query: Query, rows: np.ndarray) -> np.ndarray:
        """Each row's share of the query's weighted idf (TermStats.coverage)."""


class SemanticRetriever(Protocol):
    """Nearest units by inner product of L2-normalised vectors (cosine)."""

    @property
    def size(self) -> int: ...

    def search(self, query: Query, k: int, selection: Selection) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosine) of the k nearest units the selection keeps, best first."""

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of some rows (case-to-case search compares a few hundred exactly)."""


class Retriever(Protocol):
    def search(self, query: Query, k: int, selection: Selection) -> tuple[np.ndarray, np.ndarray]: ...


def retrieve(retriever: Retriever, query: Query, k: int, selection: Selection,
             prior: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A retriever's top k, weighed by the level prior: the nearest PRIOR_OVERFETCH·k are re-ranked
    by score × prior. The same for every backend, so backends differ only in their engines."""
    if prior is None:
        return retriever.search(query, k, selection)
    rows, scores = retriever.search(query, k * PRIOR_OVERFETCH, selection)
    weighted = np.maximum(scores, 0) * prior[rows]
    order = np.argsort(-weighted, kind="stable")[:k]
    return rows[order], weighted[order].astype(np.float32)


class RetrieverBuilder(Protocol):
    """Writes a build's retrievers and says in the manifest how to open them again."""

    def write(self, build: Path, unit_tokens: Sequence[list[str]], vectors: np.ndarray | None,
              table: UnitTable) -> dict:
        """Index every unit (row i = unit i of the table); returns the manifest's "retrievers" entry."""

    def publish(self, entry: dict) -> None:
        """Make the written retrievers the ones readers of the engine's own names see."""

    def prune(self, keep: list[dict]) -> None:
        """Drop what earlier builds wrote, except the entries still kept."""


def builder(backend: str, options: dict) -> RetrieverBuilder:
    if backend == "local":
        from indexer.local import LocalBuilder
        return LocalBuilder()
    if backend == "milvus":
        from indexer.milvus import MilvusBuilder
        return MilvusBuilder(**options)
    raise ValueError(f"unknown backend {backend!r}; allowed: {', '.join(BACKENDS)}")


def open_retrievers(build: Path, manifest: dict, table: UnitTable
                    ) -> tuple[LexicalRetriever, SemanticRetriever | None]:
    """The retrievers a build's manifest names (an index from before backends existed is local)."""
    entry = manifest.get("retrievers") or {"backend": "local"}
    dense = bool(manifest.get("dense"))
    if entry["backend"] == "local":
        from indexer.local import open_local
        return open_local(build, dense)
    if entry["backend"] == "milvus":
        from indexer.milvus import open_milvus
        return open_milvus(build, entry, table, dense)
    raise ValueError(f"index at {build} names an unknown backend {entry['backend']!r}")
