"""bm25s scores must agree with the rank_bm25 reference, as bm25s's own tests check."""
import math

import bm25s
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from indexer.lexical import LexicalIndex, StreamingBM25, top_k
from indexer.filters import Filters
from indexer.retriever import Query, Selection
from indexer.termstats import LONG_QUERY_TERMS, SINGLE_CHAR_WEIGHT, TermStats

def scores(index: LexicalIndex, tokens: list[str]) -> np.ndarray:
    return index.scores_and_coverage(tokens)[0]


DOCS = [
    ["矿产资源", "国家", "所有", "开采", "许可证"],
    ["检察院", "公益诉讼", "生态", "修复", "矿区"],
    ["盗窃", "公私", "财物", "数额", "较大"],
    ["非法", "采矿", "许可证", "矿产资源", "破坏"],
    ["合同", "违约", "赔偿", "损失"],
    ["环境", "污染", "生态", "损害", "赔偿"],
]


@pytest.mark.parametrize("query", [["矿产资源", "许可证"], ["生态", "赔偿"], ["盗窃"], ["不存在"]])
def test_scores_match_rank_bm25(query):
    # Robertson idf with Okapi tf is what BM25Okapi computes; the terms here appear in under
    # half the documents, where rank_bm25's epsilon floor does not apply. bm25s leaves out
    # the constant (k1 + 1) numerator factor, which scales every score alike.
    k1 = 1.5
    ours = scores(LexicalIndex.build(DOCS, method="robertson", k1=k1, b=0.75), query)
    reference = BM25Okapi(DOCS, k1=k1, b=0.75).get_scores(query)
    np.testing.assert_allclose(ours * (k1 + 1), reference, rtol=1e-5, atol=1e-6)


def test_search_respects_mask_and_order():
    index = LexicalIndex.build(DOCS)
    query = Query("矿产资源 许可证", ["矿产资源", "许可证"])
    rows, found = index.search(query, 5, Selection(Filters(), None))
    assert list(rows[:2]) and set(rows[:2]) == {0, 3}
    assert all(found[i] >= found[i + 1] for i in range(len(found) - 1))
    mask = np.ones(len(DOCS), dtype=bool)
    mask[0] = False
    rows, _ = index.search(query, 5, Selection(Filters(), mask))
    assert 0 not in rows and rows[0] == 3


