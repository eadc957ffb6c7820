"""Every unit's tokens for one build, kept as int32 ids over one vocabulary.

BM25, pair mining and encoding all read the same tokens, so a build computes them once. Kept as
lists of Python strings they cost ~80 bytes a token (a string object each, as they come back from
the tokenising processes): 10,340 judgments took 3.6 GB of a 5.1 GB build. As ids they cost 4 bytes,
and a reader gets one unit's list of strings at a time, whose strings are the vocabulary's own.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from corpus.model import Document
from indexer.lexical import TITLE_WEIGHT
from indexer.tokenize import init_worker, tokenize_batch

Progress = Callable[[str, int, int], None]   # (stage, done, total)
CHUNK_TEXTS = 2000    # texts per task sent to a tokenising process (articles: short)
CHUNK_CHARS = 500_000 # and characters per task (judgments: long)
IN_FLIGHT = 2         # tasks queued per process: texts are read as they are tokenised, not all at once


class Vocabulary:
    def __init__(self) -> None:
        self.words: list[str] = []
        self.index: dict[str, int] = {}

    def ids(self, tokens: list[str]) -> list[int]:
        index, out = self.index, []
        for token in tokens:
            i = index.get(token)
            if i is None:
                i = index[token] = len(self.words)
                self.words.append(token)
            out.append(i)
        return out


class Ragged:
    """Lists of ids packed in one array: list i is flat[starts[i]:starts[i + 1]]."""

    def __init__(self, lists: Iterable[list[int]]):
        lengths, parts, flat = [0], [], []
        for ids in lists:
            lengths.append(len(ids))
            flat.extend(ids)
            if len(flat) >= 1 << 20:   # a list of Python ints costs 36 bytes an id: pack as it grows
                parts.append(np.asarray(flat, dtype=np.int32))
                flat = []
        parts.append(np.asarray(flat, dtype=np.int32))
        self.flat = np.concatenate(parts)
        self.starts = np.cumsum(lengths, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> np.ndarray:
        return self.flat[self.starts[i]:self.starts[i + 1]]


class UnitTokens:
    """`heads`: each document's title and keywords (documents with units only, so every word of
    the vocabulary is in some unit); `bodies`: each unit's heading, label and text."""

    def __init__(self, vocabulary: Vocabulary, heads: Ragged, bodies: Ragged, head_of: np.ndarray):
        self.vocabulary, self.heads, self.bodies, self.head_of = vocabulary, heads, bodies, head_of

    @classmethod
    def of(cls, docs: list[Document], userdict: Path, workers: int, progress: Progress | None) -> "UnitTokens":
        with_units = [d for d in docs if d.units]
        vocabulary = Vocabulary()
        heads = Ragged(map(vocabulary.ids, tokenize_all(
            [f"{d.title} {' '.join(d.keywords)}" for d in with_units], len(with_units), userdict, 1, None)))
        n_units = sum(len(d.units) for d in with_units)
        bodies = Ragged(map(vocabulary.ids, tokenize_all(
            (f"{u.heading} {u.label} {u.text}" for d in with_units for u in d.units), n_units, userdict, workers,
            progress)))
        head_of = np.repeat(np.arange(len(with_units)), [len(d.units) for d in with_units])
        return cls(vocabulary, heads, bodies, head_of)

    def ids(self, unit: int, title_weight: int) -> np.ndarray:
        head = self.heads[int(self.head_of[unit])]
        return np.concatenate([head] * title_weight + [self.bodies[unit]])

    def lexical(self) -> "TokenLists":
        """Field weighting by repetition: title and keywords TITLE_WEIGHT times, then the unit."""
        return TokenLists(self, TITLE_WEIGHT)

    def dense(self) -> "TokenLists":
        return TokenLists(self, 1)


class TokenLists(Sequence):
    """Each unit's tokens as a list of strings, made when read. `ids` and `vocab` let bm25s index the
    ids directly (its Tokenized form) instead of making a second copy of every token."""

    def __init__(self, tokens: UnitTokens, title_weight: int):
        self._tokens, self._weight = tokens, title_weight

    @property
    def vocab(self) -> dict[str, int]:
        return dict(self._tokens.vocabulary.index)   # a copy: bm25s adds its empty token to the one it gets

    def __len__(self) -> int:
        return len(self._tokens.bodies)

    def __getitem__(self, unit: int) -> list[str]:
        words = self._tokens.vocabulary.words
        return [words[i] for i in self._tokens.ids(unit, self._weight).tolist()]

    def __iter__(self) -> Iterator[list[str]]:
        return (self[i] for i in range(len(self)))

    @property
    def ids(self) -> "_IdLists":
        return _IdLists(self._tokens, self._weight)


class _IdLists(Sequence):
    def __init__(self, tokens: UnitTokens, title_weight: int):
        self._tokens, self._weight = tokens, title_weight

    def __len__(self) -> int:
        return len(self._tokens.bodies)

    def __getitem__(self, unit: int) -> list[int]:
        return self._tokens.ids(unit, self._weight).tolist()

    def __iter__(self) -> Iterator[list[int]]:
        return (self[i] for i in range(len(self)))


class TokensById(Mapping):
    """unit id → its tokens, for the pair miner, which reads a few units of the many."""

    def __init__(self, unit_ids: list[str], lists: Sequence):
        self._row = {uid: i for i, uid in enumerate(unit_ids)}
        self._lists = lists

    def __getitem__(self, unit_id: str) -> list[str]:
        return self._lists[self._row[unit_id]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)


def tokenize_all(texts: Iterable[str], total: int, userdict: Path, workers: int,
                 progress: Progress | None) -> Iterator[list[str]]:
    """The texts' tokens in order, with at most IN_FLIGHT chunks per process waiting, so neither
    the texts nor their tokens are all held at once."""
    done = 0

    def finished(joined: list[str]) -> Iterator[list[str]]:
        nonlocal done
        done += len(joined)
        if progress:
            progress("tokenize", done, total)
        return (line.split(" ") if line else [] for line in joined)

    if progress:
        progress("tokenize", 0, total)
    if workers > 1 and total > CHUNK_TEXTS:
        with ProcessPoolExecutor(workers, initializer=init_worker, initargs=(userdict,)) as pool:
            pending: deque[Future] = deque()
            for chunk in _chunks(texts):
                pending.append(pool.submit(tokenize_batch, chunk))
                if len(pending) >= workers * IN_FLIGHT:
                    yield from finished(pending.popleft().result())
            while pending:
                yield from finished(pending.popleft().result())
        return
    init_worker(userdict)
    for chunk in _chunks(texts):
        yield from finished(tokenize_batch(chunk))


def _chunks(texts: Iterable[str]) -> Iterator[list[str]]:
    """Up to CHUNK_TEXTS texts and CHUNK_CHARS characters: 2,000 judgments would be 8 M characters."""
    chunk: list[str] = []
    chars = 0
    for text in texts:
        chunk.append(text)
        chars += len(text)
        if len(chunk) == CHUNK_TEXTS or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk
