"""An index built with question pairs: the memory answers a layperson's words with the article."""
import json

import numpy as np

from indexer.build import BuildConfig, build
from indexer.filters import Filters
from indexer.search import Searcher, asked_in_lay_words


def test_build_learns_from_the_pairs_it_is_given(tiny_corpus, tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    questions = ["村里有人在河道里偷偷挖沙卖钱怎么办", "没有证件私自挖沙被抓了", "偷偷挖沙子卖"]
    pairs.write_text("\n".join(json.dumps({"id": f"q{i}", "query": q, "relevant": ["刑法第343条", "未知法第1条"]},
                                          ensure_ascii=False) for i, q in enumerate(questions)), encoding="utf-8")
    root = tmp_path / "index"
    info = build(BuildConfig(corpus_roots=[tiny_corpus], index_root=root, workers=1, pairs=[pairs]))
    assert info["questions"]["resolved"] == 3 and info["questions"]["reranker"] is False   # too few to rank
    searcher = Searcher.open(root)
    asked = {searcher.table.unit_ids[r.row]: r.matched_by for r in searcher.rank("河道挖沙卖钱")}
    article = next(u for u in asked if u.endswith("#a343"))
    assert "questions" in asked[article]
    assert searcher.learned.memory.targets == [[searcher.table.row_of[article]]] * 3   # 未知法 did not resolve
    # a question's dense side searches with its own word vectors; case facts with the model's
    question, facts = searcher.query("偷偷挖沙子卖钱"), searcher.query("被告人" + "在河道内采砂，" * 20)
    assert not np.allclose(searcher.learned.dense_query(question).vector, question.vector)
    assert searcher.learned.dense_query(facts) is facts


def test_build_without_pairs_has_no_learned_side(tiny_index):
    searcher = Searcher.open(tiny_index)
    assert searcher.learned is None and searcher.manifest["questions"] is None


def test_pairs_whose_articles_the_corpus_lacks_are_skipped(tiny_corpus, tmp_path):
    """A corpus of judgments alone, with ../shared/training beside it, still builds."""
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "q0", "query": "借钱不还怎么办", "relevant": ["民法典第675条"]},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    root = tmp_path / "index"
    info = build(BuildConfig(corpus_roots=[tiny_corpus], index_root=root, workers=1, pairs=[pairs]))
    assert "skipped" in info["questions"]
    assert Searcher.open(root).learned is None


def test_a_lay_question_keeps_the_reranker_s_order_and_legal_words_the_agreed_head(tiny_corpus, tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "q0", "query": "偷偷挖沙子卖", "relevant": ["刑法第343条"]},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    root = tmp_path / "index"
    build(BuildConfig(corpus_roots=[tiny_corpus], index_root=root, workers=1, pairs=[pairs]))
    searcher = Searcher.open(root)
    seen: list[list[int]] = []

    class Backwards:   # a reranker that reverses whatever it is given
        def order(self, found):
            seen.append(found.rows)
            return found.rows[::-1]

    searcher.learned.reranker = Backwards()
    statutes = Filters(doc_types=("statute",))
    asked = [r.row for r in searcher.rank("我偷偷挖沙子，要采矿许可证吗？", statutes, pin=False, floor=None)]
    assert len(seen[-1]) > 1 and asked == seen[-1][::-1]
    said = [r.row for r in searcher.rank("偷偷挖沙子 采矿许可证", statutes, pin=False, floor=None)]
    leader = searcher.rank("偷偷挖沙子 采矿许可证", statutes, systems=("bm25",), pin=False, floor=None)[0].row
    assert said != seen[-1][::-1] and said[0] == leader   # BM25's leader, which dense also found, stays first


def test_lay_wording_is_told_from_legal_wording():
    assert asked_in_lay_words("朋友借了我五万块钱一直不还怎么办") and asked_in_lay_words("儿媳可以继承财产吗？")
    assert not asked_in_lay_words("检察机关能否就非法采矿造成的生态环境损害提起民事公益诉讼。")
    assert not asked_in_lay_words("未取得采矿许可证擅自进入国家规划矿区")
