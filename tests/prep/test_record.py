"""build_record over the tiny corpus: facts found, cases in authority order, statutes, citation checks."""
import datetime
import json

import pytest

from corpus.resolve import Resolution
from prep.cases import TIERS
from prep.record import build_record
from prep.report_text import BadReport, find_facts

TODAY = datetime.date.today()


def attach_citations(searcher, text, k=5, **options):
    return build_record(searcher, text, k=k, **options)

REPORT = """关于张某非法采矿案的审查报告

一、案件事实
2023年3月，张某未取得采矿许可证，在某县山区擅自开采石灰岩，破坏山体，造成矿区生态环境严重损害，需要进行矿区生态修复。

二、审查意见
依据《中华人民共和国矿产资源法》（2009年修正）第三十九条、《刑法》第三百四十三条、《某某不存在法》第五条，参照检例第999号。
"""


@pytest.fixture(scope="module")
def attached(searcher):
    return attach_citations(searcher, REPORT)


def by_raw(att, raw):
    return next(c for c in att.checks if c.raw == raw)


# -- facts ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, heading, facts", [
    ("# 审查报告\n\n## 一、案件事实\n\n张某擅自采矿。\n\n### （一）采矿经过\n\n破坏山体。\n\n## 二、审查意见\n\n起诉。",
     "案件事实", ["张某擅自采矿。", "（一）采矿经过", "破坏山体。"]),
    ("审查报告\n一、犯罪嫌疑人基本情况\n张某，男，1980年生。\n二、审查认定的事实、证据及分析\n（一）采矿事实\n"
     "张某擅自采矿，破坏山体。\n三、处理意见\n建议起诉。", "审查认定的事实、证据及分析", ["（一）采矿事实", "张某擅自采矿，破坏山体。"]),
    ("审查报告\n经审查查明：张某擅自采矿，破坏山体。\n处理意见\n起诉。", "经审查查明", ["张某擅自采矿，破坏山体。"]),
    ("# 报告\n\n## 概述\n基本案情：张某擅自采矿。\n又破坏山体。\n## 审查意见\n起诉。", "基本案情",
     ["张某擅自采矿。", "又破坏山体。"]),
    ("（一）案件基本情况\n张某擅自采矿。\n（二）审查意见\n起诉。", "案件基本情况", ["张某擅自采矿。"]),
])
def test_facts_section_found(text, heading, facts):
    found, found_heading, notes = find_facts(text)
    assert found_heading == heading and notes == []
    assert found.split("\n") == facts
    assert "起诉" not in found


def test_facts_fall_back_to_whole_text_with_a_note():
    text = "张某擅自采矿，破坏山体。\n建议起诉。"
    facts, heading, notes = find_facts(text)
    assert facts == text and heading == "" and "全文" in notes[0]
    facts, heading, notes = find_facts("案件事实\n审查意见\n建议起诉。")
    assert heading == "" and "没有内容" in notes[0] and "建议起诉" in facts


def test_long_facts_are_cut_to_the_query_limit(searcher):
    att = attach_citations(searcher, "案件事实\n" + "张某擅自采矿，破坏山体。" * 1500)
    assert len(att.facts) == 10_000 and any("10000" in n for n in att.notes)


# -- cases ---------------------------------------------------------------------------------------
def test_cases_in_authority_order(attached):
    citations = [c.citation for c in attached.cases]
    assert citations[0].startswith("检例第28号《张某非法采矿民事公益诉讼案》")
    typical = next(i for i, c in enumerate(citations) if "非法采砂行政公益诉讼案" in c)
    assert typical > 0
    tiers = [TIERS.index(c.tier) for c in attached.cases]
    assert tiers == sorted(tiers)
    spp = attached.cases[0]
    assert spp.tier == "最高检指导性案例" and spp.holding_label == "【要旨】" and "生态修复责任" in spp.holding
    assert spp.matched_label == "【基本案情】" and "石灰岩" in spp.passage
    assert attached.facts_heading == "案件事实" and "石灰岩" in attached.facts and "审查意见" not in attached.facts


def test_spc_case_cites_its_holding_as_裁判要点(attached):
    spc = next(c for c in attached.cases if c.citation.startswith("指导案例215号"))
    assert spc.tier == "最高法指导性案例" and spc.holding_label == "【裁判要点】"


