"""Questions that cite an article, as evidence for it: a question memory.

A layperson rarely uses the provision's words (朋友借钱不还 vs 借款人未按照约定的期限返还借款),
but others asked nearly the same thing before and the articles their answers cited are known
(consultations, criminal case facts, STARD). A query is matched against those questions — BM25
over their tokens and the cosine of their embedding vectors — and each article scores the
similarity of the questions that cite it. Only pairs the build was given reach the memory, so a
benchmark's scored fold never lends its questions to the articles it is scored on (eval/folds.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from indexer.dense import Encoder
from indexer.lexical import LexicalIndex

FILE = "questions.json"
VECTORS = "questions.npy"
LEXICAL_DIR = "questions-bm25"
NEIGHBOURS = 60       # questions a query draws on
LEXICAL_SHARE = 0.5   # weight of BM25 (scaled by the best question) beside the cosine
QUESTION_CHARS = 300  # a long case-facts question keeps its opening, where the acts are told (and jieba's time)


@dataclass
class Pair:
    """One training question and the citation strings its answer cites, as in a benchmark line."""
    id: str
    query: str
    relevant: list[str]


def read_pairs(paths: list[Path]) -> list[Pair]:
    """Pairs from `leian eval`-format JSONL files; lines without a query or citations are skipped."""
    out: list[Pair] = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                try:
                    data = json.loads(line)
                except ValueError:
                    continue
                if isinstance(data, dict) and data.get("query") and data.get("relevant"):
                    out.append(Pair(str(data.get("id") or f"{path.stem}:{number}"), str(data["query"]),
                                    [str(r) for r in data["relevant"]]))
    return out


def default_pair_files(corpus_roots: list[Path]) -> list[Path]:
    """../shared/training/*.jsonl and ../shared/benchmarks/stard-train.jsonl beside a corpus dir
    (the shared layout: shared/corpus, shared/training, shared/benchmarks); none when absent."""
    found: list[Path] = []
    for root in corpus_roots:
        shared = Path(root).resolve().parent
        found += sorted((shared / "training").glob("*.jsonl"))
        found += [p for p in [shared / "benchmarks" / "stard-train.jsonl"] if p.is_file()]
    return list(dict.fromkeys(found))


def resolve_targets(pairs: list[Pair], resolve: Callable[[str], str | None]) -> list[tuple[Pair, list[str]]]:
    """Each pair with the unit ids its citations resolve to (the current version); pairs none of
    whose citations resolve are left out."""
    out = []
    for pair in pairs:
        units = list(dict.fromkeys(u for u in map(resolve, pair.relevant) if u))
        if units:
            out.append((pair, units))
    return out


class QuestionMemory:
    """Training questions (tokens, vector) → the unit rows they cite."""

    def __init__(self, ids: list[str], lexical: LexicalIndex, targets: list[list[int]], vectors: np.ndarray):
        self.ids = ids
        self.lexical = lexical
        self.targets = targets
        self.vectors = vectors
        self.position = {qid: i for i, qid in enumerate(ids)}

    @classmethod
    def of(cls, pairs: list[tuple[Pair, list[str]]], row_of: dict[str, int], tokenize: Callable[[str], list[str]],
           encoder: Encoder) -> "QuestionMemory":
        ids = [p.id for p, _ in pairs]
        tokens = [tokenize(p.query[:QUESTION_CHARS]) for p, _ in pairs]
        targets = [[row_of[u] for u in units if u in row_of] for _, units in pairs]
        return cls(ids, LexicalIndex.build(tokens), targets, encoder.encode_tokens(tokens) if encoder.presegmented
                   else encoder.encode([p.query for p, _ in pairs]))

    def save(self, build: Path, unit_ids: list[str]) -> None:
        """Targets as unit ids: rows change when `leian add` grows the index. The questions' BM25
        index is saved as built (rebuilding it cost a server or `leian cite` 1.4 s at every start)."""
        targets = [[unit_ids[row] for row in rows] for rows in self.targets]
        (build / FILE).write_text(json.dumps({"ids": self.ids, "targets": targets}, ensure_ascii=False),
                                  encoding="utf-8")
        np.save(build / VECTORS, self.vectors)
        self.lexical.save(build / LEXICAL_DIR)

    @classmethod
    def load(cls, build: Path, row_of: dict[str, int]) -> "QuestionMemory | None":
        if not (build / FILE).exists():
            return None
        data = json.loads((build / FILE).read_text(encoding="utf-8"))
        targets = [[row_of[u] for u in units if u in row_of] for units in data["targets"]]
        return cls(data["ids"], LexicalIndex.load(build / LEXICAL_DIR), targets, np.load(build / VECTORS))

    def __len__(self) -> int:
        return len(self.ids)

    def neighbours(self, tokens: list[str], vector: np.ndarray | None, k: int = NEIGHBOURS,
                   exclude: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(question positions, similarity) of the k most similar questions, best first; `exclude`
        leaves one question out (a training query must not find itself)."""
        if not len(self):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        lexical = self.lexical.scores_and_coverage(tokens)[0].astype(np.float32)
        top = float(lexical.max())
        sim = LEXICAL_SHARE * lexical / top if top > 0 else np.zeros(len(self), dtype=np.float32)
        if vector is not None:
            sim = sim + self.vectors @ vector
        if exclude is not None and exclude in self.position:
            sim[self.position[exclude]] = -np.inf
        k = min(k, len(self))
        rows = np.argpartition(-sim, k - 1)[:k]
        rows = rows[np.argsort(-sim[rows], kind="stable")]
        keep = np.isfinite(sim[rows]) & (sim[rows] > 0)
        return rows[keep], sim[rows][keep]

    def score(self, tokens: list[str], vector: np.ndarray | None, mask: np.ndarray | None = None,
              exclude: str | None = None) -> dict[int, float]:
        """Unit row → the summed similarity of the neighbouring questions that cite it."""
        positions, sims = self.neighbours(tokens, vector, exclude=exclude)
        out: dict[int, float] = {}
        for position, sim in zip(positions.tolist(), sims.tolist()):
            for row in self.targets[position]:
                if mask is None or mask[row]:
                    out[row] = out.get(row, 0.0) + sim
        return out
