"""Bad input never sinks an ingest: every file is either ingested or skipped with a reason."""
import json
import zipfile
from pathlib import Path

import docx

from corpus.ingest import IngestResult, ingest

GOOD_LAW = "# 中华人民共和国某某法\n\n<!-- INFO END -->\n\n第一条 为了规范某某，制定本法。\n\n第二条 本法自公布之日起施行。\n"


def _ingest(folder: Path) -> IngestResult:
    """Ingest `folder` (plus one good law) and check the invariants every bad input must keep."""
    (folder / "某某法(2020-01-01).md").write_text(GOOD_LAW, encoding="utf-8")
    result = ingest([folder])            # must not raise
    summary = result.summary()
    assert summary["files_seen"] == summary["files_ingested"] + len(summary["skipped"])
    assert summary["files_seen"] == len(list(folder.iterdir()))
    assert "law:某某法@2020-01-01" in [d.doc_id for d in result.documents]
    return result


def _skip_reason(result: IngestResult, name: str) -> str:
    reasons = [s.reason for s in result.skipped if Path(s.path).name == name]
    assert len(reasons) == 1, f"{name} not skipped: {result.skipped}"
    assert reasons[0]
    status = {Path(f["path"]).name: f["status"] for f in result.files}
    assert status[name] == "skipped"
    return reasons[0]


def test_empty_file(tmp_path):
    (tmp_path / "空白.md").write_bytes(b"  \n\n")
    assert _skip_reason(_ingest(tmp_path), "空白.md") == "empty file"


def test_gbk_file_is_reported_as_not_utf8(tmp_path):
    (tmp_path / "旧编码.md").write_bytes(GOOD_LAW.encode("gbk"))
    reason = _skip_reason(_ingest(tmp_path), "旧编码.md")
    assert "not UTF-8" in reason and "UTF-8" in reason.split(";")[-1]


def test_broken_docx(tmp_path):
    (tmp_path / "损坏_20200101.docx").write_bytes(bytes(range(256)) * 4)
    reason = _skip_reason(_ingest(tmp_path), "损坏_20200101.docx")
    assert reason.startswith("not a readable .docx")


def test_zip_that_is_not_a_docx(tmp_path):
    with zipfile.ZipFile(tmp_path / "压缩包_20200101.docx", "w") as z:
        z.writestr("hello.txt", "hi")
    assert _skip_reason(_ingest(tmp_path), "压缩包_20200101.docx").startswith("not a readable .docx")


def test_docx_with_a_damaged_xml_part_is_the_files_fault_not_a_parser_error(tmp_path):
    good = tmp_path / "good.docx.tmp"
    document = docx.Document()
    document.add_paragraph("某某规则")
    document.save(str(good))
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(tmp_path / "某某规则_20200101.docx", "w") as zout:
        for info in zin.infolist():
            data = b"<w:document" if info.filename == "word/document.xml" else zin.read(info.filename)
            zout.writestr(info, data)
    good.unlink()
    reason = _skip_reason(_ingest(tmp_path), "某某规则_20200101.docx")
    assert reason.startswith("not a readable .docx")
    assert "parser error" not in reason


def test_docx_statute_is_segmented_and_titled_by_its_file_name(tmp_path):
    document = docx.Document()
    for text in ["", "人民检察院某某", "规则", "（2021年6月29日最高人民检察院第十三届检察委员会第六十九次会议通过）",
                 "第一章 总则", "第一条　为了规范某某工作，制定本规则。", "人民检察院办理某某案件，适用本规则。",
                 "第二条　本规则自发布之日起施行。"]:
        document.add_paragraph(text)
    document.save(str(tmp_path / "某某规则_20210629.docx"))
    result = _ingest(tmp_path)
    assert result.skipped == []
    doc = next(d for d in result.documents if d.sources[0].format == "docx")
    assert doc.title == "某某规则"                       # from the name: the paragraphs wrap the title
    assert (doc.doc_id, doc.version_date) == ("law:某某规则@2021-06-29", "2021-06-29")
    assert [(u.label, u.heading) for u in doc.units] == [("第一条", "第一章 总则"), ("第二条", "第一章 总则")]
    assert doc.units[0].text == "为了规范某某工作，制定本规则。\n人民检察院办理某某案件，适用本规则。"
    assert (doc.doc_type, doc.level) == ("statute", "departmental_rule")


