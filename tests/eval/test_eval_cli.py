"""`leian eval` end to end on the tiny corpus: every system, citation gold, unresolved
gold, the report, and the dev benchmarks mined by --build-dev."""
from __future__ import annotations

import json

import pytest

from api.cli import main
from corpus.split import is_test_case

BENCH = [
    {"id": "cite", "query": "矿产资源法第七十四条", "relevant": ["矿产资源法第七十四条"]},
    {"id": "mining", "query": "未取得采矿许可证擅自开采石灰岩，山体破坏", "relevant": ["检例第28号", "中华人民共和国不存在法第一条"]},
    {"id": "theft", "query": "入户盗窃手机", "relevant": ["《刑法》第264条", "检例第30号"], "grades": {"检例第30号": 2}},
]
SYSTEMS = ("rank-bm25", "bm25", "dense", "hybrid", "similar")


def _write(path, queries, extra: str = ""):
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries) + extra, encoding="utf-8")
    return path


def _json(capsys, *argv) -> dict:
    capsys.readouterr()
    assert main(["eval", *argv, "--json", "-"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_system_with_report(tiny_index, tmp_path, capsys):
    bench = _write(tmp_path / "tiny.jsonl", BENCH, "not json\n")
    out, report = tmp_path / "out.json", tmp_path / "report.md"
    assert main(["eval", str(bench), "--index", str(tiny_index), "--json", str(out), "--report", str(report)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert (result["benchmark"], result["queries"], result["bad_lines"], result["unresolved_gold"]) == ("tiny", 3, 1, 1)
    assert list(result["systems"]) == list(SYSTEMS)
    for name, s in result["systems"].items():
        assert s["queries"] == 3
        for k in (1, 5, 10, 30, 100):
            assert 0 <= s[f"recall@{k}"] <= s[f"hit@{k}"] <= 1
        # the unresolved citation of "mining" is a miss for everyone: recall never reaches 1
        assert s["recall@100"] <= (1 + 0.5 + 1) / 3 + 1e-6
        assert {"mrr@10", "ndcg@10", "latency_ms_p50", "latency_ms_p95"} <= s.keys()
        assert ("vs_rank_bm25" in s) == (name != "rank-bm25")
    assert result["systems"]["bm25"]["vs_rank_bm25"]["queries"] == 3
    text = report.read_text(encoding="utf-8")
    assert "| hybrid | 3 |" in text and "](report.recall.png)" in text
    assert "中华人民共和国不存在法第一条" in text.split("## Unresolved gold")[1]
    assert "| 4 | invalid JSON" in text.split("## Bad lines")[1]
    assert (tmp_path / "report.recall.png").read_bytes()[:4] == b"\x89PNG"
    assert (tiny_index / "current" / "eval-cache" / "tokens.jsonl").exists()   # the reference's tokens, cached


def test_a_cited_article_is_pinned_first_by_every_leian_system(tiny_index, tmp_path, capsys):
    bench = _write(tmp_path / "cite.jsonl", BENCH[:1])
    result = _json(capsys, str(bench), "--index", str(tiny_index), "--systems", "bm25,dense,hybrid")
    assert [s["recall@1"] for s in result["systems"].values()] == [1.0, 1.0, 1.0]


def test_any_version_scores_an_older_version_of_the_article(tiny_index, tmp_path, capsys):
    """Gold in the 2009 version: superseded, so unreachable unless every version counts."""
    bench = _write(tmp_path / "old.jsonl", [{"id": "old", "query": "未取得采矿许可证擅自采矿 没收采出的矿产品",
                                              "relevant": ["矿产资源法（2009年修正）第三十九条"]}])
    argv = [str(bench), "--index", str(tiny_index), "--systems", "rank-bm25,bm25"]
    strict, loose = _json(capsys, *argv), _json(capsys, *argv, "--any-version")
    assert [s["recall@10"] for s in strict["systems"].values()] == [0.0, 0.0]
    assert [s["recall@10"] for s in loose["systems"].values()] == [1.0, 1.0]
    assert strict["unresolved_gold"] == loose["unresolved_gold"] == 0


def test_type_filter_applies_to_every_query(tiny_index, tmp_path, capsys):
    bench = _write(tmp_path / "t.jsonl", BENCH)
    result = _json(capsys, str(bench), "--index", str(tiny_index), "--systems", "bm25", "--type", "statute")
    assert result["type"] == ["statute"]
    assert result["systems"]["bm25"]["hit@100"] < 1.0   # 检例第28号 cannot be found among statutes


@pytest.mark.parametrize("argv, message", [
    (["missing.jsonl"], "benchmark not found"),
    (["EMPTY"], "is empty"),
    (["BENCH", "--systems", "bm25,bogus"], "unknown system bogus"),
    (["BENCH", "--k", "1,ten"], "--k"),
    (["BENCH", "--limit", "0"], "--limit"),
    (["BENCH", "--split", "test"], "no usable queries with split 'test'"),
    (["BENCH", "--type", "novel"], "unknown type"),
    ([], "no benchmark"),
])
def test_bad_input_exits_2_with_a_message(tiny_index, tmp_path, capsys, argv, message):
    paths = {"EMPTY": str(_write(tmp_path / "empty.jsonl", [])), "BENCH": str(_write(tmp_path / "b.jsonl", BENCH))}
    argv = [paths.get(a, a) for a in argv]
    assert main(["eval", *argv, "--index", str(tiny_index)]) == 2
    assert message in capsys.readouterr().err.replace("\n", "")   # rich wraps long messages


def test_build_dev_writes_four_benchmarks(tiny_index, tmp_path, capsys):
    dev = tmp_path / "dev"
    assert main(["eval", "--build-dev", str(dev), "--index", str(tiny_index)]) == 0
    files = {name: [json.loads(line) for line in (dev / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
             for name in ("spp_provisions", "spc_provisions", "holding", "holding_masked")}
    spp = {q["id"]: q for q in files["spp_provisions"]}
    assert set(spp) == {"spp:28", "spp:30"}
    assert spp["spp:30"]["relevant"] == ["law:刑法@2023-12-29#a264"]
    assert spp["spp:28"]["relevant"] == ["law:矿产资源法@2009-08-27#a39", "law:刑法@2023-12-29#a343"]
    assert spp["spp:30"]["query"].startswith("李某深夜进入他人住宅")
    assert "spp:30#facts" in spp["spp:30"]["filters"]["exclude_units"]
    # the tiny SPC case cites 刑法第338条, which the tiny corpus lacks: no gold, no line
    assert files["spc_provisions"] == []
    holding = {q["id"]: q for q in files["holding"]}
    assert {"spp:28", "spp:30", "spc:215"} <= set(holding) and len(holding) == 4
    for qid, q in [*spp.items(), *holding.items()]:
        assert q["split"] == ("test" if is_test_case(qid) else "dev")
        assert not set(q["relevant"]) & set(q["filters"]["exclude_units"])
    assert holding["spp:28"]["relevant"] == ["spp:28#holding"]
    assert "spp:28#facts" in holding["spp:28"]["filters"]["exclude_units"]
    # the tiny cases' titles are already anonymised (张某): masking leaves their queries as they are
    assert files["holding_masked"] == files["holding"]

    result = _json(capsys, str(dev / "holding.jsonl"), "--index", str(tiny_index), "--systems", "bm25")
    assert result["queries"] == 4 and result["unresolved_gold"] == 0
    # only the holding itself can stand for its case; the relevance floor leaves out one toy query
    # (18 characters of facts that share no word with their holding)
    assert result["systems"]["bm25"]["hit@10"] == 0.75


def test_mask_names_hides_the_parties_of_the_title():
    from eval.devsets import mask_names

    title = "江苏省常州市人民检察院诉许建惠、许玉仙民事公益诉讼案"
    facts = "许建惠、许玉仙在常州市人民检察院辖区内非法处置危险废物，污染长江流域水体。"
    masked = mask_names(facts, title)
    assert "许建惠" not in masked and "许玉仙" not in masked
    # courts, places and the subject of the case are not parties: they stay
    assert "人民检察院" in masked and "长江流域" in masked and "危险废物" in masked
    company = mask_names("北京合力华通汽车服务有限公司向张莉出售汽车",
                         "张莉诉北京合力华通汽车服务有限公司买卖合同纠纷案")
    assert company == "某向某出售汽车"
    assert mask_names("张某擅自开采", "张某非法采矿民事公益诉讼案") == "张某擅自开采"   # already anonymous
