"""`leian cite` over an index of the real shared corpus, when one has been built (never builds one)."""
import json
import os
from pathlib import Path

import pytest

from indexer.layout import IndexUnavailable, current_build, read_manifest

REPO = Path(__file__).resolve().parents[2]
REPORT = """# 关于某矿业公司非法采矿案的审查报告

## 一、案件事实

2021年至2023年，某矿业公司未取得采矿许可证，在某县山区非法采矿，破坏矿产资源和生态环境，山体破坏、植被毁损，
至今未履行矿区生态修复义务，损害社会公共利益。

## 二、审查意见

依据《中华人民共和国矿产资源法》（2009年修正）第三十九条，建议提起民事公益诉讼。
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


def test_mining_report_gets_mining_cases_and_the_public_interest_article(tmp_path, capsys):
    from api.cli import main

    src = tmp_path / "report.md"
    src.write_text(REPORT, encoding="utf-8")
    code = main(["cite", str(src), "--json", "--index", str(INDEX)])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and Path(data["output"]) == tmp_path / "report.cited.md"
    assert data["facts_heading"] == "案件事实"
    cases = data["cases"]
    assert cases and all(c["doc_type"] in ("guiding_case", "typical_case") for c in cases)
    assert any("采矿" in c["citation"] or "矿" in c["holding"] for c in cases)
    articles = [a["citation"] for a in data["articles"]]
    assert any(a.startswith("《中华人民共和国矿产资源法》（2024年修订）第七十四条") for a in articles), articles
    check = next(c for c in data["checks"] if "第三十九条" in c["raw"])
    assert check["status"] == "superseded" and check["severity"] == "flag"
    # the 2024 revision renumbered the law: its 第三十九条 is another article, so a closer one is offered
    assert check["current_citation"].startswith("《中华人民共和国矿产资源法》（2024年修订）第")
    assert not check["current_citation"].endswith("第三十九条")
    written = (tmp_path / "report.cited.md").read_text(encoding="utf-8")
    assert written.startswith(REPORT) and "第七十四条" in written.split("相关法律规定", 1)[1]
