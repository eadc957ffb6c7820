"""The question memory: pairs read, resolved and matched, a question never finding itself."""
import json

import numpy as np

from indexer.questions import Pair, QuestionMemory, default_pair_files, read_pairs, resolve_targets


class _Encoder:
    """Bag of two made-up dimensions: 借 and 离婚."""
    presegmented = True

    def encode_tokens(self, token_lists):
        out = np.array([[t.count("借"), t.count("离婚")] for t in token_lists], dtype=np.float32) + 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _memory() -> QuestionMemory:
    pairs = [(Pair("q1", "借 钱 不 还", ["a"]), ["u1"]), (Pair("q2", "离婚 财产", ["b"]), ["u2", "u3"]),
             (Pair("q3", "借 款 逾期", ["a"]), ["u1"])]
    return QuestionMemory.of(pairs, {"u1": 0, "u2": 1, "u3": 2}, str.split, _Encoder())


def test_read_pairs_skips_unusable_lines(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join([json.dumps({"id": "a", "query": "借钱不还", "relevant": ["民法典第六百七十五条"]}),
                               "not json", json.dumps({"id": "b", "query": "", "relevant": ["x"]}),
                               json.dumps({"query": "无编号", "relevant": ["y"]})]), encoding="utf-8")
    pairs = read_pairs([path])
    assert [(p.id, p.query) for p in pairs] == [("a", "借钱不还"), ("p:4", "无编号")]


def test_default_pair_files_sit_beside_the_corpus(tmp_path):
    (tmp_path / "corpus").mkdir()
    assert default_pair_files([tmp_path / "corpus"]) == []
    (tmp_path / "training").mkdir()
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "training" / "a.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "benchmarks" / "stard-train.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "benchmarks" / "other.jsonl").write_text("", encoding="utf-8")   # a benchmark, not training
    assert [p.name for p in default_pair_files([tmp_path / "corpus"])] == ["a.jsonl", "stard-train.jsonl"]


def test_unresolved_citations_drop_and_pairs_without_any_go():
    pairs = [Pair("1", "q", ["ok", "bad"]), Pair("2", "q", ["bad"])]
    resolved = resolve_targets(pairs, lambda c: "u" if c == "ok" else None)
    assert [(p.id, units) for p, units in resolved] == [("1", ["u"])]


def test_neighbours_vote_for_the_articles_they_cite():
    memory = _memory()
    query = "借 钱".split()
    scores = memory.score(query, _Encoder().encode_tokens([query])[0])
    assert max(scores, key=scores.get) == 0
    assert 1 not in scores or scores[1] < scores[0]


def test_a_question_never_finds_itself_and_masks_hold():
    memory = _memory()
    query = "离婚 财产".split()
    vector = _Encoder().encode_tokens([query])[0]
    assert {1, 2} <= memory.score(query, vector).keys()
    assert memory.score(query, vector, exclude="q2").get(1, 0.0) < memory.score(query, vector)[1]
    mask = np.array([True, False, True])
    assert 1 not in memory.score(query, vector, mask)


def test_saved_memory_maps_targets_by_unit_id(tmp_path):
    memory = _memory()
    memory.save(tmp_path, ["u1", "u2", "u3"])
    loaded = QuestionMemory.load(tmp_path, {"u3": 0, "u1": 1})   # rows moved, u2 gone (an index grown by add)
    assert loaded.targets == [[1], [0], [1]]
    assert QuestionMemory.load(tmp_path / "none", {}) is None
