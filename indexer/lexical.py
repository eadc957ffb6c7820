"""BM25 over units with bm25s (sparse, memory-mapped, ~500× faster per query than rank-bm25).

Fields are weighted by repetition: a unit is indexed as its document title and keywords
(TITLE_WEIGHT times) plus its heading, label and text. bm25s has one field, and
repetition is the classic way to make a title count more than body text without a
second index.
"""
from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import bm25s
import numpy as np

TITLE_WEIGHT = 2           # title/keyword tokens count this many times
LONG_QUERY_TERMS = 48      # a long facts query keeps its most distinctive terms
SINGLE_CHAR_WEIGHT = 0.5   # for questions and keywords; 0.3 / 0.5 / 1.0 measured (README, "How search works")
DEFAULT_K1, DEFAULT_B = 1.2, 0.75


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25):
        self._bm25 = retriever
        self._vocab: dict[str, int] = retriever.vocab_dict

    @classmethod
    def build(cls, unit_tokens: list[list[str]], method: str = "lucene",
              k1: float = DEFAULT_K1, b: float = DEFAULT_B) -> "LexicalIndex":
        retriever = bm25s.BM25(method=method, k1=k1, b=b)
        retriever.index(unit_tokens, show_progress=False)
        return cls(retriever)

    def save(self, path: Path) -> None:
        self._bm25.save(str(path))

    @classmethod
    def load(cls, path: Path) -> "LexicalIndex":
        return cls(bm25s.BM25.load(str(path), mmap=True, show_progress=False))

    @property
    def size(self) -> int:
        return int(self._bm25.scores["num_docs"])

    def document_frequency(self, token: str) -> int:
        """How many units contain the token (from the CSC column lengths)."""
        idx = self._vocab.get(token)
        if idx is None:
            return 0
        indptr = self._bm25.scores["indptr"]
        return int(indptr[idx + 1] - indptr[idx])

    def query_terms(self, tokens: list[str], limit: int | None = LONG_QUERY_TERMS) -> list[str]:
        """Known query terms; for long queries the top LONG_QUERY_TERMS by tf·idf, so a
        2,000-character facts query is scored on what distinguishes it, not on 的/本案/被告."""
        counts = Counter(t for t in tokens if t in self._vocab)
        if limit is None or len(counts) <= limit:
            return list(counts)
        n = max(self.size, 1)

        def weight(term: str) -> float:
            df = self.document_frequency(term)
            return (1 + math.log(counts[term])) * math.log(1 + (n - df + 0.5) / (df + 0.5))

        return sorted(counts, key=weight, reverse=True)[:limit]

    def term_weights(self, tokens: list[str], single_char_weight: float = SINGLE_CHAR_WEIGHT,
                     limit: int | None = LONG_QUERY_TERMS) -> dict[str, float]:
        """Query term → weight: a single character (钱, 检, 借) matches surnames and pieces of
        unrelated words, so it counts `single_char_weight` of a real term."""
        return {t: single_char_weight if len(t) == 1 else 1.0 for t in self.query_terms(tokens, limit)}

    def answerable(self, tokens: list[str]) -> bool:
        """False when the query's words of two or more characters are all unknown to the corpus
        (asdfqwer 火星人飞碟): nothing can answer it, and the embedding side would only match its
        single characters. Words jieba splits into known characters (醉驾 → 醉 驾) stay answerable."""
        words = [t for t in tokens if len(t) > 1]
        return not words or any(t in self._vocab for t in words)

    def idf(self, term: str) -> float:
        """bm25s's Lucene idf; a term no unit holds gets the idf of df = 0."""
        n, df = max(self.size, 1), self.document_frequency(term)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, tokens: list[str]) -> np.ndarray:
        return self.scores_and_coverage(tokens)[0]

    def scores_and_coverage(self, tokens: list[str], single_char_weight: float = SINGLE_CHAR_WEIGHT,
                            limit: int | None = LONG_QUERY_TERMS) -> tuple[np.ndarray, np.ndarray]:
        """Weighted BM25 scores, and for each unit the share of the query's weighted idf it
        matches (1.0: every query word, 0: none). Words the corpus lacks count in the share's
        denominator: a query the corpus cannot answer has no unit that covers it. `limit`: how many
        terms a long query keeps (None: all, as case-to-case search compares whole facts)."""
        weights = self.term_weights(tokens, single_char_weight, limit)
        unknown = {t for t in tokens if t not in self._vocab and len(t) > 1}
        mass = sum(w * self.idf(t) for t, w in weights.items()) + sum(self.idf(t) for t in unknown)
        if not weights or mass <= 0:
            zeros = np.zeros(self.size, dtype=np.float32)
            return zeros, zeros
        matrix = self._bm25.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        rows, bm25, share = [], [], []
        for term, weight in weights.items():
            lo, hi = int(indptr[self._vocab[term]]), int(indptr[self._vocab[term] + 1])
            rows.append(indices[lo:hi])
            bm25.append(np.asarray(data[lo:hi], dtype=np.float64) * weight)
            share.append(np.full(hi - lo, weight * self.idf(term) / mass))
        rows_all = np.concatenate(rows)
        scores = np.bincount(rows_all, weights=np.concatenate(bm25), minlength=self.size)
        coverage = np.bincount(rows_all, weights=np.concatenate(share), minlength=self.size)
        return scores.astype(np.float32), coverage.astype(np.float32)

    def search(self, tokens: list[str], k: int, mask: np.ndarray | None = None, prior: np.ndarray | None = None,
               single_char_weight: float = SINGLE_CHAR_WEIGHT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(unit rows, scores) of the top k with a positive score, best first, and every unit's
        coverage (its share of the query, see above); mask keeps rows, prior weighs them."""
        scores, coverage = self.scores_and_coverage(tokens, single_char_weight)
        if prior is not None:
            scores = scores * prior
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        rows, values = top_k(scores, k)
        return rows, values, coverage


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    positive = int(np.count_nonzero(scores > 0))
    k = min(k, positive)
    if k <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    rows = np.argpartition(-scores, k - 1)[:k]
    rows = rows[np.argsort(-scores[rows], kind="stable")]
    return rows, scores[rows]
