"""A learned reranker (LightGBM LambdaMART) over the fused candidates of a question.

BM25, the embedding and the question memory each know part of what makes an article the
answer; how much each counts depends on the query (a question that names the law vs one that
describes a quarrel). A gradient-boosted ranker learns that from the training pairs, over
features of the candidate and of the evidence around it: its retrievers' scores and ranks, the
level prior, how often the corpus's cases and the training questions cite it, whether the other
candidates and the neighbouring questions point to the same law and chapter (hierarchical
evidence: 借款合同, 劳动合同的解除和终止), whether the query names the law or the chapter, and
its length. Only statute units are reordered, among their own slots; cases keep theirs, and
queries longer than RERANK_CHARS (case facts) are left as fused.

The reranker sees deep: each retriever fetches RERANK_DEPTH for a question and every fused
statute candidate is scored, because most articles a lay question misses are ranked 100–400 by
BM25 or the embedding, not absent (STARD 5-fold recall@100 .829 → .849 against 200 per retriever
and the first 100; README, "Real questions"). The features are array gathers: 800 candidates
take about 2.6 ms a question, where computing them row by row took about 9 ms.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from corpus.reader import CorpusReader

FILE = "rerank.txt"
RERANK_CHARS = 120     # questions and consultations (STARD: 99% up to 85 characters); longer ones are case facts
RERANK_DEPTH = 400     # candidates each retriever fetches for a question the reranker orders
CANDIDATES = 2 * RERANK_DEPTH   # fused statute candidates reordered (all of them), plus the question memory's own
SOURCES = ("bm25", "dense", "questions")
HEAD = 20              # the leading candidates whose laws and chapters vote
FEATURES = (*(f"{s}_{k}" for s in SOURCES for k in ("score", "share", "rank")), "fused_rank", "prior",
            "corpus_cites", "question_cites", "law_head", "law_questions", "chapter_head", "chapter_questions",
            "law_named", "chapter_overlap", "length", "query_chars")
MISSING_RANK = 1000


@dataclass
class UnitFacts:
    """What the reranker knows of every unit whatever the query."""
    corpus_cites: np.ndarray    # citing edges per unit
    length: np.ndarray          # characters of text
    law: list[str]              # law key per unit ("" for cases)
    chapter: list[str]          # law key + chapter heading per unit

    def __post_init__(self) -> None:
        """Laws and chapters as small integers (0: none), so features are array gathers."""
        self.laws, self.law_id = _numbered(self.law)
        self.chapters, self.chapter_id = _numbered(self.chapter)

    @classmethod
    def load(cls, corpus: CorpusReader, unit_ids: list[str], groups: list[str]) -> "UnitFacts":
        row_of = {u: i for i, u in enumerate(unit_ids)}
        cites = np.zeros(len(unit_ids), dtype=np.float32)
        length = np.zeros(len(unit_ids), dtype=np.float32)
        heading = [""] * len(unit_ids)
        for unit, n in corpus.citation_counts():
            if unit in row_of:
                cites[row_of[unit]] = n
        for unit, n, head in corpus.lengths_and_headings():
            if unit in row_of:
                length[row_of[unit]] = n or 0
                heading[row_of[unit]] = head or ""
        law = [g.split("#", 1)[0] if "#" in g else "" for g in groups]
        return cls(cites, length, law, [f"{a} {h}" if a and h else "" for a, h in zip(law, heading)])


def _numbered(keys: list[str]) -> tuple[list[str], np.ndarray]:
    names: dict[str, int] = {"": 0}
    ids = np.fromiter((names.setdefault(k, len(names)) for k in keys), dtype=np.int64, count=len(keys))
    return list(names), ids


@dataclass
class Candidates:
    """The rows a question's reranker sees and their feature matrix (one row each)."""
    rows: list[int]
    matrix: np.ndarray


