"""Shared fixtures: a tiny made-up corpus and one index built from it per test session."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tiny_corpus import write_tiny_corpus  # noqa: E402

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory) -> Path:
    return write_tiny_corpus(tmp_path_factory.mktemp("corpus") / "corpus")


@pytest.fixture(scope="session")
def tiny_index(tiny_corpus, tmp_path_factory) -> Path:
    """Index root of the tiny corpus, with a (tiny) trained dense model."""
    from indexer.build import BuildConfig, build

    root = tmp_path_factory.mktemp("index")
    build(BuildConfig(corpus_roots=[tiny_corpus], index_root=root, workers=1))
    return root


@pytest.fixture(scope="session")
def searcher(tiny_index):
    from indexer.search import Searcher

    return Searcher.open(tiny_index)
