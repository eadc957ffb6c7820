"""`leian cite`: a review report in, the same report with 类案检索情况 / 相关法律规定 / 引用核查 out."""
import json
import re
from pathlib import Path

import docx
import pytest

from api.cli import main

FACTS = "2023年3月，张某未取得采矿许可证，在某县山区擅自开采石灰岩，非法采矿，破坏山体，需要进行矿区生态修复。"
OPINION = ("依据《中华人民共和国矿产资源法》（2009年修正）第三十九条、《刑法》第三百四十三条、《某某不存在法》第五条，"
           "参照检例第999号，建议提起公益诉讼。")


@pytest.fixture()
def run(tiny_index, capsys, monkeypatch):
    monkeypatch.setenv("LEIAN_INDEX", str(tiny_index))

    def invoke(*argv):
        code = main(["cite", *map(str, argv)])
        captured = capsys.readouterr()
        return code, captured.out, " ".join(captured.err.split())   # stderr is wrapped to the terminal

    return invoke


def make_docx(path: Path) -> Path:
    doc = docx.Document()
    doc.add_heading("关于张某非法采矿案的审查报告", level=0)
    doc.add_heading("案件事实", level=1)
    doc.add_paragraph(FACTS)
    doc.add_heading("审查意见", level=1)
    p = doc.add_paragraph("承办检察官意见：")
    p.add_run("建议提起民事公益诉讼。").bold = True
    doc.add_paragraph(OPINION)
    doc.save(path)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_docx_report(run, tmp_path):
    src = make_docx(tmp_path / "报告.docx")
    original = src.read_bytes()
    code, out, err = run(src)
    target = tmp_path / "报告.cited.docx"
    assert code == 0, err
    assert src.read_bytes() == original and target.exists()
    assert " cases, " in out and " errors, " in out and str(target) in out

    before = docx.Document(src).paragraphs
    after = docx.Document(target).paragraphs
    for old, new in zip(before, after):
        assert (new.text, new.style.name) == (old.text, old.style.name)
        # text and bold as they were (a citation leian comments on sits in runs of its own)
        assert [(ch, r.bold) for r in new.runs for ch in r.text] == [(ch, r.bold) for r in old.runs for ch in r.text]
    assert [(r.text, r.bold) for r in after[4].runs] == [("承办检察官意见：", None), ("建议提起民事公益诉讼。", True)]

    added = [p.text for p in after[len(before):]]
    assert added[0] == "类案检索情况"
    sections = [added.index(h) for h in ("类案检索情况", "相关法律规定", "引用核查")]
    assert sections == sorted(sections)
    cases = added[:sections[1]]
    spp = next(i for i, t in enumerate(cases) if "检例第28号《张某非法采矿民事公益诉讼案》" in t)
    typical = next(i for i, t in enumerate(cases) if "非法采砂行政公益诉讼案" in t)
    assert spp < typical and cases[spp + 1] == "效力状态：现行有效。" and cases[spp + 2].startswith("【要旨】非法采矿")
    laws = added[sections[1]:sections[2]]
    # the conduct was in 2023: the 2009 text was in force then, the current one is noted beside it
    assert any(t.startswith("《中华人民共和国矿产资源法》（2009年修正）第三十九条\u3000违反本法规定") for t in laws)
    assert any(t.startswith("（该版本已被修订") for t in laws)
    checks = added[sections[2]:]
    superseded = next(t for t in checks if t.startswith("【提示】《中华人民共和国矿产资源法》（2009年修正）第三十九条（位于"))
    assert "时有效的版本，与行为时间相符" in superseded and "2024年修订" in superseded
    assert any(t.startswith("【错误】《某某不存在法》第五条（位于") for t in checks)
    assert any(t.startswith("【错误】检例第999号（位于") for t in checks)
    assert not any(t.startswith("《刑法》第三百四十三条") for t in checks)


def test_md_report(run, tmp_path):
    src = tmp_path / "r.md"
    src.write_text(f"# 审查报告\n\n## 案件事实\n\n{FACTS}\n\n## 审查意见\n\n{OPINION}\n", encoding="utf-8")
    code, _, err = run(src)
    assert code == 0, err
    text = (tmp_path / "r.cited.md").read_text(encoding="utf-8")
    assert text.startswith(src.read_text(encoding="utf-8"))
    assert text.index("**检例第28号") < text.index("非法采砂行政公益诉讼案") < text.index("## 相关法律规定")
    assert "## 引用核查" in text and "【错误】**检例第999号**（位于“审查意见”）：" in text


