"""Which query words count and how much: document frequencies, Lucene idf, term weights and
the share of a query a unit covers.

Every lexical backend (bm25s in process, Milvus on a cluster) asks the same questions of the
same statistics, so a query is weighted identically whichever engine scores it. bm25s derives
them from its own matrix; a backend that keeps its postings elsewhere saves them beside the build
(terms.json: the vocabulary's size is what it costs, not the corpus's).
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LONG_QUERY_TERMS = 48      # a long facts query keeps its most distinctive terms
SINGLE_CHAR_WEIGHT = 0.5   # for questions and keywords; 0.3 / 0.5 / 1.0 measured (README, "How search works")
FILE = "terms.json"


@dataclass
class TermStats:
    vocab: dict[str, int]   # term → column
    df: np.ndarray          # units holding each term
    size: int               # units in the index

    @classmethod
    def of_tokens(cls, unit_tokens: list[list[str]]) -> "TermStats":
        counts: Counter[str] = Counter()
        for tokens in unit_tokens:
            counts.update(set(tokens))
        terms = sorted(counts)
        return cls({t: i for i, t in enumerate(terms)}, np.asarray([counts[t] for t in terms], dtype=np.int64),
                   len(unit_tokens))

    def save(self, build: Path) -> None:
        (build / FILE).write_text(json.dumps({"size": self.size, "terms": list(self.vocab), "df": self.df.tolist()},
                                             ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, build: Path) -> "TermStats":
        data = json.loads((build / FILE).read_text(encoding="utf-8"))
        return cls({t: i for i, t in enumerate(data["terms"])}, np.asarray(data["df"], dtype=np.int64), data["size"])

    def document_frequency(self, token: str) -> int:
        idx = self.vocab.get(token)
        return 0 if idx is None else int(self.df[idx])

    def idf(self, term: str) -> float:
        """Lucene idf (bm25s's and Milvus's); a term no unit holds gets the idf of df = 0."""
        n, df = max(self.size, 1), self.document_frequency(term)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def answerable(self, tokens: list[str]) -> bool:
        """False when the query's words of two or more characters are all unknown to the corpus
        (asdfqwer 火星人飞碟): nothing can answer it, and the embedding side would only match its
        single characters. Words jieba splits into known characters (醉驾 → 醉 驾) stay answerable."""
        words = [t for t in tokens if len(t) > 1]
        return not words or any(t in self.vocab for t in words)

    def query_terms(self, tokens: list[str], limit: int | None = LONG_QUERY_TERMS) -> list[str]:
        """Known query terms; for long queries the top `limit` by tf·idf, so a 2,000-character
        facts query is scored on what distinguishes it, not on 的/本案/被告."""
        counts = Counter(t for t in tokens if t in self.vocab)
        if limit is None or len(counts) <= limit:
            return list(counts)
        return sorted(counts, key=lambda t: (1 + math.log(counts[t])) * self.idf(t), reverse=True)[:limit]

    def term_weights(self, tokens: list[str], single_char_weight: float = SINGLE_CHAR_WEIGHT,
                     limit: int | None = LONG_QUERY_TERMS) -> dict[str, float]:
        """Query term → weight: a single character (钱, 检, 借) matches surnames and pieces of
        unrelated words, so it counts `single_char_weight` of a real term. Whole facts compared with
        facts (limit None: case-to-case search) also weigh each term by 1 + ln(its count in them), as
        `query_terms` ranks a long query's terms: facts that name 赌场 five times are about a 赌场
        (LeCaRD search-all nDCG@30 .724 → .762, README "Judgments")."""
        counts = Counter(tokens) if limit is None else None
        return {t: (single_char_weight if len(t) == 1 else 1.0) * (1 + math.log(counts[t]) if counts else 1.0)
                for t in self.query_terms(tokens, limit)}

    def mass(self, tokens: list[str], weights: dict[str, float]) -> float:
        """The query's weighted idf, the denominator of coverage: words the corpus lacks count in it,
        so a query the corpus cannot answer has no unit that covers it."""
        unknown = {t for t in tokens if t not in self.vocab and len(t) > 1}
        return sum(w * self.idf(t) for t, w in weights.items()) + sum(self.idf(t) for t in unknown)

    def coverage(self, tokens: list[str], weights: dict[str, float], unit_terms: list[set[str]]) -> np.ndarray:
        """Each unit's share of the query's weighted idf, from the set of terms it holds."""
        mass = self.mass(tokens, weights)
        if mass <= 0:
            return np.zeros(len(unit_terms), dtype=np.float32)
        share = {t: w * self.idf(t) / mass for t, w in weights.items()}
        return np.asarray([sum(share[t] for t in terms if t in share) for terms in unit_terms], dtype=np.float32)
