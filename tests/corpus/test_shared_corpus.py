"""Integration over the real shared corpus (read in place, never copied): ingest once, check
the documents procurators rely on."""
from pathlib import Path

import pytest

from corpus.ingest import IngestResult, ingest

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}"),
]


@pytest.fixture(scope="module")
def result() -> IngestResult:
    return ingest([CORPUS])




def test_counts_reconcile(result):
    summary = result.summary()
    files_on_disk = sum(1 for p in CORPUS.rglob("*")
                        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(CORPUS).parts))
    assert summary["files_seen"] == files_on_disk
    assert summary["files_seen"] == summary["files_ingested"] + len(summary["skipped"])
    assert summary["files_ingested"] > 4000
    assert summary["documents"]["statute"] > 3000
    assert summary["documents"]["guiding_case"] > 400
    assert summary["citation_edges"] > 1500


def test_no_real_statute_is_skipped(result):
    """Skips are folder notes (_index.md, README.md) or files that hold a title and nothing else."""
    for skipped in result.skipped:
        name = Path(skipped.path).name
        if name in ("_index.md", "README.md"):
            assert skipped.reason.startswith(("folder description", "folder notes")), skipped
        else:
            assert skipped.reason.startswith("only a title"), skipped
            text = (CORPUS.parent / skipped.path).read_text(encoding="utf-8")
            body = text.split("<!-- INFO END -->", 1)[-1]
            assert not body.strip(), skipped        # really nothing after the header
    assert len(result.skipped) < 50


def test_mineral_resources_law_2024_articles_are_current(docs, resolver):
    law = docs["law:矿产资源法@2024-11-08"]
    assert (law.validity, law.level, law.version_label) == ("current", "law", "2024年修订")
    for article in ("七十四", "七十六", "七十八"):
        res = resolver.resolve_text(f"矿产资源法第{article}条")
        assert res.status == "ok", article
        assert res.doc_id == "law:矿产资源法@2024-11-08"
        assert res.unit_id.startswith("law:矿产资源法@2024-11-08#a7")
    a74 = next(u for u in law.units if u.unit_id == "law:矿产资源法@2024-11-08#a74")
    assert a74.label == "第七十四条" and "法律责任" in a74.heading


def test_mineral_resources_law_2009_is_superseded_by_2024(docs, resolver):
    old = docs["law:矿产资源法@2009-08-27"]
    assert (old.validity, old.superseded_by) == ("superseded", "law:矿产资源法@2024-11-08")
    res = resolver.resolve_text("《中华人民共和国矿产资源法》（2009年修正）第三条")
    assert (res.status, res.unit_id) == ("superseded", "law:矿产资源法@2009-08-27#a3")
    assert res.current_unit_id == "law:矿产资源法@2024-11-08#a3"


def test_spp_guiding_case_28(docs, result):
    case = docs["spp:28"]
    assert case.title == "许建惠、许玉仙民事公益诉讼案"
    assert (case.case_no, case.batch, case.version_date) == ("检例第28号", "第八批指导性案例", "2017-01-04")
    holding = case.unit("holding")
    assert holding is not None and len(holding.text) > 50
    assert "民事公益诉讼" in case.procedures
    edges = [e for e in result.edges if e["from_doc"] == "spp:28"]
    linked = [e for e in edges if e["to_unit"]]
    assert len(linked) >= 2
    units = {u.unit_id: u for d in result.documents for u in d.units}
    for edge in linked:
        assert units[edge["to_unit"]].kind == "article"
        assert edge["from_unit"] == "spp:28#provisions"
    assert any(e["to_key"] == "固体废物污染环境防治法#17" for e in linked)


def test_spp_titles_are_titles(docs):
    """Later batches write titles in plain text above （检例第N号）: no case is titled by its keywords."""
    assert docs["spp:39"].title == "朱炜明操纵证券市场案"
    assert docs["spp:179"].title == "刘某某贩卖毒品二审抗诉案"
    for doc in docs.values():
        if doc.court == "spp" and doc.units and not doc.stub:
            assert doc.title != doc.units[0].text.split("\n")[0][:40], doc.doc_id
            assert "撰写人" not in doc.title and "撰稿人" not in doc.title, doc.doc_id


def test_procuratorate_pil_rule_is_segmented_into_articles(docs, resolver):
    rule = docs["law:人民检察院公益诉讼办案规则@2021-06-29"]
    assert (rule.doc_type, rule.level) == ("rule", "procuratorate_rule")
    articles = [u for u in rule.units if u.kind == "article"]
    assert len(articles) >= 100
    assert [u.number for u in articles[:3]] == [1, 2, 3]
    assert rule.sources[0].format == "docx"
    assert resolver.resolve_text("人民检察院公益诉讼办案规则第七十五条").status == "ok"


def test_civil_code_is_one_current_document(docs, resolver):
    codes = [d for d in docs.values() if d.law_key == "民法典"]
    assert len(codes) == 1
    assert codes[0].validity == "current"
    assert len(codes[0].sources) == 8           # one file per 编, 婚姻家庭编 included
    for article in ("一", "一千零四十二", "一千二百六十"):
        assert resolver.resolve_text(f"民法典第{article}条").status == "ok", article


def test_spc_guiding_sources_merge(docs):
    case = docs["spc:215"]
    formats = sorted({s.format for s in case.sources})
    assert "jsonl" in formats and "json" in formats
    assert case.unit("holding") is not None and case.unit("facts") is not None


def test_spc_typical_cases_are_spc(docs):
    typical = [d for d in docs.values() if d.doc_type == "typical_case"
               and any("spc-typical" in s.path for s in d.sources)]
    assert len(typical) >= 40
    assert all(d.court == "spc" for d in typical)
    assert all(d.version_date == "" and d.batch == "" for d in typical)
