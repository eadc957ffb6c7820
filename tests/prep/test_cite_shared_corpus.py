"""`leian cite` over an index of the real shared corpus, when one has been built (never builds one)."""
import datetime
import json
import os
from pathlib import Path

import pytest

from indexer.layout import IndexUnavailable, current_build, read_manifest

REPO = Path(__file__).resolve().parents[2]
REPORT = """# 关于某矿业公司非法采矿案的审查报告

## 一、案件事实

2021年3月至2023年5月，某矿业公司未取得采矿许可证，在某县青山村山区越界非法开采建筑用石料，破坏矿产资源和生态环境，
造成山体破坏、植被毁损、水土流失，至今未履行矿区生态修复义务，损害社会公共利益。2024年2月，某县人民检察院立案审查。

## 二、争议焦点

1. 检察机关能否就非法采矿造成的生态环境损害提起民事公益诉讼。
2. 生态环境修复费用如何认定。

## 三、审查意见

依据《中华人民共和国矿产资源法》（2009年修正）第三十九条、《中华人民共和国民法典》第一千二百三十四条，参照检例第999号，
建议提起民事公益诉讼，请求判令该公司承担生态修复责任。

承办检察官：王某
2025年3月10日
"""


def _shared_index() -> tuple[Path | None, str]:
    """The index root to use, or None and why not."""
    root = Path(os.environ["LEIAN_INDEX"]) if os.environ.get("LEIAN_INDEX") else REPO / "var" / "index"
    try:
        roots = read_manifest(current_build(root)).get("corpus_roots", [])
    except (IndexUnavailable, OSError, ValueError) as exc:
        return None, f"no usable index at {root} ({exc}); build one with `leian build` to run this test"
    if not any(Path(r).as_posix().rstrip("/").endswith("shared/corpus") for r in roots):
        return None, f"the index at {root} was built from {roots}, not from ../shared/corpus"
    return root, ""


INDEX, WHY_NOT = _shared_index()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(INDEX is None, reason=WHY_NOT)]


def test_mining_civil_public_interest_report(tmp_path, capsys):
    from api.cli import main

    src = tmp_path / "report.md"
    src.write_text(REPORT, encoding="utf-8")
    # k = 8: the trained embedding differs slightly from build to build (threaded training), and at
    # k = 5 a 矿产资源法 article was the fifth or the sixth statute depending on the build
    code = main(["cite", str(src), "--json", "--index", str(INDEX), "--by", "王某", "--k", "8"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and Path(data["output"]) == tmp_path / "report.cited.md"
    assert data["facts_heading"] == "案件事实" and data["procedure"] == "民事公益诉讼" and len(data["issues"]) == 2
    # the first tier: an SPP guiding case on mining or ecological restoration, civil PIL cases first
    first = [c for c in data["cases"] if c["tier"] == "最高检指导性案例"]
    assert first and any("矿" in c["citation"] or ("生态" in c["holding"] and "修复" in c["holding"]) for c in first)
    assert "民事公益诉讼" in first[0]["procedures"] and first[0]["reference"] == "应当参照"
    # statutes as in force when the conduct ended (2023-05-31): the 2009 text, the 2024 revision noted
    assert (data["as_of"], data["as_of_source"]) == ("2023-05-31", "报告所述行为时间")
    mining = [a for a in data["articles"] if "矿产资源法" in a["citation"]]
    assert mining and all("（2009年修正）" in a["citation"] and not a["current"] for a in mining)
    assert all(a["current_citation"].startswith("《中华人民共和国矿产资源法》（2024年修订）") for a in mining)
    checks = {c["raw"]: c for c in data["checks"]}
    assert checks["检例第999号"]["severity"] == "error"
    older = checks["《中华人民共和国矿产资源法》（2009年修正）第三十九条"]
    assert older["status"] == "superseded" and older["severity"] == "note" and "与行为时间相符" in older["message"]
    # the 2024 revision renumbered the law: its 第三十九条 is another article, so a closer one is offered
    assert older["current_citation"].startswith("《中华人民共和国矿产资源法》（2024年修订）第")
    assert not older["current_citation"].endswith("第三十九条")
    written = (tmp_path / "report.cited.md").read_text(encoding="utf-8")
    assert written.index("## 类案检索情况") < written.index("承办检察官：王某")
    assert "检索主体：王某。" in written and "最高法指导性案例" in written


def test_as_of_today_lists_the_2024_revision(tmp_path, capsys):
    from api.cli import main

    src = tmp_path / "report.md"
    src.write_text(REPORT, encoding="utf-8")
    code = main(["cite", str(src), "--json", "--index", str(INDEX), "--as-of", datetime.date.today().isoformat()])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    mining = [a["citation"] for a in data["articles"] if "矿产资源法》" in a["citation"]]
    assert mining and all(c.startswith("《中华人民共和国矿产资源法》（2024年修订）") for c in mining)
    older = next(c for c in data["checks"] if c["raw"].endswith("第三十九条"))
    assert older["severity"] == "warning"
