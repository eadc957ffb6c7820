"""LeCaRD → `leian eval` benchmarks, on a tiny made-up LeCaRD folder."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from judgments_written import drunk_driving, theft  # noqa: E402

from api.cli import main
from eval.benchmark import load_benchmark
from eval.lecard import NotLecard, build_lecard


def _lecard(root: Path) -> Path:
    for ridx, records in (("1", [drunk_driving("莫新国", 771), drunk_driving("曾胜武", 478), theft("钱某", 119)]),
                          ("2", [theft("钱某", 119), theft("孙某", 120)])):
        for i, record in enumerate(records):
            (root / "candidates" / ridx).mkdir(parents=True, exist_ok=True)
            (root / "candidates" / ridx / f"{ridx}{i}.json").write_text(json.dumps(record, ensure_ascii=False),
                                                                       encoding="utf-8")
    (root / "queries.jsonl").write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in (
        {"ridx": 1, "query": "被告人张某醉酒驾驶机动车，主动投案。", "crime": ["危险驾驶罪"]},
        {"ridx": 2, "query": "被告人李某多次入户盗窃。", "crime": ["盗窃罪"]},
        {"ridx": 3, "query": "没有标注的查询。", "crime": []})) + "\n", encoding="utf-8")
    (root / "labels.json").write_text(json.dumps({"1": {"10": 3, "11": 2, "12": 0}, "2": {"20": 1, "21": 3}}),
                                      encoding="utf-8")
    return root


def test_lecard_benchmarks(tmp_path):
    files = build_lecard(_lecard(tmp_path / "lecard"), tmp_path / "out")
    assert [p.name for p in files.paths] == ["lecard_pool.jsonl", "lecard_pool_charged.jsonl", "lecard_all.jsonl",
                                             "lecard_all_charged.jsonl"]
    assert files.skipped == ["3"]
    pool = load_benchmark(files.paths[0])
    assert not pool.bad_lines and [q.id for q in pool.queries] == ["1", "2"]
    first = pool.queries[0]
    assert sorted(first.grades.values()) == [2, 3] and len(first.relevant) == 2   # grade 0: gain 0, left out
    assert len(first.filters.doc_ids) == 3 and first.filters.doc_types == ("judgment",)
    assert load_benchmark(files.paths[2]).queries[0].filters.doc_ids == ()
    assert load_benchmark(files.paths[1]).queries[0].query.endswith("（涉嫌危险驾驶罪）")


def test_lecard_cli_runs_end_to_end(tmp_path, capsys):
    lecard = _lecard(tmp_path / "lecard")
    assert main(["eval", "--lecard", str(lecard), str(tmp_path / "out")]) == 0
    assert main(["build", "--corpus", str(lecard), "--index", str(tmp_path / "idx"), "--no-dense"]) == 0
    capsys.readouterr()
    assert main(["eval", str(tmp_path / "out" / "lecard_pool.jsonl"), "--index", str(tmp_path / "idx"),
                 "--systems", "bm25", "--k", "1,2", "--json", "-"]) == 0
    bm25 = json.loads(capsys.readouterr().out)["systems"]["bm25"]
    assert bm25["queries"] == 2 and 0 < bm25["ndcg@2"] <= 1 and "recall_strong@2" in bm25


def test_not_a_lecard_folder(tmp_path):
    with pytest.raises(NotLecard):
        build_lecard(tmp_path, tmp_path / "out")
