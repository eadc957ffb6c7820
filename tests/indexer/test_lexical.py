"""bm25s scores must agree with the rank_bm25 reference, as bm25s's own tests check."""
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from indexer.lexical import LONG_QUERY_TERMS, SINGLE_CHAR_WEIGHT, LexicalIndex, top_k

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
    ours = LexicalIndex.build(DOCS, method="robertson", k1=k1, b=0.75).scores(query)
    reference = BM25Okapi(DOCS, k1=k1, b=0.75).get_scores(query)
    np.testing.assert_allclose(ours * (k1 + 1), reference, rtol=1e-5, atol=1e-6)


def test_search_respects_mask_and_order():
    index = LexicalIndex.build(DOCS)
    rows, scores, _ = index.search(["矿产资源", "许可证"], k=5)
    assert list(rows[:2]) and set(rows[:2]) == {0, 3}
    assert all(scores[i] >= scores[i + 1] for i in range(len(scores) - 1))
    mask = np.ones(len(DOCS), dtype=bool)
    mask[0] = False
    rows, _, _ = index.search(["矿产资源", "许可证"], k=5, mask=mask)
    assert 0 not in rows and rows[0] == 3


def test_save_load_roundtrip(tmp_path):
    index = LexicalIndex.build(DOCS)
    index.save(tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    np.testing.assert_allclose(loaded.scores(["生态", "修复"]), index.scores(["生态", "修复"]))
    assert loaded.document_frequency("生态") == 2
    assert loaded.document_frequency("没有") == 0


def test_long_query_keeps_distinctive_terms():
    docs = [[f"w{i}", "常见"] for i in range(200)]
    index = LexicalIndex.build(docs)
    query = ["常见"] * 50 + [f"w{i}" for i in range(LONG_QUERY_TERMS + 20)]
    terms = index.query_terms(query)
    assert len(terms) == LONG_QUERY_TERMS
    assert "常见" not in terms   # in every unit: the least distinctive term goes first


def test_top_k_drops_zero_scores():
    rows, scores = top_k(np.array([0.0, 2.0, 0.0, 1.0]), 10)
    assert list(rows) == [1, 3] and list(scores) == [2.0, 1.0]


def test_single_characters_count_less_than_words():
    """钱 in 钱某 (a surname) must not outrank 借款 in a query about a loan."""
    docs = [["钱", "某", "殴打"], ["借款", "返还", "期限"], ["合同"]]
    index = LexicalIndex.build(docs)
    scores = index.scores(["借款", "钱"])
    assert scores[1] > scores[0] > 0
    np.testing.assert_allclose(scores[0], SINGLE_CHAR_WEIGHT * index._bm25.get_scores(["钱"])[0], rtol=1e-5)


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
    assert index.answerable(["醉", "驾"])              # jieba splits 醉驾 into known characters
    assert index.answerable(["asdfqwer", "采矿"])
    assert not index.answerable(["asdfqwer", "火星人", "火"])