def test_save_load_roundtrip(tmp_path):
    index = LexicalIndex.build(DOCS)
    index.save(tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    np.testing.assert_allclose(scores(loaded, ["生态", "修复"]), scores(index, ["生态", "修复"]))
    assert loaded.stats.document_frequency("生态") == 2
    assert loaded.stats.document_frequency("没有") == 0


def test_long_query_keeps_distinctive_terms():
    docs = [[f"w{i}", "常见"] for i in range(200)]
    index = LexicalIndex.build(docs)
    query = ["常见"] * 50 + [f"w{i}" for i in range(LONG_QUERY_TERMS + 20)]
    terms = index.stats.query_terms(query)
    assert len(terms) == LONG_QUERY_TERMS
    assert "常见" not in terms   # in every unit: the least distinctive term goes first


def test_top_k_drops_zero_scores():
    rows, scores = top_k(np.array([0.0, 2.0, 0.0, 1.0]), 10)
    assert list(rows) == [1, 3] and list(scores) == [2.0, 1.0]


def test_single_characters_count_less_than_words():
    """钱 in 钱某 (a surname) must not outrank 借款 in a query about a loan."""
    docs = [["钱", "某", "殴打"], ["借款", "返还", "期限"], ["合同"]]
    index = LexicalIndex.build(docs)
    found = scores(index, ["借款", "钱"])
    assert found[1] > found[0] > 0
    np.testing.assert_allclose(found[0], SINGLE_CHAR_WEIGHT * index._bm25.get_scores(["钱"])[0], rtol=1e-5)


def test_coverage_is_the_share_of_the_query_matched():
    index = LexicalIndex.build(DOCS)
    _, coverage = index.scores_and_coverage(["矿产资源", "许可证"])
    assert coverage[0] == pytest.approx(1.0) and coverage[3] == pytest.approx(1.0)
    assert coverage[2] == 0.0
    _, coverage = index.scores_and_coverage(["矿产资源", "火星人"])   # a word no unit holds still counts
    assert 0 < coverage[0] < 0.5
    _, coverage = index.scores_and_coverage(["火星人"])
    assert not coverage.any()


def test_a_query_is_unanswerable_only_when_all_its_words_are_unknown():
    index = LexicalIndex.build([["醉", "驾", "危险驾驶"], ["采矿", "许可证"]])
    assert index.stats.answerable(["醉", "驾"])              # jieba splits 醉驾 into known characters
    assert index.stats.answerable(["asdfqwer", "采矿"])
    assert not index.stats.answerable(["asdfqwer", "火星人", "火"])


def test_term_statistics_from_tokens_match_the_index():
    """A backend without bm25s's matrix (Milvus) weighs queries from TermStats.of_tokens: the same
    document frequencies, and the same coverage from each unit's set of terms."""
    index = LexicalIndex.build(DOCS)
    stats = TermStats.of_tokens(DOCS)
    for term in ("生态", "矿产资源", "没有"):
        assert stats.document_frequency(term) == index.stats.document_frequency(term)
    query = ["矿产资源", "赔偿", "火星人", "生"]
    weights = stats.term_weights(query)
    np.testing.assert_allclose(stats.coverage(query, weights, [set(d) for d in DOCS]),
                               index.scores_and_coverage(query)[1], rtol=1e-5)


def test_whole_facts_weigh_a_term_by_how_often_they_name_it():
    """Case-to-case search (no term limit) counts 赔偿 named three times 1 + ln 3 times; a question or
    a long query cut to its best terms counts each term once."""
    index = LexicalIndex.build(DOCS)
    facts = ["赔偿", "生态", "赔偿", "损害", "赔偿"]
    weights = index.stats.term_weights(facts, 1.0, None)
    assert weights["赔偿"] == pytest.approx(1 + math.log(3)) and weights["生态"] == 1.0
    assert index.stats.term_weights(facts, 1.0, LONG_QUERY_TERMS)["赔偿"] == 1.0
    # the document that holds the repeated term gains on the one that holds another query term
    once = index.scores_and_coverage(facts, 1.0, LONG_QUERY_TERMS)[0]
    weighted = index.scores_and_coverage(facts, 1.0, None)[0]
    assert weighted[4] / weighted[1] > once[4] / once[1]   # 合同违约赔偿 against 公益诉讼生态修复


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire", "bm25l", "bm25+"])
def test_the_streaming_build_makes_the_matrix_bm25s_makes(method):
    rng = np.random.default_rng(7)
    docs = [rng.integers(0, 40, size=rng.integers(0, 30)).tolist() for _ in range(200)]   # repeats, empty units
    docs[5] = []
    vocab = {f"t{i}": i for i in range(45)}   # five terms no unit uses
    ours = StreamingBM25(method=method)
    theirs = bm25s.BM25(method=method)
    ours.index((docs, dict(vocab)), show_progress=False)   # bm25s adds its empty token to the dict it is given
    theirs.index((docs, dict(vocab)), show_progress=False)
    for key in ("data", "indices", "indptr"):
        assert ours.scores[key].dtype == theirs.scores[key].dtype
        np.testing.assert_array_equal(ours.scores[key], theirs.scores[key])
    assert ours.scores["num_docs"] == theirs.scores["num_docs"] and ours.vocab_dict == theirs.vocab_dict
    if method in ("bm25l", "bm25+"):
        np.testing.assert_array_equal(ours.nonoccurrence_array, theirs.nonoccurrence_array)
