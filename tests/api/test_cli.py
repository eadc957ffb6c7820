"""`leian build/stats/search/show`: readable output, JSON shapes, exit codes on bad input."""
import json

import pytest

from api.cli import main


@pytest.fixture()
def run(tiny_index, capsys, monkeypatch):
    monkeypatch.setenv("LEIAN_INDEX", str(tiny_index))

    def invoke(*argv):
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_search_json_shape(run):
    code, out, _ = run("search", "矿产资源法第七十四条", "--json", "--k", "3")
    data = json.loads(out)
    assert code == 0 and data["query"] == "矿产资源法第七十四条" and data["took_ms"] >= 0
    first = data["results"][0]
    assert set(first) >= {"citation", "title", "doc_type", "unit_label", "holding", "passage", "highlights",
                          "validity", "scores", "doc_id", "unit_id", "cited_by"}
    assert first["unit_label"] == "第七十四条"


def test_search_readable_output(run):
    code, out, _ = run("search", "非法采矿 生态修复", "--type", "guiding_case")
    assert code == 0 and "检例第28号" in out and "要旨" in out


@pytest.mark.parametrize("argv", [("search", ""), ("search", "   "), ("search", "x" * 10001),
                                  ("search", "矿产", "--type", "novel"), ("search", "矿产", "--k", "0"),
                                  ("show", "随便说说")])
def test_bad_input_exits_2(run, argv):
    code, _, err = run(*argv)
    assert code == 2 and err.startswith("leian:")


def test_show_citation(run):
    code, out, _ = run("show", "《中华人民共和国矿产资源法》（2009年修正）第三十九条")
    assert code == 0 and "现行条文" not in out and "已被修订" in out
    code, out, _ = run("show", "检例第28号", "--json")
    assert code == 0 and json.loads(out)["unit_id"] == "spp:28#holding"


def test_show_unknown_citation_fails(run):
    code, _, err = run("show", "检例第999号")
    assert code == 1 and "检例第999号：本库未收录" in err


def test_stats_json(run):
    code, out, _ = run("stats", "--json")
    data = json.loads(out)
    assert code == 0 and data["files_seen"] == 8 and data["skipped"] == []
    assert data["documents"]["guiding_case"] == 4 and data["units"]["article"] >= 10
    assert data["version_invariant"]["ok"] and data["laws_with_versions"] == 1
    assert [v["version_date"] for v in data["versions"]["中华人民共和国矿产资源法"]] == ["2009-08-27", "2024-11-08"]


def test_missing_index_is_a_plain_error(tmp_path, capsys, monkeypatch):
    # a long path pushes the message well past 80 columns: it must stay one unbroken line
    monkeypatch.setenv("LEIAN_INDEX", str(tmp_path / ("nothing-" * 12)))
    assert main(["search", "矿产"]) == 1
    err = capsys.readouterr().err
    assert "leian build" in err
    assert err.count("\n") == 1 and err.startswith("leian: ")


def test_build_reports_skipped_files(tmp_path, capsys):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "a.md").write_text("# 某某条例\n\n第一条 为了测试，制定本条例。\n\n第二条 本条例自公布之日起施行。\n", encoding="utf-8")
    (corpus / "b.txt").write_bytes("第一条 编码".encode("gbk"))
    (corpus / "c.json").write_text("{broken", encoding="utf-8")
    code = main(["build", "--corpus", str(corpus), "--index", str(tmp_path / "idx"), "--no-dense"])
    captured = capsys.readouterr()
    assert code == 0 and "skipped files" in captured.out
    # not a terminal: every stage says when it starts and ends, so a log never looks hung
    for stage in ("read files (3 items)", "write the store", "tokenize (2 items)", "index words and vectors"):
        assert f"leian: {stage} …" in captured.err, stage
    assert captured.err.count(": done in ") == 4
    code = main(["stats", "--json", "--index", str(tmp_path / "idx")])
    stats = json.loads(capsys.readouterr().out)
    assert stats["files_seen"] == 3 and len(stats["skipped"]) == 2
    reasons = {s["path"].split("/")[-1]: s["reason"] for s in stats["skipped"]}
    assert "UTF-8" in reasons["b.txt"] and "JSON" in reasons["c.json"]


def test_help_does_not_load_the_search_stack():
    """`leian --help` (and every command's parsing) must not pay for faiss, bm25s or jieba."""
    import subprocess
    import sys

    code = ("import sys; from api.cli import parser; parser().format_help(); "
            "print(sorted(m for m in ('faiss', 'bm25s', 'jieba', 'torch') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_an_unknown_option_is_named(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--frobnicate"])
    assert exc.value.code == 2 and "--frobnicate" in capsys.readouterr().err
    assert main([]) == 2 and "name a command" in capsys.readouterr().err


def test_result_blocks_are_indented_line_by_line(capsys):
    from api.search_cmd import _indented

    _indented("【要旨】一、检察机关可以起诉。\n二、应当修复生态。")
    assert capsys.readouterr().out.splitlines() == ["   【要旨】一、检察机关可以起诉。", "   二、应当修复生态。"]


def test_a_folder_with_nothing_leian_reads_is_a_plain_error(tmp_path, capsys):
    """A folder of files in a layout leian does not read once ended in a bm25s traceback."""
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "10893.json").write_text('{"caseName": "某某盗窃案", "summary": "经审理查明……"}', encoding="utf-8")
    assert main(["build", "--corpus", str(folder), "--index", str(tmp_path / "idx"), "--no-dense"]) == 2
    err = capsys.readouterr().err
    assert "nothing to index" in err and "10893.json: JSON holds no case records" in err
    assert not (tmp_path / "idx" / "current").exists()
    (tmp_path / "empty").mkdir()
    assert main(["build", "--corpus", str(tmp_path / "empty"), "--index", str(tmp_path / "idx"), "--no-dense"]) == 2
    assert "no files under" in capsys.readouterr().err
