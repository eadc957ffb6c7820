"""Search behaviour on the tiny made-up corpus (tests/tiny_corpus.py)."""
import pytest

from corpus.model import LEVELS
from indexer.filters import BadFilter, Filters
from indexer.retriever import Selection, retrieve
from indexer.search import MAX_QUERY_CHARS, BadQuery


@pytest.mark.parametrize("query", ["矿产资源法第七十四条", "《中华人民共和国矿产资源法》第74条", "矿产资源法第74条"])
def test_article_citation_comes_first(searcher, query):
    top = searcher.search(query, k=3).results[0]
    assert top.unit_id == "law:矿产资源法@2024-11-08#a74"
    assert top.citation == "《中华人民共和国矿产资源法》（2024年修订）第七十四条"
    assert "citation" in top.matched_by and top.validity == "current"


@pytest.mark.parametrize("query,doc_id", [("检例第28号", "spp:28"), ("指导案例215号", "spc:215"), ("指导性案例215号", "spc:215")])
def test_case_citation_comes_first(searcher, query, doc_id):
    assert searcher.search(query, k=3).results[0].doc_id == doc_id


def test_charge_brings_up_its_criminal_law_article(searcher):
    top = searcher.search("罪名：盗窃 被告人深夜进入他人住宅窃取手机", k=3).results[0]
    assert top.unit_id.endswith("#a264") and "charge" in top.matched_by


def test_case_hit_carries_holding_and_collapses(searcher):
    results = searcher.search("非法采矿 公益诉讼 生态修复", k=10).results
    case_ids = [h.doc_id for h in results if h.doc_type.endswith("case")]
    assert len(case_ids) == len(set(case_ids)), "hits of one case must collapse into one result"
    unit_ids = [h.unit_id for h in results]
    assert len(unit_ids) == len(set(unit_ids))
    case = next(h for h in results if h.doc_id == "spp:28")
    assert case.holding.startswith("非法采矿破坏矿产资源")
    assert case.citation == "检例第28号《张某非法采矿民事公益诉讼案》"
    assert results.index(case) < 5
    assert case.scores["fused"] > 0 and "bm25" in case.scores


def test_highlights_point_at_query_terms(searcher):
    hit = searcher.search("生态修复", k=5).results[0]
    assert hit.highlights
    for start, end in hit.highlights:
        assert hit.passage[start:end] in ("生态", "修复", "生态修复")


def test_article_hits_list_citing_cases(searcher):
    hit = searcher.search("刑法第二百六十四条", k=1).results[0]
    assert [c["doc_id"] for c in hit.cited_by] == ["spp:30"]


def test_statutes_default_to_current_versions(searcher):
    current = searcher.search("未取得采矿许可证擅自采矿", k=10, filters=Filters(doc_types=("statute",))).results
    assert all(h.validity == "current" for h in current)
    every = searcher.search("未取得采矿许可证擅自采矿", k=10,
                            filters=Filters(doc_types=("statute",), all_versions=True)).results
    assert any(h.doc_id == "law:矿产资源法@2009-08-27" for h in every)
    old_only = searcher.search("矿产资源", k=10, filters=Filters(validity="superseded")).results
    assert old_only and all(h.validity == "superseded" for h in old_only)


def test_filters_by_type_domain_procedure_year(searcher):
    cases = searcher.search("公益诉讼", k=10, filters=Filters(doc_types=("guiding_case",))).results
    assert cases and all(h.doc_type == "guiding_case" for h in cases)
    admin = searcher.search("公益诉讼", k=10, filters=Filters(procedures=("行政公益诉讼",))).results
    assert [h.doc_type for h in admin] == ["typical_case"]
    eco = searcher.search("公益诉讼", k=10, filters=Filters(domains=("生态环境和资源保护",))).results
    assert {"spp:28"} <= {h.doc_id for h in eco}
    recent = searcher.search("矿产资源", k=10, filters=Filters(year_from=2020, year_to=2025)).results
    assert recent and all(2020 <= int(h.version_date[:4]) <= 2025 for h in recent)


def test_long_facts_query(searcher):
    facts = ("张某未取得采矿许可证，在某县山区擅自开采石灰岩，造成山体破坏、植被毁损。" * 60)[:2000]
    results = searcher.search(facts, k=5).results
    assert "spp:28" in [h.doc_id for h in results]


def test_pagination_does_not_repeat(searcher):
    first = searcher.search("矿产资源", k=2).results
    second = searcher.search("矿产资源", k=2, offset=2).results
    assert not {h.unit_id for h in first} & {h.unit_id for h in second}


