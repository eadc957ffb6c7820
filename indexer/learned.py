"""The side of search learned from question → article pairs: the question memory
(indexer/questions.py) as a third retriever, the question's own word vectors for the dense side
(indexer/question_vectors.py), and the reranker (indexer/rerank.py) over a question's fused
candidates.

Trained by the build from the pairs it finds (../shared/training, STARD's train split) or is
given (`leian build --pairs FILE`), and per fold by eval/folds.py; an index built without pairs
has neither and searches as before.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from corpus.model import DOC_TYPES
from indexer.dense import StaticVectorsEncoder
from indexer.filters import Filters
from indexer.question_vectors import QuestionVectors
from indexer.questions import QUESTION_CHARS, Pair, QuestionMemory, resolve_targets
from indexer.retriever import Query, Selection
from indexer.rerank import RERANK_CHARS, Candidates, Reranker, UnitFacts, candidates, into_slots

if TYPE_CHECKING:
    from indexer.search import Searcher

TRAIN_QUERIES = 1500   # questions the reranker learns from (a sample when there are more: build time)
MIN_RERANK_QUERIES = 20   # fewer questions with their answer among the candidates teach a ranker nothing


@dataclass
class Learned:
    memory: QuestionMemory
    reranker: Reranker | None
    facts: UnitFacts
    is_statute: np.ndarray
    prior: np.ndarray
    tokenizer: object
    question_vectors: QuestionVectors | None = None
    leave_out: str | None = None            # eval and training: the question being asked must not find itself
    recorded: list[Candidates] | None = field(default=None, repr=False)   # training: each query's candidates

    def __post_init__(self) -> None:
        self.question_cites = np.zeros(len(self.is_statute), dtype=np.float32)
        for rows in self.memory.targets:
            self.question_cites[rows] += 1
        # one entry per chapter heading of the corpus (about 15k): bounded by the corpus
        self.heading_tokens = lru_cache(maxsize=None)(lambda text: frozenset(self.tokenizer.tokens(text)))

    @classmethod
    def load(cls, build: Path, searcher: "Searcher") -> "Learned | None":
        memory = QuestionMemory.load(build, searcher.table.row_of)
        if memory is None:
            return None
        return cls.of(searcher, memory, Reranker.load(build), QuestionVectors.load(build, searcher.encoder))

    @classmethod
    def of(cls, searcher: "Searcher", memory: QuestionMemory, reranker: Reranker | None,
           question_vectors: QuestionVectors | None = None) -> "Learned":
        facts = UnitFacts.load(searcher.corpus, searcher.table.unit_ids, searcher.table.groups)
        is_statute = np.isin(searcher.table.a["doc_type"], [DOC_TYPES.index("statute"), DOC_TYPES.index("rule")])
        return cls(memory, reranker, facts, is_statute, searcher.index.prior, searcher.tokenizer, question_vectors)

    def save(self, build: Path, unit_ids: list[str]) -> None:
        self.memory.save(build, unit_ids)
        if self.reranker is not None:
            self.reranker.save(build)
        if self.question_vectors is not None:
            self.question_vectors.save(build)

    def dense_query(self, query: Query) -> Query:
        """What the dense side searches with: for a question, its vector from the tuned word rows."""
        vectors = self.question_vectors
        if vectors is None or query.encode is None or len(query.text) > RERANK_CHARS:
            return query
        return Query(query.text, query.tokens, query.single_char_weight, query.term_limit,
                     lambda: vectors.encode_tokens(query.tokens))

    def retrieve(self, query: Query, selection: Selection, rankings: dict[str, list[int]],
                 scores: dict[str, dict[int, float]]) -> None:
        """Add the question memory's ranking and scores beside BM25's and the embedding's, for a
        question only: on case facts its articles also displaced cases from the deep end of the list
        (dev (c) facts → own holding, R@100 .940 → .934; README, "Real questions")."""
        if len(query.text) > RERANK_CHARS:
            return
        found = self.memory.score(query.tokens, query.vector, selection.mask, exclude=self.leave_out)
        if found:
            rankings["questions"] = sorted(found, key=lambda row: -found[row])
            scores["questions"] = found

    def reranks(self, query: Query) -> bool:
        """Whether the reranker orders this query's candidates (or, in training, records them)."""
        return len(query.text) <= RERANK_CHARS and (self.reranker is not None or self.recorded is not None)

    def rerank(self, query: Query, fused: list[tuple[int, float]],
               scores: dict[str, dict[int, float]]) -> list[tuple[int, float]]:
        if not self.reranks(query):
            return fused
        found = candidates(query.text, set(query.tokens), fused, scores, self.is_statute, self.prior, self.facts,
                           self._cites(), self.heading_tokens)
        if self.recorded is not None:
            self.recorded.append(found)
            return fused
        return into_slots(fused, self.reranker.order(found), self.is_statute)


    def _cites(self) -> np.ndarray:
        """How often the training questions cite each unit, less the question being asked."""
        position = self.memory.position.get(self.leave_out) if self.leave_out is not None else None
        if position is None:
            return self.question_cites
        cites = self.question_cites.copy()
        cites[self.memory.targets[position]] -= 1
        return cites


