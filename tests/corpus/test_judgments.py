"""Judgments: 案号 forms, court levels, dates, parts, applied articles, dedupe, skips — on made-up judgments."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judgments_written import PLAIN_TEXT, drunk_driving, write_judgments  # noqa: E402

from corpus.citations import render_key
from corpus.ingest import ingest
from corpus.judgments import (applied_citations, charges_in_text, court_level, judgment_date, parse_case_number,
                              record_to_judgment, split_parts, text_to_judgment)


@pytest.mark.parametrize("text, year, court, kind, procedure, seq", [
    ("（2016）京01刑初119号", 2016, "京01", "刑事", "一审", 119),
    ("(2018)最高法刑核1号", 2018, "最高法", "刑事", "复核", 1),
    ("（2019）沪0115刑初2345号", 2019, "沪0115", "刑事", "一审", 2345),
    ("（2017）粤14刑终126号", 2017, "粤14", "刑事", "二审", 126),
    ("（2015）昌刑初字第304号", 2015, "昌", "刑事", "一审", 304),
    ("（2014）宜中刑一初字第11号", 2014, "宜中", "刑事", "一审", 11),
    ("（2020）最高法民再5号", 2020, "最高法", "民事", "再审", 5),
])
def test_case_numbers(text, year, court, kind, procedure, seq):
    n = parse_case_number(f"某某人民法院 刑事判决书 {text} 公诉机关")
    assert (n.year, n.court_code, n.kind, n.procedure, n.sequence) == (year, court, kind, procedure, seq)
    assert n.text.startswith("（") and n.text.endswith("号")


def test_no_case_number():
    assert parse_case_number("本院认为，被告人构成盗窃罪") is None


@pytest.mark.parametrize("court, code, level", [
    ("最高人民法院", "最高法", "supreme_court"), ("北京市高级人民法院", "京", "high_court"),
    ("北京市第一中级人民法院", "京01", "intermediate_court"), ("上海市浦东新区人民法院", "沪0115", "basic_court"),
    ("", "京01", "intermediate_court"), ("", "沪0115", "basic_court"), ("", "京", "high_court"), ("", "", ""),
])
def test_court_level(court, code, level):
    assert court_level(court, code) == level


def test_date_is_the_signed_one_not_an_appended_text():
    assert judgment_date(PLAIN_TEXT.replace("\n", " ")) == "2019-06-12"
    assert judgment_date("审判长某 二〇一六年六月十二日 书记员某") == "2016-06-12"
    assert judgment_date("没有日期") == ""


def test_applied_articles_with_enumerations():
    text = "依照《中华人民共和国刑法》第三百四十七条第一、四款；第六十七条第三款；第六十四条之规定，判决如下："
    assert [c.key for c in applied_citations(text)] == ["刑法#347", "刑法#67", "刑法#64"]
    text = "依照《中华人民共和国刑事诉讼法》第二百二十五条第一款第（二）项和《中华人民共和国刑法》第五条、第五十二条"
    assert [c.key for c in applied_citations(text)] == ["刑事诉讼法#225", "刑法#5", "刑法#52"]
    assert render_key("刑法#133.1") == "《中华人民共和国刑法》第一百三十三条之一"


def test_charges_as_stated():
    assert charges_in_text("被告人亓鑫犯贩卖毒品罪，判处…，犯容留他人吸毒罪，判处…") == ["贩卖毒品罪", "容留他人吸毒罪"]
    assert charges_in_text("其行为已构成盗窃罪。被告人犯罪以后自动投案，不构成犯罪") == ["盗窃罪"]


def test_cjo_record():
    doc = record_to_judgment(drunk_driving("莫新国", 771), "1.json", "", "json")
    assert doc.doc_type == "judgment"
    assert doc.doc_id == "judgment:湖南省长沙市天心区人民法院（2018）湘0103刑初771号刑事判决书"
    assert (doc.court, doc.case_no, doc.writ, doc.level) == ("湖南省长沙市天心区人民法院", "（2018）湘0103刑初771号",
                                                              "刑事判决书", "basic_court")
    assert doc.procedures == ["刑事", "一审"] and doc.version_date == "2018-06-20"
    assert doc.charges == ["危险驾驶罪"] and doc.parties == ["被告人莫新国"] and doc.case_id == "aj-莫新国"
    assert [u.kind for u in doc.units] == ["facts", "reasoning", "outcome"]
    assert doc.unit("outcome").text.startswith("被告人莫新国犯危险驾驶罪")


def test_record_parts_missing_from_fields_come_from_the_full_text():
    record = drunk_driving("莫新国", 771)
    del record["cpfxgc"], record["pjjg"]
    doc = record_to_judgment(record, "1.json", "", "json")
    assert doc.unit("reasoning").text.startswith("本院认为") and doc.unit("reasoning").text.endswith("判决如下：")
    assert doc.unit("outcome").text == "被告人莫新国犯危险驾驶罪，判处拘役二个月，并处罚金人民币三千元。"


def test_plain_text_judgment():
    doc = text_to_judgment(PLAIN_TEXT, "陈某.txt", "txt")
    assert doc.title == "上海市浦东新区人民法院（2019）沪0115刑初2345号刑事判决书"
    assert (doc.level, doc.procedures, doc.version_date) == ("basic_court", ["刑事", "一审"], "2019-06-12")
    parts = {u.kind: u.text for u in doc.units}
    assert parts["facts"].startswith("经审理查明") and "本院认为" not in parts["facts"]
    assert parts["reasoning"].startswith("本院认为") and parts["reasoning"].endswith("判决如下：")
    assert parts["outcome"].startswith("被告人陈某犯贩卖毒品罪") and "审判员" not in parts["outcome"]
    assert doc.charges == ["贩卖毒品罪"] and "被告人陈某" in doc.parties


def test_a_judgment_without_reasoning_keeps_its_other_parts():
    parts = split_parts("某某县人民法院 刑事判决书 （2016）京0101刑初1号 经审理查明：被告人某盗窃。判决如下：被告人某犯盗窃罪。")
    assert parts["facts"].startswith("经审理查明") and parts["reasoning"] == ""
    assert parts["outcome"] == "被告人某犯盗窃罪。"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return ingest([write_judgments(tmp_path_factory.mktemp("j") / "judgments")], workers=1)


def test_folder_ingest(result):
    judgments = {d.doc_id: d for d in result.documents if d.doc_type == "judgment"}
    assert len(judgments) == 6   # 1.json and its copy are one; list.json two; more.jsonl two; the .txt one
    copy = judgments["judgment:湖南省长沙市天心区人民法院（2018）湘0103刑初771号刑事判决书"]
    assert sorted(s.path.split("/")[-1] for s in copy.sources) == ["1.json", "copy-of-1.json"]
    zeng = [d for d in judgments.values() if d.case_id == "aj-case-zeng"]
    assert sorted(d.procedures[1] for d in zeng) == ["一审", "二审"]
    assert {d.level for d in zeng} == {"basic_court", "intermediate_court"}


def test_bad_files_are_skipped_with_their_reason(result):
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert reasons["broken.json"].startswith("invalid JSON")
    assert "no facts, reasoning or outcome" in reasons["header-only.json"]


def test_applied_articles_become_edges_to_article_units(result):
    edges = [e for e in result.edges if e["from_doc"].endswith("湘0103刑初771号刑事判决书")]
    assert {e["to_unit"] for e in edges} == {"law:刑法@2023-12-29#a133.1", "law:刑法@2023-12-29#a67"}
    theft = [e for e in result.edges if "京01刑初119号" in e["from_doc"]]
    assert {e["to_key"] for e in theft} == {"刑法#264", "刑法#65"}
    assert {e["status"] for e in theft} == {"ok", "unknown_article"}   # the tiny 刑法 has no 第六十五条


def test_same_text_in_word_is_read_as_a_judgment(tmp_path):
    import docx

    document = docx.Document()
    for line in PLAIN_TEXT.splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "陈某.docx")
    (doc,) = ingest([tmp_path], workers=1).documents
    assert doc.doc_type == "judgment" and doc.case_no == "（2019）沪0115刑初2345号"
    assert json.dumps(doc.charges, ensure_ascii=False) == '["贩卖毒品罪"]'
