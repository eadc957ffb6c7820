"""The benchmark format: good lines parse, bad lines are reported by number and skipped."""
from __future__ import annotations

import json

import pytest

from eval.benchmark import load_benchmark, parse_benchmark, restrict
from indexer.filters import Filters


def _lines(*items) -> list[bytes]:
    return [(json.dumps(i, ensure_ascii=False) if isinstance(i, dict) else i).encode("utf-8") for i in items]


def test_good_lines():
    bench = parse_benchmark(_lines(
        {"id": "q1", "query": "非法采矿 生态修复", "relevant": ["矿产资源法第七十四条", "检例第28号"]},
        "",
        {"id": "q2", "query": "入户盗窃", "relevant": ["spp:30", "spp:30"], "grades": {"spp:30": 2},
         "filters": {"type": "guiding_case", "domain": ["生态环境和资源保护"], "year_from": 2015,
                     "all_versions": True, "exclude_units": ["spp:30#facts"]}, "split": "test"},
    ), "demo")
    assert bench.name == "demo" and not bench.bad_lines
    q1, q2 = bench.queries
    assert (q1.id, q1.line, q1.relevant, q1.grades, q1.filters, q1.split) == (
        "q1", 1, ["矿产资源法第七十四条", "检例第28号"], {}, Filters(), "")
    assert q2.line == 3 and q2.relevant == ["spp:30"] and q2.grades == {"spp:30": 2} and q2.split == "test"
    assert q2.filters == Filters(doc_types=("guiding_case",), domains=("生态环境和资源保护",), year_from=2015,
                                 all_versions=True, exclude_units=("spp:30#facts",))


@pytest.mark.parametrize("line, reason", [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "JSON object"),
    ({"id": 7, "query": "x", "relevant": ["a"]}, '"id"'),
    ({"id": "q", "query": "  ", "relevant": ["a"]}, '"query"'),
    ({"id": "q", "query": "x" * 10_001, "relevant": ["a"]}, "limit"),
    ({"id": "q", "query": "x", "relevant": []}, '"relevant"'),
    ({"id": "q", "query": "x"}, '"relevant"'),
    ({"id": "q", "query": "x", "relevant": "a"}, '"relevant"'),
    ({"id": "q", "query": "x", "relevant": ["a", 3]}, "entries"),
    ({"id": "q", "query": "x", "relevant": ["a"], "grades": {"b": 1}}, "not in"),
    ({"id": "q", "query": "x", "relevant": ["a"], "grades": {"a": 0}}, "grade"),
    ({"id": "q", "query": "x", "relevant": ["a"], "grades": {"a": True}}, "grade"),
    ({"id": "q", "query": "x", "relevant": ["a"], "filters": {"colour": "red"}}, "unknown filter"),
    ({"id": "q", "query": "x", "relevant": ["a"], "filters": {"type": "novel"}}, "unknown type"),
    ({"id": "q", "query": "x", "relevant": ["a"], "filters": {"year_from": "2019"}}, "year"),
    ({"id": "q", "query": "x", "relevant": ["a"], "filters": {"exclude_units": [1]}}, "list of strings"),
    ({"id": "q", "query": "x", "relevant": ["a"], "split": "train"}, '"split"'),
])
def test_bad_lines_are_reported_with_their_line_number(line, reason):
    bench = parse_benchmark(_lines({"id": "ok", "query": "盗窃", "relevant": ["spp:30"]}, line), "b")
    assert [q.id for q in bench.queries] == ["ok"]
    assert len(bench.bad_lines) == 1
    assert bench.bad_lines[0].line == 2
    assert reason in bench.bad_lines[0].reason


def test_duplicate_ids_and_bad_encoding(tmp_path):
    path = tmp_path / "b.jsonl"
    good = json.dumps({"id": "q", "query": "盗窃", "relevant": ["spp:30"]}, ensure_ascii=False).encode()
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\n" + good + b"\n\xff\xfe\n")
    bench = load_benchmark(path)
    assert bench.name == "b" and len(bench.queries) == 1
    assert [(b.line, b.reason) for b in bench.bad_lines] == [
        (2, "duplicate id 'q' (first on line 1)"), (3, "not UTF-8 text")]


def test_restrict_merges_the_command_line_type_and_any_version():
    assert restrict(Filters(), ("statute",), False) == Filters(doc_types=("statute",))
    assert restrict(Filters(doc_types=("statute", "rule")), ("statute",), True) == Filters(
        doc_types=("statute",), all_versions=True)
    with pytest.raises(ValueError, match="excludes every --type"):
        restrict(Filters(doc_types=("guiding_case",)), ("statute",), False)