def test_cases_sharing_no_words_with_the_facts_are_left_out(attached):
    assert not any("盗窃" in c.citation for c in attached.cases)


def test_cases_are_only_cases_even_when_a_charge_is_named(searcher):
    att = attach_citations(searcher, "案件事实\n张某涉嫌非法采矿罪，擅自开采石灰岩，破坏山体。", k=3)
    assert att.cases and {c.doc_type for c in att.cases} <= {"guiding_case", "typical_case"}
    assert len(att.cases) <= 3


# -- statutes ------------------------------------------------------------------------------------
def test_relevant_current_articles_with_full_text(searcher):
    attached = attach_citations(searcher, REPORT, as_of=TODAY)
    citations = [a.citation for a in attached.articles]
    assert "《中华人民共和国矿产资源法》（2024年修订）第七十四条" in citations
    assert not any("2009" in c for c in citations)
    for article in attached.articles:
        unit = searcher.corpus.unit(article.unit_id)
        assert unit["kind"] == "article" and article.text == unit["text"]
        assert searcher.docs[unit["doc_id"]].validity == "current"


# -- citation checks -----------------------------------------------------------------------------
def test_version_in_force_at_the_conduct_date_is_a_note(attached):
    check = by_raw(attached, "《中华人民共和国矿产资源法》（2009年修正）第三十九条")
    assert attached.as_of == "2023-03-31" and attached.as_of_source == "报告所述行为时间"
    assert check.status == "superseded" and check.severity == "note" and "与行为时间相符" in check.message
    assert check.current_citation.startswith("《中华人民共和国矿产资源法》（2024年修订）")


def test_superseded_version_cited_without_reason_is_a_warning(searcher):
    att = attach_citations(searcher, REPORT, as_of=TODAY)
    check = by_raw(att, "《中华人民共和国矿产资源法》（2009年修正）第三十九条")
    assert check.status == "superseded" and check.severity == "warning"
    assert "2009年修正" in check.message and "请在报告中说明" in check.message
    assert check.current_citation.startswith("《中华人民共和国矿产资源法》（2024年修订）")


def test_superseded_version_with_the_reports_reason_is_a_note(searcher):
    text = "案件事实\n张某擅自采矿。\n依照行为时有效的《中华人民共和国矿产资源法》（2009年修正）第三十九条处理。"
    check = attach_citations(searcher, text, as_of=TODAY).checks[0]
    assert check.severity == "note" and "报告已说明适用理由" in check.message


def test_articles_in_the_version_in_force_at_the_conduct_date(attached):
    old = [a for a in attached.articles if "2009年修正" in a.citation]
    assert old and not any("2024年修订" in a.citation for a in attached.articles)
    assert all(not a.current and a.current_note for a in old)
    first = next(a for a in old if a.citation.endswith("第一条"))
    assert first.current_citation == "《中华人民共和国矿产资源法》（2024年修订）第一条" and first.current_note == "现行条文有修改"


def test_superseded_article_with_current_same_number(searcher):
    check = attach_citations(searcher, "案件事实\n张某擅自采矿。\n依据矿产资源法（2009年修正）第一条。", as_of=TODAY).checks[0]
    assert check.status == "superseded" and check.severity == "warning"
    assert check.current_citation == "《中华人民共和国矿产资源法》（2024年修订）第一条"


def test_version_missing_from_corpus(searcher):
    older, newer = attach_citations(searcher, "张某擅自采矿。依据《中华人民共和国刑法》（2017年修正）第三百四十三条、"
                                              "《中华人民共和国刑法》（2030年修正）第三百四十三条。").checks
    assert older.status == "superseded" and older.severity == "warning" and "2017年版本已被修改" in older.message
    assert older.current_citation == "《中华人民共和国刑法》（2023年修正）第三百四十三条"
    assert newer.status == "ok" and newer.severity == "note" and "未收录所引2030年版本" in newer.message


def test_unknown_law_article_and_case_flagged(attached, searcher):
    assert by_raw(attached, "《某某不存在法》第五条").status == "unknown_law"
    assert by_raw(attached, "检例第999号").status == "unknown_case"
    assert by_raw(attached, "《刑法》第三百四十三条").severity == "ok"
    assert {c.raw for c in attached.checks if c.severity == "error"} == {"《某某不存在法》第五条", "检例第999号"}
    assert {c.raw for c in attached.flagged} == {"《某某不存在法》第五条", "检例第999号"}
    check = attach_citations(searcher, "张某擅自采矿，依据《刑法》第九百条。").checks[0]
    assert check.status == "unknown_article" and "第九百条" in check.message