@pytest.mark.parametrize("query", ["", "   ", "x" * (MAX_QUERY_CHARS + 1)])
def test_bad_queries_are_refused(searcher, query):
    with pytest.raises(BadQuery):
        searcher.search(query)


@pytest.mark.parametrize("filters", [Filters(doc_types=("novel",)), Filters(domains=("天文",)),
                                     Filters(year_from=3000), Filters(year_from=2020, year_to=2010),
                                     Filters(validity="maybe")])
def test_bad_filters_are_refused(searcher, filters):
    with pytest.raises(BadFilter):
        searcher.search("矿产", filters=filters)


def test_show_unit_has_versions_and_text(searcher):
    unit = searcher.unit("law:矿产资源法@2024-11-08#a74")
    assert "人民检察院" in unit["text"]
    assert [v["validity"] for v in unit["versions"]] == ["superseded", "current"]
    res = searcher.resolve("《中华人民共和国矿产资源法》（2009年修正）第三十九条")
    assert res.status == "superseded" and res.unit_id == "law:矿产资源法@2009-08-27#a39"


def test_pinned_units_obey_type_filter(searcher):
    cases_only = Filters(doc_types=("guiding_case", "typical_case"))
    results = searcher.search("非法采矿罪 矿产资源法第七十四条", k=5, filters=cases_only).results
    assert results and all(h.doc_type in ("guiding_case", "typical_case") for h in results)


def test_one_retriever_keeps_its_own_order(searcher):
    """Fusion weights (e.g. dense's lower weight on cases) must not reorder a single retriever's list."""
    query = "矿区 生态修复 公益诉讼"
    rows, _ = retrieve(searcher.semantic, searcher.query(query), 50, Selection.of(Filters().validate(), searcher.table),
                       searcher.index.prior)
    expected, seen = [], set()
    for row in rows.tolist():
        if searcher.table.groups[row] not in seen:
            seen.add(searcher.table.groups[row])
            expected.append(row)
    assert [r.row for r in searcher.rank(query, systems=("dense",), depth=50, floor=None)] == expected


def test_hybrid_keeps_agreed_bm25_leaders_first(searcher):
    from dataclasses import replace

    from indexer.fusion import FusionConfig

    query = "非法采矿 公益诉讼 生态修复"
    lexical = [r.row for r in searcher.rank(query, systems=("bm25",), floor=None)]
    dense_groups = {searcher.table.groups[r.row] for r in searcher.rank(query, systems=("dense",), floor=None)}
    hybrid = [r.row for r in searcher.rank(query, floor=None)]
    agreed = 0
    for row in lexical[:FusionConfig().keep_head]:
        if searcher.table.groups[row] not in dense_groups:
            break
        agreed += 1
    assert agreed > 0, "the tiny corpus should give both retrievers a common leader for this query"
    assert hybrid[:agreed] == lexical[:agreed]
    off = [r.row for r in searcher.rank(query, fusion=replace(FusionConfig(), keep_head=0), floor=None)]
    groups = searcher.table.groups
    assert sorted(groups[r] for r in off) == sorted(groups[r] for r in hybrid)   # reorders; never adds or drops


# -- honest answers ------------------------------------------------------------------------------
@pytest.mark.parametrize("query,notice", [("检例第999号", "检例第999号：本库未收录"),
                                          ("矿产资源法第九百条", "本库所收版本没有该条"),
                                          ("不存在法第一条", "本库未收录")])
def test_a_citation_the_corpus_lacks_says_so_and_shows_nothing(searcher, query, notice):
    result = searcher.search(query)
    assert result.results == [] and any(notice in n for n in result.notices)


def test_a_query_with_no_word_the_corpus_knows_returns_nothing(searcher):
    result = searcher.search("asdfqwer 火星人飞碟")
    assert result.results == [] and "本库未收录" in result.notices[0]
    assert searcher.rank("asdfqwer 火星人飞碟", floor=None)   # the floor, not the retrievers, says no


def test_a_whole_citation_shows_the_cited_unit_and_no_fillers(searcher):
    result = searcher.search("检例第28号")
    assert [h.doc_id for h in result.results] == ["spp:28"] and result.notices == []


def test_a_version_in_the_query_comes_first_with_the_current_article_beside_it(searcher):
    (hit,) = searcher.search("《中华人民共和国矿产资源法》（2009年修正）第一条").results
    assert (hit.unit_id, hit.validity) == ("law:矿产资源法@2009-08-27#a1", "superseded")
    assert hit.current["unit_id"] == "law:矿产资源法@2024-11-08#a1"
    assert hit.current["citation"] == "《中华人民共和国矿产资源法》（2024年修订）第一条"
    (now,) = searcher.search("矿产资源法第一条").results
    assert (now.unit_id, now.current) == ("law:矿产资源法@2024-11-08#a1", None)


