"""The default backend: bm25s and faiss in process, their files inside the build directory.

Publishing is the build directory's own symlink swap (indexer/layout.py), and pruning removes
old build directories with everything in them, so the builder has nothing to do for either.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.dense import DenseIndex
from indexer.filters import UnitTable
from indexer.lexical import LexicalIndex

LEXICAL_DIR = "lexical"
DENSE_FILE = "dense.faiss"


class LocalBuilder:
    def write(self, build: Path, unit_tokens: Sequence[list[str]], vectors: np.ndarray | None, table: UnitTable) -> dict:
        LexicalIndex.build(unit_tokens).save(build / LEXICAL_DIR)
        files = [LEXICAL_DIR]
        if vectors is not None:
            DenseIndex.build(vectors).save(build / DENSE_FILE)
            files.append(DENSE_FILE)
        return {"backend": "local", "lexical": "bm25s", "semantic": "faiss" if vectors is not None else None,
                "files": files}

    def publish(self, entry: dict) -> None:
        pass   # the build directory's symlink swap publishes these files

    def prune(self, keep: list[dict]) -> None:
        pass   # old build directories are removed whole, files and all


def open_local(build: Path, dense: bool) -> tuple[LexicalIndex, DenseIndex | None]:
    return LexicalIndex.load(build / LEXICAL_DIR), DenseIndex.load(build / DENSE_FILE) if dense else None
