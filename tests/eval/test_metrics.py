"""Metrics against values computed by hand on tiny rankings."""
from __future__ import annotations

import math

import pytest

from eval.gold import UNRESOLVED
from eval.metrics import hit_at, mrr_at, ndcg_at, recall_at, summarize

GOLD = {"a": 1, "b": 1, "c": 1, "d": 1}
RANKING = ["a", "x", "b", "y", "c"]


@pytest.mark.parametrize("k, expected", [(1, 0.25), (2, 0.25), (3, 0.5), (5, 0.75), (100, 0.75)])
def test_recall_at_k(k, expected):
    assert recall_at(RANKING, GOLD, k) == expected


def test_hit_at_k():
    assert hit_at(["x", "y", "b"], GOLD, 2) == 0.0
    assert hit_at(["x", "y", "b"], GOLD, 3) == 1.0


def test_mrr_at_10_is_the_first_hit_within_the_cutoff():
    assert mrr_at(["x", "y", "b"], GOLD) == pytest.approx(1 / 3)
    assert mrr_at([f"n{i}" for i in range(10)] + ["a"], GOLD) == 0.0   # rank 11
    assert mrr_at(RANKING, GOLD) == 1.0


def test_ndcg_binary():
    # dcg = 1/log2(3) + 1/log2(4); ideal = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 0.5) / (1 + 1 / math.log2(3))
    assert ndcg_at(["x", "a", "b"], {"a": 1, "b": 1}) == pytest.approx(expected)
    assert ndcg_at(["a", "b"], {"a": 1, "b": 1}) == pytest.approx(1.0)
    assert ndcg_at(["x", "y"], {"a": 1}) == 0.0


def test_ndcg_graded_uses_the_grades_as_gains():
    # ranking b (1), a (3): dcg = 1 + 3/log2(3); ideal a, b: 3 + 1/log2(3)
    expected = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg_at(["b", "a"], {"a": 3, "b": 1}) == pytest.approx(expected)
    assert ndcg_at(["a", "b"], {"a": 3, "b": 1}) == pytest.approx(1.0)


def test_unresolved_gold_counts_as_a_miss():
    gold = {"a": 1, UNRESOLVED + "不存在法第一条": 1}
    assert recall_at(["a"], gold, 10) == 0.5
    assert hit_at(["a"], gold, 10) == 1.0
    assert ndcg_at(["a"], gold) == pytest.approx(1 / (1 + 1 / math.log2(3)))


def test_summarize_macro_averages_and_latency_percentiles():
    s = summarize([["a"], ["x", "b"]], [{"a": 1}, {"b": 1, "c": 1}], [1.0, 2.0], [1, 10])
    assert s["queries"] == 2
    assert s["recall@1"] == 0.5            # (1 + 0) / 2
    assert s["recall@10"] == 0.75          # (1 + 1/2) / 2
    assert s["hit@10"] == 1.0
    assert s["mrr@10"] == 0.75             # (1 + 1/2) / 2
    assert s["latency_ms_p50"] == 1.5
    assert s["latency_ms_p95"] == pytest.approx(1.95)


def test_ndcg_as_trec_eval_ndcg_cut_computes_it_by_hand():
    """Graded gains, log2(rank + 1) discount, ideal from every judged document with a positive
    grade (d was never retrieved), unjudged x = 0:
    DCG@3 = 3/1 + 0/log2(3) + 2/log2(4) = 4; IDCG@3 = 3/1 + 2/log2(3) + 1/log2(4) = 4.761860."""
    gold = {"a": 3, "c": 2, "d": 1}
    assert ndcg_at(["a", "x", "c"], gold, 3) == pytest.approx(4 / (3 + 2 / math.log2(3) + 0.5))
    assert ndcg_at(["a", "x", "c"], gold, 3) == pytest.approx(0.840008, abs=1e-6)
    assert ndcg_at(["a", "c", "d"], gold, 30) == pytest.approx(1.0)
    assert ndcg_at(["x"], gold, 10) == 0.0


def test_graded_gold_also_reports_recall_of_the_strongly_relevant():
    out = summarize([["a", "x", "c"]], [{"a": 3, "c": 1, "d": 2}], [1.0], [1, 3])
    assert out["recall_strong@1"] == 0.5 and out["recall_strong@3"] == 0.5   # a found, d not; c is grade 1
    assert out["ndcg@3"] == pytest.approx((3 + 1 / 2) / (3 + 2 / math.log2(3) + 1 / 2), abs=1e-4)
    assert "recall_strong@1" not in summarize([["a"]], [{"a": 1}], [1.0], [1])
