"""The SQLite store keeps everything ingest produced, and a rebuild gives the same result."""
import json
from dataclasses import asdict
from pathlib import Path

from corpus.ingest import build_store, ingest
from corpus.store import Store

LAW_2009 = ("# 中华人民共和国某某法\n\n2009年8月27日 第二次修正\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
            "第一条 旧法第一条。\n\n第二条 旧法第二条。\n\n第三条 旧法第三条。\n")
LAW_2024 = ("# 中华人民共和国某某法\n\n2024年11月8日 修订\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
            "第一条 新法第一条。\n\n第二条 新法第二条。\n款的内容。\n\n第三条 新法第三条。\n")
BATCH = """---
source: https://www.spp.gov.cn/28.shtml
---
# 第八批指导性案例_中华人民共和国最高人民检察院
> ,2017-01-04
**甲某民事公益诉讼案**
**（检例第28号）**
**【关键词】**
民事公益诉讼 生态环境修复
**【要旨】**
污染者应当承担修复责任。
**【相关规定】**
《中华人民共和国某某法》（2009年修正）第三条
《中华人民共和国某某法》第二条
"""
CATALOGUE = {"meta": {}, "cases": [{"id": "spp-999", "source": "spp", "code": "检例第999号", "title": "某案",
                                    "year": 2030, "stub": True}]}


def _corpus(root: Path) -> Path:
    for rel, text in (("statutes/某某法(2009-08-27).md", LAW_2009), ("statutes/某某法(2024-11-08).md", LAW_2024),
                      ("cases/08第八批指导性案例.md", BATCH),
                      ("catalog/feed.json", json.dumps(CATALOGUE, ensure_ascii=False)),
                      ("statutes/_index.md", "---\ntitle: x\n---\n"),
                      ("cases/bad.jsonl", '{"title": "指导性案例1号：甲案", "basic_facts": "事实。"}\n{oops\n')):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_round_trip_documents_units_sources(tmp_path):
    result = build_store([_corpus(tmp_path / "corpus")], tmp_path / "corpus.db")
    store = Store(tmp_path / "corpus.db")
    written = {d.doc_id: d for d in result.documents}
    read = {d.doc_id: d for d in store.documents()}
    assert sorted(read) == sorted(written) == ["law:某某法@2009-08-27", "law:某某法@2024-11-08", "spc:1",
                                               "spp:28", "spp:999"]
    for doc_id, doc in written.items():
        assert asdict(read[doc_id]) == asdict(doc), doc_id      # every field, units in order, sources
    case = read["spp:28"]
    assert case.keywords == ["民事公益诉讼", "生态环境修复"] and isinstance(case.keywords, list)
    assert case.domains == ["生态环境和资源保护"]
    assert read["spp:999"].stub is True and read["spp:28"].stub is False
    assert read["law:某某法@2024-11-08"].units[1].text == "新法第二条。\n款的内容。"
    assert read["law:某某法@2009-08-27"].superseded_by == "law:某某法@2024-11-08"


def test_round_trip_edges_files_skips_and_warnings(tmp_path):
    result = build_store([_corpus(tmp_path / "corpus")], tmp_path / "corpus.db")
    store = Store(tmp_path / "corpus.db")
    assert store.edges() == list(result.edges)
    assert [(e["to_unit"], e["status"]) for e in store.edges()] == [
        ("law:某某法@2009-08-27#a3", "superseded"), ("law:某某法@2024-11-08#a2", "ok")]
    assert sorted(f["path"] for f in store.files()) == sorted(f["path"] for f in result.files)
    assert {f["path"]: f["status"] for f in store.files()}["corpus/statutes/_index.md"] == "skipped"
    assert store.skipped() == [{"path": "corpus/statutes/_index.md",
                                "reason": "folder description (front matter only), not a document"}]
    assert store.warnings() == [{"path": "corpus/cases/bad.jsonl",
                                 "warning": "skipped lines that are not valid case records: 2"}]


def test_empty_store_reads_as_empty(tmp_path):
    store = Store(tmp_path / "empty.db")
    assert (store.documents(), store.edges(), store.files(), store.skipped(), store.warnings()) == ([], [], [], [], [])


def test_rebuild_is_idempotent(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    first = ingest([corpus])
    second = ingest([corpus])
    assert first.summary() == second.summary()
    assert first.summary()["files_seen"] == 6
    assert [asdict(d) for d in first.documents] == [asdict(d) for d in second.documents]
    assert list(first.edges) == list(second.edges)
    assert [f["sha1"] for f in first.files] == [f["sha1"] for f in second.files]
    build_store([corpus], tmp_path / "a.db")
    build_store([corpus], tmp_path / "b.db")
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    assert [asdict(d) for d in a.documents()] == [asdict(d) for d in b.documents()]
    assert a.edges() == b.edges() and a.files() == b.files()


def test_stored_documents_merge_again_to_the_same_documents(tmp_path):
    """`leian add` re-merges what the store holds: the stored documents must be a fixed point."""
    from corpus.merge import merge_cases, merge_statutes

    build_store([_corpus(tmp_path / "corpus")], tmp_path / "corpus.db")
    stored = Store(tmp_path / "corpus.db").documents()
    statutes = [d for d in stored if d.law_key]
    stubs = [d for d in stored if d.stub]
    cases = [d for d in stored if not d.law_key and not d.stub]
    again = merge_statutes(statutes) + merge_cases(cases, stubs)
    assert sorted((d.doc_id, d.validity, len(d.units), len(d.sources)) for d in again) == \
        sorted((d.doc_id, d.validity, len(d.units), len(d.sources)) for d in Store(tmp_path / "corpus.db").documents())