def test_a_cited_withdrawn_case_is_flagged(searcher):
    withdrawn, spc, spp = attach_citations(
        searcher, "案件事实\n股东怠于履行清算义务。\n参照指导案例9号、指导案例215号、检例第28号。").checks
    assert (withdrawn.severity, withdrawn.citation) == ("error", "指导案例9号")
    assert "不再参照" in withdrawn.message and "法〔2020〕343号" in withdrawn.message
    assert (spc.severity, spp.severity) == ("ok", "ok")   # both carry their holdings in the tiny corpus


def test_a_case_without_its_holding_is_never_listed_with_one(searcher):
    from prep.cases import CaseEntry
    from prep.sections import sections

    att = attach_citations(searcher, REPORT)
    entry = CaseEntry(citation="指导案例9号《某案》", tier=TIERS[1], holding_label="【裁判要点】", holding="",
                      matched_label="【基本案情】", passage="股东怠于履行清算义务。", doc_id="spc:9", unit_id="spc:9#facts",
                      doc_type="guiding_case", level="spc", case_no="指导案例9号", url="", score=1.0)
    att.cases = [entry]
    text = "\n".join("".join(run for run, _ in block.runs) for block in sections(att))
    assert "【裁判要点】本库未收录该案裁判要点" in text


def test_renumbered_article_gets_the_current_number(searcher):
    text = "张某擅自采矿。依据《中华人民共和国矿产资源法》（2009年修正）第三条（现为2024年修订后的第七十四条）。"
    check = attach_citations(searcher, text).checks[0]
    assert check.status == "renumbered" and check.severity == "note"
    assert check.current_citation == "《中华人民共和国矿产资源法》（2024年修订）第七十四条"


def test_catalogue_only_case_is_noted(searcher, monkeypatch):
    resolve = searcher.resolver.resolve

    def with_stub(c):
        if c.kind == "spp_case" and c.number == 77:
            return Resolution(c, "stub", doc_id="spp:77", message="catalogue entry only")
        return resolve(c)

    monkeypatch.setattr(searcher.resolver, "resolve", with_stub)
    check = attach_citations(searcher, "张某擅自采矿，参照检例第77号。").checks[0]
    assert check.status == "stub" and check.severity == "note" and "目录" in check.message


def test_repeated_citation_checked_once(searcher):
    att = attach_citations(searcher, "张某擅自采矿。检例第999号。又见检例第999号。")
    assert [c.raw for c in att.checks] == ["检例第999号"]


# -- shape and bad input -------------------------------------------------------------------------
def test_json_shape(attached):
    data = json.loads(json.dumps(attached.to_json(), ensure_ascii=False))
    assert set(data) == {"by", "searched_at", "platform", "facts", "facts_heading", "issues", "issues_source",
                         "procedure", "procedure_source", "as_of", "as_of_source", "runs", "cases", "articles",
                         "checks", "notes", "summary"}
    assert data["summary"] == {"cases": len(attached.cases), "articles": len(attached.articles),
                               "citations": len(attached.checks), "flagged": 2, "error": 2, "warning": 0, "note": 1}
    assert set(data["cases"][0]) >= {"citation", "tier", "holding", "passage", "matched_label", "reference",
                                     "reference_basis", "similar", "differs", "found_by", "standing"}
    assert set(data["checks"][0]) >= {"raw", "status", "severity", "message", "current_citation", "section"}
    assert data["platform"]["description"].startswith("leian 类案检索")


@pytest.mark.parametrize("text", ["", "   \n\t ", None])
def test_empty_report_is_bad(searcher, text):
    with pytest.raises(BadReport, match="empty"):
        attach_citations(searcher, text)


@pytest.mark.parametrize("k", [0, 51])
def test_bad_k(searcher, k):
    with pytest.raises(BadReport, match="k must be"):
        attach_citations(searcher, REPORT, k=k)


