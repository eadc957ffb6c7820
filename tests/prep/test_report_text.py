"""Reading a report's own structure: 争议焦点, proposed procedure, conduct and signing dates."""
import datetime

import pytest

from prep.report_text import (BadReport, conduct_date, default_as_of, find_issues, normalise_issues,
                              proposed_procedure, report_date, without_citations)

REPORT = """# 关于某公司非法采矿案的审查报告

## 一、案件事实

2021年3月至2022年10月，某公司越界开采石料，破坏山体。2024年2月，某县人民检察院立案审查。

## 二、争议焦点

1. 检察机关能否提起民事公益诉讼。
2. 生态修复费用如何认定。

## 三、审查意见

建议提起民事公益诉讼。

承办检察官：王某
二〇二五年三月十日
"""


def test_issues_are_read_one_by_one_without_the_signature():
    issues, heading = find_issues(REPORT)
    assert heading == "争议焦点" and issues == ["检察机关能否提起民事公益诉讼", "生态修复费用如何认定"]


def test_issues_inside_one_paragraph_and_the_opinion_as_fallback():
    issues, _ = find_issues("案件事实\n张某采矿。\n分歧意见\n一是能否起诉；二是修复费用如何计算。")
    assert issues == ["能否起诉", "修复费用如何计算"]
    issues, heading = find_issues("案件事实\n张某采矿。\n审查意见\n建议向人民法院提起民事公益诉讼。\n承办检察官：王某")
    assert heading == "审查意见" and issues == ["建议向人民法院提起民事公益诉讼"]
    assert find_issues("张某采矿。") == ([], "")


def test_given_issues_are_checked():
    assert normalise_issues([" 能否起诉 ", "", "  "]) == ["能否起诉"]
    with pytest.raises(BadReport, match="at most 5"):
        normalise_issues(["问题"] * 6)
    with pytest.raises(BadReport, match="limit is 300"):
        normalise_issues(["长" * 301])


def test_citations_are_cut_out_of_an_issue():
    assert without_citations("依据《中华人民共和国矿产资源法》第七十四条，检察机关能否起诉") == "依据，检察机关能否起诉"
    assert without_citations("参照检例第28号") == "参照"


@pytest.mark.parametrize("text, procedure, where", [
    (REPORT, "民事公益诉讼", "审查意见"),
    ("关于督促整治非法采砂行政公益诉讼案的审查报告\n案件事实\n某河道非法采砂。", "行政公益诉讼", "报告标题"),
    ("案件事实\n张某非法采矿，已被提起刑事附带民事公益诉讼。", "刑事附带民事公益诉讼", "报告全文"),
    ("案件事实\n张某盗窃。", "", ""),
])
def test_proposed_procedure(text, procedure, where):
    assert proposed_procedure(text) == (procedure, where)


def test_dates():
    assert report_date(REPORT) == datetime.date(2025, 3, 10)
    facts = "2021年3月至2022年10月，某公司越界开采石料。2024年2月，某县人民检察院立案审查。"
    # the 立案 date is the handling, not the conduct; a month alone counts to its end
    assert conduct_date(facts, not_after=datetime.date(2025, 3, 10)) == datetime.date(2022, 10, 31)
    today = datetime.date(2026, 1, 1)
    assert default_as_of(REPORT, facts, today) == (datetime.date(2022, 10, 31), "报告所述行为时间")
    assert default_as_of(REPORT, "某公司越界开采石料。", today) == (datetime.date(2025, 3, 10), "报告落款日期")
    assert default_as_of("张某采矿。", "张某采矿。", today) == (today, "检索当日")
    # a date after the report (or today) is not the conduct's
    assert conduct_date("2030年5月，张某采矿。", not_after=today) is None
