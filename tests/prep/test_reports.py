"""Reading and writing review reports: the original is kept as it was, the sections come after it."""
import copy
import datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

from prep.record import build_record as attach_citations
from prep.reports import ReportError, atomic_write, read_report, render_markdown, write_report
from prep.sections import Block, sections

FACTS = "2023年3月，张某未取得采矿许可证，在某县山区擅自开采石灰岩，破坏山体，需要进行矿区生态修复。"
OPINION = "依据《中华人民共和国矿产资源法》（2009年修正）第三十九条、《某某不存在法》第五条，参照检例第999号。"


def make_docx(path: Path, headings: bool = True) -> Path:
    doc = docx.Document()
    doc.add_heading("关于张某非法采矿案的审查报告", level=0)
    doc.add_heading("案件事实", level=1)
    doc.add_paragraph(FACTS)
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "涉案面积"
    table.cell(0, 1).text = "12亩"
    doc.add_heading("审查意见", level=1)
    p = doc.add_paragraph("承办人认为：")
    p.add_run(OPINION).bold = True
    if not headings:
        for style in list(doc.styles):
            if style.name.startswith(("Heading", "Title")):
                style.element.getparent().remove(style.element)
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def attachment(searcher):
    return attach_citations(searcher, f"案件事实\n{FACTS}\n审查意见\n{OPINION}", as_of=datetime.date.today())


def body_xml(document) -> list[bytes]:
    return [etree.tostring(el) for el in document.element.body if not el.tag.endswith("}sectPr")]


def as_written(document) -> list[list[tuple[str, bool | None]]]:
    """Each body paragraph as (character, bold) pairs: what a reader sees, however runs are split."""
    return [[(ch, run.bold) for run in p.runs for ch in run.text] for p in document.paragraphs]


# -- reading -------------------------------------------------------------------------------------
def test_read_docx_in_order_with_tables_and_headings(tmp_path):
    report = read_report(make_docx(tmp_path / "r.docx"))
    assert report.kind == "docx"
    assert report.paragraphs == ["关于张某非法采矿案的审查报告", "案件事实", FACTS, "涉案面积", "12亩", "审查意见",
                                 "承办人认为：" + OPINION]
    assert report.text.split("\n")[:3] == ["# 关于张某非法采矿案的审查报告", "# 案件事实", FACTS]


def test_read_merged_cells_once(tmp_path):
    doc = docx.Document()
    table = doc.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "基本案情"
    table.cell(0, 2).text = FACTS
    doc.save(tmp_path / "t.docx")
    assert read_report(tmp_path / "t.docx").paragraphs == ["基本案情", FACTS]


def test_read_md_and_txt(tmp_path):
    (tmp_path / "r.md").write_text(f"# 报告\n\n## 案件事实\n\n{FACTS}\n", encoding="utf-8")
    (tmp_path / "r.txt").write_bytes(("\ufeff案件事实\r\n" + FACTS + "\r\n").encode("utf-8"))
    md, txt = read_report(tmp_path / "r.md"), read_report(tmp_path / "r.txt")
    assert md.kind == "md" and md.text == f"# 报告\n\n## 案件事实\n\n{FACTS}\n"
    assert txt.kind == "txt" and txt.text == f"案件事实\n{FACTS}\n"


@pytest.mark.parametrize("name, content, message", [
    ("missing.docx", None, "not found"),
    ("r.pdf", b"%PDF-1.4", "unsupported report type '.pdf'"),
    ("r.doc", b"x", "save it as .docx"),
    ("corrupt.docx", bytes(range(256)) * 8, "not a readable .docx"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "password-protected"),
    ("empty.docx", b"", "is empty"),
    ("empty.txt", b"", "is empty"),
    ("blank.md", "  \n\u3000\n".encode("utf-8"), "has no text"),
    ("gbk.txt", "案件事实：张某擅自采矿。".encode("gbk"), "not UTF-8"),
])
def test_bad_reports(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ReportError, match=message):
        read_report(path)


def test_docx_without_text_and_zip_that_is_not_word(tmp_path):
    docx.Document().save(tmp_path / "blank.docx")
    with pytest.raises(ReportError, match="has no text"):
        read_report(tmp_path / "blank.docx")
    import zipfile

    with zipfile.ZipFile(tmp_path / "other.docx", "w") as z:
        z.writestr("hello.txt", "not a word file")
    with pytest.raises(ReportError, match="not a readable .docx"):
        read_report(tmp_path / "other.docx")
    with pytest.raises(ReportError, match="folder"):
        read_report(tmp_path)


