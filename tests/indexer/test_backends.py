"""The retriever contract: every backend answers the same queries under the same filters with
the same results. One corpus (statutes, cases and judgments written by the tests), one encoder,
built once per backend.

Stated tolerance, for the top 10 of BM25, dense, hybrid and case-to-case search: the same results
(articles and cases; two judgments of one case with equal scores may stand for it either way) and
the same first result; dense in the same order with cosines within 1e-4. BM25 scores agree within 6%
up to one constant factor: Milvus keeps BM25's (k1 + 1) numerator where bm25s leaves it out (min-max
fusion does not see a constant), and stores each unit's length lossily in one byte, as Lucene's
norms do, so near-equal scores may swap places.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judgments_written import write_judgments  # noqa: E402

from indexer.filters import Filters
from indexer.retriever import Query, Selection

pytest.importorskip("milvus_lite", reason="Milvus Lite is a test extra: pip install -e '.[test]'")

QUERIES = ["矿产资源 许可证", "村里有人在河道里偷偷挖沙怎么办", "非法采矿 公益诉讼 生态修复", "盗窃 数额较大",
           "醉酒驾驶机动车 自首", "矿产资源法第七十四条", "检例第999号"]
FACTS = ("2019年2月3日晚，被告人张某酒后驾驶小型轿车在长沙市天心区道路上行驶，被执勤民警查获，经检验其血液中乙醇含量为"
         "180毫克／100毫升，属醉酒驾驶机动车。案发后张某主动到公安机关投案，如实供述了自己的罪行。") * 8
FILTERS = [Filters(), Filters(doc_types=("statute",)), Filters(doc_types=("guiding_case", "typical_case")),
           Filters(all_versions=True), Filters(validity="superseded"), Filters(levels=("law",)),
           Filters(domains=("生态环境和资源保护",)), Filters(procedures=("民事公益诉讼",)),
           Filters(year_from=2020), Filters(year_to=2019), Filters(year_from=2010, year_to=2023),
           Filters(charges=("危险驾驶",)), Filters(charges=("没有这个罪",)), Filters(facts_only=True),
           Filters(doc_types=("judgment",), levels=("basic_court",)), Filters(exclude_units=("矿产资源法#a74",))]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    from tiny_corpus import write_tiny_corpus

    base = tmp_path_factory.mktemp("contract")
    return [write_tiny_corpus(base / "corpus"), write_judgments(base / "judgments")]


@pytest.fixture(scope="module")
def searchers(corpus, tmp_path_factory):
    """{backend: Searcher}; the Milvus build reads the local build's encoder, so vectors are alike."""
    from indexer.build import BuildConfig, build
    from indexer.search import Searcher

    base = tmp_path_factory.mktemp("backends")
    build(BuildConfig(corpus, base / "local", workers=1))
    local = Searcher.open(base / "local")
    build(BuildConfig(corpus, base / "milvus", workers=1, dense="local", embedding_model=local.build / "model",
                      backend="milvus", backend_options={"uri": str(base / "milvus.db")}))
    return {"local": local, "milvus": Searcher.open(base / "milvus")}


def _groups(searcher, ranked) -> list[str]:
    """The top 10 as results (an article across versions, a case across its judgments)."""
    return [searcher.table.groups[r.row] for r in ranked[:10]]


def assert_agree(searchers, query: str, filters: Filters | None = None, systems=("bm25", "dense")) -> None:
    local = _groups(searchers["local"], searchers["local"].rank(query, filters, systems=systems))
    milvus = _groups(searchers["milvus"], searchers["milvus"].rank(query, filters, systems=systems))
    assert set(milvus) == set(local) and milvus[:1] == local[:1]
    if systems == ("dense",):
        assert milvus == local


def test_the_manifest_names_the_backend(searchers):
    assert searchers["local"].manifest["retrievers"]["backend"] == "local"
    entry = searchers["milvus"].manifest["retrievers"]
    assert entry["backend"] == "milvus" and entry["collection"].startswith("leian_")
    assert not (searchers["milvus"].build / "lexical").exists()   # no index files: the collection holds it


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr({k: v for k, v in f.__dict__.items() if v}))
def test_filters_keep_the_same_rows(searchers, filters):
    from indexer.milvus import expression

    local, milvus = searchers["local"], searchers["milvus"]
    mask = local.table.mask(filters.validate())
    expected = set(range(len(local.table))) if mask is None else set(np.flatnonzero(mask).tolist())
    collection = milvus.lexical.collection
    got = {e["row"] for e in collection.client.query(collection.name, filter=expression(filters, milvus.table),
                                                    output_fields=["row"], limit=16384)}
    assert got == expected


@pytest.mark.parametrize("systems", [("bm25",), ("dense",), ("bm25", "dense")], ids=["bm25", "dense", "hybrid"])
@pytest.mark.parametrize("query", QUERIES)
def test_same_top_results(searchers, query, systems):
    assert_agree(searchers, query, systems=systems)


@pytest.mark.parametrize("filters", [Filters(doc_types=("statute",)), Filters(all_versions=True),
                                     Filters(doc_types=("judgment",), charges=("危险驾驶",))])
def test_same_top_results_under_filters(searchers, filters):
    for query in QUERIES[:5]:
        assert_agree(searchers, query, filters)


def test_case_to_case_search_agrees(searchers):
    judgments = Filters(doc_types=("judgment",))
    assert searchers["local"].rank(FACTS, judgments)
    for systems in (("bm25",), ("dense",), ("bm25", "dense", "evidence")):
        assert_agree(searchers, FACTS, judgments, systems)


def test_scores_agree_within_tolerance(searchers):
    local, milvus = searchers["local"], searchers["milvus"]
    everything = Selection.of(Filters(all_versions=True), local.table)
    query = local.query("矿产资源 许可证 生态修复")
    rows, ours = local.lexical.search(query, 20, everything)
    theirs = milvus.lexical.scores_of(milvus.query(query.text), rows)
    ratio = theirs / ours
    np.testing.assert_allclose(ratio, np.median(ratio), rtol=0.06)
    np.testing.assert_allclose(milvus.lexical.coverage(milvus.query(query.text), rows),
                               local.lexical.coverage(query, rows), rtol=1e-5)
    rows, cosine = local.semantic.search(query, 20, everything)
    found, milvus_cosine = milvus.semantic.search(milvus.query(query.text), 20, everything)
    assert found.tolist() == rows.tolist()
    np.testing.assert_allclose(milvus_cosine, cosine, atol=1e-4)
    np.testing.assert_allclose(milvus.semantic.vectors(rows[:5]), local.semantic.vectors(rows[:5]), atol=1e-6)


def test_a_query_without_known_words_finds_nothing_in_either(searchers):
    for searcher in searchers.values():
        nothing = searcher.lexical.search(Query("asdfqwer", ["asdfqwer"]), 10, Selection.of(Filters(), searcher.table))
        assert nothing[0].size == 0
        assert not searcher.search("asdfqwer 火星人飞碟").results
