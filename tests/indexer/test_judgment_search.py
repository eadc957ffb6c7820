"""Case-to-case search over made-up judgments: a long facts text finds the most similar judgments,
one per case, under the filters a procurator sets."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judgments_written import write_judgments  # noqa: E402

from indexer.filters import BadFilter, Filters

FACTS = ("2019年2月3日晚，被告人张某酒后驾驶小型轿车在长沙市天心区道路上行驶，被执勤民警查获，经检验其血液中乙醇含量为"
         "180毫克／100毫升，属醉酒驾驶机动车。案发后张某主动到公安机关投案，如实供述了自己的罪行。")
LONG_FACTS = (FACTS * (2100 // len(FACTS) + 1))[:2100]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    from indexer.build import BuildConfig, build
    from indexer.search import Searcher

    corpus = write_judgments(tmp_path_factory.mktemp("j") / "judgments")
    root = tmp_path_factory.mktemp("index")
    build(BuildConfig(corpus_roots=[corpus], index_root=root, dense="none", workers=1))
    return Searcher.open(root)


def test_a_2000_character_facts_text_finds_the_closest_judgments(searcher):
    result = searcher.search(LONG_FACTS, k=10, filters=Filters(doc_types=("judgment",)))
    assert len(LONG_FACTS) > 2000 and result.results
    assert all(h.doc_type == "judgment" for h in result.results)
    assert {h.judgment["charges"][0] for h in result.results[:2]} == {"危险驾驶罪"}
    assert result.results[0].judgment["applied"][0]["unit_id"] == "law:刑法@2023-12-29#a133.1"


def test_one_entry_per_case_the_others_linked(searcher):
    ranked = searcher.rank(LONG_FACTS, Filters(doc_types=("judgment",)))
    zeng = [r for r in ranked if "曾胜武" in searcher.docs[searcher.table.doc_id(r.row)].title]
    assert len(zeng) == 1 and len(zeng[0].members) == 1
    hit = next(h for h in searcher.search(LONG_FACTS, filters=Filters(doc_types=("judgment",))).results
               if "曾胜武" in h.title)
    assert len(hit.judgment["same_case"]) == 1 and "刑" in hit.judgment["same_case"][0]["citation"]


def test_the_charges_a_text_names_count(searcher):
    ranked = searcher.rank("被告人多次入户窃取他人财物。" * 10 + "其行为涉嫌盗窃罪。", Filters(doc_types=("judgment",)))
    assert searcher.docs[searcher.table.doc_id(ranked[0].row)].charges == ["盗窃罪"]
    assert ranked[0].scores["charges"] == 1.0


@pytest.mark.parametrize("filters, expected", [
    (Filters(doc_types=("judgment",), charges=("盗窃",)), {"钱某", "孙某"}),
    (Filters(doc_types=("judgment",), charges=("危险驾驶罪",)), {"莫新国", "曾胜武"}),
    (Filters(doc_types=("judgment",), levels=("intermediate_court",)), {"钱某", "孙某", "曾胜武"}),
    (Filters(doc_types=("judgment",), procedures=("二审",)), {"曾胜武"}),
    (Filters(doc_types=("judgment",), year_from=2019), {"陈某"}),
])
def test_filters(searcher, filters, expected):
    query = "被告人" + "酒后驾驶 入户盗窃 贩卖毒品 甲基苯丙胺 " * 10
    docs = [searcher.docs[searcher.table.doc_id(row)] for r in searcher.rank(query, filters) for row in (r.row, *r.members)]
    names = {p.removeprefix("被告人").removeprefix("上诉人（原审被告人）") for d in docs for p in d.parties}
    assert names == expected


def test_a_charge_filter_needs_a_name():
    with pytest.raises(BadFilter):
        Filters(charges=("罪",)).validate()


def test_authority_sort_puts_higher_courts_first(searcher):
    result = searcher.search(LONG_FACTS, filters=Filters(doc_types=("judgment",)), sort="authority")
    levels = [h.level for h in result.results]
    assert levels == sorted(levels, key=["supreme_court", "high_court", "intermediate_court", "basic_court"].index)


def test_an_article_knows_the_judgments_applying_it(searcher):
    cited = searcher.unit("law:刑法@2023-12-29#a133.1")["cited_by"]
    assert len(cited) == 3 and all(c["case_no"].startswith("（2018）湘") for c in cited)


def test_an_article_lists_the_first_judgments_and_counts_them_all(searcher, monkeypatch):
    """A 刑法 article is applied by a large share of all criminal judgments: a hit lists a few, the
    higher court first, and says how many there are."""
    import indexer.present

    monkeypatch.setattr(indexer.present, "CITED_JUDGMENTS", 1)
    unit = searcher.unit("law:刑法@2023-12-29#a133.1")
    assert unit["cited_by_total"] == 3 and len(unit["cited_by"]) == 1
    assert unit["cited_by"][0]["case_no"] == "（2018）湘01刑终778号"   # the intermediate court's appeal
    hit = searcher.hit_for("law:刑法@2023-12-29#a133.1", "citation")
    assert (hit.cited_by_total, hit.cited_by) == (3, unit["cited_by"])


def test_a_short_question_still_reaches_judgments(searcher):
    result = searcher.search("醉酒驾驶 自首")
    assert any(h.doc_type == "judgment" for h in result.results)