# -- writing -------------------------------------------------------------------------------------
def test_docx_original_kept_and_sections_appended(tmp_path, attachment):
    src = make_docx(tmp_path / "r.docx")
    original = docx.Document(src)
    before, tables = as_written(original), [etree.tostring(t._tbl) for t in original.tables]
    report = read_report(src)
    write_report(report, attachment, tmp_path / "out.docx")
    out = docx.Document(tmp_path / "out.docx")
    assert as_written(out)[:len(before)] == before                 # text and bold as they were
    assert [etree.tostring(t._tbl) for t in out.tables] == tables
    added = out.paragraphs[len(report.paragraphs) - 2:]        # the 2 table cells are not body paragraphs
    headings = [(p.style.name, p.text) for p in added if p.style.name.startswith("Heading")]
    assert [h for h in headings if h[0] == "Heading 1"] == [("Heading 1", "类案检索情况"), ("Heading 1", "相关法律规定"),
                                                           ("Heading 1", "引用核查")]
    assert ("Heading 2", "一、检索说明") in headings and ("Heading 3", "最高检指导性案例") in headings
    assert ("Heading 3", "最高法指导性案例") in headings       # a tier without hits is shown too
    case = next(p for p in added if "检例第28号" in p.text)
    assert [r.bold for r in case.runs if "检例第28号" in r.text] == [True]
    texts = [p.text for p in added]
    assert any(t.startswith("《中华人民共和国矿产资源法》（2024年修订）第七十四条\u3000违反本法规定") for t in texts)
    assert "【错误】检例第999号（位于“审查意见”）：检索库中没有检例第999号，请核对案例编号。" in texts


def test_docx_flags_are_word_comments_at_the_citations(tmp_path, attachment):
    src = make_docx(tmp_path / "r.docx")
    write_report(read_report(src), attachment, tmp_path / "out.docx")
    out = docx.Document(tmp_path / "out.docx")
    comments = {c.text: c for c in out.comments}
    assert any(t.startswith("【错误】检索库中没有检例第999号") for t in comments)
    assert any(t.startswith("【警示】引用的是已被修订的") for t in comments)
    # each comment covers exactly the citation, in the report's own paragraph
    body = out.element.body
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    for start in body.iterfind(".//w:commentRangeStart", ns):
        cid = start.get(f"{{{ns['w']}}}id")
        covered, inside = [], False
        for el in start.getparent().iter():
            if el is start:
                inside = True
            elif el.tag.endswith("}commentRangeEnd") and el.get(f"{{{ns['w']}}}id") == cid:
                break
            elif inside and el.tag.endswith("}t"):
                covered.append(el.text)
        assert "".join(covered) in {"检例第999号", "《某某不存在法》第五条", "《中华人民共和国矿产资源法》（2009年修正）第三十九条"}
    # a re-run replaces leian's comments instead of adding more
    again = tmp_path / "again.docx"
    write_report(read_report(tmp_path / "out.docx"), attachment, again)
    assert len(docx.Document(again).comments) == len(comments)


def test_docx_without_heading_styles_gets_bold_paragraphs(tmp_path, attachment):
    src = make_docx(tmp_path / "plain.docx", headings=False)
    write_report(read_report(src), attachment, tmp_path / "out.docx")
    out = docx.Document(tmp_path / "out.docx")
    heading = next(p for p in out.paragraphs if p.text == "类案检索情况")
    assert not heading.style.name.startswith("Heading") and all(r.bold for r in heading.runs)


def test_docx_to_md(tmp_path, attachment):
    report = read_report(make_docx(tmp_path / "r.docx"))
    write_report(report, attachment, tmp_path / "out.md")
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert text.startswith(report.text) and "\n# 类案检索情况\n" in text and "\n### 最高检指导性案例\n" in text


def test_md_keeps_original_and_matches_its_levels(tmp_path, attachment):
    original = f"# 审查报告\n\n## 案件事实\n\n{FACTS}\n\n## 审查意见\n\n{OPINION}\n"
    (tmp_path / "r.md").write_text(original, encoding="utf-8")
    write_report(read_report(tmp_path / "r.md"), attachment, tmp_path / "out.md")
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert text.startswith(original)
    added = text[len(original):]
    assert added.index("## 类案检索情况") < added.index("#### 最高检指导性案例") < added.index("## 相关法律规定") \
        < added.index("## 引用核查")
    assert "**检例第28号《张某非法采矿民事公益诉讼案》**" in added and "【要旨】非法采矿" in added
    assert "**《中华人民共和国矿产资源法》（2024年修订）第七十四条**" in added