def test_statutes_are_listed_in_the_order_fashi_2009_14_sets():
    from prep.statutes import citing_order

    norms = [("judicial_interpretation", "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释"),
             ("law", "中华人民共和国刑事诉讼法"), ("administrative_regulation", "矿产资源法实施细则"),
             ("procuratorate_rule", "人民检察院公益诉讼办案规则"), ("law", "中华人民共和国刑法"),
             ("judicial_interpretation", "最高人民法院、最高人民检察院关于办理非法采矿、破坏性采矿刑事案件适用法律若干问题的解释")]
    ordered = [title for _, title in sorted(norms, key=lambda n: citing_order(*n))]
    assert ordered == ["中华人民共和国刑法", "中华人民共和国刑事诉讼法", "矿产资源法实施细则",
                       "最高人民法院、最高人民检察院关于办理非法采矿、破坏性采矿刑事案件适用法律若干问题的解释",
                       "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释", "人民检察院公益诉讼办案规则"]


def test_verified_citations_are_listed_as_verified(attached):
    from prep.sections import sections

    text = "\n".join("".join(run for run, _ in block.runs) for block in sections(attached))
    assert "经核对与检索库一致：《刑法》第三百四十三条。" in text


# -- the record of 法发〔2020〕24号 item 八 ----------------------------------------------------------
def test_every_item_eight_field_is_recorded(searcher, monkeypatch):
    from prep.sections import sections

    monkeypatch.setenv("LEIAN_USER", "王检察官")
    record = attach_citations(searcher, REPORT + "\n争议焦点\n非法采矿造成的生态损害能否请求修复。\n")
    assert record.by == "王检察官" and record.searched_at[:10] == TODAY.isoformat()       # 主体、时间
    assert record.platform.index_build and record.platform.counts["guiding_case"] >= 2    # 平台
    assert [r.purpose for r in record.runs][:2] == ["案件事实", "争议焦点一"]                # 方法
    assert any(r.method == "法条关联案件检索" for r in record.runs)
    assert record.issues == ["非法采矿造成的生态损害能否请求修复"] and record.issues_source == "争议焦点"
    case = record.cases[0]                                                                 # 结果、裁判要点
    assert case.holding and case.reference == "应当参照" and case.similar and case.found_by
    text = "\n".join("".join(t for t, _ in b.runs) for b in sections(record))
    for label in ("检索主体：王检察官", "检索时间：", "检索平台：leian", "检索方法：", "检索记录：", "待决案件争议焦点",
                  "二、检索结果", "三、结果运用情况", "应当参照", "相似之处：", "结果运用：", "条文版本时点："):
        assert label in text, label


def test_by_and_issues_given(searcher):
    record = attach_citations(searcher, REPORT, by=" 李四 ", issues=["矿区生态修复责任如何承担"])
    assert record.by == "李四" and record.issues_source == "检索人提供"
    assert record.runs[1].purpose == "争议焦点一" and record.runs[1].query == "矿区生态修复责任如何承担"
    with pytest.raises(BadReport, match="longer than 100"):
        attach_citations(searcher, REPORT, by="张" * 101)


def test_tiers_without_hits_are_shown(searcher):
    from prep.sections import sections

    record = attach_citations(searcher, "案件事实\n某河道长期存在采砂行为，河床下切，堤防安全受到威胁。")
    text = [("".join(t for t, _ in b.runs), b.level) for b in sections(record)]
    empty = [tier for tier in TIERS[:3] if not any(c.tier == tier for c in record.cases)]
    assert empty and len(empty) < 3
    for tier in TIERS[:3]:
        at = text.index((tier, 3))
        assert (text[at + 1] == ("未检索到相关案例。", 0)) == (tier in empty)


def test_as_of_lists_that_days_versions(searcher):
    before = attach_citations(searcher, REPORT, as_of=datetime.date(2020, 1, 1))
    now = attach_citations(searcher, REPORT, as_of=TODAY)
    assert before.as_of_source == "检索人指定" and before.as_of == "2020-01-01"
    assert all("2024年修订" not in a.citation for a in before.articles)
    assert all("2009年修正" not in a.citation for a in now.articles)
    assert by_raw(before, "《中华人民共和国矿产资源法》（2009年修正）第三十九条").severity == "note"
    assert by_raw(now, "《中华人民共和国矿产资源法》（2009年修正）第三十九条").severity == "warning"