def test_case_standing_and_holding_labels(searcher):
    (withdrawn,) = searcher.search("指导案例9号").results
    assert (withdrawn.standing, withdrawn.validity) == ("not_referenced", "superseded")
    assert "法〔2020〕343号" in withdrawn.standing_basis
    assert (withdrawn.holding, withdrawn.holding_missing, withdrawn.holding_label) == ("", True, "裁判要点")
    hits = searcher.search("股东 怠于履行清算义务 连带责任").results
    assert "spc:9" not in [h.doc_id for h in hits], "a withdrawn case is not listed as current"
    spc = searcher.search("指导案例215号").results[0]
    assert (spc.holding_label, spc.holding_missing, spc.standing) == ("裁判要点", False, "current")
    spp = searcher.search("检例第28号").results[0]
    assert (spp.holding_label, spp.unit_label) == ("要旨", "【要旨】")


def test_a_named_version_the_corpus_lacks_is_said(searcher):
    result = searcher.search("《中华人民共和国刑法》（2017年修正）第二百六十四条")
    assert result.results[0].unit_id == "law:刑法@2023-12-29#a264"
    assert any("所引2017年版本本库未收录" in n for n in result.notices)


def test_a_cited_unit_outside_the_filters_is_not_called_missing(searcher):
    result = searcher.search("检例第28号", filters=Filters(doc_types=("statute",)))
    assert result.results == [] and result.notices == ["检例第28号：本库已收录，但不符合当前筛选条件"]


def test_the_current_article_beside_an_old_one_is_marked_as_the_same_article(searcher):
    (old,) = searcher.search("《中华人民共和国矿产资源法》（2009年修正）第一条").results
    assert (old.current["same_article"], old.current["note"]) == (True, "")   # amended, not replaced


def test_bigram_overlap_tells_an_amended_article_from_another_one():
    from indexer.hits import SAME_ARTICLE, bigram_overlap

    guarantee = "公司向其他企业投资或者为他人提供担保，依照公司章程的规定，由董事会或者股东会决议。"
    amended = "公司向其他企业投资或者为他人提供担保，按照公司章程的规定，由董事会或者股东会决议。"
    workers = "公司应当保护职工的合法权益，依法与职工签订劳动合同，参加社会保险，加强劳动保护。"
    assert bigram_overlap(guarantee, amended) >= SAME_ARTICLE > bigram_overlap(guarantee, workers)


# -- ordering and facets --------------------------------------------------------------------------
def test_sort_by_date_and_by_authority_keep_every_result(searcher):
    by_relevance = searcher.search("矿产资源 采矿", k=20).results
    by_date = searcher.search("矿产资源 采矿", k=20, sort="date").results
    by_authority = searcher.search("矿产资源 采矿", k=20, sort="authority").results
    ids = sorted(h.unit_id for h in by_relevance)
    assert sorted(h.unit_id for h in by_date) == ids == sorted(h.unit_id for h in by_authority)
    dates = [h.version_date or "0000" for h in by_date]
    assert dates == sorted(dates, reverse=True)
    levels = [LEVELS.index(h.level) for h in by_authority]
    assert levels == sorted(levels)
    with pytest.raises(BadQuery):
        searcher.search("矿产资源", sort="popularity")


def test_cited_units_stay_first_in_any_order(searcher):
    for sort in ("date", "authority"):
        assert searcher.search("检例第28号 非法采矿", k=5, sort=sort).results[0].doc_id == "spp:28"


def test_facets_count_all_results_not_one_page(searcher):
    result = searcher.search("矿产资源 采矿", k=2)
    every = searcher.search("矿产资源 采矿", k=100).results
    assert sum(result.facets["type"].values()) == len(every) > 2
    assert result.facets["type"].get("statute") == sum(h.doc_type == "statute" for h in every)


def test_highlights_skip_single_characters_when_the_query_has_words(searcher):
    from indexer.search import highlight_terms

    assert highlight_terms(["检", "采矿", "2023"]) == ["采矿"]
    assert highlight_terms(["检", "3"]) == ["检", "3"]


def test_a_title_quoted_inside_a_title_takes_the_inner_marks():
    from indexer.hits import book_title

    assert book_title("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释") == \
        "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
    assert book_title("中华人民共和国刑法") == "《中华人民共和国刑法》"
