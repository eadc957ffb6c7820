"""Fixtures over a module's `result` (an IngestResult each integration module builds its own way)."""
import pytest

from corpus.resolve import Resolver


@pytest.fixture(scope="module")
def docs(result) -> dict:
    return {d.doc_id: d for d in result.documents}


@pytest.fixture(scope="module")
def resolver(result) -> Resolver:
    return Resolver(result.documents)