def _shares(keys: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    """Each law's (chapter's) share of the votes; id 0 (no law) gets none but counts in the total."""
    votes = np.bincount(keys, weights=weights, minlength=size).astype(np.float64)
    total = float(votes.sum()) or 1.0
    votes[0] = 0.0
    return votes / total


def _short(law_key: str) -> str:
    """The name a layperson writes: 劳动合同法 for law:劳动合同法@2012-12-28."""
    return law_key.split(":", 1)[-1].split("@", 1)[0]


def candidates(query: str, query_tokens: set[str], fused: list[tuple[int, float]],
               scores: dict[str, dict[int, float]], is_statute: np.ndarray, prior: np.ndarray, facts: UnitFacts,
               question_cites: np.ndarray, heading_tokens: Callable[[str], frozenset[str]]) -> Candidates:
    """Features of the first CANDIDATES fused statute units and of every unit the question memory
    scored. Vectorised over the candidates: a question's reranker sees several hundred."""
    rows = [row for row, _ in fused if is_statute[row]][:CANDIDATES]
    seen = set(rows)
    memory = scores.get("questions", {})
    rows += [row for row in sorted(memory, key=lambda r: -memory[r]) if row not in seen and is_statute[row]]
    at = np.asarray(rows, dtype=np.int64)
    columns: list[np.ndarray] = []
    for name in SOURCES:
        table = scores.get(name, {})
        value, rank = _lookup(table, at)
        columns += [value, value / (max(table.values(), default=0.0) or 1.0), rank]
    position = {row: i for i, (row, _) in enumerate(fused)}
    columns.append(np.fromiter((position.get(row, MISSING_RANK) for row in rows), dtype=np.float64, count=len(rows)))
    law, chapter = facts.law_id[at], facts.chapter_id[at]
    head = at[:HEAD]
    in_memory = np.fromiter(memory.keys(), dtype=np.int64, count=len(memory))
    weights = np.fromiter(memory.values(), dtype=np.float64, count=len(memory))
    named = {i: float(i > 0 and _short(facts.laws[i]) in query) for i in np.unique(law).tolist()}
    overlap = {i: _overlap(query_tokens, heading_tokens(facts.chapters[i].split(" ", 1)[1])) if i > 0 else 0.0
               for i in np.unique(chapter).tolist()}
    columns += [prior[at], np.log1p(facts.corpus_cites[at]), np.log1p(question_cites[at]),
                _shares(facts.law_id[head], None, len(facts.laws))[law],
                _shares(facts.law_id[in_memory], weights, len(facts.laws))[law],
                _shares(facts.chapter_id[head], None, len(facts.chapters))[chapter],
                _shares(facts.chapter_id[in_memory], weights, len(facts.chapters))[chapter],
                np.asarray([named[i] for i in law.tolist()]), np.asarray([overlap[i] for i in chapter.tolist()]),
                np.log1p(facts.length[at]), np.full(len(at), float(len(query)))]
    matrix = np.stack(columns, axis=1).astype(np.float32) if rows else np.zeros((0, len(FEATURES)), np.float32)
    return Candidates(rows, matrix)


def _lookup(table: dict[int, float], rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's value in a retriever's table (0 when absent) and its rank there, best first in
    the table's order on ties (MISSING_RANK when absent)."""
    if not table:
        return np.zeros(len(rows)), np.full(len(rows), float(MISSING_RANK))
    keys = np.fromiter(table.keys(), dtype=np.int64, count=len(table))
    values = np.fromiter(table.values(), dtype=np.float64, count=len(table))
    rank = np.empty(len(keys), dtype=np.float64)
    rank[np.argsort(-values, kind="stable")] = np.arange(len(keys))
    order = np.argsort(keys)
    keys, values, rank = keys[order], values[order], rank[order]
    pos = np.minimum(np.searchsorted(keys, rows), len(keys) - 1)
    found = keys[pos] == rows
    return np.where(found, values[pos], 0.0), np.where(found, rank[pos], float(MISSING_RANK))


def _overlap(query_tokens: set[str], words: frozenset[str]) -> float:
    return len(query_tokens & words) / max(len(words), 1)


class Reranker:
    """A LightGBM LambdaMART booster over FEATURES, saved as its text model in the index."""

    def __init__(self, booster):
        self.booster = booster

    @classmethod
    def train(cls, groups: list[Candidates], labels: list[np.ndarray], rounds: int = 200) -> "Reranker":
        """groups: one Candidates per training question; labels: 1 for its gold rows. Questions
        with no gold among their candidates teach nothing and are left out."""
        import lightgbm

        kept = [(g, y) for g, y in zip(groups, labels) if y.any() and len(y) > 1]
        data = lightgbm.Dataset(np.vstack([g.matrix for g, _ in kept]), np.concatenate([y for _, y in kept]),
                                group=[len(y) for _, y in kept], feature_name=list(FEATURES))
        params = {"objective": "lambdarank", "metric": "ndcg", "eval_at": [10], "learning_rate": 0.05,
                  "num_leaves": 31, "min_data_in_leaf": 20, "feature_fraction": 0.8, "bagging_fraction": 0.8,
                  "bagging_freq": 1, "lambdarank_truncation_level": 30, "verbosity": -1, "num_threads": 1, "force_col_wise": True,
                  "seed": 0, "deterministic": True}
        return cls(lightgbm.train(params, data, num_boost_round=rounds))

    def save(self, build: Path) -> None:
        self.booster.save_model(str(build / FILE))

    @classmethod
    def load(cls, build: Path) -> "Reranker | None":
        if not (build / FILE).exists():
            return None
        import lightgbm

        return cls(lightgbm.Booster(model_file=str(build / FILE)))

    def order(self, found: Candidates) -> list[int]:
        if not found.rows:
            return []
        scores = self.booster.predict(found.matrix, num_threads=1)
        return [found.rows[i] for i in np.argsort(-scores, kind="stable")]


def into_slots(fused: list[tuple[int, float]], ordered: list[int], is_statute: np.ndarray) -> list[tuple[int, float]]:
    """The fused list with its statute slots filled, in order, by the reranked units and then by
    the fused statute units the reranker did not see; the rest follow the list. Cases keep their
    places and scores."""
    placed = set(ordered)
    sequence = iter(ordered + [row for row, _ in fused if is_statute[row] and row not in placed])
    out: list[tuple[int, float]] = []
    for row, score in fused:
        out.append((next(sequence), score) if is_statute[row] else (row, score))
    low = min((s for _, s in fused), default=0.0)
    return out + [(row, low) for row in sequence]
