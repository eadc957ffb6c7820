"""A build's tokens as ids: the same tokens, in the same order, and the same BM25 index as lists of strings."""
import numpy as np
import pytest

import indexer.unit_tokens as unit_tokens
from corpus.ingest import ingest
from indexer.lexical import TITLE_WEIGHT, LexicalIndex
from indexer.tokenize import Tokenizer
from indexer.unit_tokens import Ragged, TokensById, UnitTokens


@pytest.fixture(scope="module")
def docs(tiny_corpus):
    return ingest([tiny_corpus], workers=1).documents


def _plain(docs, weight):
    """What the build indexed before ids: every unit's tokens as strings, title and keywords first."""
    tokenizer = Tokenizer(None)
    return [tokenizer.tokens(f"{d.title} {' '.join(d.keywords)}") * weight
            + tokenizer.tokens(f"{u.heading} {u.label} {u.text}") for d in docs for u in d.units]


def test_ids_give_back_each_units_tokens(docs, tmp_path):
    tokens = UnitTokens.of(docs, tmp_path / "none.txt", 1, None)
    assert list(tokens.lexical()) == _plain(docs, TITLE_WEIGHT)
    assert list(tokens.dense()) == _plain(docs, 1)
    assert len(tokens.lexical()) == sum(len(d.units) for d in docs)


def test_processes_keep_the_order_of_the_texts(docs, tmp_path, monkeypatch):
    monkeypatch.setattr(unit_tokens, "CHUNK_TEXTS", 3)   # many small tasks, several in flight at once
    seen = []
    tokens = UnitTokens.of(docs, tmp_path / "none.txt", 2, lambda stage, done, total: seen.append((done, total)))
    assert list(tokens.lexical()) == _plain(docs, TITLE_WEIGHT)
    n_units = sum(len(d.units) for d in docs)
    assert seen[0] == (0, n_units) and seen[-1] == (n_units, n_units)


def test_bm25_from_ids_scores_as_bm25_from_strings(docs, tmp_path):
    lists = UnitTokens.of(docs, tmp_path / "none.txt", 1, None).lexical()
    from_ids, from_strings = LexicalIndex.build(lists), LexicalIndex.build(list(lists))
    assert from_ids.stats.vocab.keys() == from_strings.stats.vocab.keys()
    for query in (["矿产资源", "许可证"], ["盗窃", "数额"], ["公益诉讼", "生态"], ["不存在的词"]):
        np.testing.assert_array_equal(from_ids.scores_and_coverage(query)[0],
                                      from_strings.scores_and_coverage(query)[0])


def test_ragged_lists_and_the_unit_map():
    ragged = Ragged([[3, 1], [], [2]])
    assert len(ragged) == 3 and ragged[0].tolist() == [3, 1] and ragged[1].tolist() == [] and ragged[2].tolist() == [2]
    by_id = TokensById(["a", "b"], [["x"], ["y", "z"]])
    assert by_id["b"] == ["y", "z"] and by_id.get("c") is None and list(by_id) == ["a", "b"]
