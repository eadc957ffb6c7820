"""A build's tokens as ids: the same tokens, in the same order, and the same BM25 index as lists of strings;
`leian add` tokenises only what is new."""
import json

import numpy as np
import pytest

import indexer.unit_tokens as unit_tokens
from corpus.ingest import ingest
from indexer.build import BuildConfig, add, build
from indexer.lexical import TITLE_WEIGHT, LexicalIndex
from indexer.search import Searcher
from indexer.tokenize import Tokenizer
from indexer.unit_tokens import Ragged, SavedTokens, TokensById, UnitTokens
from judgments_written import drunk_driving


@pytest.fixture(scope="module")
def docs(tiny_corpus):
    return ingest([tiny_corpus], workers=1).documents


def _plain(docs, weight):
    """What the build indexed before ids: every unit's tokens as strings, title and keywords first."""
    tokenizer = Tokenizer(None)
    return [tokenizer.tokens(f"{d.title} {' '.join(d.keywords)}") * weight
            + tokenizer.tokens(f"{u.heading} {u.label} {u.text}") for d in docs for u in d.units]


def test_ids_give_back_each_units_tokens(docs, tmp_path):
    tokens = UnitTokens.of(docs, tmp_path / "none.txt", 1, None)
    assert list(tokens.lexical()) == _plain(docs, TITLE_WEIGHT)
    assert list(tokens.dense()) == _plain(docs, 1)
    assert len(tokens.lexical()) == sum(len(d.units) for d in docs)


def test_processes_keep_the_order_of_the_texts(docs, tmp_path, monkeypatch):
    monkeypatch.setattr(unit_tokens, "CHUNK_TEXTS", 3)   # many small tasks, several in flight at once
    seen = []
    tokens = UnitTokens.of(docs, tmp_path / "none.txt", 2, lambda stage, done, total: seen.append((done, total)))
    assert list(tokens.lexical()) == _plain(docs, TITLE_WEIGHT)
    n_units = sum(len(d.units) for d in docs)
    assert seen[0] == (0, n_units) and seen[-1] == (n_units, n_units)


def test_bm25_from_ids_scores_as_bm25_from_strings(docs, tmp_path):
    lists = UnitTokens.of(docs, tmp_path / "none.txt", 1, None).lexical()
    from_ids, from_strings = LexicalIndex.build(lists), LexicalIndex.build(list(lists))
    assert from_ids.stats.vocab.keys() == from_strings.stats.vocab.keys()
    for query in (["矿产资源", "许可证"], ["盗窃", "数额"], ["公益诉讼", "生态"], ["不存在的词"]):
        np.testing.assert_array_equal(from_ids.scores_and_coverage(query)[0],
                                      from_strings.scores_and_coverage(query)[0])


def test_ragged_lists_and_the_unit_map():
    ragged = Ragged([[3, 1], [], [2]])
    assert len(ragged) == 3 and ragged[0].tolist() == [3, 1] and ragged[1].tolist() == [] and ragged[2].tolist() == [2]
    by_id = TokensById(["a", "b"], [["x"], ["y", "z"]])
    assert by_id["b"] == ["y", "z"] and by_id.get("c") is None and list(by_id) == ["a", "b"]


def test_add_tokenises_only_what_is_new_and_gets_the_same_tokens(tiny_corpus, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()   # a judgment: a new law would change the user dictionary, and every text would split anew
    (extra / "1.json").write_text(json.dumps(drunk_driving("郭某", 119), ensure_ascii=False), encoding="utf-8")
    root = tmp_path / "index"
    build(BuildConfig(corpus_roots=[tiny_corpus], index_root=root, dense="none", workers=1))
    seen = []
    add(BuildConfig(corpus_roots=[extra], index_root=root, workers=1), [extra],
        lambda stage, done, total: seen.append(total) if stage == "tokenize" else None)
    assert seen[-1] == 3   # the judgment's facts, reasoning and outcome, not the whole index
    whole = tmp_path / "whole"
    build(BuildConfig(corpus_roots=[tiny_corpus, extra], index_root=whole, dense="none", workers=1))
    added, rebuilt = Searcher.open(root), Searcher.open(whole)
    assert added.table.unit_ids == rebuilt.table.unit_ids
    for query in ("醉酒驾驶机动车 自首", "矿产资源 许可证", "盗窃 数额较大"):
        tokens = added.query(query, semantic=False).tokens
        np.testing.assert_allclose(added.lexical.scores_and_coverage(tokens)[0],
                                   rebuilt.lexical.scores_and_coverage(tokens)[0], rtol=1e-6)


def test_saved_tokens_serve_a_unit_only_while_its_text_and_the_dictionary_are_the_same(docs, tmp_path):
    userdict = tmp_path / "userdict.txt"
    userdict.write_text("矿产资源法 200000\n", encoding="utf-8")
    tokens = UnitTokens.of(docs, userdict, 1, None)
    tokens.save(tmp_path, userdict)
    units = [u for d in docs for u in d.units]
    saved = SavedTokens.load(tmp_path, [u.unit_id for u in units], userdict)
    assert [saved.row_for(u.unit_id, int(c)) for u, c in zip(units, tokens.checks)] == list(range(len(units)))
    changed = int(tokens.checks[0]) + 1   # its text changed since
    assert saved.row_for(units[0].unit_id, changed) == -1
    assert saved.row_for(units[1].unit_id, int(tokens.checks[1])) == 1
    userdict.write_text("矿产资源法 200000\n公益诉讼 200000\n", encoding="utf-8")
    assert SavedTokens.load(tmp_path, [u.unit_id for u in units], userdict) is None


def test_damaged_saved_tokens_are_only_tokenised_again(docs, tmp_path):
    userdict = tmp_path / "userdict.txt"
    tokens = UnitTokens.of(docs, userdict, 1, None)
    tokens.save(tmp_path, userdict)
    unit_ids = [u.unit_id for d in docs for u in d.units]
    assert SavedTokens.load(tmp_path, unit_ids[:-1], userdict) is None   # another build's units
    (tmp_path / unit_tokens.FILE).write_bytes(b"not a zip file")
    assert SavedTokens.load(tmp_path, unit_ids, userdict) is None
    (tmp_path / unit_tokens.FILE).unlink()
    assert SavedTokens.load(tmp_path, unit_ids, userdict) is None
