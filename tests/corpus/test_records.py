"""Cases as JSON records (two overlapping SPC sources) and the metadata-only catalogue."""
import json
from pathlib import Path

from corpus.ingest import ingest
from corpus.records import catalogue_entries, is_case_record, is_catalogue, record_to_case
from corpus.resolve import Resolver

JSONL_RECORD = {
    "case_id": "2023-18-1-340-001",
    "title": "指导性案例215号：昆明某纸业有限责任公司等污染环境刑事附带民事公益诉讼案",
    "case_level": "指导性案例",
    "category": "刑事",
    "sub_category": "刑事附带民事公益诉讼",
    "keywords": "['刑事', '刑事附带民事公益诉讼', '环境污染', '公司法人人格否认']",
    "referee_points": "公司股东滥用公司法人独立地位、股东有限责任，导致公司不能履行生态环境损害修复义务的，股东应当承担连带责任。",
    "basic_facts": "被告单位某纸业公司于2005年成立。",
    "judgment_result": "法院判决被告单位犯污染环境罪，判处罚金。",
    "judgment_reason": "法院生效裁判认为：企业应当承担保护环境的社会责任。",
    "related_laws": "['《中华人民共和国长江保护法》第93条', '《中华人民共和国民法典》第83条、第1235条']",
    "source_url": "",
}
JSON_RECORDS = {
    "spc-215": {
        "num": 215,
        "title": "昆明某纸业有限责任公司等污染环境刑事附带民事公益诉讼案",
        "url": "https://www.court.gov.cn/shenpan/xiangqing/215.html",
        "factsText": "被告单位某纸业公司于2005年成立，注册资本100万元。2015年起违法排放造纸废水，污染螳螂川河道。",
        "outcomeText": "判决",
    },
    "spc-61": {
        "num": 61,
        "title": "马某利用未公开信息交易案",
        "url": "https://www.court.gov.cn/shenpan/xiangqing/61.html",
        "factsText": "被告人马某担任基金经理期间，利用未公开信息交易股票。",
        "outcomeText": "法院判决马某犯利用未公开信息交易罪。",
    },
}


