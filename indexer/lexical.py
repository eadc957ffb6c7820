"""BM25 over units with bm25s (sparse, memory-mapped, ~500× faster per query than rank-bm25).

Fields are weighted by repetition: a unit is indexed as its document title and keywords
(TITLE_WEIGHT times) plus its heading, label and text. bm25s has one field, and
repetition is the classic way to make a title count more than body text without a
second index.
"""
from __future__ import annotations

from array import array
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
from bm25s import scoring

from indexer.retriever import Query, Selection
from indexer.termstats import LONG_QUERY_TERMS, SINGLE_CHAR_WEIGHT, TermStats

TITLE_WEIGHT = 2           # title/keyword tokens count this many times
DEFAULT_K1, DEFAULT_B = 1.2, 0.75


class StreamingBM25(bm25s.BM25):
    """bm25s with its score matrix written straight into its sparse (CSC) form, through the method
    bm25s offers for building the index another way.

    bm25s gathers every nonzero's score, document and term (12 bytes each) and lets scipy sort them into
    the matrix: ~25 KB a judgment at the peak of a build. Here a first pass over the units counts each
    term's documents, which fixes where each term's column starts, and a second pass writes each score
    into its place, so only the matrix (8 bytes a nonzero) is held. The units must be readable twice
    (a Sequence). bm25s's own functions compute idf and term frequency, so the arrays are the ones bm25s
    makes (tests/indexer/test_lexical.py)."""

    def build_index_from_ids(self, unique_token_ids, corpus_token_ids, show_progress=True, leave_progress=False):
        n_vocab = len(unique_token_ids)
        counts = np.zeros(n_vocab, dtype=np.int64)
        lengths = array("q")
        for ids in corpus_token_ids:
            lengths.append(len(ids))
            counts[np.unique(np.asarray(ids, dtype=np.int64))] += 1
        n_docs = len(lengths)
        avg_doc_len = np.frombuffer(lengths, dtype=np.int64).mean() if n_docs else np.nan
        doc_frequencies = {int(t): int(counts[t]) for t in unique_token_ids}
        idf = scoring._build_idf_array(doc_frequencies=doc_frequencies, n_docs=n_docs,
                                       compute_idf_fn=scoring._select_idf_scorer(self.idf_method), dtype=self.dtype)
        self.nonoccurrence_array = scoring._build_nonoccurrence_array(
            doc_frequencies=doc_frequencies, n_docs=n_docs, compute_idf_fn=scoring._select_idf_scorer(self.idf_method),
            calculate_tfc_fn=scoring._select_tfc_scorer(self.method), l_d=avg_doc_len, l_avg=avg_doc_len,
            k1=self.k1, b=self.b, delta=self.delta, dtype=self.dtype,
        ) if self.method in self.methods_requiring_nonoccurrence else None
        tfc = scoring._select_tfc_scorer(self.method)
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)   # the dtypes of bm25s's default (numpy) build
        np.cumsum(counts, out=indptr[1:])
        data = np.empty(indptr[-1], dtype=self.dtype)
        indices = np.empty(indptr[-1], dtype=self.int_dtype)
        free = indptr[:-1].copy()   # each column's next free place
        for doc, ids in enumerate(corpus_token_ids):
            terms, tf = scoring._get_counts_from_token_ids(ids, dtype=self.dtype, int_dtype=self.int_dtype)
            scores = idf[terms] * tfc(tf_array=tf, l_d=len(ids), l_avg=avg_doc_len, k1=self.k1, b=self.b,
                                      delta=self.delta)
            if self.nonoccurrence_array is not None:
                scores -= self.nonoccurrence_array[terms]
            at = free[terms]
            data[at] = scores
            indices[at] = doc
            free[terms] += 1
        return {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}


class LexicalIndex:
    """The in-process LexicalRetriever (indexer/retriever.py)."""

    def __init__(self, retriever: bm25s.BM25):
        self._bm25 = retriever
        indptr = np.asarray(retriever.scores["indptr"])
        self.stats = TermStats(retriever.vocab_dict, np.diff(indptr), int(retriever.scores["num_docs"]))

    @classmethod
    def build(cls, unit_tokens: Sequence[list[str]], method: str = "lucene",
              k1: float = DEFAULT_K1, b: float = DEFAULT_B) -> "LexicalIndex":
        """`unit_tokens` with `ids` and `vocab` (indexer/unit_tokens.py) is indexed from its ids."""
        retriever = StreamingBM25(method=method, k1=k1, b=b)
        retriever.index(unit_tokens, show_progress=False)
        return cls(retriever)

    def save(self, path: Path) -> None:
        self._bm25.save(str(path))

    @classmethod
    def load(cls, path: Path) -> "LexicalIndex":
        return cls(bm25s.BM25.load(str(path), mmap=True, show_progress=False))

    @property
    def size(self) -> int:
        return self.stats.size

    def scores_and_coverage(self, tokens: list[str], single_char_weight: float = SINGLE_CHAR_WEIGHT,
                            limit: int | None = LONG_QUERY_TERMS) -> tuple[np.ndarray, np.ndarray]:
        """Weighted BM25 scores of every unit, and each unit's share of the query's weighted idf
        (1.0: every query word, 0: none; TermStats.mass). `limit`: how many terms a long query
        keeps (None: all, as case-to-case search compares whole facts)."""
        weights = self.stats.term_weights(tokens, single_char_weight, limit)
        mass = self.stats.mass(tokens, weights)
        if not weights or mass <= 0:
            zeros = np.zeros(self.size, dtype=np.float32)
            return zeros, zeros
        matrix = self._bm25.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        rows, bm25, share = [], [], []
        for term, weight in weights.items():
            column = self.stats.vocab[term]
            lo, hi = int(indptr[column]), int(indptr[column + 1])
            rows.append(indices[lo:hi])
            bm25.append(np.asarray(data[lo:hi], dtype=np.float64) * weight)
            share.append(np.full(hi - lo, weight * self.stats.idf(term) / mass))
        rows_all = np.concatenate(rows)
        scores = np.bincount(rows_all, weights=np.concatenate(bm25), minlength=self.size)
        coverage = np.bincount(rows_all, weights=np.concatenate(share), minlength=self.size)
        return scores.astype(np.float32), coverage.astype(np.float32)

    def _arrays(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """Every unit's scores and coverage for the query, computed once per query."""
        key = ("bm25s", id(self), query.single_char_weight, query.term_limit)
        if key not in query.memo:
            query.memo[key] = self.scores_and_coverage(query.tokens, query.single_char_weight, query.term_limit)
        return query.memo[key]

    def search(self, query: Query, k: int, selection: Selection) -> tuple[np.ndarray, np.ndarray]:
        scores = self._arrays(query)[0]
        if selection.mask is not None:
            scores = np.where(selection.mask, scores, 0.0)
        return top_k(scores, k)

    def scores_of(self, query: Query, rows: np.ndarray) -> np.ndarray:
        return self._arrays(query)[0][rows]

    def coverage(self, query: Query, rows: np.ndarray) -> np.ndarray:
        return self._arrays(query)[1][rows]


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    positive = int(np.count_nonzero(scores > 0))
    k = min(k, positive)
    if k <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    rows = np.argpartition(-scores, k - 1)[:k]
    rows = rows[np.argsort(-scores[rows], kind="stable")]
    return rows, scores[rows]
