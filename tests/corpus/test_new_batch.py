"""Data that keeps coming: a new SPP batch in the published layout is ingested with no code change."""
import json
from pathlib import Path

from corpus.ingest import ingest
from corpus.resolve import Resolver

# A made-up 第五十九批 in the layout of the SPP's batch pages (notice, then cases with bold heads).
NEW_BATCH = """---
source: https://www.spp.gov.cn/example/batch59.shtml
---
#  最高检发布第五十九批指导性案例
最高检发布第五十九批指导性案例
日前，最高人民检察院发布第五十九批指导性案例。
** 关于印发最高人民检察院  **
** 第五十九批指导性案例的通知  **
现将某公司非法采矿生态破坏民事公益诉讼案（检例第262号）作为第五十九批指导性案例发布，供参照适用。
最高人民检察院
2026年1月10日
**某矿业公司非法采矿生态破坏**
**民事公益诉讼案**
（检例第262号）
** 【关键词】  **
民事公益诉讼 非法采矿 生态修复 惩罚性赔偿
** 【要旨】  **
越界开采破坏矿区生态的，检察机关可以依据矿产资源法第七十四条提起民事公益诉讼，请求侵权人承担生态修复责任。
** 【基本案情】  **
某矿业公司超出采矿许可证范围越界开采，造成山体破损。
** 【检察机关履职过程】  **
检察机关依法提起民事公益诉讼。
** 【指导意义】  **
办理非法采矿公益诉讼案件，应当一并追究生态修复责任。
** 【相关规定】  **
《中华人民共和国矿产资源法》（2024年修订）第七十四条
** 办案检察院：  ** 某省人民检察院
"""

MINING = """# 中华人民共和国矿产资源法

2024年11月8日 修订

<!-- INFO END -->

第一条 为了促进矿产资源合理开发利用，制定本法。

第七十四条 违反本法规定，破坏矿产资源或者污染环境、破坏生态，损害社会公共利益的，人民检察院可以依法提起诉讼。
"""

CATALOGUE = {"meta": {}, "cases": [
    {"id": "spp-261", "source": "spp", "code": "检例第261号", "title": "另一案", "stub": True}]}


def write_batch(root: Path) -> Path:
    path = root / "cases" / "spp-guiding" / "59[2026-01-10]最高检发布第五十九批指导性案例.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NEW_BATCH, encoding="utf-8")
    return path


def test_a_new_batch_file_is_ingested_and_resolves(tmp_path):
    write_batch(tmp_path)
    (tmp_path / "statutes").mkdir()
    (tmp_path / "statutes" / "矿产资源法(2024-11-08).md").write_text(MINING, encoding="utf-8")
    (tmp_path / "catalog.json").write_text(json.dumps(CATALOGUE, ensure_ascii=False), encoding="utf-8")
    result = ingest([tmp_path], workers=1)
    docs = {d.doc_id: d for d in result.documents}
    case = docs["spp:262"]
    assert (case.doc_type, case.case_no, case.title, case.stub) == \
        ("guiding_case", "检例第262号", "某矿业公司非法采矿生态破坏民事公益诉讼案", False)
    assert "第五十九批" in case.batch and case.version_date == "2026-01-10"
    assert [u.kind for u in case.units] == ["keywords", "holding", "facts", "process", "significance", "provisions"]
    assert case.unit("holding").label == "【要旨】" and case.standing == "current"
    res = Resolver(result.documents).resolve_text("检例第262号")
    assert (res.status, res.unit_id) == ("ok", "spp:262#holding")
    assert [(e["to_unit"], e["status"]) for e in result.edges if e["from_doc"] == "spp:262"] == \
        [("law:矿产资源法@2024-11-08#a74", "ok")]
    assert docs["spp:261"].stub   # the catalogue's own entries stay what they are


def test_the_same_case_from_two_sources_keeps_the_fullest_text_and_invents_nothing(tmp_path):
    write_batch(tmp_path)
    longer_facts = "某矿业公司超出采矿许可证范围越界开采，造成山体破损、植被毁坏，经鉴定生态修复费用为三百万元。"
    record = {"title": "检例第262号：某矿业公司非法采矿生态破坏民事公益诉讼案", "basic_facts": longer_facts}
    (tmp_path / "more.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    case = {d.doc_id: d for d in ingest([tmp_path], workers=1).documents}["spp:262"]
    assert case.unit("facts").text == longer_facts
    assert case.unit("holding").text.startswith("越界开采")
    assert len(case.sources) == 2 and len([u for u in case.units if u.kind == "facts"]) == 1