def test_txt_report_to_docx(run, tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(f"审查报告\n经审查查明：{FACTS}\n审查意见\n{OPINION}\n", encoding="utf-8")
    code, _, err = run(src, "-o", tmp_path / "out.docx")
    assert code == 0, err
    texts = [p.text for p in docx.Document(tmp_path / "out.docx").paragraphs]
    assert texts[:4] == ["审查报告", f"经审查查明：{FACTS}", "审查意见", OPINION] and texts[4] == "类案检索情况"
    assert not (tmp_path / "r.cited.md").exists()


def test_json_output(run, tmp_path):
    src = make_docx(tmp_path / "r.docx")
    code, out, _ = run(src, "--json", "--k", "2", "-o", tmp_path / "r.md")
    data = json.loads(out)
    assert code == 0 and data["output"] == str(tmp_path / "r.md") and (tmp_path / "r.md").exists()
    assert set(data) >= {"facts", "facts_heading", "cases", "articles", "checks", "summary", "notes"}
    tiers = [c["tier"] for c in data["cases"]]
    assert data["facts_heading"] == "案件事实" and all(tiers.count(t) <= 2 for t in tiers)
    assert data["cases"][0]["citation"].startswith("检例第28号")
    assert (data["summary"]["flagged"], data["summary"]["error"], data["summary"]["note"]) == (2, 2, 1)


def test_in_place(run, tmp_path):
    src = tmp_path / "r.md"
    original = f"## 案件事实\n\n{FACTS}\n"
    src.write_text(original, encoding="utf-8")
    code, out, _ = run(src, "--in-place")
    text = src.read_text(encoding="utf-8")
    assert code == 0 and text.startswith(original) and "类案检索情况" in text and str(src) in out
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_by_issue_as_of_and_standalone(run, tmp_path):
    src = make_docx(tmp_path / "r.docx")
    code, out, err = run(src, "--standalone", "--by", "王检察官", "--issue", "矿区生态修复责任如何承担",
                         "--as-of", "2020-06-30", "--json")
    data = json.loads(out)
    target = tmp_path / "r.record.docx"
    assert code == 0 and data["output"] == str(target), err
    assert (data["by"], data["issues"], data["as_of"], data["as_of_source"]) == (
        "王检察官", ["矿区生态修复责任如何承担"], "2020-06-30", "检索人指定")
    paragraphs = docx.Document(target).paragraphs
    assert (paragraphs[0].style.name, paragraphs[0].text) == ("Title", "类案检索报告")
    assert paragraphs[1].text == "案件：关于张某非法采矿案的审查报告"
    texts = [p.text for p in paragraphs]
    assert "检索主体：王检察官。" in texts[3] and "1. 矿区生态修复责任如何承担" in texts
    assert not any(t.startswith("承办检察官意见") for t in texts)          # the record only, not the report


def test_rerun_overwrites_previous_cited_output(run, tmp_path):
    src = make_docx(tmp_path / "r.docx")
    def texts() -> list[str]:   # the 检索时间 is each run's own minute (two runs may straddle one)
        return [re.sub(r"检索时间：[\d :-]+", "检索时间：", p.text)
                for p in docx.Document(tmp_path / "r.cited.docx").paragraphs]

    assert run(src)[0] == 0
    first = texts()
    assert run(src)[0] == 0
    assert texts() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.cited.docx", "r.docx"]


@pytest.mark.parametrize("argv, message", [
    (("-o", "{dir}/r.pdf"), "output must be a .docx or .md"),
    (("-o", "{dir}/other.md"), "already exists"),
    (("-o", "{dir}/r.md"), "--in-place"),
    (("-o", "{dir}/nowhere/out.md"), "output folder does not exist"),
    (("--in-place", "-o", "{dir}/x.md"), "cannot be combined"),
    (("--k", "0"), "k must be"),
    (("--as-of", "2023-02-30"), "not a date"),
    (("--as-of", "2999-01-01"), "outside"),
    (("--by", "张" * 101), "longer than 100"),
    (("--issue", "长" * 301), "limit is 300"),
    (("--in-place", "--standalone"), "cannot be combined"),
])
def test_bad_output_arguments(run, tmp_path, argv, message):
    src = tmp_path / "r.md"
    src.write_text(f"案件事实\n{FACTS}\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("someone else's file", encoding="utf-8")
    before = snapshot(tmp_path)
    code, _, err = run(src, *(a.format(dir=tmp_path) for a in argv))
    assert code == 2 and message in err and snapshot(tmp_path) == before


def _write(path: Path, content) -> None:
    if callable(content):
        content(path)
    elif content is not None:
        path.write_bytes(content)


@pytest.mark.parametrize("name, content, message", [
    ("missing.docx", None, "not found"),
    ("r.pdf", b"%PDF-1.4 fake", "unsupported report type"),
    ("corrupt.docx", bytes(range(256)) * 4, "not a readable .docx"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "password-protected"),
    ("empty.md", b"", "is empty"),
    ("blank.txt", b" \n\n ", "has no text"),
    ("blank.docx", lambda p: docx.Document().save(p), "has no text"),
    ("gbk.txt", "案件事实：张某擅自采矿。".encode("gbk"), "not UTF-8"),
])
def test_bad_reports_exit_2_and_write_nothing(run, tmp_path, name, content, message):
    path = tmp_path / name
    _write(path, content)
    before = snapshot(tmp_path)
    code, out, err = run(path)
    assert code == 2 and err.startswith("leian:") and message in err and out == ""
    assert snapshot(tmp_path) == before


def test_missing_index_exits_1_and_writes_nothing(tmp_path, capsys):
    src = tmp_path / "r.md"
    src.write_text(f"案件事实\n{FACTS}\n", encoding="utf-8")
    code = main(["cite", str(src), "--index", str(tmp_path / "no-index")])
    assert code == 1 and "no index" in " ".join(capsys.readouterr().err.split())
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]