def resolver_of(searcher: "Searcher"):
    """Citation string → the unit id of the article it names (the current version), or None."""
    def resolve(text: str) -> str | None:
        res = searcher.resolver.resolve_text(text)
        if res is None or not res.found or res.status == "stub" or res.members:
            return None
        return res.current_unit_id or res.unit_id or None
    return resolve


def train(searcher: "Searcher", pairs: list[Pair], sample: int = TRAIN_QUERIES, seed: int = 0,
          tokenize: Callable[[str], list[str]] | None = None) -> tuple[Learned, dict]:
    """The memory over all pairs, the question vectors, and the reranker trained on (a sample
    of) the pairs' short questions, each searched with itself left out of the memory and with
    question vectors trained without the sample (then retrained on every pair for serving).
    `tokenize`: a cached tokenizer when the same pairs are trained on again (eval/folds.py)."""
    from indexer.search import SYSTEMS

    started = time.perf_counter()
    tokenize = tokenize or lru_cache(maxsize=None)(searcher.tokenizer.tokens)
    resolved = resolve_targets(pairs, resolver_of(searcher))
    memory = QuestionMemory.of(resolved, searcher.table.row_of, tokenize, searcher.encoder)
    short = [(p, units) for p, units in resolved if len(p.query) <= RERANK_CHARS]
    random.Random(seed).shuffle(short)
    short = short[:sample]
    sampled = {p.id for p, _ in short}
    train_vectors = _question_vectors_trainer(searcher, tokenize)
    learned = Learned.of(searcher, memory, None, train_vectors([r for r in resolved if r[0].id not in sampled]))
    learned.recorded = []
    saved, searcher.learned = searcher.learned, learned
    labels = []
    statutes = Filters(doc_types=("statute",), all_versions=True)
    try:
        for pair, units in short:
            learned.leave_out = pair.id
            before = len(learned.recorded)
            searcher.rank(pair.query, statutes, systems=SYSTEMS, pin=False)
            if len(learned.recorded) > before:
                gold = {searcher.table.groups[searcher.table.row_of[u]] for u in units if u in searcher.table.row_of}
                labels.append(np.array([searcher.table.groups[r] in gold for r in learned.recorded[-1].rows],
                                       dtype=np.float32))
    finally:
        searcher.learned = saved
    groups, learned.recorded, learned.leave_out = learned.recorded, None, None
    if sum(1 for y in labels if y.any() and len(y) > 1) >= MIN_RERANK_QUERIES:
        learned.reranker = Reranker.train(groups, labels)
    learned.question_vectors = train_vectors(resolved)
    return learned, {"pairs": len(pairs), "resolved": len(resolved), "rerank_queries": len(groups),
                     "reranker": learned.reranker is not None,
                     "question_words": len(learned.question_vectors.words) if learned.question_vectors else 0,
                     "train_s": round(time.perf_counter() - started, 1)}


def _question_vectors_trainer(searcher: "Searcher", tokenize: Callable[[str], list[str]]
                              ) -> Callable[[list[tuple[Pair, list[str]]]], QuestionVectors | None]:
    """Trains question vectors on resolved pairs (an encoder that reads raw text has no word rows
    to tune: none). Each cited article is answered by any of its versions."""
    if not isinstance(searcher.encoder, StaticVectorsEncoder):
        return lambda resolved: None
    table = searcher.table
    by_group: dict[str, list[int]] = {}
    for row, group in enumerate(table.groups):
        by_group.setdefault(group, []).append(row)
    unit_vectors = searcher.semantic.vectors(np.arange(len(table.unit_ids), dtype=np.int64))

    def trained(resolved: list[tuple[Pair, list[str]]]) -> QuestionVectors | None:
        answers = [np.asarray(sorted({r for u in units if u in table.row_of for r in by_group[table.groups[table.row_of[u]]]}),
                              dtype=np.int64) for _, units in resolved]
        return QuestionVectors.train(searcher.encoder, [tokenize(p.query[:QUESTION_CHARS]) for p, _ in resolved],
                                     answers, unit_vectors)
    return trained


def train_into(build: Path, pair_files: list[Path]) -> dict | None:
    """Train the learned side from the pair files into a build (before it is published): None
    without pairs; an index without an embedding model gets none either (the memory needs one)."""
    from indexer.questions import read_pairs
    from indexer.search import Searcher

    pairs = read_pairs(pair_files)
    if not pairs:
        return None
    searcher = Searcher(build)
    if searcher.encoder is None:
        return {"skipped": "no embedding model (built with --no-dense)"}
    if not resolve_targets(pairs, resolver_of(searcher)):   # e.g. a corpus of judgments alone
        return {"skipped": "none of the pairs' articles is in this corpus", "files": [str(p) for p in pair_files]}
    learned, info = train(searcher, pairs)
    learned.save(build, searcher.table.unit_ids)
    return {**info, "files": [str(p) for p in pair_files]}
