"""Court judgments in the committee record: their own tier after guiding and typical cases, 可以参考,
higher courts first, and what makes them similar (charges, circumstances, applied articles)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judgments_written import write_judgments  # noqa: E402

from prep.cases import JUDGMENT_BASIS, JUDGMENT_TIER, TIERS
from prep.record import build_record
from prep.sections import sections

REPORT = """关于张某危险驾驶案的审查报告
一、案件事实
2019年2月3日晚，犯罪嫌疑人张某酒后驾驶小型轿车在长沙市天心区道路上行驶，被执勤民警查获，经检验其血液中乙醇含量为
180毫克／100毫升，属醉酒驾驶机动车。案发后张某主动到公安机关投案，如实供述了自己的罪行。
二、审查意见
张某的行为涉嫌危险驾驶罪，建议提起公诉。
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    from indexer.build import BuildConfig, build
    from indexer.search import Searcher

    corpus = write_judgments(tmp_path_factory.mktemp("j") / "judgments")
    root = tmp_path_factory.mktemp("index")
    build(BuildConfig(corpus_roots=[corpus], index_root=root, dense="none", workers=1))
    return Searcher.open(root)


def test_judgments_form_their_own_tier(searcher):
    record = build_record(searcher, REPORT, k=3)
    judgments = [c for c in record.cases if c.doc_type == "judgment"]
    assert judgments and all(c.tier == JUDGMENT_TIER for c in judgments)
    assert [TIERS.index(c.tier) for c in record.cases] == sorted(TIERS.index(c.tier) for c in record.cases)
    first = judgments[0]
    assert first.reference == "可以参考" and first.reference_basis == JUDGMENT_BASIS
    assert "罪名相同：危险驾驶罪" in first.similar and any(s.startswith("相同情节：") for s in first.similar)
    assert first.judgment["court"] and first.judgment["applied"]
    assert "生效裁判" in record.runs[0].scope


def test_the_written_record_lists_the_judgment_tier(searcher):
    record = build_record(searcher, REPORT, k=3)
    text = ["".join(t for t, _ in b.runs) for b in sections(record)]
    at = text.index(JUDGMENT_TIER)
    assert text[at + 1].startswith("1. ") or "人民法院" in text[at + 1]
    assert any(t.startswith("裁判文书：") and "罪名：危险驾驶罪" in t for t in text)
    assert any(t.startswith("适用法条：《中华人民共和国刑法》") for t in text)
    assert any("人民法院生效裁判" in t for t in text if t.startswith("检索范围："))