def _write_sources(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "official_cases.jsonl").write_text(json.dumps(JSONL_RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "spc-fulltext.json").write_text(json.dumps(JSON_RECORDS, ensure_ascii=False), encoding="utf-8")


def test_two_sources_of_one_case_merge_into_one_document(tmp_path):
    _write_sources(tmp_path / "spc-guiding")
    result = ingest([tmp_path / "spc-guiding"])
    assert result.skipped == []
    docs = {d.doc_id: d for d in result.documents}
    assert sorted(docs) == ["spc:215", "spc:61"]
    doc = docs["spc:215"]
    assert (doc.doc_type, doc.court, doc.case_no, doc.case_number) == ("guiding_case", "spc", "指导案例215号", 215)
    assert doc.title == "昆明某纸业有限责任公司等污染环境刑事附带民事公益诉讼案"
    assert sorted((s.path, s.format, s.record) for s in doc.sources) == [
        ("spc-guiding/official_cases.jsonl", "jsonl", "line 1"),
        ("spc-guiding/spc-fulltext.json", "json", "spc-215")]
    assert doc.url == "https://www.court.gov.cn/shenpan/xiangqing/215.html"


def test_merge_keeps_the_fullest_text_of_each_section(tmp_path):
    _write_sources(tmp_path / "spc-guiding")
    doc = {d.doc_id: d for d in ingest([tmp_path / "spc-guiding"]).documents}["spc:215"]
    units = {u.unit_id: u for u in doc.units}
    assert sorted(units) == sorted(f"spc:215#{k}" for k in
                                   ("keywords", "holding", "facts", "process", "process2", "provisions"))
    assert units["spc:215#facts"].text == JSON_RECORDS["spc-215"]["factsText"]          # the longer one
    assert units["spc:215#process"].text == JSONL_RECORD["judgment_result"]            # longer than "判决"
    assert units["spc:215#holding"].text == JSONL_RECORD["referee_points"]
    assert all(u.doc_id == "spc:215" for u in doc.units)
    assert len({u.unit_id for u in doc.units}) == len(doc.units)


def test_record_fields_lists_keywords_and_procedures():
    doc = record_to_case(JSONL_RECORD, "x/official_cases.jsonl", "line 1", "jsonl")
    assert doc.doc_id == "spc:215"
    # related_laws arrives as the Python repr of a list
    assert doc.unit("provisions").text == "《中华人民共和国长江保护法》第93条\n《中华人民共和国民法典》第83条、第1235条"
    assert doc.unit("provisions").label == "【相关法条】"
    assert doc.keywords == ["刑事", "刑事附带民事公益诉讼", "环境污染", "公司法人人格否认"]
    assert doc.procedures == ["刑事附带民事公益诉讼"]
    assert doc.domains == ["生态环境和资源保护"]
    assert [u.label for u in doc.units] == ["【关键词】", "【裁判要点】", "【基本案情】", "【裁判结果】", "【裁判理由】",
                                           "【相关法条】"]


def test_provisions_of_a_record_become_edges(tmp_path):
    folder = tmp_path / "corpus"
    _write_sources(folder / "spc-guiding")
    law = folder / "statutes" / "长江保护法(2020-12-26).md"
    law.parent.mkdir(parents=True)
    law.write_text("# 中华人民共和国长江保护法\n\n<!-- INFO END -->\n\n"
                   + "\n\n".join(f"第{n}条 第{n}条的内容。" for n in ("九十二", "九十三", "九十四")) + "\n",
                   encoding="utf-8")
    result = ingest([folder])
    edges = [e for e in result.edges if e["from_doc"] == "spc:215"]
    assert [(e["to_key"], e["status"], e["to_unit"]) for e in edges] == [
        ("长江保护法#93", "ok", "law:长江保护法@2020-12-26#a93"),
        ("民法典#83", "unknown_law", ""),
        ("民法典#1235", "unknown_law", "")]


def test_is_case_record():
    assert is_case_record({"basic_facts": "事实"})
    assert is_case_record({"factsText": "事实"})
    assert not is_case_record({"title": "只有标题", "keywords": "a b"})
    assert not is_case_record(["basic_facts"])
    assert record_to_case({"title": "x", "keywords": "a", "basic_facts": ""}, "p", "r", "json") is None


CATALOGUE = {
    "meta": {"feedVersion": "1", "note": "metadata only"},
    "cases": [
        {"id": "spp-999", "source": "spp", "code": "检例第999号", "batch": "第九十九批指导性案例（2030）",
         "year": 2030, "title": "某某非法采矿案", "officialUrl": "https://www.spp.gov.cn/999.shtml", "stub": True},
        {"id": "spc-61", "source": "spc", "code": "指导案例第61号", "batch": "第13批指导性案例（2016）",
         "year": 2016, "title": "马某利用未公开信息交易案", "stub": False},
        {"id": "moj-1", "source": "moj", "code": "无编号", "title": "没有编号的案例"},
    ],
}


def test_catalogue_entries_are_stubs():
    assert is_catalogue(CATALOGUE)
    assert not is_catalogue(JSON_RECORDS)
    docs = catalogue_entries(CATALOGUE, "catalog/feed.json")
    assert [d.doc_id for d in docs] == ["spp:999", "spc:61"]        # an entry without a number is dropped
    stub = docs[0]
    assert (stub.stub, stub.case_no, stub.court, stub.title) == (True, "检例第999号", "spp", "某某非法采矿案")
    assert (stub.batch, stub.version_date, stub.url) == ("第九十九批指导性案例（2030）", "2030",
                                                        "https://www.spp.gov.cn/999.shtml")
    assert stub.units == []
    assert stub.sources[0].record == "spp-999"


def test_catalogue_stub_resolves_by_case_number_and_fills_known_cases(tmp_path):
    _write_sources(tmp_path / "corpus" / "spc-guiding")
    (tmp_path / "corpus" / "catalog").mkdir()
    (tmp_path / "corpus" / "catalog" / "feed.json").write_text(json.dumps(CATALOGUE, ensure_ascii=False),
                                                               encoding="utf-8")
    result = ingest([tmp_path / "corpus"])
    docs = {d.doc_id: d for d in result.documents}
    assert docs["spp:999"].stub is True
    assert result.summary()["catalogue_only"] == 1
    # a case with text is no stub; the catalogue adds its batch and a source
    known = docs["spc:61"]
    assert known.stub is False
    assert known.batch == "第13批指导性案例（2016）"
    assert "corpus/catalog/feed.json" in [s.path for s in known.sources]

    resolver = Resolver(result.documents)
    res = resolver.resolve_text("检例第999号")
    assert (res.status, res.doc_id, res.unit_id, res.found) == ("stub", "spp:999", "", True)
    res = resolver.resolve_text("指导案例61号")
    assert (res.status, res.doc_id, res.unit_id) == ("ok", "spc:61", "spc:61#facts")