def test_txt_to_docx_has_original_paragraphs_then_sections(tmp_path, attachment):
    (tmp_path / "r.txt").write_text(f"审查报告\n案件事实\n{FACTS}\n", encoding="utf-8")
    write_report(read_report(tmp_path / "r.txt"), attachment, tmp_path / "out.docx")
    texts = [p.text for p in docx.Document(tmp_path / "out.docx").paragraphs]
    assert texts[:3] == ["审查报告", "案件事实", FACTS] and texts[3] == "类案检索情况"


def test_no_citations_and_no_cases_said_plainly(attachment):
    empty = copy.copy(attachment)
    empty.cases, empty.articles, empty.checks = [], [], []
    text = render_markdown(sections(empty))
    assert "报告未引用法律条文或案例" in text and "未检索到相关的法律规定" in text


def test_render_markdown_levels():
    blocks = [Block(1, [("甲", False)]), Block(2, [("乙", False)]), Block(0, [("丙", True), ("丁", False)])]
    text = render_markdown(blocks, 3)
    assert text == "### 甲\n\n#### 乙\n\n**丙**丁\n"


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("previous", encoding="utf-8")

    def broken(f):
        f.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_text(encoding="utf-8") == "previous" and [p.name for p in tmp_path.iterdir()] == ["out.md"]
    atomic_write(target, lambda f: f.write("新".encode("utf-8")))
    assert target.read_text(encoding="utf-8") == "新" and [p.name for p in tmp_path.iterdir()] == ["out.md"]


# -- placement and re-runs ------------------------------------------------------------------------
SIGNATURE = ["承办检察官：李四", "2024年5月6日"]


def test_md_sections_go_before_the_signature_and_a_rerun_replaces_them(tmp_path, searcher):
    original = f"# 审查报告\n\n## 案件事实\n\n{FACTS}\n\n## 审查意见\n\n{OPINION}\n\n" + "\n\n".join(SIGNATURE) + "\n"
    (tmp_path / "r.md").write_text(original, encoding="utf-8")
    first = read_report(tmp_path / "r.md")
    att = attach_citations(searcher, first.text)
    write_report(first, att, tmp_path / "out.md")
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert text.index(OPINION) < text.index("## 类案检索情况") < text.index("## 引用核查") < text.index("承办检察官：李四")
    assert text.rstrip().endswith("2024年5月6日")

    again = read_report(tmp_path / "out.md")
    assert "类案检索情况" not in again.text and again.text.count("检例第999号") == 1   # its own section is not re-read
    att2 = attach_citations(searcher, again.text)
    assert len(att2.checks) == len(att.checks)
    write_report(again, att2, tmp_path / "out2.md")
    text2 = (tmp_path / "out2.md").read_text(encoding="utf-8")
    assert text2.count("类案检索情况") == 1 and text2.count("承办检察官：李四") == 1
    assert text2.index("## 引用核查") < text2.index("承办检察官：李四")


def test_docx_sections_go_before_the_signature_and_a_rerun_replaces_them(tmp_path, searcher):
    src = make_docx(tmp_path / "r.docx")
    document = docx.Document(src)
    for line in SIGNATURE:
        document.add_paragraph(line)
    document.save(src)
    first = read_report(src)
    write_report(first, attach_citations(searcher, first.text), tmp_path / "out.docx")
    texts = [p.text for p in docx.Document(tmp_path / "out.docx").paragraphs]
    assert texts[-2:] == SIGNATURE and texts.index("类案检索情况") < texts.index("引用核查") < texts.index(SIGNATURE[0])

    again = read_report(tmp_path / "out.docx")
    write_report(again, attach_citations(searcher, again.text), tmp_path / "out2.docx")
    texts2 = [p.text for p in docx.Document(tmp_path / "out2.docx").paragraphs]
    assert texts2.count("类案检索情况") == 1 and texts2[-2:] == SIGNATURE
    assert len(texts2) == len(texts)


def test_signature_block_detection():
    from prep.report_text import signature_start

    lines = ["审查意见", "建议起诉。", "", "承办检察官：李四", "检察官助理：王五", "", "二〇二四年五月六日", "（院印）"]
    assert signature_start(lines) == 3
    assert signature_start(["审查意见", "建议起诉。"]) == 2
    assert signature_start(["某县人民检察院", "2024年5月6日"]) == 0
