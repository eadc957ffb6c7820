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
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from corpus.reader import CorpusReader

FILE = "rerank.txt"
RERANK_CHARS = 120     # questions and consultations (STARD: 99% up to 85 characters); longer ones are case facts
CANDIDATES = 100       # fused statute candidates reordered, plus the question memory's own
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


@dataclass
class Candidates:
    """The rows a question's reranker sees and their feature matrix (one row each)."""
    rows: list[int]
    matrix: np.ndarray


def _shares(keys: list[str], weights: list[float]) -> dict[str, float]:
    total = sum(weights) or 1.0
    out: dict[str, float] = {}
    for key, weight in zip(keys, weights):
        if key:
            out[key] = out.get(key, 0.0) + weight / total
    return out


def _short(law_key: str) -> str:
    """The name a layperson writes: 劳动合同法 for law:劳动合同法@2012-12-28."""
    return law_key.split(":", 1)[-1].split("@", 1)[0]


def candidates(query: str, query_tokens: set[str], fused: list[tuple[int, float]],
               scores: dict[str, dict[int, float]], is_statute: np.ndarray, prior: np.ndarray, facts: UnitFacts,
               question_cites: np.ndarray, heading_tokens: Callable[[str], frozenset[str]]) -> Candidates:
    """Features of the first CANDIDATES fused statute units and of every unit the question memory scored."""
    rows = [row for row, _ in fused if is_statute[row]][:CANDIDATES]
    seen = set(rows)
    memory = scores.get("questions", {})
    rows += [row for row in sorted(memory, key=lambda r: -memory[r]) if row not in seen and is_statute[row]]
    fused_rank = {row: i for i, (row, _) in enumerate(fused)}
    ranks = {name: {row: i for i, row in enumerate(sorted(table, key=lambda r: -table[r]))}
             for name, table in scores.items()}
    tops = {name: max(table.values(), default=0.0) or 1.0 for name, table in scores.items()}
    head = rows[:HEAD]
    law_head = _shares([facts.law[r] for r in head], [1.0] * len(head))
    chapter_head = _shares([facts.chapter[r] for r in head], [1.0] * len(head))
    law_questions = _shares([facts.law[r] for r in memory], list(memory.values()))
    chapter_questions = _shares([facts.chapter[r] for r in memory], list(memory.values()))
    matrix = np.zeros((len(rows), len(FEATURES)), dtype=np.float32)
    for i, row in enumerate(rows):
        values: list[float] = []
        for name in SOURCES:
            value = scores.get(name, {}).get(row, 0.0)
            values += [value, value / tops.get(name, 1.0), ranks.get(name, {}).get(row, MISSING_RANK)]
        law, chapter = facts.law[row], facts.chapter[row]
        chapter_words = heading_tokens(chapter.split(" ", 1)[1]) if chapter else frozenset()
        values += [fused_rank.get(row, MISSING_RANK), float(prior[row]), math.log1p(float(facts.corpus_cites[row])),
                   math.log1p(float(question_cites[row])), law_head.get(law, 0.0), law_questions.get(law, 0.0),
                   chapter_head.get(chapter, 0.0), chapter_questions.get(chapter, 0.0),
                   float(bool(law) and _short(law) in query),
                   len(query_tokens & chapter_words) / max(len(chapter_words), 1),
                   math.log1p(float(facts.length[row])), float(len(query))]
        matrix[i] = values
    return Candidates(rows, matrix)


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
