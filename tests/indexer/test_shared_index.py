"""Search over the real shared corpus. `.ci/run` builds that index before the tests; locally,
`leian build` (default var/index, or $LEIAN_INDEX) does."""
import os
from pathlib import Path

import pytest

from indexer.filters import Filters
from indexer.layout import IndexUnavailable, current_build, read_manifest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full_searcher():
    from indexer.search import Searcher

    root = Path(os.environ.get("LEIAN_INDEX") or Path(__file__).resolve().parents[2] / "var" / "index")
    try:
        build = current_build(root)
    except IndexUnavailable as exc:
        pytest.skip(f"no full-corpus index ({exc})")
    if read_manifest(build)["summary"]["files_seen"] < 3000:
        pytest.skip(f"index at {root} was not built from ../shared/corpus")
    return Searcher.open(root)


@pytest.mark.parametrize("query", ["矿产资源法第七十四条", "《中华人民共和国矿产资源法》第74条"])
def test_citation_query_returns_that_article_first(full_searcher, query):
    top = full_searcher.search(query, k=3).results[0]
    assert top.unit_id == "law:矿产资源法@2024-11-08#a74" and top.validity == "current"


def test_mining_pil_query_finds_a_case_with_holding(full_searcher):
    results = full_searcher.search("非法采矿 公益诉讼 生态修复", k=5).results
    cases = [h for h in results if h.doc_type in ("guiding_case", "typical_case") and h.holding]
    assert any("采矿" in h.title or "采砂" in h.title for h in cases)


def test_charge_query_brings_up_criminal_law_article(full_searcher):
    top = full_searcher.search("罪名：盗窃 被告人趁被害人熟睡窃取手机一部", k=3).results[0]
    assert top.citation.startswith("《中华人民共和国刑法》") and top.unit_label == "第二百六十四条"


def test_guiding_case_numbers_resolve(full_searcher):
    assert full_searcher.search("检例第28号", k=1).results[0].doc_id == "spp:28"
    assert full_searcher.search("指导案例215号", k=1).results[0].doc_id == "spc:215"


def test_superseded_versions_only_on_request(full_searcher):
    default = full_searcher.search("未取得采矿许可证擅自进入国家规划矿区", k=20,
                                   filters=Filters(doc_types=("statute",))).results
    assert all(h.validity == "current" for h in default)
    every = full_searcher.search("未取得采矿许可证擅自进入国家规划矿区", k=20,
                                 filters=Filters(doc_types=("statute",), all_versions=True)).results
    assert any(h.doc_id == "law:矿产资源法@2009-08-27" for h in every)


def test_long_facts_query(full_searcher):
    facts = ("2019年以来，被告人王某在未取得采矿许可证的情况下，雇佣挖掘机在某村集体山地非法开采建筑用砂石，"
             "造成山体破坏、林地毁损，经鉴定非法开采矿产品价值120万元，矿区生态环境严重受损。") * 20
    results = full_searcher.search(facts[:2000], k=10).results
    assert any("采矿" in h.title or "矿产资源" in h.title for h in results)


# -- trust: versions, honest answers, standing --------------------------------------------------
def test_a_named_version_comes_first_with_the_current_article_beside_it(full_searcher):
    top = full_searcher.search("《中华人民共和国矿产资源法》（2009年修正）第三条", k=3).results[0]
    assert (top.unit_id, top.validity) == ("law:矿产资源法@2009-08-27#a3", "superseded")
    assert top.current["unit_id"] == "law:矿产资源法@2024-11-08#a3"


def test_civil_procedure_article_is_the_2023_text(full_searcher):
    top = full_searcher.search("民事诉讼法第五十八条", k=1).results[0]
    assert top.unit_id == "law:民事诉讼法@2023-09-01#a58" and top.validity == "current"


@pytest.mark.parametrize("query", ["检例第999号", "asdfqwer 火星人飞碟", "qwerty zxcvbnm"])
def test_what_the_corpus_lacks_gets_no_hits_and_a_message(full_searcher, query):
    result = full_searcher.search(query)
    assert result.results == [] and "本库未收录" in result.notices[0]


def test_a_case_citation_brings_no_fillers(full_searcher):
    result = full_searcher.search("检例第230号")
    assert [h.doc_id for h in result.results] == ["spp:230"]


def test_single_characters_do_not_outrank_words(full_searcher):
    """朋友借了我五万块钱一直不还怎么办 once put cases about people surnamed 钱 first."""
    top = full_searcher.search("朋友借了我五万块钱一直不还怎么办", k=3).results
    assert top and not any("钱某" in h.passage for h in top)


def test_withdrawn_case_and_missing_holding_are_shown_as_such(full_searcher):
    (nine,) = full_searcher.search("指导案例9号").results
    assert nine.standing == "not_referenced" and "法〔2020〕343号" in nine.standing_basis
    (case,) = full_searcher.search("指导案例176号").results
    assert (case.holding_label, case.holding, case.holding_missing) == ("裁判要点", "", True)


def test_an_old_article_whose_number_now_holds_another_article_says_so(full_searcher):
    """公司法（2018年修正）第十六条 (guarantees) is 第十五条 in 2023; 2023 第十六条 is about workers."""
    top = full_searcher.search("《中华人民共和国公司法》（2018年修正）第十六条", k=1).results[0]
    assert top.validity == "superseded" and top.current["same_article"] is False
    assert "内容已不同" in top.current["note"]


def test_a_series_name_without_its_year_asks_which_one(full_searcher):
    result = full_searcher.search("宪法修正案第一条")
    assert result.results == [] and "请注明是哪一件" in result.notices[0] and "（1988年）" in result.notices[0]


def test_interpretation_citations_use_inner_title_marks(full_searcher):
    top = full_searcher.search("民诉法解释第九十条", k=1).results[0]
    assert top.citation.startswith("《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》")


@pytest.fixture(scope="module")
def learned_searcher(full_searcher):
    """The full index with the learned side (`leian build` finds ../shared/training and STARD's train split)."""
    if not (full_searcher.manifest.get("questions") or {}).get("reranker"):
        pytest.skip("the index was built without question pairs (no ../shared/training)")
    return full_searcher


def test_a_layperson_dismissal_question_reaches_the_severance_article(learned_searcher):
    # first with the question's own word vectors on the committed build (third before them)
    results = learned_searcher.search("公司辞退我不给补偿", k=3, filters=Filters(doc_types=("statute",))).results
    assert any(h.unit_id.startswith("law:劳动合同法@") and h.unit_id.endswith("#a47") for h in results)


def test_a_layperson_loan_question_reaches_the_repayment_article(learned_searcher):
    # among the statutes, in the first three pages: the training pairs hold a single question about
    # lending money and many about spouses' debts, so 借 and 钱 lean to 婚姻家庭 articles (7th before
    # the question vectors, 21st with them on the committed build; README, "Real questions")
    results = learned_searcher.search("朋友借了我五万块钱一直不还怎么办", k=30,
                                      filters=Filters(doc_types=("statute",))).results
    assert any(h.unit_id.startswith("law:民法典@") and h.unit_id.endswith("#a675") for h in results)


def test_case_facts_are_left_to_bm25_and_the_embedding(learned_searcher):
    facts = "被告人张某于2020年5月至8月间，未取得采矿许可证，在某河道内使用挖掘机非法开采河砂，" * 4
    ranked = learned_searcher.rank(facts)
    assert ranked and all("questions" not in r.matched_by for r in ranked)
