"""Every unit's tokens for one build, kept as int32 ids over one vocabulary.

BM25, pair mining and encoding all read the same tokens, so a build computes them once. Kept as
lists of Python strings they cost ~80 bytes a token (a string object each, as they come back from
the tokenising processes): 10,340 judgments took 3.6 GB of a 5.1 GB build. As ids they cost 4 bytes,
and a reader gets one unit's list of strings at a time, whose strings are the vocabulary's own.
"""
from __future__ import annotations

import zipfile
import zlib
from array import array
from dataclasses import dataclass
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from corpus.model import Document, Unit
from corpus.parallel import ordered_map
from indexer.lexical import TITLE_WEIGHT
from indexer.tokenize import fingerprint, init_worker, tokenize_batch

Progress = Callable[[str, int, int], None]   # (stage, done, total)
FILE = "tokens.npz"          # each unit's tokens as ids, and the CRC-32 of the text they came from
VOCAB_FILE = "tokens.txt"    # the ids' words, one a line
CHUNK_TEXTS = 2000    # texts per task sent to a tokenising process (articles: short)
CHUNK_CHARS = 500_000 # and characters per task (judgments: long)
IN_FLIGHT = 2         # tasks queued per process: texts are read as they are tokenised, not all at once
# ids gathered per part while tokenising (32 MB): above glibc's largest mmap threshold, so each part's
# memory goes back to the system once the part is copied into the one array
PART_IDS = 1 << 23


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
        lengths, parts = array("q", [0]), []
        buffer, used = np.empty(PART_IDS, dtype=np.int32), 0
        for ids in lists:
            if used + len(ids) > len(buffer):
                parts.append(buffer[:used])
                buffer, used = np.empty(max(PART_IDS, len(ids)), dtype=np.int32), 0
            buffer[used:used + len(ids)] = ids
            used += len(ids)
            lengths.append(len(ids))
        parts.append(buffer[:used])
        del buffer
        self.starts = np.cumsum(np.frombuffer(lengths, dtype=np.int64))
        # part by part, each given back once copied: np.concatenate would hold every id twice at its peak
        self.flat = np.empty(int(self.starts[-1]), dtype=np.int32)
        parts.reverse()
        at = 0
        while parts:
            part = parts.pop()
            self.flat[at:at + len(part)] = part
            at += len(part)
            del part

    @classmethod
    def of_arrays(cls, flat: np.ndarray, starts: np.ndarray) -> "Ragged":
        ragged = cls.__new__(cls)
        ragged.flat, ragged.starts = flat, starts
        return ragged

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> np.ndarray:
        return self.flat[self.starts[i]:self.starts[i + 1]]


class UnitTokens:
    """`heads`: each document's title and keywords (documents with units only, so every word of
    the vocabulary is in some unit); `bodies`: each unit's heading, label and text; `checks`: the
    CRC-32 of that text, which tells `leian add` whose tokens it can take from the last build."""

    def __init__(self, vocabulary: Vocabulary, heads: Ragged, bodies: Ragged, head_of: np.ndarray,
                 checks: np.ndarray):
        self.vocabulary, self.heads, self.bodies, self.head_of, self.checks = vocabulary, heads, bodies, head_of, checks

    @classmethod
    def of(cls, docs: Iterable[Document], userdict: Path, workers: int, progress: Progress | None,
           previous: "SavedTokens | None" = None) -> "UnitTokens":
        """`docs` is read twice, a document at a time (a DocumentSet reads judgments back from disk).
        `previous`: the last build's tokens (SavedTokens.load); a unit whose text they came from
        (same unit id and CRC) is not tokenised again."""
        vocabulary = Vocabulary()
        counts, checks, old_rows = array("q"), array("I"), array("q")

        def heads() -> Iterator[str]:
            for doc in docs:
                if doc.units:
                    counts.append(len(doc.units))
                    for unit in doc.units:
                        checks.append(zlib.crc32(_body(unit).encode()))
                        old_rows.append(previous.row_for(unit.unit_id, checks[-1]) if previous is not None else -1)
                    yield f"{doc.title} {' '.join(doc.keywords)}"

        head_ids = Ragged(map(vocabulary.ids, tokenize_all(heads(), 0, userdict, 1, None)))
        rows = np.frombuffer(old_rows, dtype=np.int64)
        todo = (_body(unit) for doc in docs for unit in doc.units)
        fresh = tokenize_all((text for text, r in zip(todo, old_rows) if r < 0), int((rows < 0).sum()),
                             userdict, workers, progress)
        if previous is not None:
            moved = np.full(len(previous.words), -1, dtype=np.int64)   # its ids → ids of this vocabulary
            bodies = Ragged(vocabulary.ids(next(fresh)) if r < 0 else previous.ids_in(r, moved, vocabulary)
                            for r in old_rows)
        else:
            bodies = Ragged(map(vocabulary.ids, fresh))
        head_of = np.repeat(np.arange(len(counts)), np.frombuffer(counts, dtype=np.int64))
        return cls(vocabulary, head_ids, bodies, head_of, np.frombuffer(checks, dtype=np.uint32).copy())

    def save(self, build: Path, userdict: Path) -> None:
        np.savez_compressed(build / FILE, flat=self.bodies.flat, starts=self.bodies.starts, checks=self.checks,
                            fingerprint=np.array(fingerprint(userdict)))
        # one word a line: no token holds whitespace
        (build / VOCAB_FILE).write_text("\n".join(self.vocabulary.words), encoding="utf-8")

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


def _body(unit: Unit) -> str:
    return f"{unit.heading} {unit.label} {unit.text}"


@dataclass
class SavedTokens:
    """The units' tokens a build saved (not its heads: titles are short, and tokenised again)."""
    words: list[str]
    bodies: Ragged
    checks: np.ndarray
    unit_ids: list[str]

    @classmethod
    def load(cls, build: Path, unit_ids: list[str], userdict: Path) -> "SavedTokens | None":
        """None for a build from before tokens were saved, one whose saved tokens are damaged or do not
        match its units (they are only a cache: the texts are tokenised again), or whose texts split
        otherwise than with `userdict` (another user dictionary, stopword list or jieba)."""
        try:
            with np.load(build / FILE) as saved:
                if str(saved["fingerprint"]) != fingerprint(userdict):
                    return None
                bodies, checks = Ragged.of_arrays(saved["flat"], saved["starts"]), saved["checks"]
            words = (build / VOCAB_FILE).read_text(encoding="utf-8").split("\n")
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None
        fits = (len(bodies) == len(checks) == len(unit_ids) and bodies.starts[-1] == len(bodies.flat)
                and (not len(bodies.flat) or int(bodies.flat.max()) < len(words)))
        return cls(words, bodies, checks, unit_ids) if fits else None

    @cached_property
    def _row_of(self) -> dict[str, int]:
        return {uid: i for i, uid in enumerate(self.unit_ids)}

    def row_for(self, unit_id: str, check: int) -> int:
        """The unit's row here when its text is the one tokenised then, else -1."""
        row = self._row_of.get(unit_id, -1)
        return row if row >= 0 and int(self.checks[row]) == check else -1

    def ids_in(self, row: int, moved: np.ndarray, vocabulary: Vocabulary) -> list[int]:
        """A unit's ids in another vocabulary; a word joins it when a unit first uses it there."""
        old = self.bodies[row]
        for j in np.unique(old[moved[old] < 0]).tolist():
            moved[j] = vocabulary.ids([self.words[j]])[0]
        return moved[old].tolist()


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
            for joined in ordered_map(pool, tokenize_batch, _chunks(texts), workers * IN_FLIGHT):
                yield from finished(joined)
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