def test_docx_with_no_text(tmp_path):
    docx.Document().save(str(tmp_path / "空文档_20200101.docx"))
    assert _skip_reason(_ingest(tmp_path), "空文档_20200101.docx") == "no text in the document"


def test_invalid_json(tmp_path):
    (tmp_path / "cases.json").write_text('{"spc-1": {"num": 1,\n', encoding="utf-8")
    reason = _skip_reason(_ingest(tmp_path), "cases.json")
    assert reason.startswith("invalid JSON at line 2")


def test_json_without_case_records(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({"a": 1, "b": [1, 2]}), encoding="utf-8")
    assert "no case records" in _skip_reason(_ingest(tmp_path), "settings.json")


def test_jsonl_bad_line_is_a_warning_and_good_lines_are_kept(tmp_path):
    lines = [json.dumps({"title": "指导性案例1号：甲案", "basic_facts": "甲的事实。"}, ensure_ascii=False),
             '{"title": "broken',
             json.dumps({"title": "指导性案例2号：乙案", "referee_points": "乙的要点。"}, ensure_ascii=False),
             json.dumps({"title": "没有正文"}, ensure_ascii=False)]
    (tmp_path / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _ingest(tmp_path)
    assert not [s for s in result.skipped if s.path.endswith("cases.jsonl")]
    assert {d.doc_id for d in result.documents} >= {"spc:1", "spc:2"}
    assert result.warnings == [{"path": f"{tmp_path.name}/cases.jsonl",
                                "warning": "skipped lines that are not valid case records: 2, 4"}]
    assert result.summary()["warnings"] == result.warnings


def test_jsonl_with_only_bad_lines_is_skipped(tmp_path):
    (tmp_path / "cases.jsonl").write_text("{oops\n[1, 2]\n", encoding="utf-8")
    assert _skip_reason(_ingest(tmp_path), "cases.jsonl") == "no valid case records (bad lines: 1, 2)"


def test_case_looking_batch_with_zero_cases(tmp_path):
    (tmp_path / "第一批典型案例.md").write_text("# 第一批典型案例\n\n**【关键词】**\n\n**【要旨】**\n\n", encoding="utf-8")
    assert _skip_reason(_ingest(tmp_path), "第一批典型案例.md") == "looks like a case batch but splits into zero cases"


def test_unsupported_extension(tmp_path):
    (tmp_path / "某某法.pdf").write_bytes(b"%PDF-1.4")
    assert _skip_reason(_ingest(tmp_path), "某某法.pdf") == "unsupported file type '.pdf'"


def test_index_md_front_matter_only(tmp_path):
    (tmp_path / "_index.md").write_text("---\ntitle: 刑法\nbookCollapseSection: true\n---\n", encoding="utf-8")
    reason = _skip_reason(_ingest(tmp_path), "_index.md")
    assert reason == "folder description (front matter only), not a document"


def test_readme_is_not_a_case(tmp_path):
    """A corpus README that quotes 【要旨】 heads must not become a typical case."""
    (tmp_path / "README.md").write_text("# Legal corpus\n\nEach case has 【关键词】 【要旨】 【基本案情】 heads.\n"
                                        "【要旨】 is the holding.\n", encoding="utf-8")
    result = _ingest(tmp_path)
    assert _skip_reason(result, "README.md") == "folder notes (README), not a document"
    assert [d.doc_type for d in result.documents] == ["statute"]


def test_title_only_markdown(tmp_path):
    (tmp_path / "某某条例(2022-05-30).md").write_text("# 某某条例\n\n<!-- INFO END -->\n\n", encoding="utf-8")
    assert _skip_reason(_ingest(tmp_path), "某某条例(2022-05-30).md").startswith("only a title")


def test_hidden_files_are_not_seen(tmp_path):
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    hidden = tmp_path / ".git"
    hidden.mkdir()
    (hidden / "config").write_text("x", encoding="utf-8")
    (tmp_path / "某某法(2020-01-01).md").write_text(GOOD_LAW, encoding="utf-8")
    result = ingest([tmp_path])
    assert [Path(f["path"]).name for f in result.files] == ["某某法(2020-01-01).md"]
    assert result.skipped == []
